"""Property-based tests: the importer fed messy street CSVs never crashes and never loses a row unreported.

Each example is one street file built from generated records: proper CSV quoting (minimal or all fields
quoted), fields holding commas, quotes, line breaks and non-ASCII text, stray quotes inside unquoted
fields, rows with missing or extra fields, bad months, blank lines, CRLF and LF mixed line by line, an
optional BOM, and text encoded as Windows-1252 or with bytes that are not UTF-8 at all. Whatever the file,
every data row is either accepted (in the store) or rejected with a reason: accepted + rejected equals
the number of records written.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import duckdb
import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.core.models import Area
from joinedup.insight import store
from joinedup.insight.imports.importer import COLUMNS, import_police_data
from joinedup.insight.models import ImportStatus, RejectedRow

pytestmark = pytest.mark.django_db

HEADER = [name for name, _alias in COLUMNS["street"]]
TEXT = st.text(alphabet=st.sampled_from(list("abc XYZ,\"\n\r'é£\u2013€\t;")), max_size=8)
MONTH = st.sampled_from(["2023-01", "2023-02", "2023-01", "January", "", "2023-13"])
LSOA = st.sampled_from(["E01900001", "E01900002", "E01777777", "", " E01900003 "])
CRIME_TYPE = st.sampled_from(["Burglary", "Anti-social behaviour", "Alien abduction", ""])


@st.composite
def record(draw: st.DrawFn) -> list[str]:
    fields = [
        draw(TEXT),
        draw(MONTH),
        "Testshire Police",
        "Testshire Police",
        draw(st.sampled_from(["-1.5", "", "x", "54.9"])),
        draw(st.sampled_from(["54.9", "", "-"])),
        draw(TEXT),
        draw(LSOA),
        draw(TEXT),
        draw(CRIME_TYPE),
        draw(TEXT),
        draw(TEXT),
    ]
    shape = draw(st.sampled_from(["ok", "ok", "ok", "missing", "extra"]))
    if shape == "missing":
        fields = fields[: draw(st.integers(2, 11))]
    elif shape == "extra":
        fields += draw(st.lists(TEXT, min_size=1, max_size=3))
    return fields


def encode_line(fields: list[str], quote_all: bool, stray_quote: bool) -> str:
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(buffer, quoting=quoting, lineterminator="\r\n").writerow(fields)
    line = buffer.getvalue()[:-2]
    if stray_quote and not quote_all and all(ch.isalnum() or ch == " " for ch in fields[-1]) and fields[-1]:
        # A quote inside an unquoted field, as some exports produce: `ab"c`.
        line = line[: len(line) - len(fields[-1])] + fields[-1][:1] + '"' + fields[-1][1:]
    return line


@st.composite
def messy_file(draw: st.DrawFn) -> tuple[bytes, int]:
    """The bytes of a street file and the number of data records in it (blank lines are not records)."""
    records = draw(st.lists(record(), min_size=0, max_size=12))
    quote_all = draw(st.booleans())
    parts = [encode_line(HEADER, quote_all, False)]
    endings = []
    for fields in records:
        while draw(st.booleans()) and draw(st.booleans()):
            parts.append("")  # a blank line
            endings.append(draw(st.sampled_from(["\n", "\r\n"])))
        parts.append(encode_line(fields, quote_all, draw(st.booleans())))
        endings.append(draw(st.sampled_from(["\n", "\r\n"])))
    first_ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = parts[0] + first_ending + "".join(p + e for p, e in zip(parts[1:], endings, strict=True))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "cp1252", "broken"]))
    header, _, body = text.partition(first_ending)
    if encoding == "cp1252":
        data = body.encode("cp1252", errors="replace")
    else:
        data = body.encode("utf-8")
        if encoding == "broken":
            data = data.replace(b"a", b"a\xff\xfe", 1).replace(b"b", b"\xc3(", 1)
    data = (header + first_ending).encode() + data
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, len(records)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(messy_file())
def test_messy_files_never_crash_and_every_row_is_accepted_or_rejected(
    areas: dict[str, Area], example: tuple[bytes, int]
) -> None:
    data, records = example
    with tempfile.TemporaryDirectory() as tmp, override_settings(DATA_DIR=Path(tmp) / "var"):
        source = Path(tmp) / "2023-01-testshire-street.csv"
        source.write_bytes(data)
        record = import_police_data([source]).record

        assert record.status == ImportStatus.SUCCEEDED
        assert record.rows_accepted + record.rows_rejected == records
        assert RejectedRow.objects.filter(data_import=record).count() == record.rows_rejected
        assert all(r.reason for r in RejectedRow.objects.filter(data_import=record))
        glob = store.dataset_glob("street")
        stored = duckdb.execute("SELECT count(*) FROM read_parquet(?)", [glob]).fetchone() if glob else (0,)
        assert stored == (record.rows_accepted,)
        geo_flags = record.flags["no_lsoa"] + record.flags["unknown_lsoa"] + record.flags["outside_force"]
        assert geo_flags <= record.rows_accepted
        assert record.flags["unknown_crime_type"] <= record.rows_accepted
