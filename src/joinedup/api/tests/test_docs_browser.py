"""The API docs page in Chromium: Swagger UI runs offline, under our Content-Security-Policy, and works."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from joinedup.api.testing import api_operations
from joinedup.core.roles import Role
from joinedup.core.services.tokens import create_token

pytestmark = [pytest.mark.browser]


def test_docs_render_and_try_it_out_without_any_outside_request(
    browser: Any, live_server: Any, transactional_db: Any, make_user: Any
) -> None:
    _token, raw = create_token(
        user=make_user(role=Role.ANALYST, email="docs@example.org"), name="docs", actor=None
    )
    own_origin = urlsplit(live_server.url).netloc
    outside: list[str] = []
    problems: list[str] = []

    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()

    def only_our_own_server(route: Any) -> None:
        if urlsplit(route.request.url).netloc == own_origin:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_our_own_server)
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        response = page.goto(live_server.url + "/api/v1/docs")
        assert response is not None and response.status == 200
        page.wait_for_selector(".opblock", timeout=60_000)  # a large document on a busy machine
        assert page.locator(".opblock").count() == len(api_operations())
        assert "Joined Up API" in page.locator(".info .title").inner_text()
        assert page.locator("html").get_attribute("lang") == "en-GB"
        assert page.locator("main .opblock").count() == len(api_operations()), "the operations sit in <main>"

        # Authorise with a token and call GET /me from the page.
        page.get_by_role("button", name="Authorize").first.click()
        page.locator(".modal-ux input").fill(raw)
        page.locator(".modal-ux button.authorize").click()
        page.locator(".modal-ux button.btn-done").click()
        operation = page.locator("#operations-me-core_me")
        operation.locator(".opblock-summary").click()
        operation.get_by_role("button", name="Try it out").click()
        operation.get_by_role("button", name="Execute").click()
        results = operation.locator(".live-responses-table")
        results.get_by_text("docs@example.org").first.wait_for(timeout=60_000)
        assert results.locator("tr.response td.response-col_status").first.inner_text().strip() == "200"
        assert "docs@example.org" in operation.locator(".live-responses-table").inner_text()
    finally:
        context.close()

    assert not outside, f"the docs page tried to reach outside: {outside}"
    assert not [p for p in problems if "Content Security Policy" in p or "Refused to" in p], problems
    assert not problems, problems
