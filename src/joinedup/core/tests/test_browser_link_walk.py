"""Every demo role's links, walked in Chromium (issue 14, "Done when"): each demo account signs in (with its
second factor, as production requires), and every same-site staff link shown on its home page, and on the
pages those lead to, answers without a 4xx or 5xx; every page visited has no axe violations at 1,280 px
and at 320 px, and at 320 px the page itself never scrolls sideways (WCAG 1.4.10: wide tables scroll
inside their own focusable region).

Pages are de-duplicated by URL pattern (numbers and references replaced), so /cases/12/ and /cases/13/
count once; downloads are fetched, never parsed. The walk is bounded, and reports every problem at once.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.casework.demo import load_casework_demo
from joinedup.conftest import AXE_RULES, AXE_TAGS
from joinedup.core.demo import DEMO_ACCOUNTS, load_demo
from joinedup.core.models import User
from joinedup.csp.demo import load_csp_demo
from joinedup.csp.demo import load_year_demo as load_csp_year
from joinedup.funding.demo import load_funding_demo
from joinedup.partnerships.demo import load_partnership_demo
from joinedup.partnerships.demo import load_year_demo as load_partnerships_year
from joinedup.scrutiny.demo import load_year_demo as load_panel_year

pytestmark = [pytest.mark.browser]

PASSWORD = settings.JOINEDUP_DEMO_PASSWORD
WIDE, NARROW = 1280, 320
DEPTH = 2
MOST_PAGES_PER_ROLE = 120
# Links that are not pages to look at: signing out is a POST, but never follow one that says so.
NOT_FOLLOWED = re.compile(r"/sign-out/|/admin/")
# What varies between two pages of one kind: numbers, UUIDs, case references, dates, force-area codes.
_VARYING = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "UUID"),
    (re.compile(r"\b[A-Z]{2,4}-\d{4,}\b"), "REF"),
    (re.compile(r"\b[EWSNK]\d{8}\b"), "CODE"),
    (re.compile(r"\d{4}-\d{2}(-\d{2})?"), "DATE"),
    (re.compile(r"\d+"), "N"),
]


def url_pattern(url: str) -> str:
    """/staff/casework/cases/12/?page=2 and /staff/casework/cases/13/?page=3 are one pattern."""
    parts = urlsplit(url)
    path = parts.path
    for regex, replacement in _VARYING:
        path = regex.sub(replacement, path)
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and dict(attrs).get("download") is None:
            self.links.append(href)


def staff_links(html: str, base: str, origin: str) -> list[str]:
    """Same-site links under /staff/ shown on the page, as absolute URLs without fragments."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        url = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or not parts.path.startswith("/staff/"):
            continue
        if NOT_FOLLOWED.search(parts.path):
            continue
        found.append(url)
    return found


@pytest.fixture
def year_in_the_life(transactional_db: Any, tmp_path: Any) -> None:
    """The demo `./run` loads (without the published data, which the walk does not need)."""

    def quiet(_line: str) -> None:
        return None

    load_demo(shared_data_dir=tmp_path, out=quiet)
    load_partnership_demo(out=quiet)
    load_partnerships_year(out=quiet)
    load_casework_demo(out=quiet)
    load_funding_demo(out=quiet)
    load_csp_demo(out=quiet)
    load_csp_year(out=quiet)
    load_panel_year(out=quiet)
    for user in User.objects.filter(email__in=[email for email, *_ in DEMO_ACCOUNTS]):
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "rules": {rule: {"enabled": True} for rule in AXE_RULES},
        },
    )
    return [
        f"{v['id']} ({len(v['nodes'])}): {v['help']} — {v['nodes'][0]['target']}"
        for v in results.response["violations"]
    ]


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/staff/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/staff/sign-in/two-factor/" in page.url, f"{email} was not asked for a second factor"
    device = TOTPDevice.objects.get(user__email=email)
    page.get_by_label("Security code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/staff/", f"{email} did not reach the home page: {page.url}"


def walk_role(context: Any, base: str, email: str, checked: set[str]) -> tuple[list[str], set[str]]:
    """Walk one signed-in role's links: (problems, patterns visited). `checked` holds the patterns axe has
    already checked (for this role or an earlier one)."""
    page = context.new_page()
    page.set_viewport_size({"width": WIDE, "height": 900})
    _sign_in(page, base, email)
    problems: list[str] = []
    seen: set[str] = set()
    frontier = [(base + "/staff/", "sign-in")]
    for level in range(DEPTH + 1):
        following: list[tuple[str, str]] = []
        for url, came_from in frontier:
            pattern = url_pattern(url)
            if pattern in seen or len(seen) >= MOST_PAGES_PER_ROLE:
                continue
            seen.add(pattern)
            response = context.request.get(url, max_redirects=5)
            if response.status >= 400:
                problems.append(f"{response.status} {url} (linked from {came_from})")
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue  # a download: fetched, not parsed
            if level < DEPTH:
                following += [(link, url) for link in staff_links(response.text(), response.url, base)]
            if pattern in checked:
                continue
            checked.add(pattern)
            page.goto(url)
            for width in (WIDE, NARROW):
                page.set_viewport_size({"width": width, "height": 900})
                problems += [f"axe at {width} px on {url}: {v}" for v in _axe(page)]
                if width == NARROW:
                    overflow = page.evaluate("document.documentElement.scrollWidth")
                    if overflow > NARROW:
                        problems.append(f"{url} is {overflow} px wide at {NARROW} px")
            page.set_viewport_size({"width": WIDE, "height": 900})
        frontier = following
    page.close()
    return problems, seen


@pytest.mark.timeout(1200)
@override_settings(JOINEDUP_TWO_FACTOR_REQUIRED_ROLES=sorted({role for _e, role, *_ in DEMO_ACCOUNTS}))
def test_every_link_each_demo_role_is_shown_works_and_passes_axe_at_both_widths(
    browser: Any, live_server: Any, year_in_the_life: None
) -> None:
    problems: list[str] = []
    checked: set[str] = set()  # a page pattern axe has passed for one role is not checked again for the next
    for email, role, *_ in DEMO_ACCOUNTS:
        context = browser.new_context()
        try:
            found, seen = walk_role(context, live_server.url, email, checked)
        finally:
            context.close()
        problems += [f"[{email}] {problem}" for problem in found]
        print(f"{email}: {len(seen)} page patterns, {len(found)} problems", *found, sep="\n", flush=True)
        # The walk went beyond the home page for everyone.
        assert len(seen) > 5, f"{email} ({role}) reached only {sorted(seen)}"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_url_patterns_count_pages_of_one_kind_once() -> None:
    assert url_pattern("http://x/staff/casework/cases/12/") == url_pattern(
        "http://x/staff/casework/cases/13/"
    )
    assert url_pattern("http://x/staff/areas/E22000245/") == url_pattern("http://x/staff/areas/E08000021/")
    assert url_pattern("http://x/staff/a/?page=2") == url_pattern("http://x/staff/a/?page=3")
    assert url_pattern("http://x/staff/a/?page=2") != url_pattern("http://x/staff/a/")
    assert url_pattern("http://x/staff/funding/") != url_pattern("http://x/staff/csp/")
