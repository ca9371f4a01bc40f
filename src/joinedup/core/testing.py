"""What the permission-matrix test needs from each app: the expected access to every URL and API operation.

Each app lists its pages in `<app>/tests/access.py` as `URLS` and its API operations as `API`. The matrix
test walks every URL pattern and every OpenAPI operation and fails on any without an entry, so a new
endpoint without a rule fails the build.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from joinedup.core.roles import Role

# A migration test migrates the database back to an old release and forward again: Django renders every
# model state many times, minutes of CPU on a busy machine. It runs in CI's PostgreSQL pass only (the
# database production migrates; under SQLite with coverage it would take longer still), with a longer limit
# than the suite's 300 s, and the `back_to_latest` fixture (src/joinedup/conftest.py) migrates forward after.
MIGRATION_TEST_TIMEOUT = 900
# A migration test of an early release's migration, which every installation has long since run, costs CI
# about five minutes of its ninety; it runs when asked: JOINEDUP_HISTORIC_MIGRATION_TESTS=1.
HISTORIC_MIGRATION = pytest.mark.skipif(
    not os.environ.get("JOINEDUP_HISTORIC_MIGRATION_TESTS"),
    reason="an early release's migration, run by every installation: JOINEDUP_HISTORIC_MIGRATION_TESTS=1 runs it",
)

EVERY_ROLE: frozenset[str] = frozenset(Role.values)
PUBLIC = "public"  # anyone, signed in or not


@dataclass(frozen=True)
class Access:
    """Who may use one URL or API operation, and how the test should call it."""

    roles: frozenset[str] | str
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda objects: {}
    method: str = "GET"
    data: Callable[[dict[str, Any]], dict[str, Any]] = lambda objects: {}
    query: str = ""
    # For pages that are about signing in, a signed-in person is sent on rather than shown them.
    anonymous_only: bool = False
    superuser_only: bool = False
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


def all_but(*names: str) -> frozenset[str]:
    return EVERY_ROLE - set(names)


def at_once(count: int, work: Callable[[int], Any], *, timeout: float = 180) -> list[Any]:
    """Run `work(i)` for i in range(count) in threads released together (for races on PostgreSQL, where
    requests really overlap); each result is the return value or the exception raised. Each thread closes
    its own database connection."""
    from django.db import connections

    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def use_data_dir(settings: Any, path: Any) -> Any:
    """Point a test at its own data directory: the store and Django's default storage (`path/files`)."""
    from pathlib import Path

    settings.DATA_DIR = Path(path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": Path(path) / "files"},
        },
    }
    return settings.DATA_DIR


def browser_origin(page: Any, site: str = "http://testserver") -> str:
    """The Origin header a browser sends with a form posted from `page` (a response) to its own site, as the
    Fetch standard sets it: "null" when the page's Referrer-Policy is "no-referrer" (and CSRF protection
    refuses a POST from origin "null"), the site's origin otherwise."""
    policy = str(page.get("Referrer-Policy", "")).split(",")[-1].strip()
    return "null" if policy == "no-referrer" else site


def choose_language(client: Any, page: str, language: str) -> Any:
    """Press the language switch on a public page as a reader without JavaScript would: read the page, post
    its switch form (with the page's own CSRF token and return address, and the Origin a browser sends from
    it) choosing `language`, and give the response (a redirect back to the page). The client should enforce
    CSRF checks, as a browser does."""
    import re

    shown = client.get(page)
    html = shown.content.decode()
    form = re.search(r'<nav class="ju-language-switch".*?</nav>', html, re.S)
    assert form is not None, f"{page} has no language switch"
    action = re.search(r'<form method="post" action="([^"]+)"', form.group(0))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0))
    back = re.search(r'name="next" value="([^"]*)"', form.group(0))
    assert action and token and back
    assert f'name="language" value="{language}"' in form.group(0), f"no button for {language} on {page}"
    from html import unescape

    return client.post(
        action.group(1),
        {"csrfmiddlewaretoken": token.group(1), "next": unescape(back.group(1)), "language": language},
        HTTP_ORIGIN=browser_origin(shown),
    )
