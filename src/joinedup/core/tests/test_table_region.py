"""Wide tables scroll inside a labelled, focusable region (WCAG 1.4.10), and the CSP pages link only to
what the reader may open."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template

from joinedup.core.roles import Role


def test_a_table_region_is_a_labelled_focusable_region_around_the_table() -> None:
    html = Template(
        "{% load ju_tables %}{% table_region label %}<table><tr><td>a &amp; b</td></tr></table>{% endtable_region %}"
    ).render(Context({"label": "Cases & actions"}))
    assert re.search(
        r'<div class="app-table-wrap" role="region" aria-label="Cases &amp; actions" tabindex="0">'
        r"<table><tr><td>a &amp; b</td></tr></table></div>",
        html,
    ), html


@pytest.mark.django_db
def test_the_csp_pages_offer_an_analyst_no_link_they_cannot_follow(client_for) -> None:  # type: ignore[no-untyped-def]
    analyst = client_for(Role.ANALYST)
    page = analyst.get("/staff/csp/").content.decode()
    for hidden in ("/staff/csp/dhrs/", "/staff/csp/panel/", "/staff/csp/briefings/"):
        assert f'href="{hidden}' not in page
    officer = client_for(Role.OPCC_OFFICER).get("/staff/csp/").content.decode()
    assert 'href="/staff/csp/dhrs/"' in officer and 'href="/staff/csp/panel/workspace/"' in officer
