"""'Your work' and search at casework scale (issue 16), on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres workqueue_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/workqueue_bench \\
        .venv/bin/python bench/workqueue_speed.py [--incidents 1000000] [--cases 200000] [--runs 50] [--reuse]

Loads the same data as bench/casework_pages.py (its generator: a force area of 20 CSPs, 60 organisations,
cases, incidents and actions; `--reuse` times an earlier load), then times, with Django's test Client
signed in, the staff home page (which opens on the person's work), the full "Your work" page and the
search (a case reference, a word, a person's name), for the force-wide police practitioner and one CSP's
council practitioner, with the number of SQL queries of each. Never point it at a database named test*.

`--old-name-search` times each search also with the name search as it was before people's folded names
were stored (the name folded by an expression for every person, `OldFoldedName` below), alternating the
two request by request so both see the same load, and prints the ratio; it first checks that both find
the same people. `--search-only` leaves out the "Your work" pages.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
from collections.abc import Callable
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


def _old_name_search() -> Any:
    """A context manager under which casework's name search folds each person's name with an expression
    in the query, as it did before `Person.folded_name` was stored (PostgreSQL: TRANSLATE of the lowered
    name for a name with a character beyond ASCII, LOWER alone otherwise)."""
    from unittest import mock

    from django.db.models import CharField, Func, Q

    from joinedup.casework import selectors
    from joinedup.casework.names import fold_name

    accented, plain = [], []
    for code in range(0xC0, 0x250):
        letter, folded = chr(code), fold_name(chr(code))
        if letter == letter.lower() and len(folded) == 1 and folded != letter:
            accented.append(letter)
            plain.append(folded)
    combining = "".join(chr(code) for code in range(0x300, 0x370))

    class OldFoldedName(Func):
        output_field = CharField()

        def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
            name, params = compiler.compile(self.source_expressions[0])
            sql = (
                f"(CASE WHEN OCTET_LENGTH({name}) = CHAR_LENGTH({name}) THEN LOWER({name}) "
                f"ELSE TRANSLATE(LOWER({name}), %s, %s) END)"
            )
            return sql, (*params, *params, *params, *params, "".join(accented) + combining, "".join(plain))

    def old_named(rows: Any, case: str, person: str, words: list[str], limit: int) -> list[tuple[Any, ...]]:
        condition = Q()
        for word in words:
            condition &= Q(_folded__contains=word)
        name = f"{person}__full_name"
        return [
            (case_id, person_id, full_name)
            for case_id, person_id, full_name, _folded in rows.annotate(_folded=OldFoldedName(name))
            .filter(condition)
            .values_list(case, f"{person}_id", name, "_folded")
            .distinct()
            .order_by("_folded", name, f"-{case}")[:limit]
        ]

    return mock.patch.object(selectors, "_named", old_named)


def _time_pair(
    new: Callable[[], Any], old: Callable[[], Any], runs: int, warmup: int
) -> tuple[list[float], list[float]]:
    """Times in ms of `new` and `old`, run alternately so both see the same load."""
    for _ in range(warmup):
        new()
        old()
    times: dict[str, list[float]] = {"new": [], "old": []}
    for _ in range(runs):
        for key, fn in (("new", new), ("old", old)):
            started = time.perf_counter()
            fn()
            times[key].append((time.perf_counter() - started) * 1000)
    return times["new"], times["old"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true", help="Time the data an earlier run left in the database."
    )
    parser.add_argument(
        "--old-name-search",
        action="store_true",
        help="Time each search with the name search's old expression too, alternately, and give the ratio.",
    )
    parser.add_argument("--search-only", action="store_true", help="Time the searches alone.")
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
    # A name the council may find: the informant on the newest case it may open (one person, a handful
    # of their cases), searched by the number part of the generated surname.
    from joinedup.casework.selectors import people_named, visible_cases

    named = (
        Incident.objects.filter(case__in=visible_cases(council).values("pk"), informant__isnull=False)
        .order_by("-case_id")
        .values_list("informant__full_name", flat=True)
        .first()
    )
    assert named is not None
    name_query = named.split()[-1].lower()
    pages = [
        ("home page (your work), council of one CSP", council, "/staff/"),
        ("home page (your work), force-wide police", police, "/staff/"),
        ("your work page, force-wide police", police, "/staff/your-work/"),
    ]
    searches = [
        ("search a case reference, police", police, f"/staff/search/?q={reference.reference}"),
        ("search a word, council", council, "/staff/search/?q=council"),
        (f"search a name ({name_query!r}), council", council, f"/staff/search/?q={name_query}"),
        ("search a first name ('robin'), police", police, "/staff/search/?q=robin"),
    ]
    if args.old_name_search:
        for who, text in ((council, "council"), (council, name_query), (police, "robin")):
            new_found = people_named(who, text)
            with _old_name_search():
                old_found = people_named(who, text)
            assert new_found == old_found, (text, new_found, old_found)
            print(f"{text!r}: both find the same {len(new_found)} people", flush=True)
    results = []
    compared = []
    with mock.patch("django.utils.timezone.now", return_value=bench.NOW):
        for label, user, url in ([] if args.search_only else pages) + searches:
            client = Client()
            client.force_login(user)
            fn = bench._page(client, url)
            queries = bench._queries(fn)
            if args.old_name_search and url.startswith("/staff/search/"):

                def old(fn: Callable[[], Any] = fn) -> Any:
                    with _old_name_search():
                        return fn()

                new_times, old_times = _time_pair(fn, old, args.runs, args.warmup)
                timing, before = bench._percentiles(new_times), bench._percentiles(old_times)
                compared.append((label, before, timing))
                print(label, queries, "old", before, "new", timing, flush=True)
            else:
                timing = bench._time(fn, args.runs, args.warmup)
                print(label, queries, timing, flush=True)
            results.append((label, queries, timing))
    print("\n| measured | SQL queries | p50 ms | p95 ms | min-max ms |\n|---|---|---|---|---|")
    for label, queries, t in results:
        print(
            f"| {label} | {queries} | {t['p50']:.1f} | **{t['p95']:.1f}** | {t['min']:.0f}-{t['max']:.0f} |"
        )
    if compared:
        print("\n| measured | p50 ms old → new | p95 ms old → new | p95 ratio |\n|---|---|---|---|")
        for label, before, after in compared:
            print(
                f"| {label} | {before['p50']:.1f} → {after['p50']:.1f} | {before['p95']:.1f} → "
                f"**{after['p95']:.1f}** | {before['p95'] / after['p95']:.1f} times faster |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
