"""One strict CSV reader for every importer of a CSV file (incidents, the partnership register, areas and
populations, reference data): nothing in a file is ever silently swallowed (ADR 0015). An Excel workbook
(XLSX) is read into the same pipeline, and text that is not UTF-8 is read as Windows-1252 (ADR 0024).

Python's CSV reader, left to itself, reads a quote that is never closed as the start of one long field that
runs to the end of the file, so a file with one stray quote "imports" with half its rows inside one
description. `read_csv` refuses instead, naming the file, the line and the column of:

- a quoted value that is never closed (the line where the quote opens), or text after a closing quote;
- a value longer than its column allows (each importer gives its columns' limits; any other column is held
  to `DEFAULT_LIMIT`);
- a NUL character, which no database stores as text;
- bytes that are neither UTF-8 nor Windows-1252 (the line and column of the first one: see `decode`);
- more values in a row than the header has columns, a header naming a column twice, more rows than the
  importer takes, or a file larger than it takes.

Lines are the file's own (the header is line 1); a row that spans several lines (a quoted line break) is
named by the line it starts on. Problems with values are collected over the whole file, so the importer
can report every one at once; a problem with the file's structure stops the reading there.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import openpyxl

# Free text (descriptions, notes, narratives) is held to this many characters, as in the API (ADR 0014).
DEFAULT_LIMIT = 20_000
BOM = "\ufeff"
XLSX_MAGIC = b"PK\x03\x04"  # a ZIP archive, which an XLSX workbook is


@dataclass(frozen=True)
class CsvProblem:
    """One problem in a file: its line (the header is line 1), the column's heading ("" for the whole
    line or file) and what is wrong."""

    line: int
    column: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.file else f"Line {self.line}"
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


class CsvFileError(Exception):
    """The file cannot be read as CSV; `problems` says where and why (nothing was imported)."""

    def __init__(self, problems: list[CsvProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class CsvRow:
    line: int  # the line the row starts on
    values: dict[str, str]


@dataclass
class CsvTable:
    """A file read strictly: its header, its non-empty rows and every problem found in their values."""

    file: str
    header: list[str]
    rows: list[CsvRow] = field(default_factory=list)
    problems: list[CsvProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def decode(data: bytes | str, *, file: str = "", max_chars: int | None = None) -> str:
    """The file's text, by one rule: an Excel workbook (XLSX) is its first sheet written as CSV; other
    bytes are UTF-8 (with or without a byte order mark) when they are valid UTF-8, otherwise Windows-1252
    (what Excel's plain "CSV" save writes). CsvFileError names the line and column of the first byte that
    is neither (0x81, 0x8D, 0x8F, 0x90 and 0x9D mean nothing in Windows-1252)."""
    if isinstance(data, str):
        return data.removeprefix(BOM)
    if data.startswith(XLSX_MAGIC):
        return xlsx_text(data, file=file, max_chars=max_chars)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise CsvFileError(
            [
                CsvProblem(
                    line,
                    "",
                    f"the file is neither UTF-8 nor Windows-1252 text (byte {column} of the line): "
                    "save it as CSV UTF-8 or as an Excel workbook.",
                    file,
                )
            ]
        ) from None


def xlsx_text(data: bytes, *, file: str = "", max_chars: int | None = None) -> str:
    """The first sheet of an Excel workbook as CSV text, so it goes through the same strict reading as a
    CSV file (read-only mode: a row at a time). Numbers are written as Excel shows them without a format
    (12, not 12.0), dates as 2026-01-31, times of day after them."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or renamed file
        raise CsvFileError(
            [CsvProblem(1, "", "the file looks like a workbook but cannot be opened as XLSX.", file)]
        ) from None
    try:
        if not book.worksheets:
            raise CsvFileError([CsvProblem(1, "", "the file is empty.", file)])
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for row in book.worksheets[0].iter_rows(values_only=True):
            writer.writerow([_cell_text(value) for value in row])
            if max_chars is not None and out.tell() > max_chars:
                # A small workbook can hold a huge sheet: held to the limit of the same file as CSV.
                raise CsvFileError(
                    [CsvProblem(1, "", f"the sheet is larger than {_size(max_chars)} as CSV.", file)]
                )
        return out.getvalue()
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def read_csv(
    data: bytes | str,
    *,
    file: str = "",
    limits: Mapping[str, int] | None = None,
    default_limit: int = DEFAULT_LIMIT,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    strip: bool = True,
    header_case: str = "",
    exact_width: bool = False,
) -> CsvTable:
    """Read a whole CSV file with a header line strictly (see the module docstring).

    Returns the table with every problem in its values (`table.problems`); raises CsvFileError when the
    file itself is unreadable: too large, neither UTF-8 nor Windows-1252 nor a workbook, an unclosed quote or text after a closing quote, too
    many rows. `limits` gives the longest value of each column, by heading; `header_case="lower"` lower-cases
    the headings (and `limits` are then looked up lower-cased). Values are stripped of surrounding spaces
    unless `strip` is False; rows with no value at all are left out. With `exact_width`, a row with fewer
    values than the header has columns is a problem too (otherwise the missing values are empty)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise CsvFileError([CsvProblem(1, "", f"the file is larger than {_size(max_bytes)}.", file)])
    text = decode(data, file=file, max_chars=max_bytes)
    table = CsvTable(file=file, header=[])
    limits = dict(limits or {})
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    # Python's reader stops at a value past its own limit; let it read any value the file can hold, so an
    # unclosed quote is always found as such and a long value is named with its column below.
    csv.field_size_limit(max(131_072, len(text) + 1))
    rows = 0
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvFileError([_structure_problem(text, start, table.header, str(exc), file)]) from None
        if not table.header:
            if not values or not any(v.strip() for v in values):
                if start == 1 and not values:
                    raise CsvFileError([CsvProblem(1, "", "the file is empty.", file)])
                raise CsvFileError([CsvProblem(start, "", "the first line is not a header.", file)])
            table.header = _header(values, start, header_case, table, file)
            if not table.ok:
                return table
            continue
        if not any(v.strip() for v in values):
            continue
        rows += 1
        if max_rows is not None and rows > max_rows:
            raise CsvFileError(
                [CsvProblem(start, "", f"at most {max_rows:,} rows at a time: split the file.", file)]
            )
        if exact_width and len(values) < len(table.header):
            table.problems.append(
                CsvProblem(
                    start,
                    "",
                    f"{len(values)} columns, but the header has {len(table.header)} "
                    "(a value with a comma that is not in quotes?).",
                    file,
                )
            )
        table.rows.append(CsvRow(start, _row(values, start, limits, default_limit, strip, table, file)))
    if not table.header:
        raise CsvFileError([CsvProblem(1, "", "the file is empty.", file)])
    return table


def _header(values: list[str], line: int, case: str, table: CsvTable, file: str) -> list[str]:
    header = [v.strip() for v in values]
    if case == "lower":
        header = [h.lower() for h in header]
    seen: set[str] = set()
    for index, heading in enumerate(header):
        if "\x00" in heading:
            table.problems.append(CsvProblem(line, f"column {index + 1}", "a NUL character.", file))
        elif heading and heading in seen:
            table.problems.append(CsvProblem(line, heading, "this heading is there twice.", file))
        seen.add(heading)
    return header


def _row(
    values: list[str],
    line: int,
    limits: Mapping[str, int],
    default_limit: int,
    strip: bool,
    table: CsvTable,
    file: str,
) -> dict[str, str]:
    header = table.header
    if len(values) > len(header):
        table.problems.append(
            CsvProblem(
                line,
                "",
                f"More values than columns: {len(values)} columns, but the header has {len(header)} "
                "(a value with a comma that is not in quotes?).",
                file,
            )
        )
    record: dict[str, str] = {}
    for index, heading in enumerate(header):
        value = values[index] if index < len(values) else ""
        if strip:
            value = value.strip()
        name = heading or f"column {index + 1}"
        if "\x00" in value:
            table.problems.append(CsvProblem(line, name, "a NUL character: remove it.", file))
        limit = limits.get(heading, default_limit)
        if len(value) > limit:
            table.problems.append(
                CsvProblem(
                    line,
                    name,
                    f"{len(value):,} characters, more than the {limit:,} this column allows.",
                    file,
                )
            )
        if heading:
            record[heading] = value
    return record


def _structure_problem(text: str, line: int, header: list[str], error: str, file: str) -> CsvProblem:
    """The problem of a record Python's reader refused, named by the line it starts on and, where it can
    be told, its column."""
    index = _open_field_index(text, line)
    column = ""
    if index is not None:
        column = header[index] if index < len(header) else f"column {index + 1}"
    if "unexpected end of data" in error:
        message = "a quoted value starts here and its closing quote is missing, so the rest of the file would be read into it."
    elif "field larger than field limit" in error:
        message = "a value longer than any column allows (is a closing quote missing?)."
    elif "expected after" in error:
        message = (
            'text after the closing quote of a value: a quote inside a quoted value is written twice ("").'
        )
    else:
        message = f"not valid CSV ({error})."
    return CsvProblem(line, column, message, file)


def _open_field_index(text: str, line: int) -> int | None:
    """The index of the field the trouble starts in: the last field of the record's first line, read
    leniently (a quote opened on it and not closed leaves that field last)."""
    lines: Iterable[str] = io.StringIO(text, newline="")
    for number, content in enumerate(lines, start=1):
        if number == line:
            try:
                fields = next(csv.reader([content.rstrip("\r\n")]), [])
            except csv.Error:
                return None
            return max(len(fields) - 1, 0)
    return None


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def column_limits(model: type, columns: Mapping[str, str]) -> dict[str, int]:
    """{column: longest value} for CSV columns filled from `model`'s fields ({column: field name}): a
    field's `max_length`, or `DEFAULT_LIMIT` for free text (a TextField has none of its own)."""
    limits: dict[str, int] = {}
    for column, name in columns.items():
        model_field = model._meta.get_field(name)  # type: ignore[attr-defined]
        limits[column] = int(getattr(model_field, "max_length", None) or DEFAULT_LIMIT)
    return limits
