"""Public load benchmark (issue 19): N votes in a neighbourhood meeting and N consultation responses recorded
over HTTP on the loopback address, each as a resident would, against the real server, with no failed request.

    .venv/bin/python bench/public_load.py [--votes 500] [--responses 500] [--clients 8] [--workers 3]
    # PostgreSQL instead of the SQLite file (the database is dropped and created again; never test*):
    .venv/bin/python bench/public_load.py --database-url postgres://postgres@127.0.0.1:5432/bench_public

The data is its own: a fresh SQLite file in a temporary folder (or the named PostgreSQL database), migrated,
with a small test geography, a published neighbourhood meeting with three priorities (voting open) and a
published open consultation with four questions (single choice, multiple choice, a scale, free text). The
server is gunicorn with Joined Up's gunicorn configuration, as the systemd unit runs it, on 127.0.0.1, with
the local settings (DEBUG off; the production settings insist on HTTPS and a TLS proxy in front) and
`--workers` sync workers (3, the production default).

Each vote: GET the meeting page (CSRF cookie and token), POST a priority and a new email address, GET the
"check your email" page it redirects to, read the confirmation link from the outbox (the email is queued
there; no mail worker runs, so nothing is sent), GET the link and POST its "Confirm my vote" button. Each
response: GET the consultation's form, POST answers to every question (a comment in one in five), GET the
thank-you page. Every request must answer as a person's browser expects (200, or the 302 of a saved form);
anything else is a failure. `--clients` threads work at once, each a person after another with no pause.

The rate limits stay as in production (20 votes an hour per address per meeting, 30 responses an hour per
address per consultation, docs/adr/0030): the script spreads people over loopback addresses (127.1.0.1,
127.1.0.2, ...: Linux routes all of 127.0.0.0/8 to the loopback interface), as many people on each address
as its limit allows, and afterwards checks that one more vote from a used address is refused (429). The
honeypot field is sent empty, as a browser sends it. Afterwards the database must hold exactly N confirmed
votes and N responses. The driver runs on the same machine and takes CPU from the server.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests
from requests.adapters import HTTPAdapter

# Run as a script (`python bench/x.py`), the repository is not on the path: put it there for bench.server.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.server import environment as _env
from bench.server import free_port
from bench.server import joinedup as _joinedup

BIN = Path(sys.executable).parent
VOTES_PER_ADDRESS = 20  # engagement.public_views.VOTES_PER_HOUR
RESPONSES_PER_ADDRESS = 30  # engagement.public_views.RESPONSES_PER_HOUR
SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from joinedup.core.models import Area
from joinedup.core.tests.factories import OrganisationFactory, area_tree
from joinedup.engagement.models import (
    Consultation, MeetingPriority, NeighbourhoodMeeting, Question, QuestionKind,
)
area_tree()
today = timezone.localdate()
area = Area.objects.get(code="E01900001")
council = OrganisationFactory(name="Testtown Council")
meeting = NeighbourhoodMeeting.objects.create(
    title="Northtown neighbourhood meeting", area=area, organisation=council, held_on=today,
    place="Northtown library", voting_closes_on=today + timedelta(days=7), published=True,
)
priorities = [
    MeetingPriority.objects.create(meeting=meeting, order=n, title=title).pk
    for n, title in enumerate(("Speeding on the high street", "Drug dealing in the park", "Litter"), start=1)
]
consultation = Consultation.objects.create(
    title="Northtown priorities", summary="Tell us what matters where you live.", area=area,
    organisation=council, opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30),
    published=True,
)
specs = [
    ("Which problem first?", QuestionKind.SINGLE, ["Anti-social behaviour", "Drug dealing", "Burglary"], True),
    ("Where do you feel least safe?", QuestionKind.MULTIPLE, ["City centre", "Parks", "Near my home"], False),
    ("I feel safe in my area after dark", QuestionKind.SCALE, [], False),
    ("Anything else?", QuestionKind.TEXT, [], False),
]
questions = [
    Question.objects.create(
        consultation=consultation, order=n, text=text, kind=kind, options=options, required=required
    )
    for n, (text, kind, options, required) in enumerate(specs, start=1)
]
print(json.dumps({
    "meeting": meeting.pk, "priorities": priorities, "consultation": consultation.pk,
    "questions": [[q.pk, q.kind, q.options] for q in questions],
}))
"""
CHECK = """
import json
from joinedup.engagement.models import Answer, PriorityVote, Response
from joinedup.notifications.models import OutboundEmail
print(json.dumps({
    "votes": PriorityVote.objects.count(),
    "confirmed": PriorityVote.objects.filter(confirmed_at__isnull=False).count(),
    "responses": Response.objects.count(),
    "answers": Answer.objects.count(),
    "vote_emails": OutboundEmail.objects.filter(kind="meeting_vote").count(),
}))
"""
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LINK = re.compile(r"http://[^\s]+/consultations/neighbourhood-meetings/votes/([^/\s]+)/")


def _fresh_database(database_url: str, work: Path) -> None:
    if not database_url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    if not name or name.lower().startswith("test") or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing to use {name!r}: a PostgreSQL database of its own, not named test*")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")


def _start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "--config=python:joinedup.config.gunicorn",
            "joinedup.config.wsgi:application",
        ],
        env={**env, "JOINEDUP_BIND": f"127.0.0.1:{port}"},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit(f"the server did not start; see {log}")


class FromAddress(HTTPAdapter):
    """Connections from one loopback address, so the server sees this person's own address."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(pool_connections=1, pool_maxsize=1)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Outbox:
    """Reads the confirmation email a vote queued (one connection per thread)."""

    def __init__(self, database_url: str, sqlite_file: Path | None) -> None:
        self.database_url, self.sqlite_file = database_url, sqlite_file
        self.local = threading.local()

    def body(self, to: str) -> str | None:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            if self.sqlite_file is not None:
                conn = sqlite3.connect(self.sqlite_file, timeout=30)
            else:
                import psycopg

                conn = psycopg.connect(self.database_url, autocommit=True)
            self.local.conn = conn
        mark = "?" if self.sqlite_file is not None else "%s"
        sql = f'SELECT body FROM notifications_outboundemail WHERE "to" = {mark} AND kind = {mark}'  # noqa: S608
        row = conn.execute(sql, (to, "meeting_vote")).fetchone()
        if self.sqlite_file is not None:
            conn.commit()
        return row[0] if row else None


class Run:
    def __init__(self, base: str, setup: dict[str, Any], outbox: Outbox) -> None:
        self.base, self.setup, self.outbox = base, setup, outbox
        self.times: dict[str, list[float]] = defaultdict(list)
        self.failures: list[str] = []
        self.requests = 0
        self.lock = threading.Lock()

    def _call(
        self, session: requests.Session, step: str, method: str, path: str, expect: int, **kw: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            answer = session.request(method, self.base + path, allow_redirects=False, timeout=60, **kw)
        except requests.RequestException as exc:
            answer, problem = None, f"{step}: {type(exc).__name__}: {exc}"
        else:
            problem = "" if answer.status_code == expect else f"{step}: HTTP {answer.status_code} {path}"
        elapsed = time.perf_counter() - started
        with self.lock:
            self.requests += 1
            self.times[step].append(elapsed)
            if problem:
                self.failures.append(problem)
        return answer if not problem else None

    def _form(self, session: requests.Session, step: str, path: str) -> str | None:
        page = self._call(session, step, "GET", path, 200)
        token = TOKEN.search(page.text) if page is not None else None
        return token.group(1) if token else None

    def vote(self, session: requests.Session, n: int) -> None:
        session.cookies.clear()  # a new person
        meeting = self.setup["meeting"]
        path = f"/consultations/neighbourhood-meetings/{meeting}/"
        token = self._form(session, "vote: form", path)
        if token is None:
            return
        email = f"voter{n}@example.org"
        priorities = self.setup["priorities"]
        posted = self._call(
            session,
            "vote: post",
            "POST",
            path,
            302,
            data={
                "csrfmiddlewaretoken": token,
                "priority": priorities[n % len(priorities)],
                "email": email,
                "website": "",
            },
        )
        if posted is None:
            return
        if self._call(session, "vote: check your email", "GET", posted.headers["Location"], 200) is None:
            return
        started = time.perf_counter()
        body = self.outbox.body(email)
        with self.lock:
            self.times["vote: read the email (database)"].append(time.perf_counter() - started)
        found = LINK.search(body or "")
        if not found:
            with self.lock:
                self.failures.append(f"no confirmation email for {email}")
            return
        link = f"/consultations/neighbourhood-meetings/votes/{found.group(1)}/"
        token = self._form(session, "vote: confirmation page", link)
        if token is None:
            return
        confirmed = self._call(
            session, "vote: confirm", "POST", link, 200, data={"csrfmiddlewaretoken": token}
        )
        if confirmed is not None and "Confirm my vote" in confirmed.text:
            with self.lock:
                self.failures.append(f"vote: confirm: the page still asks to confirm ({email})")

    def respond(self, session: requests.Session, n: int) -> None:
        session.cookies.clear()
        path = f"/consultations/{self.setup['consultation']}/"
        token = self._form(session, "response: form", path)
        if token is None:
            return
        data: dict[str, Any] = {"csrfmiddlewaretoken": token, "website": ""}
        for pk, kind, options in self.setup["questions"]:
            if kind == "single":
                data[f"q{pk}"] = options[n % len(options)]
            elif kind == "multiple":
                data[f"q{pk}"] = options[: 1 + n % len(options)]
            elif kind == "scale":
                data[f"q{pk}"] = str(1 + n % 5)
            elif n % 5 == 0:
                data[f"q{pk}"] = f"Comment number {n}: more patrols by the park in the evening."
        posted = self._call(session, "response: post", "POST", path, 302, data=data)
        if posted is not None:
            self._call(session, "response: thank-you page", "GET", posted.headers["Location"], 200)

    def group(self, kind: str, address: str, people: range) -> None:
        with requests.Session() as session:
            session.mount("http://", FromAddress(address))
            for n in people:
                (self.vote if kind == "vote" else self.respond)(session, n)


def _groups(votes: int, responses: int) -> list[tuple[str, str, range]]:
    """People grouped by address, as many on an address as its limit allows, votes and responses mixed."""
    addresses = (f"127.1.{i // 250}.{1 + i % 250}" for i in range(1_000_000))
    vote_groups = [
        ("vote", range(s, min(s + VOTES_PER_ADDRESS, votes))) for s in range(0, votes, VOTES_PER_ADDRESS)
    ]
    response_groups = [
        ("response", range(s, min(s + RESPONSES_PER_ADDRESS, responses)))
        for s in range(0, responses, RESPONSES_PER_ADDRESS)
    ]
    mixed: list[tuple[str, range]] = []
    for i in range(max(len(vote_groups), len(response_groups))):
        mixed += vote_groups[i : i + 1] + response_groups[i : i + 1]
    return [(kind, next(addresses), people) for kind, people in mixed]


def _ms(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--votes", type=int, default=500)
    parser.add_argument("--responses", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8, help="people at once (threads)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (JOINEDUP_WEB_WORKERS)")
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of a fresh SQLite file")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="joinedup-public-load-"))
    sqlite_file = None if args.database_url else work / "joinedup.sqlite3"
    database_url = args.database_url or f"sqlite:///{sqlite_file}"
    _fresh_database(database_url, work)
    env = _env(
        database_url, work, JOINEDUP_WEB_WORKERS=str(args.workers), JOINEDUP_STATIC_ROOT=str(work / "static")
    )
    print(f"migrating and loading into {'PostgreSQL' if args.database_url else 'SQLite'} ...", flush=True)
    _joinedup(env, "manage", "migrate", "--noinput", "-v", "0")
    _joinedup(env, "manage", "createcachetable")
    _joinedup(env, "manage", "collectstatic", "--noinput", "-v", "0")
    setup = json.loads(_joinedup(env, "manage", "shell", "-c", SETUP).strip().splitlines()[-1])
    port = free_port()
    server = _start_server(env, port, work / "server.log")
    run = Run(f"http://127.0.0.1:{port}", setup, Outbox(database_url, sqlite_file))
    groups = _groups(args.votes, args.responses)
    try:
        # Warm-up (not counted, not in the figures): each worker's first requests import the templates.
        warm = requests.Session()
        for _ in range(3 * args.workers):
            warm.get(f"{run.base}/consultations/{setup['consultation']}/", timeout=60)
            warm.get(f"{run.base}/consultations/neighbourhood-meetings/{setup['meeting']}/", timeout=60)
        load_before = os.getloadavg()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            for future in [pool.submit(run.group, kind, address, people) for kind, address, people in groups]:
                future.result()
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()
        # The production limit was on: one more vote from the first (full) address is refused.
        extra = Run(run.base, setup, run.outbox)
        with requests.Session() as session:
            session.mount("http://", FromAddress(groups[0][1]))
            session.cookies.clear()
            path = f"/consultations/neighbourhood-meetings/{setup['meeting']}/"
            token = extra._form(session, "extra", path)
            refused = session.post(
                run.base + path,
                data={
                    "csrfmiddlewaretoken": token,
                    "priority": setup["priorities"][0],
                    "email": "one@more.org",
                },
                allow_redirects=False,
                timeout=60,
            ).status_code
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    counts = json.loads(_joinedup(env, "manage", "shell", "-c", CHECK).strip().splitlines()[-1])

    print(
        f"\ncpus: {os.cpu_count()}, load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; "
        f"{args.workers} gunicorn workers, {args.clients} clients, {len(groups)} addresses"
    )
    print(
        f"{args.votes} votes + {args.responses} responses in {elapsed:.1f} s: "
        f"{(args.votes + args.responses) / elapsed:.1f} recorded/s, "
        f"{run.requests} requests = {run.requests / elapsed:.1f} requests/s"
    )
    print("| step | requests | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for step, values in run.times.items():
        print(
            f"| {step} | {len(values)} | {_ms(values, 50):.0f} | {_ms(values, 95):.0f} | {_ms(values, 99):.0f} |"
        )
    print(f"failed: {len(run.failures)}")
    for problem in run.failures[:20]:
        print(f"  {problem}")
    print(f"in the database: {counts}")
    print(f"one more vote from a full address: HTTP {refused} (429 expected)")
    ok = (
        not run.failures
        and counts["confirmed"] == counts["votes"] == args.votes
        and counts["responses"] == args.responses
        and refused == 429
    )
    print("OK" if ok else "NOT OK")
    if ok:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work} (server.log)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
