"""The daily digest for 10,000 people (issue 16), on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres digest_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digest_bench \\
        .venv/bin/python bench/digest_speed.py [--incidents 1000000] [--cases 200000] [--people 10000] [--reuse]

Loads the casework benchmark's force area (bench/casework_pages.py's generator: 20 CSPs, 60 organisations,
cases, incidents, actions; `--reuse` keeps an earlier load), adds `--people` staff accounts spread over the
roles as a force's staff would be (partner practitioners at the police, councils and housing associations,
CSP managers, OPCC staff, analysts, Panel members, auditors), each scoped to their force area or CSP, then
runs the scheduler's digest job (`notifications.digest.send_daily_digests`) once and times it: the whole
run, people a second, SQL queries a person, how many digests were queued and how many people had nothing
due. Everything the run writes (digests, emails, tasks) is rolled back, so it can be run again. Never point
it at a database named test*.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/digest_bench"
EMAIL_DOMAIN = "digest-bench.example.org"
# Of every 100 accounts: role and where they work.
MIX = (
    (55, "practitioner", "partner"),
    (15, "csp_manager", "council"),
    (12, "opcc_officer", "opcc"),
    (3, "opcc_admin", "opcc"),
    (6, "analyst", "opcc"),
    (6, "panel_member", "council"),
    (3, "auditor", "opcc"),
)


def _casework_bench() -> Any:
    spec = importlib.util.spec_from_file_location("casework_pages", HERE / "casework_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _add_people(count: int) -> None:
    """`count` staff accounts (unusable passwords) in the mix above, with their areas, in bulk."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from joinedup.core.models import Area, Organisation, Sector, User

    unusable = make_password(None)  # nobody signs in as them

    User.objects.filter(email__endswith=EMAIL_DOMAIN).delete()
    pfa = Area.objects.get(code="E23999999")
    csps = list(Area.objects.filter(level="csp", pfa=pfa).order_by("code"))
    police = Organisation.objects.get(name="Bench Police")
    councils = list(Organisation.objects.filter(name__startswith="Bench Council").order_by("pk"))
    housing = list(Organisation.objects.filter(name__startswith="Bench Homes").order_by("pk"))
    opcc, _ = Organisation.objects.get_or_create(name="Bench OPCC", defaults={"sector": Sector.OPCC})
    plan: list[tuple[str, Any, Area]] = []
    slots = [(role, where) for share, role, where in MIX for _ in range(share)]
    for i in range(count):
        role, where = slots[i % len(slots)]
        c = i % len(csps)
        if where == "opcc":
            plan.append((role, opcc, pfa))
        elif where == "council":
            plan.append((role, councils[c], csps[c]))
        elif i % 3 == 0:  # a partner practitioner: police (force-wide), council or housing
            plan.append((role, police, pfa))
        else:
            plan.append((role, (councils if i % 3 == 1 else housing)[c], csps[c]))
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=f"person{i}@{EMAIL_DOMAIN}",
                full_name=f"Digest Person {i}",
                role=role,
                organisation=organisation,
                password=unusable,
            )
            for i, (role, organisation, _) in enumerate(plan)
        )
        links = User.areas.through
        links.objects.bulk_create(
            links(user_id=user.pk, area_id=area.pk) for user, (_, _, area) in zip(users, plan, strict=True)
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument(
        "--reuse", action="store_true", help="Time the casework data an earlier run left in the database."
    )
    args = parser.parse_args()
    bench = _casework_bench()
    bench._setup(os.environ.get("DATABASE_URL", DEFAULT_URL))

    from unittest import mock

    from django.core.management import call_command
    from django.db import connection, transaction

    from joinedup.casework.models import Case, Incident
    from joinedup.core.models import User
    from joinedup.notifications.digest import digest_content, digest_recipients, send_daily_digests

    logging.getLogger("joinedup").setLevel(logging.WARNING)  # not a line a queued email
    call_command("migrate", verbosity=0)
    if not args.reuse:
        if Incident.objects.exists():
            raise SystemExit("The database already has incidents: use --reuse, or an empty database.")
        started = time.perf_counter()
        bench._generate(args.incidents, args.cases)
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    _add_people(args.people)
    print(f"{args.people:,} accounts added in {time.perf_counter() - started:.0f} s", flush=True)
    print(
        f"incidents {Incident.objects.count():,}, cases {Case.objects.count():,}, "
        f"people who may get a digest {digest_recipients().count():,} "
        f"(of {User.objects.filter(email__endswith=EMAIL_DOMAIN).count():,} added)",
        flush=True,
    )

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    load_before = os.getloadavg()
    with mock.patch("django.utils.timezone.now", return_value=bench.NOW), transaction.atomic():
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            counts = send_daily_digests(day=bench.NOW.date())
            elapsed = time.perf_counter() - started
        transaction.set_rollback(True)  # leave the database as it was, for the next run
    run_queries = queries
    people = digest_recipients().count()
    load_after = os.getloadavg()
    # Where the time goes: one digest's content for the first 20 people of each role and organisation kind.
    by_kind: list[tuple[str, float, int]] = []
    with mock.patch("django.utils.timezone.now", return_value=bench.NOW):
        for _share, role, where in MIX:
            sample = User.objects.filter(email__endswith=EMAIL_DOMAIN, role=role)
            for label, chosen in (
                (f"{role}, police", sample.filter(organisation__name="Bench Police")),
                (f"{role}, {where}", sample.exclude(organisation__name="Bench Police")),
            ):
                chosen_people = list(chosen.order_by("pk")[:20])
                if not chosen_people:
                    continue
                started = time.perf_counter()
                before = queries
                with connection.execute_wrapper(count):
                    for person in chosen_people:
                        digest_content(person, day=bench.NOW.date())
                by_kind.append(
                    (
                        label,
                        (time.perf_counter() - started) * 1000 / len(chosen_people),
                        (queries - before) // len(chosen_people),
                    )
                )
    print(f"\nload average before {load_before[0]:.1f}, after {load_after[0]:.1f} (2 cores)")
    print("| people | digests queued | nothing due | seconds | people a second | SQL queries a person |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {people:,} | {counts['sent']:,} | {counts['empty']:,} | **{elapsed:.1f}** | "
        f"{people / elapsed:.0f} | {run_queries / people:.1f} |"
    )
    print("\n| one digest's content | ms each (mean of 20) | SQL queries |\n|---|---|---|")
    for label, ms, n in by_kind:
        print(f"| {label} | {ms:.0f} | {n} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
