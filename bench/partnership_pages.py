"""Partnership register pages (issue 3): p50/p95 render time and SQL query count in PostgreSQL.

    createdb -h 127.0.0.1 -U postgres bench_partnerships
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_partnerships \\
        .venv/bin/python bench/partnership_pages.py [--partnerships 10000] [--organisations 2000] \\
        [--history 100000] [--runs 200]

Settings `joinedup.config.settings.local`, a throwaway JOINEDUP_DATA_DIR under /tmp (static files are
collected into it, as the manifest storage needs them). The database must be empty: the script migrates it,
bulk-creates the register (partnerships, organisations, members, risks, objectives, declarations, benefits,
assessments, reviews) and the history rows (HistoricalPartnership.objects.bulk_create: one "created" row per
partnership, the rest "changed" rows spread over the partnerships, with a busy partnership holding more than
the 100 entries the page shows), then times each page with Django's test Client signed in (force_login):
warm-up requests first, then --runs timed requests. Queries per page come from CaptureQueriesContext.
Never point it at a database whose name starts with "test".
"""

from __future__ import annotations

import argparse
import datetime
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
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_partnerships"
BATCH = 2000


def _setup(database_url: str) -> None:
    name = urlparse(database_url).path.lstrip("/")
    if not database_url.startswith(("postgres://", "postgresql://")) or name.lower().startswith("test"):
        raise SystemExit(f"refusing to use {database_url!r}: a PostgreSQL database not named test*")
    sys.path.insert(0, str(REPO / "src"))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("JOINEDUP_DATA_DIR", tempfile.mkdtemp(prefix="joinedup-bench-pages-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "joinedup.config.settings.local"
    import django

    django.setup()


def _generate(n_partnerships: int, n_organisations: int, n_history: int, busy_history: int) -> dict[str, Any]:
    """Bulk-create the register. Returns the ids the timed pages use."""
    from django.db import transaction

    from joinedup.core.models import Area, Organisation, Sector
    from joinedup.core.roles import Role
    from joinedup.partnerships.models import (
        AssessmentAnswer,
        BusinessCaseAssessment,
        Declaration,
        DeclarationKind,
        ExpectedBenefit,
        LegalBasis,
        Level,
        MemberRole,
        Membership,
        Partnership,
        PartnershipObjective,
        PartnershipReview,
        Plan,
        PlanPriority,
        Question,
        Rating,
        ReviewAction,
        ReviewDecision,
        Risk,
        Status,
        Visibility,
    )

    HistoricalPartnership = Partnership.history.model
    User = Partnership._meta.get_field("created_by").related_model
    today = datetime.date(2026, 11, 22)
    statuses, levels, bases = Status.values, Level.values, LegalBasis.values
    sectors, roles = Sector.values, MemberRole.values

    with transaction.atomic():
        user = User.objects.create_user(
            "bench.admin@example.org", "bench-password", full_name="Bench Admin", role=Role.OPCC_ADMIN
        )
        pfa = Area.objects.create(code="E23999999", name="Benchshire", level="pfa")
        csps = Area.objects.bulk_create(
            Area(code=f"E22999{i:03d}", name=f"Bench CSP {i}", level="csp", parent=pfa, pfa=pfa)
            for i in range(10)
        )
        orgs = Organisation.objects.bulk_create(
            (
                Organisation(
                    name=f"Organisation {i:05d}", sector=sectors[i % len(sectors)], illustrative=True
                )
                for i in range(n_organisations)
            ),
            batch_size=BATCH,
        )
        plan = Plan.objects.create(
            title="Bench Police and Crime Plan",
            pcc_name="A Commissioner",
            force_area=pfa,
            period_start=datetime.date(2024, 5, 1),
            period_end=datetime.date(2028, 3, 31),
        )
        priorities = PlanPriority.objects.bulk_create(
            PlanPriority(plan=plan, title=title, order=i)
            for i, title in enumerate(("Victims first", "Safer roads", "Fewer repeat offenders"))
        )

        def partnership(i: int) -> Partnership:
            return Partnership(
                name=f"Partnership {i:05d}",
                purpose=f"Joined-up work number {i}: reduce harm and reoffending in the area.",
                scope_in="Adults and young people in the area.",
                scope_out="Casework for individuals.",
                legal_basis=bases[i % len(bases)],
                level=levels[(i // len(statuses)) % len(levels)],
                lead_organisation=orgs[i % len(orgs)],
                governance_body=f"Board {i}",
                governance_chair="The Chief Executive",
                meeting_frequency="Quarterly",
                decision_rights="Budget up to £100,000.",
                accountable_to="The partner organisations and the Police and Crime Panel.",
                exit_triggers="" if i % 7 == 0 else "Purpose met or funding ends.",
                exit_steps="" if i % 7 == 0 else "Six months' notice.",
                exit_cost=Decimal("25000.00"),
                review_cadence_months=12,
                next_review_date=today + datetime.timedelta(days=(i % 730) - 365),
                visibility=Visibility.PUBLIC if i % 2 else Visibility.INTERNAL,
                status=statuses[i % len(statuses)],
                illustrative=True,
                source="bench",
                created_by=user,
                updated_by=user,
            )

        partnerships = Partnership.objects.bulk_create(
            (partnership(i) for i in range(n_partnerships)), batch_size=BATCH
        )
        through = Partnership.areas.through
        through.objects.bulk_create(
            (
                row
                for i, p in enumerate(partnerships)
                for row in (
                    through(partnership=p, area=pfa),
                    through(partnership=p, area=csps[i % len(csps)]),
                )
            ),
            batch_size=BATCH * 5,
        )
        step = max(1, len(orgs) // 4)
        Membership.objects.bulk_create(
            (
                Membership(
                    partnership=p,
                    organisation=orgs[(i + k * step) % len(orgs)],
                    role=roles[k % len(roles)],
                    money_per_year=Decimal("10000.00") * (k + 1),
                    staff_fte=Decimal("0.50"),
                    cost_share_percent=Decimal("25"),
                    responsibilities="Staff and premises.",
                    accountable_contact="A Manager",
                )
                for i, p in enumerate(partnerships)
                for k in range(4)
            ),
            batch_size=BATCH * 5,
        )
        Risk.objects.bulk_create(
            (
                Risk(
                    partnership=p,
                    description=f"Risk {k}",
                    likelihood=(i + k) % 5 + 1,
                    impact=(i + 2 * k) % 5 + 1,
                    owner="The Board",
                    mitigation="Watch it.",
                )
                for i, p in enumerate(partnerships)
                for k in range(3)
            ),
            batch_size=BATCH * 5,
        )
        objectives = PartnershipObjective.objects.bulk_create(
            (PartnershipObjective(partnership=p, text="Fewer repeat victims") for p in partnerships),
            batch_size=BATCH * 5,
        )
        obj_through = PartnershipObjective.priorities.through
        obj_through.objects.bulk_create(
            (
                obj_through(partnershipobjective=o, planpriority=priorities[i % 3])
                for i, o in enumerate(objectives)
            ),
            batch_size=BATCH * 5,
        )
        Declaration.objects.bulk_create(
            (
                Declaration(
                    partnership=p,
                    kind=DeclarationKind.TRANSACTION,
                    organisation=orgs[(i + 1) % len(orgs)],
                    description="Contract for services.",
                    amount=Decimal("5000.00"),
                    declared_on=today,
                )
                for i, p in enumerate(partnerships)
                if i % 5 == 0
            ),
            batch_size=BATCH * 5,
        )
        ExpectedBenefit.objects.bulk_create(
            (
                ExpectedBenefit(
                    partnership=p,
                    financial_year=2024 + k,
                    savings_projected=Decimal("50000.00"),
                    savings_realised=Decimal("20000.00") if k == 0 else None,
                )
                for p in partnerships
                for k in range(2)
            ),
            batch_size=BATCH * 5,
        )
        assessments = BusinessCaseAssessment.objects.bulk_create(
            (
                BusinessCaseAssessment(
                    partnership=p,
                    recommendation="partner",
                    recommendation_reason="Good value.",
                    completed_at=None,
                )
                for p in partnerships
            ),
            batch_size=BATCH * 5,
        )
        ratings = Rating.values
        AssessmentAnswer.objects.bulk_create(
            (
                AssessmentAnswer(assessment=a, question=q, rating=ratings[(i + j) % 3], evidence="Evidence.")
                for i, a in enumerate(assessments)
                for j, q in enumerate(Question.values)
            ),
            batch_size=BATCH * 5,
        )
        reviews = PartnershipReview.objects.bulk_create(
            (
                PartnershipReview(
                    partnership=p,
                    reviewed_on=today - datetime.timedelta(days=200),
                    added_value="Fewer repeat victims.",
                    decision=ReviewDecision.CONTINUE,
                    decision_reason="Working well.",
                )
                for i, p in enumerate(partnerships)
                if i % 2 == 0
            ),
            batch_size=BATCH * 5,
        )
        ReviewAction.objects.bulk_create(
            (ReviewAction(review=r, action="Report back", owner="A Manager", due_on=today) for r in reviews),
            batch_size=BATCH * 5,
        )

        # History: one "created" row per partnership, then "changed" rows; the busy partnership (the first
        # active, local one) gets `busy_history` of them, the rest are spread round-robin over the others.
        busy_index = next(
            i for i, p in enumerate(partnerships) if p.status == Status.ACTIVE and p.level == Level.LOCAL
        )
        typical_index = next(
            i
            for i, p in enumerate(partnerships)
            if p.status == Status.ACTIVE and p.level == Level.LOCAL and i != busy_index
        )
        fields = [f.attname for f in Partnership._meta.concrete_fields]
        start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
        chairs = ("The Chief Executive", "The Deputy Commissioner", "The Chief Constable")

        def record(p: Partnership, n: int, kind: str) -> Any:
            values = {name: getattr(p, name) for name in fields}
            if kind == "~":
                values.update(
                    governance_chair=chairs[n % 3],
                    meeting_frequency=("Quarterly", "Monthly")[n % 2],
                    next_review_date=p.next_review_date + datetime.timedelta(days=n),
                    version=n + 1,
                )
            return HistoricalPartnership(
                **values,
                history_date=start + datetime.timedelta(hours=n),
                history_type=kind,
                history_change_reason="" if kind == "+" else f"Change {n}",
                history_user=user,
            )

        changed = max(0, n_history - len(partnerships))
        busy = min(busy_history, changed)
        others = [p for i, p in enumerate(partnerships) if i != busy_index] or partnerships

        def history_rows() -> Any:
            for p in partnerships:
                yield record(p, 0, "+")
            for n in range(1, busy + 1):
                yield record(partnerships[busy_index], n, "~")
            for k in range(changed - busy):
                yield record(others[k % len(others)], 1 + k // len(others), "~")

        HistoricalPartnership.objects.bulk_create(history_rows(), batch_size=BATCH * 5)
    return {
        "user": user,
        "busy": partnerships[busy_index].pk,
        "typical": partnerships[typical_index].pk,
    }


class _QueryCounter:
    """Counts and times every SQL statement (connection.execute_wrapper); survives reset_queries()."""

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


def _existing() -> dict[str, Any]:
    """The ids an earlier run generated (for --reuse): the busy partnership has the most history rows."""
    from django.db.models import Count

    from joinedup.core.models import User
    from joinedup.partnerships.models import Level, Partnership, Status

    busy = (
        Partnership.history.values("id").annotate(n=Count("history_id")).order_by("-n", "id").first() or {}
    ).get("id")
    typical = (
        Partnership.objects.filter(status=Status.ACTIVE, level=Level.LOCAL)
        .exclude(pk=busy)
        .order_by("pk")
        .first()
    )
    assert busy is not None and typical is not None, "no generated data to reuse"
    return {"user": User.objects.get(email="bench.admin@example.org"), "busy": busy, "typical": typical.pk}


def _time_page(client: Any, url: str, runs: int, warmup: int) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    counter = _QueryCounter()
    reset_queries()
    with connection.execute_wrapper(counter), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    captured_count = len(captured.captured_queries)  # read now: the next request's reset_queries() clears it
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    return {
        "url": url,
        "queries": counter.count,
        "captured": captured_count,
        "sql_ms": counter.seconds * 1000,
        "bytes": len(response.content),
        "p50": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
        "min": times[0],
        "max": times[-1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--organisations", type=int, default=2_000)
    parser.add_argument("--history", type=int, default=100_000, help="HistoricalPartnership rows in all.")
    parser.add_argument("--busy-history", type=int, default=150, help="Changed rows of the busy partnership.")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument(
        "--reuse", action="store_true", help="Time the data an earlier run left in the database."
    )
    args = parser.parse_args()
    _setup(os.environ.get("DATABASE_URL", DEFAULT_URL))

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from joinedup.core.models import Organisation
    from joinedup.partnerships.models import Partnership

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"migrate + collectstatic {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    if args.reuse:
        made = _existing()
    elif Partnership.objects.exists():
        raise SystemExit("the benchmark database is not empty; use --reuse, or drop and create it again")
    else:
        made = _generate(args.partnerships, args.organisations, args.history, args.busy_history)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM partnerships_historicalpartnership")
        history_rows = cursor.fetchone()[0]
    print(
        f"{'found' if args.reuse else 'generated'} in {time.perf_counter() - started:.1f} s: {Partnership.objects.count():,} partnerships, "
        f"{Organisation.objects.count():,} organisations, {history_rows:,} partnership history rows"
    )
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kib = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    print(f"machine: nproc {os.cpu_count()}, {mem_kib / 1024 / 1024:.1f} GiB RAM; {pg_version}")

    client = Client(HTTP_HOST="localhost")
    client.force_login(made["user"])
    list_url = reverse("partnerships:list")
    pages = [
        ("register list, status=active&level=local, page 1", f"{list_url}?status=active&level=local&page=1"),
        ("register list, no filter, page 1", list_url),
        (
            f"partnership page, busy ({Partnership.history.filter(id=made['busy']).count()} history rows)",
            reverse("partnerships:detail", args=[made["busy"]]),
        ),
        ("partnership page, typical", reverse("partnerships:detail", args=[made["typical"]])),
    ]
    print(f"{args.runs} timed requests per page after {args.warmup} warm-up requests")
    print(
        "| page | SQL queries (captured) | SQL ms (one request) | p50 ms | p95 ms | min-max ms | HTML KiB |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, url in pages:
        r = _time_page(client, url, args.runs, args.warmup)
        print(
            f"| {label} | {r['queries']} ({r['captured']}) | {r['sql_ms']:.1f} | {r['p50']:.1f} | **{r['p95']:.1f}** | "
            f"{r['min']:.0f}-{r['max']:.0f} | {r['bytes'] / 1024:.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
