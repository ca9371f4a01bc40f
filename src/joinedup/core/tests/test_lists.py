"""Every declared list (core/lists) run through the same checks: its count, a filter, each sort, paging,
each download (CSV, XLSX, JSON) with the formula guard and code columns kept as text, and a number of
queries that does not grow with the rows. Each list makes its own rows (`<app>/tests/list_samples.py`)."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import joinedup
from joinedup.core.lists import ListDeclaration, all_lists
from joinedup.core.lists import declaration as declaration_module
from joinedup.core.lists.testing import ListSample, all_samples

LISTS = all_lists()
SAMPLES = all_samples()
ROWS = 4


def test_every_declared_list_has_rows_for_this_test() -> None:
    assert sorted(LISTS) == sorted(SAMPLES), "each declared list needs a @sample hook (and only those)"


# Every sub-package's `lists.py` (ADR 0042: `casework/tasking/lists.py` beside `casework/lists.py`).
SUB_PACKAGE_LISTS = sorted(
    ".".join(("joinedup", *path.relative_to(Path(joinedup.__file__).parent).with_suffix("").parts))
    for path in Path(joinedup.__file__).parent.glob("*/*/lists.py")
    if path.parent.name not in ("tests", "migrations")
)


def test_some_lists_are_declared_in_sub_packages() -> None:
    assert "joinedup.casework.tasking.lists" in SUB_PACKAGE_LISTS


@pytest.mark.parametrize("module", SUB_PACKAGE_LISTS)
def test_lists_declared_in_a_sub_package_are_found(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing else need import a sub-package's lists for them to be declared (and so run by this test):
    with the module unloaded and its lists forgotten, `all_lists()` finds them again."""
    names = [name for name, found in LISTS.items() if found.rows.__module__ == module]
    assert names, f"{module} declares no list"
    monkeypatch.delitem(sys.modules, module)
    for name in names:
        monkeypatch.delitem(declaration_module._REGISTRY, name)
    assert set(names) <= set(all_lists())


@pytest.fixture(params=sorted(LISTS))
def declared(request: Any, db: Any) -> tuple[ListDeclaration, ListSample, Client]:
    declaration = LISTS[request.param]
    made = SAMPLES[request.param](ROWS)
    client = Client()
    if made.user is not None:
        client.force_login(made.user)
    return declaration, made, client


def _get(client: Client, url: str, **params: str) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    return response


def _body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _json(client: Client, url: str, **params: str) -> dict[str, Any]:
    return json.loads(_body(_get(client, url, format="json", **params)))


def _split(made: ListSample, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The rows a download gave, less those its list added by recording the test's own downloads (only a
    list whose sample says how to recognise them: the audit log), and how many of those there were."""
    if made.download_row is None:
        return rows, 0
    kept = [row for row in rows if not made.download_row(row)]
    return kept, len(rows) - len(kept)


def _logged(made: ListSample, downloads: int) -> int:
    """How many rows the test's `downloads` so far have added to the list: one each for a list that records
    its own downloads, none for any other."""
    return downloads if made.download_row is not None else 0


def _table_rows(html: str) -> int:
    tbody = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return tbody.count('<tr class="govuk-table__row">')


def test_the_page_counts_and_filters(declared: tuple[ListDeclaration, ListSample, Client]) -> None:
    declaration, made, client = declared
    page = _get(client, made.url).content.decode()
    assert declaration.count_text(made.rows) in page
    assert _table_rows(page) == made.rows
    filtered = _get(client, made.url, **made.filter).content.decode()
    assert declaration.count_text(made.filtered) in filtered
    assert _table_rows(filtered) == made.filtered
    assert _json(client, made.url, **made.filter)["count"] == made.filtered


def test_each_sort_orders_the_rows_both_ways(declared: tuple[ListDeclaration, ListSample, Client]) -> None:
    declaration, made, client = declared
    downloads = 0
    for key, column in declaration.sortable.items():
        page = _get(client, made.url, sort=key).content.decode()
        if column.table:
            sorted_by = rf'aria-sort="ascending"><a class="ju-sort-link" href="\?sort=-{key}"'
            assert re.search(sorted_by, page), key
        if not column.export:
            continue
        ascending_rows, logged = _split(made, _json(client, made.url, sort=key)["results"])
        downloads += 1
        assert logged == _logged(made, downloads), key
        descending_rows, logged = _split(made, _json(client, made.url, sort=f"-{key}")["results"])
        downloads += 1
        assert logged == _logged(made, downloads), key
        ascending = [r[key] for r in ascending_rows]
        descending = [r[key] for r in descending_rows]
        assert len(ascending) == made.rows
        assert ascending == descending[::-1], key


def test_the_list_is_paged(
    declared: tuple[ListDeclaration, ListSample, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    declaration, made, client = declared
    monkeypatch.setattr(declaration, "page_size", ROWS - 1)
    first = _get(client, made.url).content.decode()
    assert _table_rows(first) == ROWS - 1
    assert 'class="govuk-pagination"' in first
    second = _get(client, made.url, page="2").content.decode()
    assert _table_rows(second) == 1
    assert "page 2 of 2" in second
    assert declaration.count_text(made.rows) in second


def test_the_downloads_keep_the_filters_and_guard_formulas(
    declared: tuple[ListDeclaration, ListSample, Client],
) -> None:
    declaration, made, client = declared
    page = _get(client, made.url, **made.filter).content.decode()
    for fmt in ("csv", "xlsx", "json"):
        assert re.search(rf'href="\?[^"]*format={fmt}"', page), fmt
        link = re.search(rf'href="(\?[^"]*format={fmt})"', page)
        assert link is not None and all(f"{k}={v}" in link.group(1) for k, v in made.filter.items())
    labels = [c.label for c in declaration.export_columns]
    keys = [c.key for c in declaration.export_columns]

    response = _get(client, made.url, format="csv")
    raw = _body(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, so Excel reads it"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == labels
    assert all(len(row) == len(keys) for row in rows)
    kept, logged = _split(made, [dict(zip(keys, row, strict=True)) for row in rows[1:]])
    assert (len(kept), logged) == (made.rows, _logged(made, 1))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + made.formula in cells
    assert made.formula not in cells

    response = _get(client, made.url, format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(_body(response)), read_only=True)
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == labels
    # A read-only sheet leaves out a row's empty cells at its end.
    kept, logged = _split(made, [dict(zip(keys, row, strict=False)) for row in values[1:]])
    assert (len(kept), logged) == (made.rows, _logged(made, 2))
    xlsx_cells = [c for row in values[1:] for c in row]
    assert "'" + made.formula in xlsx_cells
    if made.leading_zero:
        assert made.leading_zero in xlsx_cells, "a code keeps its leading zero as text"
        assert made.leading_zero in cells

    document = _json(client, made.url)
    assert document["count"] == made.rows + _logged(made, 3)
    assert len(document["results"]) == document["count"]
    kept, logged = _split(made, document["results"])
    assert (len(kept), logged) == (made.rows, _logged(made, 3))
    assert set(document["results"][0]) == {c.key for c in declaration.export_columns}
    assert any(made.formula in map(str, r.values()) for r in document["results"]), "JSON keeps the value"


def _queries(client: Client, url: str) -> list[int]:
    counts = []
    for params in ({}, {"format": "csv"}, {"format": "xlsx"}, {"format": "json"}):
        with CaptureQueriesContext(connection) as captured:
            _body(_get(client, url, **params))
        counts.append(len(captured))
    return counts


def test_the_queries_do_not_grow_with_the_rows(
    declared: tuple[ListDeclaration, ListSample, Client],
) -> None:
    _declaration, made, client = declared
    few = _queries(client, made.url)
    made.more(12)
    assert _queries(client, made.url) == few
