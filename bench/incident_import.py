"""Time the incident CSV import at its documented maximum (2,000 rows): the part done in the web request
(strict reading, queuing the job) and the part the task worker does (checking and recording every row).

    .venv/bin/python bench/incident_import.py [--rows 2000] [--repeat 1]

It builds a throw-away test database (in-memory SQLite, or a test database beside DATABASE_URL's
PostgreSQL one) with the test suite's small area tree, one police organisation and one practitioner.
Rows are realistic: 400 informants reporting from 300 places about 300 m apart over a week, so
repeat-victim and repeat-location matching and case link suggestions do real work.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def build_csv(rows: int) -> bytes:
    from joinedup.casework.imports.services import TEMPLATE_HEADER

    rng = random.Random(13)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TEMPLATE_HEADER)
    writer.writeheader()
    now = timezone.now()
    for n in range(rows):
        person = rng.randrange(400)
        place = rng.randrange(300)
        writer.writerow(
            {
                "received_at": (now - timedelta(minutes=5 * (rows - n) + 60)).strftime("%Y-%m-%d %H:%M"),
                "category": rng.choice(
                    ["asb/nuisance/noise", "asb/personal/intimidation", "asb/environmental/fly-tipping"]
                ),
                "address": f"{place} Example Street",
                "postcode": "NE1 4ST",
                # a grid of places about 300 m apart
                "latitude": f"{54.95 + (place % 20) * 0.003:.6f}",
                "longitude": f"{-1.70 + (place // 20) * 0.005:.6f}",
                "area": "E01900001" if place % 2 else "E01900002",
                "description": f"Report {n}: " + "loud music and shouting late at night. " * 5,
                "informant_name": f"Resident {person}",
                "informant_date_of_birth": f"19{50 + person % 40}-0{1 + person % 9}-1{person % 9}",
                "informant_phone": f"07700 9{person:05d}",
                "informant_anonymous": "no",
                "preferred_contact": "phone",
                "vulnerability_indicators": "age" if person % 7 == 0 else "",
                "perpetrators": f"Person {rng.randrange(200)} (2001-05-06)",
                "case": "",
            }
        )
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    setup_test_environment()
    started = time.monotonic()
    old_name = connection.creation.create_test_db(verbosity=0)
    print(f"test database ready in {time.monotonic() - started:.0f} s ({connection.vendor})")
    try:
        run(args.rows, args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(rows: int, repeat: int) -> None:
    from joinedup.casework.imports.services import run_import_job, start_import
    from joinedup.casework.models import Incident
    from joinedup.core.csvfile import read_csv
    from joinedup.core.models import ImportJob, Organisation, Sector
    from joinedup.core.roles import Role
    from joinedup.core.tests.factories import UserFactory, area_tree

    area_tree()
    police = Organisation.objects.create(name="Benchshire Police", sector=Sector.POLICE_FORCE)
    user = UserFactory(role=Role.PRACTITIONER, organisation=police, email="bench@example.org")
    data = build_csv(rows)
    print(f"{rows:,} rows, {len(data) / 1024 / 1024:.2f} MB")
    reading, request, worker = [], [], []
    for _ in range(repeat):
        Incident.objects.all().delete()
        t0, c0 = time.monotonic(), time.process_time()
        read_csv(data, file="bench.csv")
        reading.append((time.monotonic() - t0, time.process_time() - c0))
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
            t0, c0 = time.monotonic(), time.process_time()
            job = start_import(actor=user, file=io.BytesIO(data), file_name="bench.csv")
            request.append((time.monotonic() - t0, time.process_time() - c0))
        assert isinstance(job, ImportJob), job
        t0, c0 = time.monotonic(), time.process_time()
        run_import_job(job.pk)
        worker.append((time.monotonic() - t0, time.process_time() - c0))
        job.refresh_from_db()
        assert job.status == "succeeded", (job.error, (job.result or {}).get("errors", [])[:3])
        assert Incident.objects.count() == rows
    load = os.getloadavg()
    print(f"load average {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}; {os.cpu_count()} cores")
    for label, times in (
        ("strict reading alone", reading),
        ("in the request (read, queue the job)", request),
        ("on the worker (check and record every row)", worker),
    ):
        wall = statistics.median(t for t, _ in times)
        cpu = statistics.median(c for _, c in times)
        print(f"{label}: wall {wall:.2f} s, CPU {cpu:.2f} s ({wall / rows * 1000:.1f} ms a row)")


if __name__ == "__main__":
    main()
