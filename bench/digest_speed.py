"""The daily digest for 10,000 people (issue 16), on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres digest_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digest_bench \\
        .venv/bin/python bench/digest_speed.py [--incidents 1000000] [--cases 200000] [--people 10000] [--reuse]

Loads the casework benchmark's force area (bench/casework_pages.py's generator: 20 CSPs, 60 organisations,
cases, incidents, actions; `--reuse` keeps an earlier load), adds `--people` staff accounts spread over the
roles as a force's staff would be (partner practitioners at the police, councils and housing associations,
CSP managers, OPCC staff, analysts, Panel members, auditors), each scoped to their force area or CSP, names
one in ten police practitioners on three cases they lead and three actions assigned to them, then runs the
scheduler's digest job twice on the same data, each run rolled back: first a baseline, then as
`notifications.digest.send_daily_digests` runs it now (people grouped by what they may see, digests queued a
batch at a time). `--baseline queue` (the default): grouped, but each digest recorded and queued in a
transaction of its own, as before batching; `people`: one person at a time, as before grouping; `own`:
grouped and batched, but the kinds a named person has own records of read for them alone (the
organisation-wide query again for each), as before those were read apart (`own_apart`); `none`: no
baseline. For each run: the whole time, people a second, SQL queries a person, how many digests were
queued and how many people had nothing due; and whether the two runs queued the same digests. Nothing is
left behind (digests, emails, tasks), so it can be run again. Never point it at a database named test*.
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

    from joinedup.casework.models import ActionStatus, Case, CaseAction, CaseStatus
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
        # Work named for one person: every tenth police practitioner leads three open cases and is the
        # officer on three open actions (their digest is read for them alone; their colleagues' is shared).
        named = [u.pk for u, (role, org, _) in zip(users, plan, strict=True) if org == police][::10]
        cases = Case.objects.filter(status=CaseStatus.OPEN, lead_organisation=police).order_by("pk")
        actions = CaseAction.objects.filter(case__status=CaseStatus.OPEN, owner_organisation=police).exclude(
            status=ActionStatus.COMPLETE
        )
        case_ids = list(cases.values_list("pk", flat=True)[: 3 * len(named)])
        action_ids = list(actions.order_by("pk").values_list("pk", flat=True)[: 3 * len(named)])
        for n, person in enumerate(named):
            Case.objects.filter(pk__in=case_ids[3 * n : 3 * n + 3]).update(lead_officer_id=person)
            CaseAction.objects.filter(pk__in=action_ids[3 * n : 3 * n + 3]).update(officer_id=person)


def _send_one_at_a_time(*, day: Any) -> dict[str, int]:
    """The digest job as it ran before people were grouped (the baseline): each person's preference and
    each kind of their work read for them alone, then the same queueing as the job."""
    from joinedup.core.site import site_url
    from joinedup.notifications.digest import digest_content, digest_recipients, queue_digests, wants_digest
    from joinedup.notifications.models import DigestSent

    site = site_url()
    done = set(DigestSent.objects.filter(day=day).values_list("recipient_id", flat=True))
    counts = {"sent": 0, "already": len(done), "empty": 0}
    for user in digest_recipients().exclude(pk__in=done).iterator(chunk_size=500):
        if not wants_digest(user):
            continue
        content = digest_content(user, day=day)
        if content is None:
            counts["empty"] += 1
        elif queue_digests([(user, content)], day=day, site=site) == 1:
            counts["sent"] += 1
        else:
            counts["already"] += 1
    return counts


def _send_grouped_one_transaction_each(*, day: Any) -> dict[str, int]:
    """The digest job as it ran before digests were queued a batch at a time (the baseline of that change):
    people grouped as now, then each digest recorded and its email queued in a transaction of its own."""
    from django.db import IntegrityError, transaction
    from django.template.loader import render_to_string

    from joinedup.core.site import site_url
    from joinedup.notifications.digest import _wanting_digest, digest_contents, digest_recipients
    from joinedup.notifications.models import DigestSent
    from joinedup.notifications.services import queue_email

    site = site_url()
    done = set(DigestSent.objects.filter(day=day).values_list("recipient_id", flat=True))
    counts = {"sent": 0, "already": len(done), "empty": 0}
    for user, content in digest_contents(_wanting_digest(digest_recipients().exclude(pk__in=done)), day=day):
        if content is None:
            counts["empty"] += 1
            continue
        body = render_to_string("notifications/digest_email.txt", {**content, "user": user, "site": site})
        try:
            with transaction.atomic():
                record = DigestSent.objects.create(recipient=user, day=day)
                record.email = queue_email(
                    to=user.email,
                    subject=f"Joined Up: your work for {day:%A %-d %B %Y}",
                    body=body,
                    kind="digest",
                )
                record.save(update_fields=["email"])
        except IntegrityError:
            counts["already"] += 1
            continue
        counts["sent"] += 1
    return counts


def _send_named_alone(*, day: Any) -> dict[str, int]:
    """The digest job as it ran before a person's own records were read apart from their group's (the
    baseline of that change): every kind registered `own_apart` asked for alone for each person named on
    their own records, so each of them reran the organisation-wide query under the sharing rule."""
    from dataclasses import replace
    from unittest import mock

    from joinedup.core import due
    from joinedup.notifications.digest import send_daily_digests

    whole = [replace(registration, own_apart=None) for registration in due.registrations()]
    with mock.patch.object(due, "registrations", return_value=whole):
        return send_daily_digests(day=day)


BASELINES = {
    "own": ("grouped, named people's kinds read alone (before)", _send_named_alone),
    "queue": ("grouped, a transaction a digest (before)", _send_grouped_one_transaction_each),
    "people": ("one person at a time", _send_one_at_a_time),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument(
        "--baseline",
        choices=[*BASELINES, "none"],
        default="queue",
        help="The run to compare with, on the same data: digests queued one transaction each (queue, the "
        "default), everything one person at a time (people, as before grouping), named people's kinds read "
        "alone (own, as before own_apart), or none.",
    )
    parser.add_argument("--no-sample", action="store_true", help="Skip timing one digest of each kind.")
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
    from joinedup.notifications.models import OutboundEmail

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

    def timed(send: Any) -> tuple[dict[str, int], float, int, dict[str, str]]:
        """One run of the digest job, rolled back afterwards: its counts, seconds, queries and the digests
        it queued (recipient to body), to compare the two ways of building them."""
        nonlocal queries
        with mock.patch("django.utils.timezone.now", return_value=bench.NOW), transaction.atomic():
            queries = 0
            with connection.execute_wrapper(count):
                started = time.perf_counter()
                counts = send(day=bench.NOW.date())
                elapsed = time.perf_counter() - started
            bodies = dict(OutboundEmail.objects.filter(kind="digest").values_list("to", "body"))
            transaction.set_rollback(True)  # leave the database as it was, for the next run
        return counts, elapsed, queries, bodies

    load_before = os.getloadavg()
    runs: list[tuple[str, dict[str, int], float, int]] = []
    baseline_bodies = None
    if args.baseline != "none":
        label, send = BASELINES[args.baseline]
        counts, elapsed, run_queries, baseline_bodies = timed(send)
        runs.append((label, counts, elapsed, run_queries))
        print(f"{label}: {elapsed:.1f} s, {run_queries:,} queries", flush=True)
    counts, elapsed, run_queries, bodies = timed(send_daily_digests)
    runs.append(("grouped, queued a batch at a time (now)", counts, elapsed, run_queries))
    print(f"now: {elapsed:.1f} s, {run_queries:,} queries", flush=True)
    if baseline_bodies is not None:
        same = baseline_bodies == bodies
        print(f"the two runs queued {len(bodies):,} and {len(baseline_bodies):,} digests; identical: {same}")
        if not same:
            differ = sorted(
                k for k in baseline_bodies.keys() | bodies.keys() if baseline_bodies.get(k) != bodies.get(k)
            )
            print(f"  {len(differ)} differ, e.g. {differ[:5]}")
    people = digest_recipients().count()
    load_after = os.getloadavg()
    # Where the time goes: one digest's content for the first 20 people of each role and organisation kind.
    by_kind: list[tuple[str, float, int]] = []
    with mock.patch("django.utils.timezone.now", return_value=bench.NOW):
        for _share, role, where in () if args.no_sample else MIX:
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
    print(
        "| digest job | people | digests queued | nothing due | seconds | people a second | SQL queries a person |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, counts, elapsed, run_queries in runs:
        print(
            f"| {label} | {people:,} | {counts['sent']:,} | {counts['empty']:,} | **{elapsed:.1f}** | "
            f"{people / elapsed:.0f} | {run_queries / people:.2f} |"
        )
    if len(runs) == 2:
        print(f"\nratio {runs[0][0]} / now: **{runs[0][2] / runs[1][2]:.1f} times**")
    print("\n| one digest's content | ms each (mean of 20) | SQL queries |\n|---|---|---|")
    for label, ms, n in by_kind:
        print(f"| {label} | {ms:.0f} | {n} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
