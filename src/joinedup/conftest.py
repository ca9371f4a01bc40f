"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.core.models import Area, User
from joinedup.core.roles import Role
from joinedup.core.tests.factories import TEST_PASSWORD, UserFactory, area_tree


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """CI runs the suite twice, on SQLite (./test, with coverage) then on PostgreSQL, within 90 minutes. A
    slow test whose subject does not change with the pass's database runs in one pass only, marked
    `postgresql_pass` (migrations, which production runs on PostgreSQL) or `sqlite_pass` (a test that makes
    its own SQLite database whatever the pass's), each with the reason; it is skipped in the other pass."""
    from django.db import connection

    vendor = connection.vendor
    for item in items:
        for marker, wanted in (("postgresql_pass", "postgresql"), ("sqlite_pass", "sqlite")):
            found = item.get_closest_marker(marker)
            if found is not None and vendor != wanted:
                why = found.args[0] if found.args else ""
                item.add_marker(pytest.mark.skip(reason=f"runs in the {wanted} pass only: {why}"))


@pytest.fixture
def areas(db: Any) -> dict[str, Area]:
    return area_tree()


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(role: str = Role.OPCC_OFFICER, **kwargs: Any) -> User:
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def users(make_user: Callable[..., User], areas: dict[str, Area]) -> dict[str, User]:
    """One account per role; the CSP manager and analyst work for North Testshire."""
    made = {}
    for role in Role.values:
        scoped = [areas["north"]] if role in (Role.CSP_MANAGER, Role.ANALYST) else [areas["pfa"]]
        made[role] = make_user(role=role, email=f"{role}@example.org", areas=scoped)
    return made


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str], Client]:
    """A test client signed in as the given role's account."""

    def signed_in(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return signed_in


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def back_to_latest() -> Any:
    """For a migration test (`core.testing.MIGRATION_TEST`): leave the schema as the rest of the suite
    expects it, every migration applied, whatever state the test left it in."""
    yield
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


# --- browser tests ---------------------------------------------------------------------------------
# Debian's Chromium driven by Python Playwright; axe-core checks every page a test visits.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best-practice rules checked as well: all content inside a landmark (so screen-reader users can move by
# landmarks), and the landmarks themselves well formed.
AXE_RULES = ["region", "landmark-one-main", "landmark-unique", "landmark-no-duplicate-banner"]


@pytest.fixture(scope="session")
def browser() -> Any:
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    if not shutil.which("chromium") and not os.path.exists(CHROMIUM):
        pytest.fail("Debian's Chromium is not installed: ./test installs it (apt-get install chromium).")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AccessiblePage:
    """A Playwright page that runs axe-core (WCAG 2.2 AA) after every navigation it is asked to check."""

    def __init__(self, page: Any, base_url: str, *, run_axe: bool = True) -> None:
        self.page = page
        self.base_url = base_url
        self.run_axe = run_axe
        self.checked: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)

    def visit(self, path: str, *, expect_status: int = 200) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None
        assert response.status == expect_status, f"{path}: expected {expect_status}, got {response.status}"
        self.check_accessibility()
        return response

    def check_accessibility(self) -> None:
        if not self.run_axe:
            # axe is a script: it cannot run in a page with JavaScript switched off. The same pages are
            # checked by the tests that run with JavaScript.
            return
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(
            self.page,
            options={
                "runOnly": {"type": "tag", "values": AXE_TAGS},
                "rules": {rule: {"enabled": True} for rule in AXE_RULES},
            },
        )
        violations = results.response["violations"]
        self.checked.append(self.page.url)
        assert not violations, (
            f"axe found accessibility problems on {self.page.url}:\n" + results.generate_report()
        )

    def fill_date(self, legend: str, value: Any) -> None:
        """Type a date into the GOV.UK date input whose fieldset has `legend` (a date or an ISO string)."""
        import datetime

        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
        group = self.page.get_by_role("group", name=legend, exact=True)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))

    def sign_in(self, email: str, password: str) -> None:
        self.visit("/staff/sign-in/")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        self.check_accessibility()


@pytest.fixture
def page(browser: Any, live_server: Any, transactional_db: Any) -> Any:
    context = browser.new_context(java_script_enabled=True)
    yield AccessiblePage(context.new_page(), live_server.url)
    context.close()


@pytest.fixture
def page_without_js(browser: Any, live_server: Any, transactional_db: Any) -> Any:
    context = browser.new_context(java_script_enabled=False)
    yield AccessiblePage(context.new_page(), live_server.url, run_axe=False)
    context.close()
