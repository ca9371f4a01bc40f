"""Health for load balancers and operators.

- `/healthz`: alive — the process answers (no database call, so a busy database never gets a web
  server restarted).
- `/readyz`: ready to serve — each check in `READINESS_CHECKS` passes; 503 naming the failing ones.

Both are answered by `HealthCheckMiddleware`, first in the middleware, so neither is redirected to HTTPS
nor checked against ALLOWED_HOSTS: a load balancer calling a server by its address over plain HTTP gets
200. They say nothing about the data beyond "ok" or the reason a check failed.

A check is a function that returns a short description when all is well and raises when not; adding one
(the worker's or the scheduler's heartbeat) is one line in `READINESS_CHECKS`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

HEALTH_PATHS = ("/healthz", "/readyz")


class NotReady(Exception):
    """A readiness check failed; the message says why (no personal data)."""


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def analytical_store() -> str:
    """The current generation, if any, is present and its coverage record readable."""
    from joinedup.insight import store

    name = store.current_generation()
    if name is None:
        return "empty (nothing imported yet)"
    storage = store.remote()
    if storage is not None:
        # On object storage: the generation CURRENT names was published whole (its coverage is written
        # before the pointer); this server downloads it on its first read.
        if not storage.exists(f"generations/{name}/{store.COVERAGE_FILE}"):
            raise NotReady(f"CURRENT names generation {name}, which object storage lacks")
        return f"generation {name} (object storage)"
    path = store.generations_dir() / name
    if not path.is_dir():
        raise NotReady(f"CURRENT names generation {name}, which is missing")
    coverage = path / "COVERAGE.json"
    if coverage.exists():
        try:
            json.loads(coverage.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise NotReady(
                f"generation {name}: COVERAGE.json cannot be read ({exc.__class__.__name__})"
            ) from exc
    return f"generation {name}"


READINESS_CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("database", database),
    ("analytical_store", analytical_store),
]


def _heard_from(last_seen: Any, what: str) -> str:
    from datetime import timedelta

    from django.utils import timezone

    if last_seen is None:
        raise NotReady(f"no {what} has ever run")
    age = timezone.now() - last_seen
    if age > timedelta(minutes=3):
        raise NotReady(f"no {what} heard from for {int(age.total_seconds() // 60)} minutes")
    return f"last heard from {int(age.total_seconds())} seconds ago"


def worker() -> str:
    from joinedup.core.selectors.work import worker_last_seen

    return _heard_from(worker_last_seen(), "task worker")


def scheduler() -> str:
    from joinedup.notifications.selectors import scheduler_last_seen

    return _heard_from(scheduler_last_seen(), "scheduler")


# The background processes, reported by /readyz for monitoring but not part of readiness: a web server
# can serve while the worker is being restarted, so a load balancer must not take it out of rotation.
BACKGROUND_CHECKS: list[tuple[str, Callable[[], str]]] = [("worker", worker), ("scheduler", scheduler)]


def _run(checks: list[tuple[str, Callable[[], str]]]) -> tuple[bool, dict[str, Any]]:
    results: dict[str, Any] = {}
    ok = True
    for name, check in checks:
        try:
            results[name] = {"ok": True, "detail": check()}
        except Exception as exc:
            ok = False
            results[name] = {"ok": False, "detail": str(exc) or exc.__class__.__name__}
    return ok, results


def readiness() -> tuple[bool, dict[str, Any]]:
    """The readiness checks, each failure also logged as an error."""
    ready, results = _run(READINESS_CHECKS)
    for name, result in results.items():
        if not result["ok"]:
            logger.error("readiness check failed", extra={"check": name, "error": result["detail"]})
    return ready, results


def healthz(request: HttpRequest | None = None) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest | None = None) -> HttpResponse:
    ready, checks = readiness()
    _, background = _run(BACKGROUND_CHECKS)
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks, "background": background},
        status=200 if ready else 503,
    )


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before anything else runs (no HTTPS redirect, no host check)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in HEALTH_PATHS and request.method in ("GET", "HEAD"):
            response = healthz() if request.path_info == "/healthz" else readyz()
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
