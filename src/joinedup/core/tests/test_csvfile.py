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


def test_bytes_that_are_not_utf8_name_their_line():
    with pytest.raises(CsvFileError) as refused:
        read_csv(b"name,description\nA,ok\nB,caf\xe9\n")
    assert refused.value.problems[0].line == 3


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
