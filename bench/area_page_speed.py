"""Your area page at national scale (issue 19): the public area page's p50/p95/max, cold and warm.

    .venv/bin/python bench/area_page_speed.py /tmp/bench-area-national \\
        [--reuse] [--forces 8] [--per-level 16] [--warm-runs 5] [--profile CODE]

Without `--reuse` the data directory must be empty (or not exist): the script builds the national store in
it first with bench/build_national_store.py (the ONS geography, IMD and severity weights, the real
Northumbria download tiled across the 43 force areas: 22.5 M street rows; a few minutes). `--reuse` times
a data directory that script (or an earlier run) left. Keep it outside the repository and delete it after.

Settings `joinedup.config.settings.local` on the data directory's SQLite database, requests through
Django's test Client in this one process. It samples `--per-level` force areas, CSPs and districts spread
over `--forces` force areas with data (Northumbria, whose shapes are loaded so its pages draw the map,
and others spread over the list), then for each area:

- cold: the first request after the area's figures were removed from the shared cache, which is what the
  first resident after an import pays (a new generation changes the cache key; the map of districts is
  keyed on the boundaries, which an import leaves alone, so the script draws each area's map once before
  timing anything);
- warm: `--warm-runs` requests after that;
- the downloads (JSON, CSV by type, CSV by month), warm, and the JSON cold.

Before the sample, one area of each level is requested once and reported apart ("first in the process":
templates compiled, the generation's summary read and indexed, the store's partitions listed), and one
request of each of three more areas of each level is timed after dropping the process's per-generation
caches too (what each server process pays once for its first page after a new generation is published). Each request's SQL queries are counted
(the shared cache is in the database, so its reads count). When the insight selectors offer the page's own
figures (`area_overview`), each cold and warm request is also made the old way (the whole assessment, as
before issue 19's change), alternately on the same areas, so both are measured under the same load.
A table splits a cold request's time between its parts (figures, the partners' records, the map, the
template). `--profile CODE` prints a cProfile of one cold request of that area, each way.
Nothing here is real data for any force but Northumbria: it is for measuring speed only.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import random
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
LEVELS = ("pfa", "csp", "lad")
LEVEL_NAMES = {"pfa": "force area", "csp": "CSP", "lad": "district"}
TARGET_MS = 200


def _machine() -> dict[str, str]:
    meminfo = Path("/proc/meminfo").read_text(encoding="ascii").split("\n")
    total_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    return {"nproc": str(os.cpu_count()), "ram": f"{total_kb / 1024 / 1024:.1f} GiB"}


def _load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def _build(out: Path, shared: Path | None) -> None:
    command = [sys.executable, str(HERE / "build_national_store.py"), str(out)]
    if shared is not None:
        command += ["--shared", str(shared)]
    started = time.perf_counter()
    subprocess.run(command, check=True)  # noqa: S603 - this repository's own script
    print(f"store built in {time.perf_counter() - started:.0f} s", flush=True)


def _setup(data_dir: Path) -> None:
    sys.path.insert(0, str(REPO / "src"))
    os.environ["JOINEDUP_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "joinedup.config.settings.local"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ["JOINEDUP_LOG_LEVEL"] = "WARNING"  # not a line a request
    import django

    django.setup()


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "max": ordered[-1], "min": ordered[0]}


class Phases:
    """Time spent in named functions of the page (wrapped in place), per request."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self._patches: list[tuple[Any, str, Any]] = []

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[label] += (time.perf_counter() - started) * 1000

        self._patches.append((owner, name, original))
        setattr(owner, name, timed)

    def take(self) -> dict[str, float]:
        spent, self.spent = dict(self.spent), defaultdict(float)
        return spent


def _clear_figures(code: str | None = None) -> None:
    """Remove the area's (or every area's) cached figures from the shared cache, as a new generation does."""
    from django.conf import settings
    from django.db import connection

    table = settings.CACHES["default"]["LOCATION"]
    pattern = f"%joinedup-your-area:{code}:%" if code else "%joinedup-your-area:%"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE cache_key LIKE %s", [pattern])  # noqa: S608


def _clear_process() -> None:
    """Drop this process's per-generation caches, as a server process finds them after a new publish."""
    from joinedup.insight import coverage, summary

    summary._SUMMARIES.clear()
    summary._PARTITIONS.clear()
    coverage._CACHE.clear()


@contextlib.contextmanager
def _old_way() -> Iterator[None]:
    """The page's figures as before issue 19's change: the whole assessment of the area."""
    from unittest import mock

    from joinedup.insight import selectors

    with mock.patch.object(selectors, "area_overview", selectors.area_assessment):
        yield


def _get(client: Any, url: str) -> tuple[float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # a full log (9,000 queries) would count none
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(captured.captured_queries), response


def _sample(per_level: int, n_forces: int, seed: int) -> tuple[list[Any], list[Any], list[Any]]:
    """(the sample, three spare areas of each level for the process's first requests, the forces used)."""
    from joinedup.core.models import Area
    from joinedup.insight import store, summary

    generation = store.current_path()
    if generation is None:
        raise SystemExit("The data directory's store is empty: build it first (or leave out --reuse).")
    with_data = {code for (column, code) in summary.street_summary(generation).by_area if column == "pfa"}
    forces = list(Area.objects.filter(level="pfa", code__in=with_data).order_by("code"))
    northumbria = next(f for f in forces if f.name == "Northumbria")
    others = [f for f in forces if f.pk != northumbria.pk]
    step = max(1, len(others) // max(1, n_forces - 1))
    chosen = [northumbria, *others[::step][: n_forces - 1]]
    rng = random.Random(seed)
    sample: list[Any] = []
    spares: list[Any] = []
    for level in LEVELS:
        by_force: list[list[Any]] = []
        for force in chosen:
            places = [force] if level == "pfa" else list(Area.objects.filter(level=level, pfa=force))
            rng.shuffle(places)
            by_force.append(places)
        picked: list[Any] = []
        while len(picked) < per_level and any(by_force):
            for places in by_force:
                if places and len(picked) < per_level:
                    picked.append(places.pop())
        sample += picked
        # Three more of the level, not in the sample (force areas from outside the forces sampled).
        left = [f for f in others if f not in chosen] if level == "pfa" else []
        left += [p for places in by_force for p in places]
        spares += left[:3]
    return sample, spares, chosen


def _row(label: str, stats: dict[str, float], queries: list[int], note: str = "") -> str:
    q = f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}-{max(queries)}"
    return (
        f"| {label} | {stats['n']} | {stats['p50']:.0f} | **{stats['p95']:.0f}** | {stats['max']:.0f} | {q} |"
        f" {note} |"
    )


@dataclass
class Results:
    """What one run measured: (seconds in ms, SQL queries) of each request, by (level, way) or kind."""

    ways: list[tuple[str, Callable[[], Any]]]
    first: list[tuple[str, float, int]] = field(default_factory=list)
    new_generation: dict[str, list[tuple[float, int]]] = field(default_factory=lambda: defaultdict(list))
    cold: dict[tuple[str, str], list[tuple[float, int]]] = field(default_factory=lambda: defaultdict(list))
    warm: dict[tuple[str, str], list[tuple[float, int]]] = field(default_factory=lambda: defaultdict(list))
    spent: dict[tuple[str, str], list[dict[str, float]]] = field(default_factory=lambda: defaultdict(list))
    downloads: dict[tuple[str, str], list[tuple[float, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    no_figures: list[str] = field(default_factory=list)  # areas whose page said there was no data

    @property
    def compare(self) -> bool:
        return len(self.ways) > 1

    def label(self, text: str, way: str) -> str:
        return f"{text} ({way})" if self.compare else text


def _phases() -> Phases:
    from joinedup.insight import calculation, summary
    from joinedup.portal import areas, maps, views

    phases = Phases()
    phases.wrap(summary, "street_summary", "generation's summary (read once a process)")
    phases.wrap(summary, "partition_files", "partition listing (once a process)")
    phases.wrap(areas, "_assessment", "figures (cache or assessment)")
    phases.wrap(calculation, "_by_place", "Parquet scan of the area's rows")
    phases.wrap(calculation, "area_profiles", "similar-areas profiles")
    phases.wrap(areas, "around", "partners' records (SQL)")
    phases.wrap(maps, "places_map", "map of districts (cache or drawn)")
    phases.wrap(areas, "months_chart", "chart of months")
    phases.wrap(views, "render", "template")
    return phases


def _first_requests(client: Any, spares: list[Any], results: Results, phases: Phases) -> None:
    for spare in spares[::3]:
        elapsed, queries, _ = _get(client, f"/your-area/{spare.code}/")
        results.first.append(
            (f"first {LEVEL_NAMES[spare.level]} in the process ({spare.name})", elapsed, queries)
        )
    phases.take()
    for index, spare in enumerate(spares):
        for way, context in results.ways if index % 2 else results.ways[::-1]:
            _clear_figures(spare.code)
            _clear_process()
            with context():
                elapsed, queries, _ = _get(client, f"/your-area/{spare.code}/")
            results.new_generation[way].append((elapsed, queries))
            results.spent[("new generation", way)].append(phases.take())


def _profile(client: Any, code: str, results: Results, phases: Phases) -> None:
    for way, context in results.ways:
        _clear_figures(code)
        profiler = cProfile.Profile()
        with context():
            profiler.enable()
            elapsed, queries, _ = _get(client, f"/your-area/{code}/")
            profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(r"joinedup/(portal|insight)|shortcuts|sql/compiler", 24)
        stats.sort_stats("tottime").print_stats(12)
        lines = [line.replace(str(REPO), ".") for line in out.getvalue().splitlines() if line.strip()]
        print(f"\nProfile of one cold request of {code} ({way}): {elapsed:.0f} ms, {queries} queries")
        print("```\n" + "\n".join(lines) + "\n```", flush=True)
        phases.take()


def _measure(client: Any, sample: list[Any], warm_runs: int, results: Results, phases: Phases) -> None:
    started = time.perf_counter()
    for index, area in enumerate(sample, 1):
        page = f"/your-area/{area.code}/"
        # The ways take turns at going first, so neither always finds the other's files in the OS cache.
        ways = results.ways if index % 2 else results.ways[::-1]
        for way, context in ways:
            with context():
                _clear_figures(area.code)
                results.cold[(area.level, way)].append(_get(client, page)[:2])
                results.spent[(area.level, way)].append(phases.take())
                for _ in range(warm_runs):
                    results.warm[(area.level, way)].append(_get(client, page)[:2])
                phases.take()
        for fmt in ("json", "csv", "by-month.csv"):
            url = f"/your-area/{area.code}/crime.{fmt}"
            results.downloads[(area.level, fmt)].append(_get(client, url)[:2])
        _clear_figures(area.code)
        elapsed, queries, response = _get(client, f"/your-area/{area.code}/crime.json")
        results.downloads[(area.level, "json cold")].append((elapsed, queries))
        if response.json()["no_data_reason"]:
            results.no_figures.append(area.code)
        phases.take()
        if index % 8 == 0:
            print(f"  {index}/{len(sample)} areas, {time.perf_counter() - started:.0f} s", flush=True)


def _print_pages(results: Results) -> None:
    print("\n| request | n | p50 ms | p95 ms | max ms | SQL queries | |\n|---|---|---|---|---|---|---|")
    for label, elapsed, queries in results.first:
        print(f"| {label} | 1 | {elapsed:.0f} | | {elapsed:.0f} | {queries} | |")
    for way, _ in results.ways:
        measured = results.new_generation[way]
        label = results.label("cold, first after a new generation in the process", way)
        print(_row(label, _percentiles([t for t, _q in measured]), [q for _t, q in measured]))
    for level in LEVELS:
        for way, _ in results.ways:
            for phase, found in (("cold", results.cold), ("warm", results.warm)):
                measured = found[(level, way)]
                stats = _percentiles([t for t, _q in measured])
                verdict = f"target {TARGET_MS} ms: " + ("met" if stats["p95"] <= TARGET_MS else "not met")
                label = results.label(f"{LEVEL_NAMES[level]}, {phase}", way)
                print(_row(label, stats, [q for _t, q in measured], verdict))
    for phase, found in (("cold", results.cold), ("warm", results.warm)):
        for way, _ in results.ways:
            measured = [m for level in LEVELS for m in found[(level, way)]]
            label = results.label(f"**all levels, {phase}**", way)
            print(_row(label, _percentiles([t for t, _q in measured]), [q for _t, q in measured]))


def _print_downloads(results: Results) -> None:
    print("\nDownloads (warm: after the page; cold: the JSON after the area's figures were cleared):\n")
    print("| download | n | p50 ms | p95 ms | max ms | SQL queries | |\n|---|---|---|---|---|---|---|")
    for level in LEVELS:
        for fmt in ("json", "csv", "by-month.csv", "json cold"):
            measured = results.downloads[(level, fmt)]
            label = f"{LEVEL_NAMES[level]}, crime.{fmt}"
            print(_row(label, _percentiles([t for t, _ in measured]), [q for _, q in measured]))


def _print_phases(results: Results) -> None:
    print("\nWhere a cold request's time goes (mean ms a request; the scan and the profiles are inside the")
    print("figures; the map and the chart are outside the template):\n")
    labels = sorted({label for runs in results.spent.values() for one in runs for label in one})
    columns = [(level, way) for level in (*LEVELS, "new generation") for way, _ in results.ways]
    names = {**LEVEL_NAMES, "new generation": "first after a new generation"}
    titles = " | ".join(results.label(names[level], way) for level, way in columns)
    print(f"| part | {titles} |\n|---|" + "---|" * len(columns))
    for label in labels:
        cells = []
        for key in columns:
            runs = results.spent[key]
            cells.append(f"{sum(one.get(label, 0.0) for one in runs) / max(1, len(runs)):.1f}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    cold = {**results.cold, **{("new generation", w): m for w, m in results.new_generation.items()}}
    cells = [f"{sum(t for t, _q in cold[key]) / max(1, len(cold[key])):.1f}" for key in columns]
    print("| whole request | " + " | ".join(cells) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="Data directory (outside the repository).")
    parser.add_argument("--reuse", action="store_true", help="Time a data directory built before.")
    parser.add_argument("--shared", type=Path, default=None, help="Shared data for the build.")
    parser.add_argument("--forces", type=int, default=8, help="Force areas to sample from (default 8).")
    parser.add_argument("--per-level", type=int, default=16, help="Areas of each level (default 16).")
    parser.add_argument("--warm-runs", type=int, default=5, help="Warm requests per area (default 5).")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--profile", metavar="CODE", help="Profile one cold request of this area.")
    args = parser.parse_args()
    data_dir: Path = args.data_dir.resolve()
    if REPO in data_dir.parents or data_dir == REPO:
        parser.error("keep the data directory outside the repository")
    if not args.reuse:
        if data_dir.exists() and any(data_dir.iterdir()):
            parser.error(f"{data_dir} is not empty: use --reuse to time it, or give an empty directory")
        _build(data_dir, args.shared)
    elif not (data_dir / "joinedup.sqlite3").is_file():
        parser.error(f"{data_dir} has no database: leave out --reuse to build the store there")
    machine = _machine()
    load_before = _load()
    _setup(data_dir)

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from joinedup.insight import selectors, store

    call_command("migrate", verbosity=0)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    generation = store.current_path()
    assert generation is not None
    partitions = store.partitions(generation, "street")
    sample, spares, forces = _sample(args.per_level, args.forces, args.seed)
    ways: list[tuple[str, Callable[[], Any]]] = [("now", contextlib.nullcontext)]
    if hasattr(selectors, "area_overview"):
        ways.append(("before", _old_way))
    results = Results(ways)
    counts = ", ".join(f"{sum(a.level == level for a in sample)} {LEVEL_NAMES[level]}s" for level in LEVELS)
    print(
        f"Store {generation.name}: {len(partitions):,} street partitions, "
        f"{len({f for f, _ in partitions}):,} forces, {len({m for _, m in partitions}):,} months. "
        f"Sample: {counts} over {', '.join(f.name for f in forces)}. "
        f"Compared with the old way: {results.compare}.",
        flush=True,
    )
    phases = _phases()
    client = Client()
    from joinedup.portal import maps

    for area in [*spares, *sample]:  # drawn before an import, and kept: a map is keyed on the boundaries
        maps.places_map(area)
    started = time.perf_counter()
    _first_requests(client, spares, results, phases)
    if args.profile:
        _profile(client, args.profile.upper(), results, phases)
    _measure(client, sample, args.warm_runs, results, phases)
    print(
        f"\nMachine: nproc {machine['nproc']}, {machine['ram']} RAM; load average (1/5/15 min) "
        f"{load_before} before, {_load()} after; {time.perf_counter() - started:.0f} s of requests."
    )
    if results.no_figures:  # such a page skips the work: its times would flatter the store
        print(f"\n**{len(results.no_figures)} areas had no figures:** {', '.join(results.no_figures)}")
    else:
        print("\nEvery area sampled had figures.")
    _print_pages(results)
    _print_downloads(results)
    _print_phases(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
