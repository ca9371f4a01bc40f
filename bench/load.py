"""Load benchmark (issue 17 item 6): requests per second with p95 at or under 500 ms, one server against two
behind a small round-robin proxy, staff pages and API calls mixed, with locust (a pinned dev dependency)
headless on the loopback address, each step bounded in time.

    createdb -h 127.0.0.1 -U postgres bench_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_load .venv/bin/python bench/load.py \\
        [--users 4,8,16] [--seconds 20] [--reuse]

The database must be empty (or `--reuse` an earlier run's): the script migrates it and loads a small test
geography (one force area, two CSPs), an OPCC administrator and twelve months of street crime through
`joinedup insight import`, and creates an API token. Each server is gunicorn with Joined Up's gunicorn
configuration and the local settings (one sync worker each, as `JOINEDUP_WEB_WORKERS=1`), the one data
directory, and the API rate limit lifted. After a warm-up of each server (`--warmup` seconds, 30 by default, not
reported), for every number of simulated users, locust runs for `--seconds`
against one server, then against two through the proxy; the table printed gives requests/s and p50/p95.
Each simulated person signs in once, then, with no wait between requests: the staff home page (Your
work), the police data imports list, the partnership register, the assessment API for a CSP (a DuckDB
query over the store), the public grants API. Locust itself runs on the same machine and takes CPU from
the servers: the figures are for comparing the two set-ups on one machine, not a capacity plan.

Never point it at a database whose name starts with "test".
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, task

# Run as a script (`python bench/x.py`), the repository is not on the path: put it there for bench.server.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.server import environment, free_port
from bench.server import joinedup as _joinedup

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EMAIL = "load.admin@example.org"
PASSWORD = "correct horse battery staple"  # noqa: S105 - the test factories' password
SETUP = f"""
from joinedup.core.roles import Role
from joinedup.core.tests.factories import UserFactory, area_tree
area_tree()
UserFactory(role=Role.OPCC_ADMIN, email={EMAIL!r})
"""
STREET = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)
TYPES = ("Burglary", "Shoplifting", "Anti-social behaviour", "Vehicle crime", "Criminal damage and arson")


class StaffAndApi(HttpUser):
    """One person: signs in, then staff pages and API calls in turn, with no wait between them."""

    def on_start(self) -> None:
        page = self.client.get("/staff/sign-in/", name="sign in").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the sign-in page"
        self.client.post(
            "/staff/sign-in/",
            {"csrfmiddlewaretoken": token.group(1), "email": EMAIL, "password": PASSWORD},
            name="sign in",
        )
        self.bearer = {"Authorization": f"Bearer {os.environ['LOAD_API_TOKEN']}"}

    @task
    def your_work(self) -> None:
        self.client.get("/staff/", name="staff: your work")

    @task
    def imports(self) -> None:
        self.client.get("/staff/insight/imports/", name="staff: police data imports")

    @task
    def register(self) -> None:
        self.client.get("/staff/partnerships/", name="staff: partnership register")

    @task
    def assessment(self) -> None:
        self.client.get(
            "/api/v1/insight/assessments?area=E22000901&from=2023-07&to=2023-12",
            headers=self.bearer,
            name="api: assessment",
        )

    @task
    def grants(self) -> None:
        self.client.get("/api/v1/grants", name="api: grants")


# --- the driver ---------------------------------------------------------------------------------------


def _prepare(database_url: str, work: Path, reuse: bool) -> str:
    env = _env(database_url, work / "setup")
    token_file = work / "token"
    if reuse and token_file.exists():
        return token_file.read_text().strip()
    print("migrating and loading (a few minutes) ...", flush=True)
    _joinedup(env, "manage", "migrate", "--noinput", "-v", "0")
    _joinedup(env, "manage", "collectstatic", "--noinput", "-v", "0")
    _joinedup(env, "manage", "shell", "-c", SETUP)
    folder = work / "police"
    for m in range(1, 13):
        month = f"2023-{m:02d}"
        path = folder / month / f"{month}-testshire-street.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = [
            f"c{month}{n},{month},Testshire Police,Testshire Police,-1.5,54.9,On or near High Street,"
            f"E0190000{1 + n % 4},Some LSOA,{TYPES[n % len(TYPES)]},Under investigation,"
            for n in range(400)
        ]
        path.write_text("\n".join([STREET, *rows]) + "\n")
    _joinedup(env, "insight", "import", str(folder))
    token = (
        _joinedup(env, "tokens", "create", "--user", EMAIL, "--days", "30").strip().splitlines()[-1].strip()
    )
    token_file.write_text(token)
    return token


def _start_server(database_url: str, work: Path, label: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    # One machine, so both servers use the data directory the store was imported into (the local default).
    env = _env(
        database_url,
        work / "setup",
        JOINEDUP_BIND=f"127.0.0.1:{port}",
        JOINEDUP_STATIC_ROOT=str(work / "setup" / "static"),
    )
    log = open(work / f"{label}.log", "wb")  # noqa: SIM115 - the server keeps it
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "--config=python:joinedup.config.gunicorn",
            "joinedup.config.wsgi:application",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{label} did not start; see {work / f'{label}.log'}")


class Proxy:
    """A small TCP proxy: each new connection goes to the next server in turn (as a load balancer would)."""

    def __init__(self, ports: list[int]) -> None:
        self.port = free_port()
        self.targets = itertools.cycle(ports)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        self.ready.wait(10)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", next(self.targets))
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", self.port))
        self.ready.set()
        self.loop.run_until_complete(server.serve_forever())


def _locust(host: str, users: int, seconds: int, token: str, out: Path) -> dict[str, float]:
    prefix = out / f"u{users}-{urlparse(host).port}"
    subprocess.run(  # noqa: S603
        [
            str(BIN / "locust"),
            "-f",
            __file__,
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--loglevel",
            "ERROR",
        ],
        env={**os.environ, "LOAD_API_TOKEN": token},
        capture_output=True,
        check=False,
        timeout=seconds + 120,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")

    def number(column: str) -> float:
        return float("nan") if total[column] == "N/A" else float(total[column])  # N/A: no request finished

    return {
        "rps": number("Requests/s"),
        "p50": number("50%"),
        "p95": number("95%"),
        "failures": number("Failure Count"),
        "requests": number("Request Count"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", default="4,8,16", help="simulated people, comma-separated steps")
    parser.add_argument("--seconds", type=int, default=20, help="seconds of load per step")
    parser.add_argument("--warmup", type=int, default=30, help="seconds of unreported load per server first")
    parser.add_argument("--reuse", action="store_true", help="use the database loaded by an earlier run")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    name = urlparse(database_url).path.lstrip("/")
    if not database_url.startswith(("postgres://", "postgresql://")) or name.lower().startswith("test"):
        raise SystemExit(f"refusing to use {database_url!r}: a PostgreSQL database not named test*")
    work = Path(tempfile.gettempdir()) / f"joinedup-load-{name}"
    work.mkdir(exist_ok=True)
    token = _prepare(database_url, work, args.reuse)
    servers = [_start_server(database_url, work, "server-a"), _start_server(database_url, work, "server-b")]
    proxy = Proxy([port for _process, port in servers])
    try:
        # Warm-up, not reported: the first requests of each server pay for imports, the store's summary
        # and sign-ins' password hashing.
        for _process, port in servers:
            _locust(f"http://127.0.0.1:{port}", 2, args.warmup, token, work)
        print(f"cpus: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}")
        print("| set-up | users | requests/s | p50 ms | p95 ms | failures |")
        print("|---|---|---|---|---|---|")
        for users in [int(u) for u in args.users.split(",")]:
            for label, port in (("one server", servers[0][1]), ("two behind the proxy", proxy.port)):
                result = _locust(f"http://127.0.0.1:{port}", users, args.seconds, token, work)
                print(
                    f"| {label} | {users} | {result['rps']:.1f} | {result['p50']:.0f} | {result['p95']:.0f} "
                    f"| {result['failures']:.0f} of {result['requests']:.0f} |",
                    flush=True,
                )
    finally:
        for process, _port in servers:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()


def _env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """A local instance's environment with the API's rate limits lifted and one web worker unless said."""
    limits = {"JOINEDUP_API_RATE": "1000000/min", "JOINEDUP_API_ANONYMOUS_RATE": "1000000/min"}
    return environment(database_url, data_dir, **{**limits, "JOINEDUP_WEB_WORKERS": "1", **extra})
