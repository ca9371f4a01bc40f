"""Funding (issue 5): the moderation view of a large round, and the 360Giving export of many grants.

    createdb -h 127.0.0.1 -U postgres bench_funding
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_funding \\
        .venv/bin/python bench/funding_speed.py [--applications 2000] [--members 5] [--criteria 6] \\
        [--grants 50000] [--runs 100] [--export-runs 5] [--reuse]
    dropdb -h 127.0.0.1 -U postgres bench_funding

Settings `joinedup.config.settings.local`, a throwaway JOINEDUP_DATA_DIR under /tmp. The database must be
empty (or use --reuse): the script migrates it and bulk-creates one round with --applications eligible
applications, each assigned to --members panel members who all scored every one of --criteria criteria
(one conflict of interest on every 50th application, whose declarer did not score it), and a second
round with --grants approved applications and their awards. It then times the moderation page with the
test Client signed in as the OPCC administrator (warm-up first, then --runs requests), and the 360Giving
JSON package and CSV (--export-runs each, reading the whole body). Never point it at a database whose
name starts with "test".
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_funding"
BATCH = 5000


def _setup(database_url: str) -> None:
    name = urlparse(database_url).path.lstrip("/")
    if not database_url.startswith(("postgres://", "postgresql://")) or name.lower().startswith("test"):
        raise SystemExit(f"refusing to use {database_url!r}: a PostgreSQL database not named test*")
    sys.path.insert(0, str(REPO / "src"))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("JOINEDUP_DATA_DIR", tempfile.mkdtemp(prefix="joinedup-bench-funding-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "joinedup.config.settings.local"
    import django

    django.setup()


def _generate(n_applications: int, n_members: int, n_criteria: int, n_grants: int) -> dict[str, Any]:
    from django.db import transaction

    from joinedup.core.models import User
    from joinedup.core.roles import Role
    from joinedup.funding.models import (
        Application,
        ApplicationStatus,
        Award,
        ConflictDeclaration,
        Criterion,
        DistributionModel,
        Fund,
        FundSource,
        GrantRound,
        PanelAssignment,
        RoundStatus,
        Score,
    )

    with transaction.atomic():
        admin = User.objects.create_user(
            "bench.admin@example.org", "bench-password", full_name="Bench Admin", role=Role.OPCC_ADMIN
        )
        members = [
            User.objects.create_user(
                f"bench.panel{i}@example.org",
                "bench-password",
                full_name=f"Panel {i}",
                role=Role.PRACTITIONER,
            )
            for i in range(n_members)
        ]
        fund = Fund.objects.create(
            name="Bench Community Safety Fund",
            source=FundSource.COMMUNITY_SAFETY,
            distribution_model=DistributionModel.OPEN_ROUNDS,
            max_award=Decimal("5000.00"),
        )
        big = GrantRound.objects.create(
            fund=fund,
            name="Bench round",
            opens_on=datetime.date(2026, 4, 1),
            closes_on=datetime.date(2026, 5, 31),
            budget=Decimal("1000000.00"),
            max_score=5,
            status=RoundStatus.CLOSED,
        )
        criteria = Criterion.objects.bulk_create(
            Criterion(round=big, name=f"Criterion {c + 1}", weight=1 + c % 3, position=c)
            for c in range(n_criteria)
        )
        applications = Application.objects.bulk_create(
            (
                Application(
                    round=big,
                    organisation_name=f"Organisation {i:05d}",
                    charity_number=f"{1000000 + i}",
                    project_title=f"Project {i:05d}",
                    project_description="A project for young people at risk of exploitation.",
                    amount_requested=Decimal(500 + (i * 37) % 4500),
                    status=ApplicationStatus.ELIGIBLE,
                )
                for i in range(n_applications)
            ),
            batch_size=BATCH,
        )
        PanelAssignment.objects.bulk_create(
            (PanelAssignment(application=a, member=m) for a in applications for m in members),
            batch_size=BATCH,
        )
        conflicted = {a.pk: members[i % n_members] for i, a in enumerate(applications) if i % 50 == 0}
        ConflictDeclaration.objects.bulk_create(
            ConflictDeclaration(application_id=pk, member=m, reason="Trustee") for pk, m in conflicted.items()
        )
        Score.objects.bulk_create(
            (
                Score(application=a, criterion=c, member=m, value=(a.pk * 7 + c.pk * 3 + k) % 6, comment="")
                for a in applications
                for k, m in enumerate(members)
                if conflicted.get(a.pk) != m
                for c in criteria
            ),
            batch_size=BATCH,
        )
        archive = GrantRound.objects.create(
            fund=fund,
            name="Bench archive",
            opens_on=datetime.date(2020, 4, 1),
            closes_on=datetime.date(2020, 5, 31),
            budget=Decimal("500000000.00"),
            status=RoundStatus.DECIDED,
        )
        for start in range(0, n_grants, BATCH):
            stop = min(start + BATCH, n_grants)
            approved = Application.objects.bulk_create(
                Application(
                    round=archive,
                    organisation_name=f"Recipient {i:05d}",
                    charity_number=f"{2000000 + i}" if i % 3 else "",
                    company_number=f"{i:08d}" if i % 3 == 0 else "",
                    project_title=f"Grant {i:05d}",
                    project_description="Diversionary activities, mentoring and outreach.",
                    amount_requested=Decimal("1234.56"),
                    status=ApplicationStatus.APPROVED,
                )
                for i in range(start, stop)
            )
            Award.objects.bulk_create(
                Award(
                    application=a,
                    fund=fund,
                    recipient_name=a.organisation_name,
                    charity_number=a.charity_number,
                    company_number=a.company_number,
                    title=a.project_title,
                    description=a.project_description,
                    amount=Decimal(1000 + (a.pk % 4000)) + Decimal("0.50") * (a.pk % 2),
                    awarded_on=datetime.date(2020, 6, 1) + datetime.timedelta(days=a.pk % 1500),
                )
                for a in approved
            )
    return {"user": admin, "round": big.pk}


def _existing() -> dict[str, Any]:
    from joinedup.core.models import User
    from joinedup.funding.models import GrantRound

    return {
        "user": User.objects.get(email="bench.admin@example.org"),
        "round": GrantRound.objects.get(name="Bench round").pk,
    }


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _time(client: Any, url: str, runs: int, warmup: int) -> dict[str, Any]:
    from django.db import connection

    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        _body(response)
    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        body = _body(client.get(url))
    times = []
    cpu = []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        body = _body(response)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    times.sort()
    cpu.sort()
    return {
        "queries": counter.count,
        "sql_ms": counter.seconds * 1000,
        "bytes": len(body),
        "body": body,
        "p50": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
        "min": times[0],
        "max": times[-1],
        # CPU time of this (Django) process only: less disturbed by other work on the machine than wall time.
        "cpu_p50": statistics.median(cpu),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--criteria", type=int, default=6)
    parser.add_argument("--grants", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--export-runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="Time the data an earlier run left.")
    parser.add_argument("--no-migrate", action="store_true", help="Skip migrate and collectstatic.")
    args = parser.parse_args()
    _setup(os.environ.get("DATABASE_URL", DEFAULT_URL))

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from joinedup.funding.models import Award, Score

    started = time.perf_counter()
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        print(f"migrate + collectstatic {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    if args.reuse:
        made = _existing()
    elif Award.objects.exists():
        raise SystemExit("the benchmark database is not empty; use --reuse, or drop and create it again")
    else:
        made = _generate(args.applications, args.members, args.criteria, args.grants)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0]
    print(
        f"{'found' if args.reuse else 'generated'} in {time.perf_counter() - started:.1f} s: "
        f"{Score.objects.count():,} scores, {Award.objects.count():,} awards"
    )
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kib = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    print(f"machine: nproc {os.cpu_count()}, {mem_kib / 1024 / 1024:.1f} GiB RAM, load {os.getloadavg()}")
    print(pg_version)

    client = Client(HTTP_HOST="localhost")
    client.force_login(made["user"])
    print(
        "| what | SQL queries | SQL ms (one request) | p50 ms | p95 ms | min-max ms | Python CPU p50 ms "
        "| size KiB | runs |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    url = reverse("funding:round-moderation", args=[made["round"]])
    r = _time(client, url, args.runs, args.warmup)
    print(
        f"| moderation view | {r['queries']} | {r['sql_ms']:.1f} | {r['p50']:.1f} | **{r['p95']:.1f}** | "
        f"{r['min']:.0f}-{r['max']:.0f} | {r['cpu_p50']:.0f} | {r['bytes'] / 1024:.0f} | {args.runs} |"
    )
    for label, name in (("360Giving JSON", "grants-json"), ("360Giving CSV", "grants-csv")):
        r = _time(client, reverse(f"public-funding:{name}"), args.export_runs, 1)
        grants = len(json.loads(r["body"])["grants"]) if name == "grants-json" else r["body"].count(b"\n") - 1
        print(
            f"| {label} ({grants:,} grants) | {r['queries']} | {r['sql_ms']:.1f} | {r['p50']:.1f} | "
            f"**{r['max']:.1f}** (max) | {r['min']:.0f}-{r['max']:.0f} | {r['cpu_p50']:.0f} | "
            f"{r['bytes'] / 1024:.0f} | "
            f"{args.export_runs} |"
        )
    print(f"load after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
