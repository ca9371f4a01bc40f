"""The public home page leads to everything public, and every link it shows works without signing in."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client


def test_every_link_on_the_public_home_page_opens_for_a_visitor(db: Any) -> None:
    home = Client().get("/")
    assert home.status_code == 200
    links = sorted(set(re.findall(r'href="(/[^"#]*)"', home.content.decode())))
    public = [link for link in links if not link.startswith(("/static/", "/staff/", "/api/"))]
    for expected in (
        "/partnerships/",
        "/csp/",
        "/grants/",
        "/apply/",
        "/asb-case-reviews/apply/",
        "/consultations/",
        "/plan-progress/",
    ):
        assert expected in public, expected
    for link in public:
        response = Client().get(link)
        assert response.status_code == 200, f"{link} answered {response.status_code}"
