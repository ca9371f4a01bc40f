"""Expected access to the Police and Crime Panel's pages and API operations, role by role (see
core/testing.py). The same as when they were a section of the CSP pages: only the URL names' namespace
(`scrutiny:`) changed; the API operations keep their `csp_` ids (api.api.OPERATION_PREFIX)."""

from __future__ import annotations

import datetime
from typing import Any

from joinedup.core.roles import Role
from joinedup.core.testing import Access, roles

ADMIN, OFFICER, CSP_MANAGER, PANEL, AUDITOR = (
    Role.OPCC_ADMIN,
    Role.OPCC_OFFICER,
    Role.CSP_MANAGER,
    Role.PANEL_MEMBER,
    Role.AUDITOR,
)
PANEL_READERS = roles(ADMIN, OFFICER, CSP_MANAGER, PANEL, AUDITOR)


def objects_hook(objects: dict[str, Any]) -> None:
    """A recommendation, a member, a work programme item and a meeting of the North Testshire force's Panel."""
    from joinedup.scrutiny.models import PanelMeeting, PanelMember, WorkProgrammeItem
    from joinedup.scrutiny.tests.factories import make_panel_recommendation

    pfa = objects["pfa"]
    objects["csp_panel_recommendation"] = make_panel_recommendation(force_area=pfa)
    objects["csp_panel_member"] = PanelMember.objects.create(force_area=pfa, name="Cllr Link")
    objects["csp_work_item"] = WorkProgrammeItem.objects.create(
        force_area=pfa, title="CSP briefing notes", planned_for=datetime.date.today()
    )
    objects["csp_meeting"] = PanelMeeting.objects.create(
        force_area=pfa, title="Annual meeting with CSP chairs", held_on=datetime.date.today()
    )


def _pk(key: str) -> Any:
    return lambda objects: {"pk": objects[key].pk}


URLS: dict[str, Access] = {
    "scrutiny:panel-list": Access(PANEL_READERS),
    "scrutiny:panel-create": Access(roles(PANEL)),
    "scrutiny:panel-detail": Access(PANEL_READERS, kwargs=_pk("csp_panel_recommendation")),
    # The Panel edits its recommendation; the OPCC records the PCC's response on the same page.
    "scrutiny:panel-edit": Access(roles(PANEL, ADMIN, OFFICER), kwargs=_pk("csp_panel_recommendation")),
    # Panel members keep the Panel's own records; everyone who reads Panel material sees the workspace.
    "scrutiny:panel-workspace": Access(PANEL_READERS),
    # Casework KPIs as the Panel sees them (small counts suppressed): the Panel, the OPCC and auditors.
    "scrutiny:panel-kpis": Access(roles(ADMIN, OFFICER, PANEL, AUDITOR)),
    "scrutiny:panel-member-create": Access(roles(PANEL)),
    "scrutiny:panel-member-edit": Access(roles(PANEL), kwargs=_pk("csp_panel_member")),
    "scrutiny:work-item-create": Access(roles(PANEL)),
    "scrutiny:work-item-edit": Access(roles(PANEL), kwargs=_pk("csp_work_item")),
    "scrutiny:meeting-create": Access(roles(PANEL)),
    "scrutiny:meeting-edit": Access(roles(PANEL), kwargs=_pk("csp_meeting")),
}

API: dict[str, Access] = {
    "csp_list_panel_recommendations": Access(PANEL_READERS),
    "csp_list_panel_members": Access(PANEL_READERS),
    "csp_list_work_programme": Access(PANEL_READERS),
    "csp_list_panel_meetings": Access(PANEL_READERS),
    "csp_create_panel_recommendation": Access(
        roles(PANEL),
        method="POST",
        data=lambda o: {
            "title": "Matrix recommendation",
            "recommendation": "Publish CSP briefing notes quarterly.",
            "made_on": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
        },
    ),
}
