"""ASB casework at scale (issue 7): tasking board, filtered case list and intake link suggestions.

    createdb -h 127.0.0.1 -U postgres casework_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/casework_pages.py [--incidents 1000000] [--cases 200000] [--runs 100] [--reuse]

Settings `joinedup.config.settings.local`, a throwaway JOINEDUP_DATA_DIR under /tmp. The script migrates the
database, then (unless --reuse) loads with PostgreSQL COPY a force area of 20 CSPs, each of 3 districts of 60 LSOAs,
60 organisations (a force-wide police service, one council per CSP, a housing association per CSP), one
information-sharing agreement per CSP (police + that CSP's council), 200,000 cases (the newest fifth open),
1,000,000 incidents spread over two years (five per case on average, a named informant on most, an
alleged perpetrator on one in five), 300,000 people and 300,000 actions. It then times, with Django's test
Client signed in (force_login), the daily tasking board and the filtered case list, and times the intake's
duplicate suggestions (`services.suggest_links`) directly. Never point it at a database named test*.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/casework_bench"
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)  # a Friday: a 24-hour tasking window
CSPS, LADS_PER_CSP, LSOAS_PER_LAD = 20, 3, 60


def _setup(database_url: str) -> None:
    name = urlparse(database_url).path.lstrip("/")
    if not database_url.startswith(("postgres://", "postgresql://")) or name.lower().startswith("test"):
        raise SystemExit(f"refusing to use {database_url!r}: a PostgreSQL database not named test*")
    sys.path.insert(0, str(REPO / "src"))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("JOINEDUP_DATA_DIR", tempfile.mkdtemp(prefix="joinedup-bench-casework-"))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ["DJANGO_SETTINGS_MODULE"] = "joinedup.config.settings.local"
    import django

    django.setup()


def _copy(model: Any, rows: Iterable[dict[str, Any]], defaults: dict[str, Any] | None = None) -> int:
    """COPY rows (dicts by column name) into `model`'s table; columns not given take `defaults`."""
    from django.db import connection

    iterator = iter(rows)
    first_row = next(iterator, None)
    if first_row is None:
        return 0
    fixed = defaults or {}
    columns = [
        f.column
        for f in model._meta.concrete_fields
        if f.column != "id" or "id" in first_row or "id" in fixed
    ]
    missing = [c for c in columns if c not in first_row and c not in fixed]
    if missing:
        raise SystemExit(f"{model.__name__}: no value for {missing}")
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in (first_row, *()), iterator:
                for item in row:
                    copy.write_row([item[c] if c in item else fixed[c] for c in columns])
                    count += 1
    return count


def _reset_sequence(model: Any) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
        )


def _generate(n_incidents: int, n_cases: int) -> None:
    from django.db import transaction

    from joinedup.casework.models import (
        AgreementParty,
        Case,
        CaseAction,
        Incident,
        InformationSharingAgreement,
        Person,
    )
    from joinedup.casework.names import fold_name
    from joinedup.core.models import Area, Organisation, Sector
    from joinedup.core.roles import Role

    User = Case._meta.get_field("lead_officer").related_model
    rng = random.Random(7)
    stamp = {"created_at": NOW, "updated_at": NOW, "created_by_id": None, "updated_by_id": None}
    with transaction.atomic():
        pfa = Area.objects.create(code="E23999999", name="Benchshire", level="pfa")
        lsoas: list[Area] = []
        for c in range(CSPS):
            csp = Area.objects.create(
                code=f"E22999{c:03d}", name=f"Bench CSP {c}", level="csp", parent=pfa, pfa=pfa
            )
            for d in range(LADS_PER_CSP):
                lad = Area.objects.create(
                    code=f"E07{c:03d}{d:03d}",
                    name=f"Bench district {c}-{d}",
                    level="lad",
                    parent=csp,
                    csp=csp,
                    pfa=pfa,
                )
                lsoas += Area.objects.bulk_create(
                    Area(
                        code=f"E01{c:02d}{d:01d}{i:03d}",
                        name=f"Bench LSOA {c}-{d}-{i}",
                        level="lsoa",
                        parent=lad,
                        lad=lad,
                        csp=csp,
                        pfa=pfa,
                    )
                    for i in range(LSOAS_PER_LAD)
                )
        police = Organisation.objects.create(name="Bench Police", sector=Sector.POLICE_FORCE)
        councils = [
            Organisation.objects.create(name=f"Bench Council {c}", sector=Sector.LA_DISTRICT)
            for c in range(CSPS)
        ]
        housing = [
            Organisation.objects.create(name=f"Bench Homes {c}", sector=Sector.VCS_SOCIAL_ENTERPRISE)
            for c in range(CSPS)
        ]
        for c in range(CSPS):
            agreement = InformationSharingAgreement.objects.create(
                title=f"Bench CSP {c} ASB sharing",
                purpose="ASB casework",
                lawful_basis="cda_s115",
                start_date=datetime.date(2024, 1, 1),
                covers_asb_casework=True,
            )
            agreement.areas.set([Area.objects.get(code=f"E22999{c:03d}")])
            AgreementParty.objects.create(
                agreement=agreement, organisation=police, liaison_officer_name="DLO"
            )
            AgreementParty.objects.create(
                agreement=agreement, organisation=councils[c], liaison_officer_name="DLO"
            )
        User.objects.create_user(
            "bench.police@example.org",
            "bench-password",
            full_name="Bench Police",
            role=Role.PRACTITIONER,
            organisation=police,
        ).areas.set([pfa])
        User.objects.create_user(
            "bench.council@example.org",
            "bench-password",
            full_name="Bench Council",
            role=Role.PRACTITIONER,
            organisation=councils[0],
        ).areas.set([Area.objects.get(code="E22999000")])

    started = time.perf_counter()
    n_people = n_incidents * 3 // 10
    first_names = ["Pat", "Sam", "Alex", "Jo", "Chris", "Lee", "Ash", "Kim", "Robin", "Max"]
    _copy(
        Person,
        (
            {
                "id": p + 1,
                "full_name": f"{first_names[p % 10]} Person{p:07d}",
                # COPY, like bulk_create, skips Person.save(), which sets the folded name.
                "folded_name": fold_name(f"{first_names[p % 10]} Person{p:07d}"),
                "date_of_birth": datetime.date(1940 + p % 60, 1 + p % 12, 1 + p % 28),
                "phone": f"07700{p:06d}",
                "email": f"person{p}@example.org" if p % 3 == 0 else "",
                "address": f"{p % 200} Bench Street",
                **stamp,
            }
            for p in range(n_people)
        ),
        defaults={},
    )
    print(f"  people {n_people:,} in {time.perf_counter() - started:.0f} s", flush=True)

    # Cases: the case's first report is spread over two years; the newest fifth are open.
    span = 730 * 24 * 3600
    case_rows: list[tuple[int, int, datetime.datetime, int]] = []  # id, lsoa index, first received, org
    orgs = [police.pk, *(c.pk for c in councils), *(h.pk for h in housing)]

    def cases() -> Iterable[dict[str, Any]]:
        for k in range(n_cases):
            first = NOW - datetime.timedelta(seconds=span * (n_cases - k) / n_cases)
            lsoa_index = rng.randrange(len(lsoas))
            csp_index = lsoa_index // (LADS_PER_CSP * LSOAS_PER_LAD)
            lead = rng.choice([police.pk, councils[csp_index].pk, housing[csp_index].pk])
            case_rows.append((k + 1, lsoa_index, first, lead))
            open_ = k >= n_cases * 4 // 5
            yield {
                "id": k + 1,
                "area_id": lsoas[lsoa_index].pk,
                "status": "open" if open_ else "closed",
                "risk_level": rng.choice(["not_assessed", "standard", "medium", "high"]),
                "restricted": k % 97 == 0,
                "lead_organisation_id": lead,
                "lead_officer_id": None,
                "repeat_victim": k % 11 == 0,
                "repeat_location": k % 13 == 0,
                "vulnerable": k % 7 == 0,
                "risk_assessment_due_at": None,
                "closed_at": None if open_ else first + datetime.timedelta(days=40),
                "version": 1,
                **{**stamp, "created_at": first},
            }

    started = time.perf_counter()
    _copy(Case, cases(), defaults={})
    print(f"  cases {n_cases:,} in {time.perf_counter() - started:.0f} s", flush=True)

    categories = [
        "asb/nuisance/noise",
        "asb/personal/threats",
        "asb/environmental/fly-tipping",
        "criminal-damage-arson",
    ]
    per_case = n_incidents // n_cases
    perpetrator_rows: list[tuple[int, int]] = []

    def incidents() -> Iterable[dict[str, Any]]:
        n = 0
        for case_id, lsoa_index, first, lead in case_rows:
            count = per_case + (1 if case_id <= n_incidents - per_case * n_cases else 0)
            # LSOA centroids on a grid around Benchshire (54.5 to 55.5 N, 2.0 to 1.0 W).
            lat0 = 54.5 + (lsoa_index // 60) / 60 * 1.0
            lon0 = -2.0 + (lsoa_index % 60) / 60 * 1.0
            informant = rng.randrange(1, n_people + 1)
            for j in range(count):
                n += 1
                received = first + datetime.timedelta(hours=rng.randrange(0, 24 * 20) * j)
                if received >= NOW:  # past the end of the two years: anywhere in them, keeping days even
                    received = NOW - datetime.timedelta(seconds=span * rng.random())
                if n % 5 == 0:
                    perpetrator_rows.append((n, rng.randrange(1, n_people + 1)))
                yield {
                    "id": n,
                    "case_id": case_id,
                    "reporting_organisation_id": lead if j == 0 else rng.choice(orgs),
                    "received_at": received,
                    "occurred_at": None,
                    "category": categories[n % 4],
                    "address": f"{n % 300} Bench Road",
                    "postcode": "NE1 4ST",
                    "latitude": f"{lat0 + rng.uniform(-0.004, 0.004):.6f}",
                    "longitude": f"{lon0 + rng.uniform(-0.006, 0.006):.6f}",
                    "area_id": lsoas[lsoa_index].pk,
                    "description": "Noise and shouting late at night, reported by a neighbour.",
                    "informant_id": None if n % 10 == 0 else informant,
                    "informant_anonymous": n % 10 == 0,
                    "preferred_contact": "phone",
                    "vulnerability_indicators": json.dumps(["age"] if n % 7 == 0 else []),
                    "repeat_victim": False,
                    "repeat_location": False,
                    **{**stamp, "created_at": received},
                }

    started = time.perf_counter()
    _copy(Incident, incidents(), defaults={})
    through = Incident.perpetrators.through
    _copy(through, ({"incident_id": i, "person_id": p} for i, p in perpetrator_rows))
    print(f"  incidents {n_incidents:,} in {time.perf_counter() - started:.0f} s", flush=True)

    started = time.perf_counter()
    types = ["eva", "reassurance", "warning_letter", "cctv"]

    def actions() -> Iterable[dict[str, Any]]:
        n = 0
        for case_id, _lsoa, first, lead in case_rows:
            closed = case_id <= n_cases * 4 // 5
            for k in range(1 + case_id % 2):
                n += 1
                yield {
                    "id": n,
                    "case_id": case_id,
                    "owner_organisation_id": lead if k == 0 else police.pk,
                    "officer_id": None,
                    "action_type": types[n % 4],
                    "description": "Visit and report back.",
                    "due_date": (first + datetime.timedelta(days=14)).date(),
                    "status": "complete" if closed or n % 3 == 0 else "open",
                    "completed_at": first + datetime.timedelta(days=10) if closed else None,
                    "version": 1,
                    **stamp,
                }

    _copy(CaseAction, actions(), defaults={})
    print(f"  actions in {time.perf_counter() - started:.0f} s", flush=True)
    for model in (Person, Case, Incident, CaseAction):
        _reset_sequence(model)
    from django.db import connection

    connection.ensure_connection()
    connection.connection.autocommit = True  # VACUUM cannot run in a transaction
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done to a long-lived database


def _percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "p50": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
        "min": times[0],
        "max": times[-1],
    }


def _time(fn: Callable[[], Any], runs: int, warmup: int) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return _percentiles(times)


def _page(client: Any, url: str) -> Callable[[], Any]:
    def get() -> Any:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


def _queries(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--reuse", action="store_true", help="Time the data an earlier run left in the database."
    )
    parser.add_argument("--generate-only", action="store_true", help="Load the data and stop.")
    args = parser.parse_args()
    _setup(os.environ.get("DATABASE_URL", DEFAULT_URL))

    from unittest import mock

    from django.core.management import call_command
    from django.test import Client

    from joinedup.casework import services
    from joinedup.casework.models import Incident
    from joinedup.core.models import User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():  # keep JOINEDUP_DATA_DIR to skip it
        call_command("collectstatic", interactive=False, verbosity=0)
    print(f"migrate + collectstatic {time.perf_counter() - started:.1f} s", flush=True)
    if not args.reuse:
        if Incident.objects.exists():
            raise SystemExit("The database already has incidents: use --reuse, or an empty database.")
        started = time.perf_counter()
        _generate(args.incidents, args.cases)
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    print(f"incidents {Incident.objects.count():,}", flush=True)
    if args.generate_only:
        return 0

    police = User.objects.get(email="bench.police@example.org")
    council = User.objects.get(email="bench.council@example.org")
    results: list[tuple[str, int, dict[str, float]]] = []
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        for label, user, url in (
            ("tasking board, council of one CSP", council, "/staff/casework/tasking/"),
            ("tasking board, force-wide police, one CSP", police, "/staff/casework/tasking/?area=E22999000"),
            ("case list, open, council of one CSP", council, "/staff/casework/?status=open"),
            ("case list, open, force-wide police", police, "/staff/casework/?status=open"),
            ("case list, open, force-wide police, page 20", police, "/staff/casework/?status=open&page=20"),
        ):
            client = Client()
            client.force_login(user)
            fn = _page(client, url)
            queries = _queries(fn)
            if "tasking" in url:
                from joinedup.casework.selectors import tasking_board

                area = url.partition("area=")[2] or None
                label += f" ({tasking_board(user=user, now=NOW, area_code=area).count()} reports)"
            results.append((label, queries, _time(fn, args.runs, args.warmup)))
            print(label, queries, results[-1][2], flush=True)

        sample = list(
            Incident.objects.filter(
                informant__isnull=False, received_at__gte=NOW - datetime.timedelta(days=60)
            )
            .select_related("informant")
            .order_by("?")[: args.runs + args.warmup]
        )
        for label, user in (("suggestions, council", council), ("suggestions, police", police)):
            it = iter(sample * 2)

            def suggest(user: Any = user, it: Any = it) -> Any:
                incident = next(it)
                person = incident.informant
                return services.suggest_links(
                    user=user,
                    received_at=incident.received_at,
                    latitude=incident.latitude,
                    longitude=incident.longitude,
                    informant={
                        "full_name": person.full_name,
                        "date_of_birth": person.date_of_birth,
                        "phone": person.phone,
                        "email": person.email,
                    },
                    perpetrators=[
                        {"full_name": "Sam Person0000001", "date_of_birth": datetime.date(1941, 2, 2)}
                    ],
                )

            queries = _queries(suggest)
            results.append((label, queries, _time(suggest, args.runs, args.warmup)))
            print(label, queries, results[-1][2], flush=True)

    print("\n| measured | SQL queries | p50 ms | p95 ms | min-max ms |\n|---|---|---|---|---|")
    for label, queries, t in results:
        print(
            f"| {label} | {queries} | {t['p50']:.1f} | **{t['p95']:.1f}** | {t['min']:.0f}-{t['max']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
