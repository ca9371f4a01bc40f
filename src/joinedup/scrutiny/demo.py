"""`joinedup scrutiny demo`: the Police and Crime Panel's year in Northumbria: invented members (no real
councillor is named) and the CSPs each is link member for, past and coming meetings, and recommendations to
the Commissioner, one answered. Idempotent: each part is added once. Run after `joinedup demo`."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from joinedup.core.demo import PFA, DemoRefused
from joinedup.core.models import Area, AreaLevel, User

from . import services
from .models import ImplementationStatus, MeetingKind, PanelMeeting, PanelMember, PanelRecommendation

# Invented Panel members (no real councillor is named), the CSPs each is link member for.
DEMO_PANEL_MEMBERS = (
    ("Councillor A. Example (illustrative)", "chair", "Newcastle upon Tyne", "Victims' services"),
    ("Councillor B. Example (illustrative)", "vice_chair", "Gateshead", "Serious violence"),
    ("C. Example, independent member (illustrative)", "independent", "Sunderland", "Anti-social behaviour"),
)
# (title, days before today it was made, days after it the response is due, the PCC's response or "")
DEMO_RECOMMENDATIONS = (
    (
        "Publish each CSP's grant spend",
        120,
        42,
        "Accepted: spend by CSP is now published with each quarter's report to the Panel.",
    ),
    ("Report victims' satisfaction by CSP", 50, 42, ""),
    ("Review the anti-social behaviour case review threshold", 20, 42, ""),
)


@transaction.atomic
def load_year_demo(*, out: Callable[[str], None]) -> list[str]:
    """The Panel's members, meetings, recommendations and the Commissioner's response to one."""
    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused("Refusing to load demo data: JOINEDUP_ENV is 'production'.")
    users = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
    panel, officer = users.get("panel@example.org"), users.get("opcc.officer@example.org")
    force_area = Area.objects.filter(code=PFA, level=AreaLevel.PFA).first()
    lines: list[str] = []
    if None in (panel, officer, force_area):
        lines.append("Panel demo: run `joinedup demo` first.")
        for line in lines:
            out(line)
        return lines
    assert panel and officer and force_area
    today = timezone.localdate()
    csps = {a.name: a for a in Area.objects.filter(level=AreaLevel.CSP, pfa=force_area)}

    for name, role, csp_name, theme in DEMO_PANEL_MEMBERS:
        if not PanelMember.objects.filter(force_area=force_area, name=name).exists():
            linked = [csps[csp_name]] if csp_name in csps else []
            services.save_panel_member(
                actor=panel,
                force_area=force_area,
                data={"name": name, "role": role, "council": "", "link_theme": theme, "linked_csps": linked},
            )
            lines.append(f"Panel member added: {name}.")

    meetings = (
        (
            MeetingKind.PANEL,
            -60,
            "Police and Crime Panel: the annual report",
            "The Commissioner's annual report",
        ),
        (MeetingKind.PANEL, 30, "Police and Crime Panel: the precept", "The proposed precept"),
        (MeetingKind.ANNUAL_CSP_CHAIRS, 45, "Annual meeting with the CSP chairs", "Each CSP's priorities"),
    )
    for kind, days, title, agenda in meetings:
        if PanelMeeting.objects.filter(force_area=force_area, title=title).exists():
            continue
        held_on = today + datetime.timedelta(days=days)
        services.save_meeting(
            actor=panel,
            force_area=force_area,
            data={"kind": kind, "held_on": held_on, "title": title, "agenda": agenda, "minutes_link": ""},
        )
        lines.append(f"Panel meeting: {title}, {held_on:%-d %B %Y}.")

    for title, made_days, due_days, response in DEMO_RECOMMENDATIONS:
        if PanelRecommendation.objects.filter(force_area=force_area, title=title).exists():
            continue
        made_on = today - datetime.timedelta(days=made_days)
        item = services.create_panel_recommendation(
            actor=panel,
            force_area=force_area,
            data={
                "title": title,
                "recommendation": f"We recommend that the Commissioner: {title.lower()}.",
                "made_on": made_on,
                "response_due": made_on + datetime.timedelta(days=due_days),
                "csp": None,
            },
        )
        if response:
            services.update_panel_recommendation(
                actor=officer,
                item=item,
                expected_version=item.version,
                data={
                    "pcc_response": response,
                    "response_on": made_on + datetime.timedelta(days=30),
                    "status": ImplementationStatus.IMPLEMENTED,
                    "implementation": "Spend by CSP is in the quarterly report.",
                },
            )
        lines.append(f"Panel recommendation: {title}.")
    for line in lines:
        out(line)
    return lines
