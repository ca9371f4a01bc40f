"""The one strict CSV reader every importer uses: nothing in a file is swallowed (issue 13)."""

from __future__ import annotations

import pytest

from joinedup.core.csvfile import CsvFileError, read_csv


def lines(n: int) -> list[str]:
    return ["name,description", *(f"row {i},said {i}" for i in range(2, n + 1))]


@pytest.mark.parametrize("rows", [1001, 20_001])
def test_an_unclosed_quote_is_refused_naming_the_line_and_column_it_opens_on(rows):
    text = lines(rows)
    text[501] = 'row 502,"said 502'  # line 502: the quote is never closed
    with pytest.raises(CsvFileError) as refused:
        read_csv("\n".join(text) + "\n", file="people.csv")
    [problem] = refused.value.problems
    assert (problem.file, problem.line, problem.column) == ("people.csv", 502, "description")
    assert "closing quote is missing" in problem.message
    assert str(problem).startswith("people.csv, line 502, column “description”")


def test_text_after_a_closing_quote_is_refused():
    with pytest.raises(CsvFileError) as refused:
        read_csv('name,description\nA,"said" more\n')
    assert refused.value.problems[0].line == 2


def test_a_value_longer_than_its_column_is_listed_with_every_other():
    table = read_csv(
        "name,description\n" + "x" * 11 + ",ok\nfine," + "y" * 30 + "\n",
        limits={"name": 10},
        default_limit=20,
    )
    assert [(p.line, p.column) for p in table.problems] == [(2, "name"), (3, "description")]
    assert "11 characters, more than the 10" in table.problems[0].message


def test_a_swallowed_file_past_the_reader_limit_is_a_problem_not_a_crash():
    text = 'name,description\nA,"' + "z" * 200_000 + '"\n'
    table = read_csv(text, default_limit=20_000)
    assert [(p.line, p.column) for p in table.problems] == [(2, "description")]


def test_a_nul_byte_is_an_error_naming_line_and_column():
    table = read_csv(b"name,description\nA,ok\nB,bad\x00value\n", file="f.csv")
    assert [(p.file, p.line, p.column) for p in table.problems] == [("f.csv", 3, "description")]


def test_bytes_that_are_neither_utf8_nor_windows_1252_name_their_line():
    with pytest.raises(CsvFileError, match="neither UTF-8 nor Windows-1252") as refused:
        read_csv(b"name,description\nA,ok\nB,caf\x81\n")
    assert refused.value.problems[0].line == 3


def test_a_file_saved_by_excel_as_plain_csv_is_read_as_windows_1252(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("name,description\r\nCafé Nero,“Smart” quotes cost £5 \u2013 today\r\n".encode("cp1252"))
    table = read_csv(path.read_bytes(), file="excel.csv")
    assert table.ok
    assert table.rows[0].values == {"name": "Café Nero", "description": "“Smart” quotes cost £5 \u2013 today"}


def test_utf8_wins_when_the_bytes_are_utf8(tmp_path):
    path = tmp_path / "utf8.csv"
    path.write_bytes("\ufeffname\nCafé\n".encode())
    assert read_csv(path.read_bytes()).rows[0].values == {"name": "Café"}


def test_an_xlsx_workbook_goes_through_the_same_reading(tmp_path):
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "company_number", "count", "share", "started", "description"])
    sheet.append(["Café Nero", "01234567", 12, 2.5, datetime.date(2026, 1, 31), "  spaced  "])
    sheet.append([None, None, None, None, None, None])  # an empty row is left out, as in a CSV
    sheet.append(["Second", "SC012345", 3.0, None, datetime.datetime(2026, 2, 1, 9, 30), "x" * 11])
    path = tmp_path / "register.xlsx"
    book.save(path)
    table = read_csv(path.read_bytes(), file="register.xlsx", limits={"description": 10})
    assert table.header == ["name", "company_number", "count", "share", "started", "description"]
    assert [r.line for r in table.rows] == [2, 4]
    assert table.rows[0].values == {
        "name": "Café Nero",
        "company_number": "01234567",
        "count": "12",
        "share": "2.5",
        "started": "2026-01-31",
        "description": "spaced",
    }
    assert table.rows[1].values["count"] == "3"
    assert table.rows[1].values["started"] == "2026-02-01 09:30:00"
    assert [(p.file, p.line, p.column) for p in table.problems] == [("register.xlsx", 4, "description")]


def test_a_renamed_zip_or_a_huge_sheet_is_refused(tmp_path):
    import io as _io
    import zipfile

    import openpyxl

    buffer = _io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(CsvFileError, match="cannot be opened as XLSX"):
        read_csv(buffer.getvalue(), file="renamed.xlsx")
    book = openpyxl.Workbook()
    for n in range(2000):
        book.active.append(["a" * 50, n])
    path = tmp_path / "big.xlsx"
    book.save(path)
    data = path.read_bytes()
    with pytest.raises(CsvFileError, match="larger than"):
        read_csv(data, max_bytes=len(data) + 10)


def test_rows_span_lines_and_keep_their_first_line():
    table = read_csv('name,description\nA,"two\nlines"\nB,one\n')
    assert [(r.line, r.values["name"]) for r in table.rows] == [(2, "A"), (4, "B")]
    assert table.rows[0].values["description"] == "two\nlines"


def test_too_many_values_too_many_rows_and_too_many_bytes():
    assert read_csv("a,b\n1,2,3\n").problems[0].line == 2
    with pytest.raises(CsvFileError, match="at most 2 rows"):
        read_csv("a\n1\n2\n3\n", max_rows=2)
    with pytest.raises(CsvFileError, match="larger than"):
        read_csv("a\n" + "1\n" * 100, max_bytes=50)


def test_a_heading_given_twice_is_refused():
    table = read_csv("a,a\n1,2\n")
    assert table.problems[0].column == "a" and "twice" in table.problems[0].message
