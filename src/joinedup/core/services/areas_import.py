"""Importing the reference geography: ONS codes, names, hierarchy and LSOA populations.

`import_areas(directory)` reads a folder laid out like shared/data:

    lookups/pfa*_names_codes*.csv      police force area codes and names   (PFAnnCD, PFAnnNM)
    lookups/csp*_names_codes*.csv      CSP codes, English and Welsh names  (CSPnnCD, CSPnnNM, CSPnnNMW optional)
    lookups/lad*_csp*_pfa*.csv         district → CSP → force lookup       (LADnnCD, LADnnNM, CSPnnCD, PFAnnCD)
    lookups/lsoa*_ward*_lad*.csv       LSOA → ward → district lookup       (LSOAnnCD, LSOAnnNM, LADnnCD;
                                                                           WDnnCD, WDnnNM optional)
    population/lsoa*_population_mid*.csv  LSOA mid-year estimates          (LSOA Code, All Ages)
    lookups/lsoa11_lsoa21*.csv         optional best-fit 2011 → 2021 LSOA  (LSOA11CD, LSOA21CD)

Files are found by those glob patterns (so a newer year's files, e.g. pfa23_names_codes_uk.csv, are picked
up without a code change) and exactly one file must match each pattern. Columns are found by pattern too
(`PFA19CD`, `PFA23CD`, ...). The population year comes from the population file name ("mid2019" → 2019);
a file name without a year falls back to DEFAULT_POPULATION_YEAR.

Electoral wards come from the LSOA lookup's ward columns (the ONS best-fit LSOA → ward lookup, so each
LSOA is in exactly one ward). A ward is an area of its own (level `ward`, parent its district, with the
district's CSP and force area, its population the sum of its LSOAs'), and each LSOA records its ward in
`Area.ward` while its parent stays the district, so the LSOA → district → CSP → force area rollups and every
crime figure built on them are the same with or without wards (docs/adr/0036). A ward code must keep one
name and one district on every row. A lookup without ward columns imports no wards and leaves the LSOAs'
wards as they were.

Everything is joined on ONS codes, never on names (names differ between ONS files). The set of force areas
and CSPs is the set the district lookup refers to, so the UK-wide names file's Scotland and Northern Ireland
rows are ignored. A district the lookup places in more than one CSP is imported as split: no CSP parent, its
CSPs listed in `split_csps`, its LSOAs attributed to no CSP, and every CSP it touches marked
`population_partial` (a CSP made up only of split districts has no population at all rather than 0).

The files are checked completely before anything is written; every problem is reported with the file, line
(the header is line 1) and column, and a bad folder writes nothing. Rows are updated in place by code, so
running the import twice leaves the same rows. Areas that are no longer in the files are left alone (staff
accounts and organisations may refer to them).

Quirks handled: a UTF-8 byte-order mark, CRLF line endings, quoted thousands separators ("1,954"), text
that is not UTF-8 (read as Windows-1252), and Welsh names that were double-encoded upstream (the "ô" of
"Ynys Môn" is stored as two characters in the 2019 CSP names file).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.csvfile import CsvFileError, read_csv
from joinedup.core.models import Area, AreaLevel, EventType, ReferenceImport

Progress = Callable[[str, int, int], None]

DEFAULT_POPULATION_YEAR = 2019  # used only when the population file's name carries no "midYYYY"
MAX_PROBLEMS_SHOWN = 50
WRITE_BATCH = 2000

# ONS code shapes in England and Wales, as found in the 2019 files.
CODE_SHAPES: dict[str, re.Pattern[str]] = {
    AreaLevel.PFA: re.compile(r"(E23|W15)\d{6}"),
    AreaLevel.CSP: re.compile(r"(E22|W14)\d{6}"),
    AreaLevel.LAD: re.compile(r"(E06|E07|E08|E09|W06)\d{6}"),
    AreaLevel.WARD: re.compile(r"(E05|W05)\d{6}"),
    AreaLevel.LSOA: re.compile(r"(E01|W01)\d{6}"),
}
CODE_HINTS: dict[str, str] = {
    AreaLevel.PFA: "E23 or W15 and 6 digits",
    AreaLevel.CSP: "E22 or W14 and 6 digits",
    AreaLevel.LAD: "E06, E07, E08, E09 or W06 and 6 digits",
    AreaLevel.WARD: "E05 or W05 and 6 digits",
    AreaLevel.LSOA: "E01 or W01 and 6 digits",
}
LEVEL_WORDS: dict[str, str] = {
    AreaLevel.PFA: "police force area",
    AreaLevel.CSP: "CSP",
    AreaLevel.LAD: "district",
    AreaLevel.WARD: "ward",
    AreaLevel.LSOA: "LSOA",
}


class AreaImportError(Exception):
    """The files could not be imported; `problems` lists every problem found, each naming file, line, column."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        count = len(self.problems)
        heading = f"The area import found {count} problem{'s' if count != 1 else ''}; nothing was imported."
        lines = [heading, *self.problems[:MAX_PROBLEMS_SHOWN]]
        if count > MAX_PROBLEMS_SHOWN:
            lines.append(f"… and {count - MAX_PROBLEMS_SHOWN:,} more.")
        return "\n".join(lines)


@dataclass
class SplitDistrict:
    code: str
    name: str
    csps: list[tuple[str, str]]  # (code, name)
    pfa_code: str | None


@dataclass
class AreaImportResult:
    pfas: int
    csps: int
    lads: int
    lsoas: int
    population: int
    population_year: int
    split_lads: list[SplitDistrict] = field(default_factory=list)
    lsoa21_codes: int | None = None  # LSOAs given a 2021 code; None when no 2011→2021 lookup was supplied
    wards: int | None = None  # None when the LSOA lookup has no ward columns
    reference_import_id: int | None = None
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        return {
            AreaLevel.PFA: self.pfas,
            AreaLevel.CSP: self.csps,
            AreaLevel.LAD: self.lads,
            **({AreaLevel.WARD: self.wards} if self.wards is not None else {}),
            AreaLevel.LSOA: self.lsoas,
        }

    def summary(self) -> str:
        if self.split_lads:
            names = "; ".join(split.name for split in self.split_lads)
            split = f" ({len(self.split_lads)} split between CSPs: {names})"
        else:
            split = ""
        text = (
            f"Imported {self.pfas:,} police force areas, {self.csps:,} CSPs, {self.lads:,} districts{split}, "
            + (f"{self.wards:,} wards, " if self.wards is not None else "")
            + f"{self.lsoas:,} LSOAs; population {self.population:,} (mid-{self.population_year})."
        )
        if self.lsoa21_codes is not None:
            text += f" {self.lsoa21_codes:,} LSOAs have a best-fit 2021 LSOA code."
        return text


# --- reading files ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    role: str
    pattern: str  # matched against the header, whole and case-insensitive
    label: str  # how a person would name it in a message
    required: bool = True


@dataclass(frozen=True)
class _FileSpec:
    key: str
    glob: str
    columns: tuple[_Column, ...]
    required: bool = True


SPECS = (
    _FileSpec(
        "pfa_names",
        "lookups/pfa*_names_codes*.csv",
        (_Column("code", r"PFA\d\dCD", "PFAnnCD"), _Column("name", r"PFA\d\dNM", "PFAnnNM")),
    ),
    _FileSpec(
        "csp_names",
        "lookups/csp*_names_codes*.csv",
        (
            _Column("code", r"CSP\d\dCD", "CSPnnCD"),
            _Column("name", r"CSP\d\dNM", "CSPnnNM"),
            _Column("name_welsh", r"CSP\d\dNMW", "CSPnnNMW", required=False),
        ),
    ),
    _FileSpec(
        "lad_csp_pfa",
        "lookups/lad*_csp*_pfa*.csv",
        (
            _Column("lad", r"LAD\d\dCD", "LADnnCD"),
            _Column("lad_name", r"LAD\d\dNM", "LADnnNM"),
            _Column("csp", r"CSP\d\dCD", "CSPnnCD"),
            _Column("pfa", r"PFA\d\dCD", "PFAnnCD"),
        ),
    ),
    _FileSpec(
        "lsoa_lad",
        "lookups/lsoa*_ward*_lad*.csv",
        (
            _Column("lsoa", r"LSOA\d\dCD", "LSOAnnCD"),
            _Column("lsoa_name", r"LSOA\d\dNM", "LSOAnnNM"),
            _Column("lad", r"LAD\d\dCD", "LADnnCD"),
            _Column("ward", r"WD\d\dCD", "WDnnCD", required=False),
            _Column("ward_name", r"WD\d\dNM", "WDnnNM", required=False),
        ),
    ),
    _FileSpec(
        "population",
        "population/lsoa*_population_mid*.csv",
        (_Column("lsoa", r"LSOA Code", "LSOA Code"), _Column("population", r"All Ages", "All Ages")),
    ),
    _FileSpec(
        "lsoa21",
        "lookups/lsoa11_lsoa21*.csv",
        (_Column("lsoa11", r"LSOA11CD", "LSOA11CD"), _Column("lsoa21", r"LSOA21CD", "LSOA21CD")),
        required=False,
    ),
)


@dataclass
class _Table:
    name: str  # path relative to the import folder, as shown in messages
    path: Path
    sha256: str
    headers: dict[str, str]  # role → the header as written in the file
    rows: list[tuple[int, dict[str, str]]]  # (line number, role → stripped value)

    def where(self, line: int, role: str | None = None) -> str:
        if role is None:
            return f"{self.name}, line {line}"
        return f"{self.name}, line {line}, column {self.headers.get(role, role)}"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _repair(text: str) -> str:
    """Undo UTF-8 that was decoded as Windows-1252 and encoded again (the 2019 CSP names file's "Ynys Môn")."""
    if "Ã" not in text and "Â" not in text:
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def _locate(directory: Path, spec: _FileSpec, problems: list[str]) -> Path | None:
    matches = sorted(path for path in directory.glob(spec.glob) if path.is_file())
    if not matches:
        if spec.required:
            problems.append(f"{spec.glob}: no file matches this name in {directory}.")
        return None
    if len(matches) > 1:
        names = ", ".join(str(path.relative_to(directory)) for path in matches)
        problems.append(f"{spec.glob}: {len(matches)} files match ({names}); keep exactly one.")
        return None
    return matches[0]


def _read(directory: Path, path: Path, spec: _FileSpec, problems: list[str]) -> _Table | None:
    data = path.read_bytes()
    name = path.relative_to(directory).as_posix()
    try:
        # Strict (joinedup.core.csvfile): an unclosed quote or a NUL character names its line and column.
        table = read_csv(_decode(data), file=name, exact_width=True)
    except CsvFileError as exc:
        problems.extend(str(problem) for problem in exc.problems)
        return None
    header = table.header
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    missing = False
    for column in spec.columns:
        index = next(
            (i for i, h in enumerate(header) if re.fullmatch(column.pattern, h, re.IGNORECASE)), None
        )
        if index is None:
            if column.required:
                problems.append(f"{name}, line 1: missing required column {column.label}.")
                missing = True
            continue
        positions[column.role] = index
        headers[column.role] = header[index]
    if missing:
        return None
    if table.problems:
        problems.extend(str(problem) for problem in table.problems)
        return None
    rows = [(row.line, {role: row.values[header[i]] for role, i in positions.items()}) for row in table.rows]
    return _Table(name, path, hashlib.sha256(data).hexdigest(), headers, rows)


def _check_code(table: _Table, line: int, role: str, code: str, level: str, problems: list[str]) -> bool:
    if not code:
        problems.append(f"{table.where(line, role)}: no {LEVEL_WORDS[level]} code.")
        return False
    if not CODE_SHAPES[level].fullmatch(code):
        problems.append(
            f"{table.where(line, role)}: {code!r} is not a {LEVEL_WORDS[level]} code "
            f"(expected {CODE_HINTS[level]})."
        )
        return False
    return True


def _parse_count(text: str) -> int | None:
    cleaned = text.replace(",", "").replace(" ", "")
    return int(cleaned) if cleaned.isascii() and cleaned.isdigit() else None


# --- the import ------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    pfas: dict[str, str]  # code → name
    csps: dict[str, tuple[str, str, str]]  # code → (name, Welsh name, pfa code)
    lads: dict[str, tuple[str, list[str], str | None]]  # code → (name, CSP codes, pfa code)
    lsoas: dict[str, tuple[str, str]]  # code → (name, LAD code)
    wards: dict[str, tuple[str, str]] | None  # code → (name, LAD code); None without ward columns
    lsoa_ward: dict[str, str]  # LSOA code → ward code
    population: dict[str, int]
    lsoa21: dict[str, str] | None
    year: int
    tables: list[_Table]


def _duplicate(table: _Table, line: int, role: str, code: str, first_line: int) -> str:
    return f"{table.where(line, role)}: duplicate code {code} (first on line {first_line})."


def _check_known(
    tables: dict[str, _Table],
    key: str,
    known: Mapping[str, Any],
    at: tuple[_Table, int, str],
    what: str,
    code: str,
    problems: list[str],
) -> bool:
    """Report `code` (a `what` code, in `at`: table, line and column) that the file `key` does not list,
    when that file was given; False when reported."""
    if code in known or key not in tables:
        return True
    table, line, role = at
    problems.append(f"{table.where(line, role)}: unknown {what} code {code} (not in {tables[key].name}).")
    return False


def _read_tables(directory: Path, progress: Progress | None, problems: list[str]) -> dict[str, _Table]:
    paths = {spec.key: _locate(directory, spec, problems) for spec in SPECS}
    tables: dict[str, _Table] = {}
    found = [(spec, paths[spec.key]) for spec in SPECS if paths[spec.key] is not None]
    for done, (spec, path) in enumerate(found, start=1):
        assert path is not None
        table = _read(directory, path, spec, problems)
        if table is not None:
            tables[spec.key] = table
        if progress:
            progress("Reading files", done, len(found))
    return tables


def _check_pfa_names(tables: dict[str, _Table], problems: list[str]) -> dict[str, tuple[str, int]]:
    """Names of force areas by code: code → (name, line)."""
    pfa_names: dict[str, tuple[str, int]] = {}
    if "pfa_names" in tables:
        table = tables["pfa_names"]
        for line, row in table.rows:
            code = row["code"].upper()
            if not code:
                problems.append(f"{table.where(line, 'code')}: no police force area code.")
            elif code in pfa_names:
                problems.append(_duplicate(table, line, "code", code, pfa_names[code][1]))
            else:
                pfa_names[code] = (_repair(row["name"]), line)
    return pfa_names


def _check_csp_names(tables: dict[str, _Table], problems: list[str]) -> dict[str, tuple[str, str, int]]:
    """Names of CSPs by code: code → (name, Welsh name, line)."""
    csp_names: dict[str, tuple[str, str, int]] = {}
    if "csp_names" in tables:
        table = tables["csp_names"]
        for line, row in table.rows:
            code = row["code"].upper()
            if not code:
                problems.append(f"{table.where(line, 'code')}: no CSP code.")
            elif code in csp_names:
                problems.append(_duplicate(table, line, "code", code, csp_names[code][2]))
            else:
                csp_names[code] = (_repair(row["name"]), _repair(row.get("name_welsh", "")), line)
    return csp_names


def _check_hierarchy_row(
    tables: dict[str, _Table],
    line: int,
    lad_csp_pfa: tuple[str, str, str],
    names: tuple[dict[str, tuple[str, int]], dict[str, tuple[str, str, int]]],
    csp_pfa: dict[str, tuple[str, int]],
    problems: list[str],
) -> None:
    """One district → CSP → force area row against the name tables and the rows before it."""
    table = tables["lad_csp_pfa"]
    _lad, csp, pfa = lad_csp_pfa
    pfa_names, csp_names = names
    _check_known(tables, "csp_names", csp_names, (table, line, "csp"), "CSP", csp, problems)
    known = _check_known(
        tables, "pfa_names", pfa_names, (table, line, "pfa"), "police force area", pfa, problems
    )
    if known and pfa in pfa_names and not pfa_names[pfa][0]:
        problems.append(
            f"{tables['pfa_names'].where(pfa_names[pfa][1], 'name')}: police force area {pfa} has no name."
        )
    if csp in csp_pfa and csp_pfa[csp][0] != pfa:
        problems.append(
            f"{table.where(line, 'pfa')}: CSP {csp} is in police force area {pfa} here but in "
            f"{csp_pfa[csp][0]} on line {csp_pfa[csp][1]}."
        )


def _check_hierarchy(
    tables: dict[str, _Table],
    pfa_names: dict[str, tuple[str, int]],
    csp_names: dict[str, tuple[str, str, int]],
    problems: list[str],
) -> tuple[dict[str, tuple[str, list[str], int]], dict[str, tuple[str, int]]]:
    """District → CSP → force area: (district → (name, CSP codes, line), CSP → (force area, line))."""
    lad_rows: dict[str, tuple[str, list[str], int]] = {}
    csp_pfa: dict[str, tuple[str, int]] = {}
    if "lad_csp_pfa" not in tables:
        return lad_rows, csp_pfa
    table = tables["lad_csp_pfa"]
    seen_pairs: dict[tuple[str, str], int] = {}
    for line, row in table.rows:
        lad, csp, pfa = row["lad"].upper(), row["csp"].upper(), row["pfa"].upper()
        ok = _check_code(table, line, "lad", lad, AreaLevel.LAD, problems)
        ok = _check_code(table, line, "csp", csp, AreaLevel.CSP, problems) and ok
        ok = _check_code(table, line, "pfa", pfa, AreaLevel.PFA, problems) and ok
        if not ok:
            continue
        if (lad, csp) in seen_pairs:
            problems.append(
                f"{table.where(line, 'lad')}: duplicate row for district {lad} in CSP {csp} "
                f"(first on line {seen_pairs[lad, csp]})."
            )
            continue
        seen_pairs[lad, csp] = line
        _check_hierarchy_row(tables, line, (lad, csp, pfa), (pfa_names, csp_names), csp_pfa, problems)
        csp_pfa.setdefault(csp, (pfa, line))
        if lad in lad_rows:
            lad_rows[lad][1].append(csp)
        else:
            lad_rows[lad] = (_repair(row["lad_name"]), [csp], line)
    for csp in csp_pfa:
        if csp in csp_names and not csp_names[csp][0]:
            problems.append(f"{tables['csp_names'].where(csp_names[csp][2], 'name')}: CSP {csp} has no name.")
    return lad_rows, csp_pfa


def _check_lsoas(
    tables: dict[str, _Table], lad_rows: dict[str, tuple[str, list[str], int]], problems: list[str]
) -> dict[str, tuple[str, str, int]]:
    """LSOA → district: code → (name, district code, line)."""
    lsoas: dict[str, tuple[str, str, int]] = {}
    if "lsoa_lad" not in tables:
        return lsoas
    table = tables["lsoa_lad"]
    for line, row in table.rows:
        lsoa, lad = row["lsoa"].upper(), row["lad"].upper()
        ok = _check_code(table, line, "lsoa", lsoa, AreaLevel.LSOA, problems)
        ok = _check_code(table, line, "lad", lad, AreaLevel.LAD, problems) and ok
        if not ok:
            continue
        if lsoa in lsoas:
            problems.append(_duplicate(table, line, "lsoa", lsoa, lsoas[lsoa][2]))
            continue
        _check_known(tables, "lad_csp_pfa", lad_rows, (table, line, "lad"), "district", lad, problems)
        lsoas[lsoa] = (_repair(row["lsoa_name"]) or lsoa, lad, line)
    return lsoas


def _check_wards(
    tables: dict[str, _Table], lsoas: dict[str, tuple[str, str, int]], problems: list[str]
) -> tuple[dict[str, tuple[str, str]], dict[str, str]] | None:
    """Electoral wards from the LSOA lookup's ward columns: (ward → (name, district code), LSOA → ward), or
    None when the lookup has no ward columns. A ward must have one name and one district on every row."""
    table = tables.get("lsoa_lad")
    if table is None or ("ward" not in table.headers and "ward_name" not in table.headers):
        return None
    for role, label in (("ward", "WDnnCD"), ("ward_name", "WDnnNM")):
        if role not in table.headers:
            problems.append(
                f"{table.name}, line 1: missing column {label} (ward codes and names go together)."
            )
            return None
    wards: dict[str, tuple[str, str, int]] = {}
    lsoa_ward: dict[str, str] = {}
    for line, row in table.rows:
        lsoa = row["lsoa"].upper()
        if lsoa not in lsoas or lsoas[lsoa][2] != line:
            continue  # a row already reported (bad or duplicate LSOA code)
        ward, name, lad = row["ward"].upper(), _repair(row["ward_name"]), lsoas[lsoa][1]
        if not _check_code(table, line, "ward", ward, AreaLevel.WARD, problems):
            continue
        if not name:
            problems.append(f"{table.where(line, 'ward_name')}: ward {ward} has no name.")
            continue
        first = wards.setdefault(ward, (name, lad, line))
        if first[1] != lad:
            problems.append(
                f"{table.where(line, 'lad')}: ward {ward} is in district {lad} here but in {first[1]} "
                f"on line {first[2]}."
            )
        elif first[0] != name:
            problems.append(
                f"{table.where(line, 'ward_name')}: ward {ward} is called {name!r} here but {first[0]!r} "
                f"on line {first[2]}."
            )
        lsoa_ward[lsoa] = ward
    return {code: (name, lad) for code, (name, lad, _line) in wards.items()}, lsoa_ward


def _check_population(
    tables: dict[str, _Table], lsoas: dict[str, tuple[str, str, int]], problems: list[str]
) -> tuple[dict[str, tuple[int, int]], int]:
    """Populations: (LSOA → (count, line), the year, from the file's name: mid-2020 → 2020)."""
    population: dict[str, tuple[int, int]] = {}
    if "population" not in tables:
        return population, DEFAULT_POPULATION_YEAR
    table = tables["population"]
    match = re.search(r"mid[-_ ]?((?:19|20)\d\d)", table.path.name, re.IGNORECASE)
    year = int(match.group(1)) if match else DEFAULT_POPULATION_YEAR
    for line, row in table.rows:
        lsoa = row["lsoa"].upper()
        if not _check_code(table, line, "lsoa", lsoa, AreaLevel.LSOA, problems):
            continue
        count = _parse_count(row["population"])
        if count is None:
            problems.append(
                f"{table.where(line, 'population')}: {row['population']!r} is not a whole number."
            )
        if lsoa in population:
            problems.append(_duplicate(table, line, "lsoa", lsoa, population[lsoa][1]))
            continue
        _check_known(tables, "lsoa_lad", lsoas, (table, line, "lsoa"), "LSOA", lsoa, problems)
        population[lsoa] = (count or 0, line)
    if "lsoa_lad" in tables:
        for lsoa, (_name, _lad, line) in lsoas.items():
            if lsoa not in population:
                problems.append(
                    f"{tables['lsoa_lad'].where(line, 'lsoa')}: LSOA {lsoa} has no population in {table.name}."
                )
    return population, year


def _check_lsoa21(
    tables: dict[str, _Table], lsoas: dict[str, tuple[str, str, int]], problems: list[str]
) -> dict[str, tuple[str, int]] | None:
    """Best-fit 2021 LSOAs (optional): 2011 code → (2021 code, line)."""
    if "lsoa21" not in tables:
        return None
    table = tables["lsoa21"]
    lsoa21: dict[str, tuple[str, int]] = {}
    for line, row in table.rows:
        old, new = row["lsoa11"].upper(), row["lsoa21"].upper()
        ok = _check_code(table, line, "lsoa11", old, AreaLevel.LSOA, problems)
        ok = _check_code(table, line, "lsoa21", new, AreaLevel.LSOA, problems) and ok
        if not ok:
            continue
        if old in lsoa21:
            problems.append(_duplicate(table, line, "lsoa11", old, lsoa21[old][1]))
            continue
        _check_known(tables, "lsoa_lad", lsoas, (table, line, "lsoa11"), "LSOA", old, problems)
        lsoa21[old] = (new, line)
    return lsoa21


def _check(directory: Path, progress: Progress | None) -> _Plan:
    """Read and check every file, listing every problem at once; the plan of what to write when none."""
    problems: list[str] = []
    tables = _read_tables(directory, progress, problems)
    pfa_names = _check_pfa_names(tables, problems)
    csp_names = _check_csp_names(tables, problems)
    lad_rows, csp_pfa = _check_hierarchy(tables, pfa_names, csp_names, problems)
    lsoas = _check_lsoas(tables, lad_rows, problems)
    wards = _check_wards(tables, lsoas, problems)
    population, year = _check_population(tables, lsoas, problems)
    lsoa21 = _check_lsoa21(tables, lsoas, problems)
    if problems:
        raise AreaImportError(problems)

    lads: dict[str, tuple[str, list[str], str | None]] = {}
    for lad, (name, csps, _line) in lad_rows.items():
        pfas = {csp_pfa[csp][0] for csp in csps}
        lads[lad] = (name or lad, csps, pfas.pop() if len(pfas) == 1 else None)
    return _Plan(
        pfas={code: pfa_names[code][0] for code in sorted({pfa for pfa, _ in csp_pfa.values()})},
        csps={code: (csp_names[code][0], csp_names[code][1], csp_pfa[code][0]) for code in sorted(csp_pfa)},
        lads=lads,
        lsoas={code: (name, lad) for code, (name, lad, _line) in lsoas.items()},
        wards=wards[0] if wards is not None else None,
        lsoa_ward=wards[1] if wards is not None else {},
        population={code: count for code, (count, _line) in population.items()},
        lsoa21={code: new for code, (new, _line) in lsoa21.items()} if lsoa21 is not None else None,
        year=year,
        tables=list(tables.values()),
    )


UPDATE_FIELDS = [
    "name",
    "name_welsh",
    "level",
    "parent",
    "lad",
    "csp",
    "pfa",
    "population",
    "population_year",
    "population_partial",
    "is_split",
]


def _upsert(
    areas: list[Area],
    *,
    with_lsoa21: bool,
    progress: Progress | None,
    done: int,
    total: int,
    with_ward: bool = False,
) -> int:
    fields = [*UPDATE_FIELDS, *(["lsoa21_code"] if with_lsoa21 else []), *(["ward"] if with_ward else [])]
    for start in range(0, len(areas), WRITE_BATCH):
        batch = areas[start : start + WRITE_BATCH]
        Area.objects.bulk_create(batch, update_conflicts=True, unique_fields=["code"], update_fields=fields)
        done += len(batch)
        if progress:
            progress("Writing areas", done, total)
    return done


def _ids(level: str) -> dict[str, int]:
    return dict(Area.objects.filter(level=level).values_list("code", "pk"))


def import_areas(
    directory: Path, *, actor_email: str = "", progress: Progress | None = None
) -> AreaImportResult:
    """Check every file, then create or update every area in one transaction (see the module docstring)."""
    started = time.monotonic()
    started_at = timezone.now()
    directory = Path(directory)
    plan = _check(directory, progress)

    # Populations: LSOA from the file; LAD, CSP and PFA summed from their LSOAs.
    lad_pop: dict[str, int] = dict.fromkeys(plan.lads, 0)
    csp_pop: dict[str, int] = {}
    pfa_pop: dict[str, int] = {}
    for code, (_name, lad) in plan.lsoas.items():
        count = plan.population[code]
        lad_pop[lad] += count
        _lad_name, csps, pfa = plan.lads[lad]
        if len(csps) == 1:
            csp_pop[csps[0]] = csp_pop.get(csps[0], 0) + count
        if pfa is not None:
            pfa_pop[pfa] = pfa_pop.get(pfa, 0) + count
    split = {code: lad for code, lad in plan.lads.items() if len(lad[1]) > 1}
    partial_csps = {csp for _name, csps, _pfa in split.values() for csp in csps}
    partial_pfas = {plan.csps[csp][2] for lad in split.values() if lad[2] is None for csp in lad[1]}
    total_population = sum(plan.population[code] for code in plan.lsoas)
    year = plan.year
    with_lsoa21 = plan.lsoa21 is not None
    wards = plan.wards or {}
    ward_pop: dict[str, int] = dict.fromkeys(wards, 0)
    for code, ward in plan.lsoa_ward.items():
        ward_pop[ward] += plan.population[code]
    total = len(plan.pfas) + len(plan.csps) + len(plan.lads) + len(wards) + len(plan.lsoas)

    with transaction.atomic():
        done = _upsert(
            [
                Area(
                    code=code,
                    name=name,
                    level=AreaLevel.PFA,
                    population=pfa_pop.get(code, 0),
                    population_year=year,
                    population_partial=code in partial_pfas,
                )
                for code, name in plan.pfas.items()
            ],
            with_lsoa21=False,
            progress=progress,
            done=0,
            total=total,
        )
        pfa_ids = _ids(AreaLevel.PFA)
        csp_areas = []
        for code, (name, welsh, pfa) in plan.csps.items():
            partial = code in partial_csps
            csp_areas.append(
                Area(
                    code=code,
                    name=name,
                    name_welsh=welsh,
                    level=AreaLevel.CSP,
                    parent_id=pfa_ids[pfa],
                    pfa_id=pfa_ids[pfa],
                    # A CSP made up only of split districts has no population we can attribute: unknown, not 0.
                    population=csp_pop.get(code, None if partial else 0),
                    population_year=year,
                    population_partial=partial,
                )
            )
        done = _upsert(csp_areas, with_lsoa21=False, progress=progress, done=done, total=total)
        csp_ids = _ids(AreaLevel.CSP)
        lad_areas = []
        for code, (name, csps, pfa) in plan.lads.items():
            csp_id = csp_ids[csps[0]] if len(csps) == 1 else None
            lad_areas.append(
                Area(
                    code=code,
                    name=name,
                    level=AreaLevel.LAD,
                    parent_id=csp_id,
                    csp_id=csp_id,
                    pfa_id=pfa_ids[pfa] if pfa else None,
                    population=lad_pop[code],
                    population_year=year,
                    is_split=len(csps) > 1,
                )
            )
        done = _upsert(lad_areas, with_lsoa21=False, progress=progress, done=done, total=total)
        lad_areas_by_code = {area.code: area for area in lad_areas}
        lad_ids = _ids(AreaLevel.LAD)
        ward_areas = []
        for code, (name, lad) in wards.items():
            lad_area = lad_areas_by_code[lad]
            ward_areas.append(
                Area(
                    code=code,
                    name=name,
                    level=AreaLevel.WARD,
                    parent_id=lad_ids[lad],
                    lad_id=lad_ids[lad],
                    csp_id=lad_area.csp_id,
                    pfa_id=lad_area.pfa_id,
                    population=ward_pop[code],
                    population_year=year,
                )
            )
        done = _upsert(ward_areas, with_lsoa21=False, progress=progress, done=done, total=total)
        ward_ids = _ids(AreaLevel.WARD) if wards else {}
        lsoa_areas = []
        for code, (name, lad) in plan.lsoas.items():
            _lad_name, csps, pfa = plan.lads[lad]
            csp_id = csp_ids[csps[0]] if len(csps) == 1 else None
            lsoa_areas.append(
                Area(
                    code=code,
                    name=name,
                    level=AreaLevel.LSOA,
                    parent_id=lad_ids[lad],
                    lad_id=lad_ids[lad],
                    csp_id=csp_id,
                    pfa_id=pfa_ids[pfa] if pfa else None,
                    population=plan.population[code],
                    population_year=year,
                    lsoa21_code=(plan.lsoa21 or {}).get(code, ""),
                    ward_id=ward_ids.get(plan.lsoa_ward.get(code, "")),
                )
            )
        _upsert(
            lsoa_areas,
            with_lsoa21=with_lsoa21,
            with_ward=plan.wards is not None,
            progress=progress,
            done=done,
            total=total,
        )

        through: Any = Area.split_csps.through
        through.objects.filter(from_area_id__in=list(lad_ids.values())).delete()
        through.objects.bulk_create(
            [
                through(from_area_id=lad_ids[code], to_area_id=csp_ids[csp])
                for code, (_name, csps, _pfa) in split.items()
                for csp in csps
            ]
        )

        split_lads = [
            SplitDistrict(code, name, [(csp, plan.csps[csp][0]) for csp in csps], pfa)
            for code, (name, csps, pfa) in split.items()
        ]
        result = AreaImportResult(
            pfas=len(plan.pfas),
            csps=len(plan.csps),
            lads=len(plan.lads),
            lsoas=len(plan.lsoas),
            population=total_population,
            population_year=year,
            split_lads=split_lads,
            lsoa21_codes=sum(1 for code in plan.lsoas if code in plan.lsoa21)
            if plan.lsoa21 is not None
            else None,
            wards=len(wards) if plan.wards is not None else None,
        )
        record = ReferenceImport.objects.create(
            kind="areas",
            source=str(directory),
            files=[{"name": t.name, "sha256": t.sha256, "rows": len(t.rows)} for t in plan.tables],
            counts={
                **result.counts,
                "population": total_population,
                "population_year": year,
                "split_lads": [split.code for split in split_lads],
                **({"lsoa21_codes": result.lsoa21_codes} if result.lsoa21_codes is not None else {}),
            },
            imported_by=actor_email,
            started_at=started_at,
            finished_at=timezone.now(),
        )
        result.reference_import_id = record.pk
        record_event(
            EventType.DATA_IMPORTED,
            obj=record,
            detail={"email": actor_email, "kind": "areas", "counts": record.counts, "files": record.files},
        )
    result.seconds = time.monotonic() - started
    return result
