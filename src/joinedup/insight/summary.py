"""A per-generation summary of the street data, so an assessment reads only the partitions it needs.

A store generation never changes once it is current (insight.store), so what is derived from it can be
kept beside it for as long as it lives:

- the partition listing (which force-months exist, and their files), cached in the process;
- `summaries/<generation>.parquet`: street rows counted by force, month, force area, CSP, district and
  crime type (about 140,000 rows for 22.5 million street rows). It answers the monthly series, the
  comparison with the force area and similar areas, and which forces' partitions hold an area's rows,
  without scanning the national store. The import command and the staff site's import task build it
  right after an import (`prepare_current`; 1.3 to 6 s at national scale on two shared cores), so the
  first assessment does not pay for it; otherwise it is built on first use. Written atomically, removed
  with its generation.
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import duckdb
import pyarrow as pa

from joinedup.insight import store

_LOCK = threading.Lock()
_SUMMARIES: dict[str, StreetSummary] = {}
_PARTITIONS: dict[tuple[str, str], dict[tuple[str, str], list[str]]] = {}
HIVE = "hive_partitioning = true, hive_types = {'force': 'VARCHAR', 'month': 'VARCHAR'}"


def summaries_dir() -> Path:
    return store.root() / "summaries"


def partition_files(generation: Path, kind: str) -> dict[tuple[str, str], list[str]]:
    """{(force, month): sorted Parquet files} of one kind in a generation (cached: generations are immutable)."""
    key = (str(generation), kind)
    found = _PARTITIONS.get(key)
    if found is None:
        found = {
            partition: sorted(str(p) for p in directory.glob("*.parquet"))
            for partition, directory in store.partitions(generation, kind).items()
        }
        with _LOCK:
            if len(_PARTITIONS) > 12:
                _PARTITIONS.clear()
            _PARTITIONS[key] = found
    return found


def _build(generation: Path, target: Path) -> None:
    files = [f for paths in partition_files(generation, "street").values() for f in paths]
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    con = duckdb.connect()
    try:
        if files:
            listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            source = f"read_parquet([{listed}], {HIVE})"
        else:
            source = (
                "(SELECT NULL::VARCHAR AS force, NULL::VARCHAR AS month, NULL::VARCHAR AS pfa, "
                "NULL::VARCHAR AS csp, NULL::VARCHAR AS lad, NULL::VARCHAR AS crime_type WHERE false)"
            )
        con.execute(
            f"COPY (SELECT force, month, pfa, csp, lad, crime_type, count(*)::BIGINT AS n FROM {source} "  # noqa: S608
            f"GROUP BY ALL ORDER BY force, month) TO '{staged}' (FORMAT parquet)"
        )
    finally:
        con.close()
    os.replace(staged, target)


class StreetSummary:
    """The summary rows of one generation, indexed by area for lookups that cost microseconds."""

    COLUMNS = ("pfa", "csp", "lad")

    def __init__(self, table: pa.Table) -> None:
        self.rows = table.num_rows
        self.by_area: dict[tuple[str, str], list[tuple[str, str, str, int]]] = {}
        in_pfa: dict[str, dict[str, int]] = {}
        data = table.to_pydict()
        for force, month, pfa, csp, lad, crime_type, n in zip(
            data["force"],
            data["month"],
            data["pfa"],
            data["csp"],
            data["lad"],
            data["crime_type"],
            data["n"],
            strict=True,
        ):
            row = (force, month, crime_type or "", n)
            if pfa:
                per_force = in_pfa.setdefault(force, {})
                per_force[pfa] = per_force.get(pfa, 0) + n
            for column, code in (("pfa", pfa), ("csp", csp), ("lad", lad)):
                if code:
                    self.by_area.setdefault((column, code), []).append(row)

        # The force area most of each force's located rows fall in (ties: the lowest code).
        self.force_pfa: dict[str, str] = {
            force: min(counts, key=lambda code: (-counts[code], code)) for force, counts in in_pfa.items()
        }

    def rows_for(self, column: str, code: str, first: str, last: str) -> list[tuple[str, str, str, int]]:
        """(force, month, crime type, count) of the area's street rows for months first..last."""
        return [row for row in self.by_area.get((column, code), []) if first <= row[1] <= last]


def street_summary(generation: Path) -> StreetSummary:
    """The summary of a generation (built and saved on first use, then kept in the process)."""
    name = generation.name
    table = _SUMMARIES.get(name)
    if table is not None:
        return table
    target = summaries_dir() / f"{name}.parquet"
    if not target.is_file():
        _build(generation, target)
    import pyarrow.parquet as pq

    table = StreetSummary(pq.read_table(target))
    with _LOCK:
        _SUMMARIES.clear()  # one generation is current at a time
        _SUMMARIES[name] = table
    _prune(keep={name, *(p.name for p in store.generations_dir().iterdir() if p.is_dir())})
    return table


def prepare_current() -> bool:
    """Build the current generation's summary now, if there is a generation; True when one was prepared."""
    generation = store.current_path()
    if generation is None:
        return False
    street_summary(generation)
    return True


def _prune(keep: set[str]) -> None:
    base = summaries_dir()
    if not base.is_dir():
        return
    for path in base.glob("*.parquet"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
