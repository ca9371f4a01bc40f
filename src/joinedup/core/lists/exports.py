"""The three downloads of every declared list: CSV (UTF-8 with a byte order mark, so Excel reads it),
XLSX (openpyxl's write-only mode, so memory stays flat however long the list) and JSON. Spreadsheet cells
that would start a formula are guarded the same way in CSV and XLSX; code columns stay text in XLSX."""

from __future__ import annotations

import datetime
import decimal
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from joinedup.core.exports import spreadsheet_safe, stream_csv
from joinedup.core.lists.declaration import Column

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
CHUNK = 500
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MONEY_FORMAT = "#,##0.00"


def plain(column: Column, value: Any) -> Any:
    """A value ready for an export: text, a number, a date, None, or (a `data` column) as it is."""
    if value is None or column.kind == "data":
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column.kind in ("text", "code"):
        return str(value)
    if column.kind == "money" and isinstance(value, int | float):
        return decimal.Decimal(value)
    return value


def _spreadsheet_value(column: Column, value: Any) -> Any:
    """`plain`, with a `data` value as JSON text (a spreadsheet cell holds no structure)."""
    value = plain(column, value)
    if column.kind == "data" and value is not None:
        return json.dumps(value, ensure_ascii=False)
    return value


def _csv_text(column: Column, value: Any) -> str:
    value = _spreadsheet_value(column, value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if column.kind == "money" and isinstance(value, decimal.Decimal):
        return f"{value:.2f}"
    return spreadsheet_safe(value) if isinstance(value, str) else str(value)


def csv_download(columns: tuple[Column, ...], rows: Iterable[Any], filename: str) -> StreamingHttpResponse:
    def lines() -> Iterator[list[str]]:  # a generator: the rows are read while the response streams
        for row in rows:
            yield [_csv_text(c, c.get(row)) for c in columns]

    return stream_csv([str(c.label) for c in columns], lines(), f"{filename}.csv")


def _xlsx_cell(sheet: Any, column: Column, value: Any) -> WriteOnlyCell:
    value = _spreadsheet_value(column, value)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", spreadsheet_safe(value))
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # never a formula, whatever the text
        if column.kind == "code":
            cell.number_format = TEXT_FORMAT
        return cell
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif column.kind == "money":
        cell.number_format = MONEY_FORMAT
    return cell


def xlsx_download(
    columns: tuple[Column, ...], rows: Iterable[Any], filename: str, *, title: str | Promise
) -> HttpResponseBase:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(str(title)))
    sheet.append([str(c.label) for c in columns])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, c, c.get(row)) for c in columns])
    # Written to a temporary file (deleted when the response is closed), never held whole in memory.
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(file)
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=f"{filename}.xlsx", content_type=CONTENT_TYPES["xlsx"]
    )


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return cleaned[:31] or "List"


def _json_value(column: Column, value: Any) -> Any:
    value = plain(column, value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return f"{value:.2f}" if column.kind == "money" else str(value)
    return value


def json_download(
    columns: tuple[Column, ...], rows: Iterable[Any], filename: str, *, count: int
) -> StreamingHttpResponse:
    def chunks() -> Iterator[str]:
        labels = json.dumps({c.key: str(c.label) for c in columns}, ensure_ascii=False)
        yield f'{{"count": {count}, "columns": {labels}, "results": ['

        for index, row in enumerate(rows):
            record = {c.key: _json_value(c, c.get(row)) for c in columns}
            yield ("," if index else "") + json.dumps(record, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type=CONTENT_TYPES["json"])
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response
