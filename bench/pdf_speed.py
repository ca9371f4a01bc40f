"""PDF speed: the strategic assessment document of one CSP, against the document as it was rendered before.

    .venv/bin/python bench/pdf_speed.py DATA_DIR [--area CODE] [--from 2022-03] [--to 2023-02] [--runs 5]

DATA_DIR is a data directory with the reference geography and LSOA boundaries (`joinedup areas import`)
and the Northumbria download imported (`./run` leaves one in ./var). Times, in one process after a warm-up:

- baseline: the document as before: an untagged PDF with every LSOA drawn as its own map shape and
  every LSOA's row in the LSOA table (the same template otherwise);
- render: the document as the staff site renders it now (tagged PDF/UA-1, the map one shape per class,
  the table of the 30 highest LSOA rates);
- saved: the download of a saved assessment, as the staff site serves it: rendered once per version of
  the record, then sent from the kept file (the first call renders, the median is of the later calls).

Each is the median of `--runs` runs, wall clock and CPU time, with the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def timed(runs: int, work: Callable[[], Any]) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--area", default="E22000245", help="Default: Newcastle upon Tyne CSP.")
    parser.add_argument("--from", dest="first", default="2022-03")
    parser.add_argument("--to", dest="last", default="2023-02")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    os.environ["JOINEDUP_DATA_DIR"] = str(args.data_dir.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "joinedup.config.settings.local"
    import django

    django.setup()
    import logging

    from django.db import transaction
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from joinedup.core.models import Area
    from joinedup.core.pdf import render_pdf
    from joinedup.insight.calculation import assess
    from joinedup.insight.documents import PRINT_TEMPLATE, lsoa_rows, outputs, print_context, saved_document
    from joinedup.insight.models import SavedAssessment

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    result = assess(args.area, args.first, args.last)
    context = print_context(result, record=None)
    before = {**context, **outputs(result, for_print=False), "lsoa_rows": lsoa_rows(result, limit=10**6)}
    old_html = render_to_string(PRINT_TEMPLATE, before)

    def baseline() -> bytes:
        return bytes(HTML(string=old_html).write_pdf())

    def render() -> bytes:
        return render_pdf(PRINT_TEMPLATE, print_context(result, record=None))

    baseline()
    render()  # warm: fonts, WeasyPrint's first document
    pages = len(render().split(b"/Type /Page\n")) - 1 or "?"
    base_wall, base_cpu = timed(args.runs, baseline)
    new_wall, new_cpu = timed(args.runs, render)

    with transaction.atomic():  # a saved assessment for the benchmark only, rolled back at the end
        record = SavedAssessment.objects.create(
            area=Area.objects.get(code=args.area),
            from_month=result["from"],
            to_month=result["to"],
            title="Benchmark assessment",
            edition=999,
            results=result,
        )
        first_wall, first_cpu = timed(1, lambda: saved_document(record))
        kept_wall, kept_cpu = timed(args.runs, lambda: saved_document(record))
        transaction.set_rollback(True)
    for path in (Path(args.data_dir) / "insight" / "documents").glob(f"assessment-{record.pk}-*.pdf"):
        path.unlink()

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"{result['area']['name']} ({args.area}), {result['from']}..{result['to']}; nproc {os.cpu_count()}")
    print(f"baseline (before): wall {base_wall:.2f} s, CPU {base_cpu:.2f} s")
    print(
        f"render (now, {pages} pages): wall {new_wall:.2f} s, CPU {new_cpu:.2f} s; "
        f"{new_wall / base_wall:.2f} x baseline wall, {new_cpu / base_cpu:.2f} x CPU"
    )
    print(f"saved, first download: wall {first_wall:.2f} s, CPU {first_cpu:.2f} s")
    print(f"saved, later downloads: wall {kept_wall * 1000:.1f} ms, CPU {kept_cpu * 1000:.1f} ms")
    print(f"load average {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
