"""'Your work' and search at casework scale (issue 16), on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres workqueue_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/workqueue_bench \\
        .venv/bin/python bench/workqueue_speed.py [--incidents 1000000] [--cases 200000] [--runs 50] [--reuse]

Loads the same data as bench/casework_pages.py (its generator: a force area of 20 CSPs, 60 organisations,
cases, incidents and actions; `--reuse` times an earlier load), then times, with Django's test Client
signed in, the staff home page (which opens on the person's work), the full "Your work" page and the
search (a case reference, a word), for the force-wide police practitioner and one CSP's council
practitioner, with the number of SQL queries of each. Never point it at a database named test*.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/workqueue_bench"


def _casework_bench() -> Any:
    spec = importlib.util.spec_from_file_location("casework_pages", HERE / "casework_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true", help="Time the data an earlier run left in the database."
    )
    args = parser.parse_args()
    bench = _casework_bench()
    bench._setup(os.environ.get("DATABASE_URL", DEFAULT_URL))

    from unittest import mock

    from django.core.management import call_command
    from django.test import Client

    from joinedup.casework.models import Case, Incident
    from joinedup.core.models import User

    call_command("migrate", verbosity=0)
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    if not args.reuse:
        if Incident.objects.exists():
            raise SystemExit("The database already has incidents: use --reuse, or an empty database.")
        started = time.perf_counter()
        bench._generate(args.incidents, args.cases)
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    print(f"incidents {Incident.objects.count():,}, cases {Case.objects.count():,}", flush=True)

    police = User.objects.get(email="bench.police@example.org")
    council = User.objects.get(email="bench.council@example.org")
    # Every role is scoped to its force area (docs/adr/0028): the police work for Benchshire, the council
    # for its CSP (set here too, for a database loaded before the generator did it).
    from joinedup.core.models import Area

    police.areas.set([Area.objects.get(code="E23999999")])
    council.areas.set([Area.objects.get(code="E22999000")])
    reference = Case.objects.filter(status="open").order_by("-pk").first()
    assert reference is not None
    results = []
    with mock.patch("django.utils.timezone.now", return_value=bench.NOW):
        for label, user, url in (
            ("home page (your work), council of one CSP", council, "/staff/"),
            ("home page (your work), force-wide police", police, "/staff/"),
            ("your work page, force-wide police", police, "/staff/your-work/"),
            ("search a case reference, police", police, f"/staff/search/?q={reference.reference}"),
            ("search a word, council", council, "/staff/search/?q=council"),
        ):
            client = Client()
            client.force_login(user)
            fn = bench._page(client, url)
            queries = bench._queries(fn)
            timing = bench._time(fn, args.runs, args.warmup)
            results.append((label, queries, timing))
            print(label, queries, timing, flush=True)
    print("\n| measured | SQL queries | p50 ms | p95 ms | min-max ms |\n|---|---|---|---|---|")
    for label, queries, t in results:
        print(
            f"| {label} | {queries} | {t['p50']:.1f} | **{t['p95']:.1f}** | {t['min']:.0f}-{t['max']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
