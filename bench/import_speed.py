"""Import speed: our importer against a plain pandas read_csv + to_parquet baseline, same files, same run.

    .venv/bin/python bench/import_speed.py /tmp/bench-data [--work /tmp/bench-work] [--forces N]

`/tmp/bench-data` is made by bench/generate_national.py. Each measurement runs in its own child process so
its peak memory (maximum resident set size, which includes DuckDB's native memory) is its own:

- ours: `joinedup.insight.imports.importer.import_police_data` on the street CSVs, into an empty store
  under `<work>/store` (a fresh SQLite database with the ONS geography loaded first; that load is not
  timed). Rows per second = rows read / wall-clock seconds of the import call.
- pandas: for every CSV, `pandas.read_csv(path, dtype=str)` then `DataFrame.to_parquet(...)` (pyarrow,
  snappy), one file at a time. pandas is needed for the baseline only (not a dependency of the service).

`--forces N` uses only the first N forces' files (a smaller run); the default is every file. `--keep` keeps
the store (and its database) in `<work>/store` for bench/assessment_speed.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def select_files(data: Path, forces: int) -> list[Path]:
    files = sorted(data.rglob("*-street.csv"))
    if forces:
        names = sorted({p.name[8:] for p in files})[:forces]
        files = [p for p in files if p.name[8:] in names]
    return files


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process so far (all threads): what the work cost, whatever else ran."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_ours(files: list[Path], work: Path) -> dict[str, float]:
    os.environ["JOINEDUP_DATA_DIR"] = str(work / "store")
    os.environ["DJANGO_SETTINGS_MODULE"] = "joinedup.config.settings.local"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from joinedup.core.services.areas_import import import_areas
    from joinedup.insight.imports.importer import import_police_data

    call_command("migrate", verbosity=0)
    import_areas(Path(settings.SHARED_DATA_DIR))
    before = peak_mib()
    cpu = cpu_seconds()
    started = time.perf_counter()
    result = import_police_data(files, actor_label="benchmark")
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    record = result.record
    return {
        "rows": record.rows_read,
        "accepted": record.rows_accepted,
        "rejected": record.rows_rejected,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mib": peak_mib(),
        "peak_mib_before_import": before,
    }


def run_pandas(files: list[Path], work: Path) -> dict[str, float]:
    import pandas as pd

    out = work / "pandas"
    out.mkdir(parents=True, exist_ok=True)
    rows = 0
    cpu = cpu_seconds()
    started = time.perf_counter()
    for index, path in enumerate(files):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.to_parquet(out / f"{index:05d}.parquet", engine="pyarrow", compression="snappy", index=False)
        rows += len(frame)
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "cpu_seconds": cpu_seconds() - cpu, "peak_mib": peak_mib()}


def child(mode: str, data: Path, work: Path, forces: int) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        str(data),
        "--work",
        str(work),
        "--forces",
        str(forces),
        "--run",
        mode,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-work"))  # noqa: S108
    parser.add_argument("--forces", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="Keep <work>/store for assessment_speed.py.")
    parser.add_argument("--run", choices=["ours", "pandas"], default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    files = select_files(args.data, args.forces)
    if args.run:
        sys.path.insert(0, str(REPO / "src"))
        result = run_ours(files, args.work) if args.run == "ours" else run_pandas(files, args.work)
        print(json.dumps(result))
        return 0

    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    size = sum(p.stat().st_size for p in files)
    print(
        f"{len(files):,} files, {size / 2**30:.2f} GiB; nproc {os.cpu_count()}; "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    results = {}
    for mode in ("pandas", "ours"):
        results[mode] = child(mode, args.data, args.work, args.forces)
        r = results[mode]
        print(
            f"{mode:7s}: {r['rows']:,} rows in {r['seconds']:.1f}s = {r['rows'] / r['seconds']:,.0f} rows/s; "
            f"CPU {r['cpu_seconds']:.1f}s = {r['rows'] / r['cpu_seconds']:,.0f} rows per CPU-second; "
            f"peak RSS {r['peak_mib']:,.0f} MiB; load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    ratio = (results["ours"]["rows"] / results["ours"]["seconds"]) / (
        results["pandas"]["rows"] / results["pandas"]["seconds"]
    )
    print(f"ours / pandas rows per second: {ratio:.2f}x")
    cpu_ratio = (results["ours"]["rows"] / results["ours"]["cpu_seconds"]) / (
        results["pandas"]["rows"] / results["pandas"]["cpu_seconds"]
    )
    print(f"ours / pandas rows per CPU-second: {cpu_ratio:.2f}x")
    print(json.dumps(results))
    shutil.rmtree(args.work / "pandas", ignore_errors=True)
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
