"""Every CSP change form carries the version its record was read at: saved after someone else changed the
record, it is refused with 409 and the conflict message, and the record is left as the other person left it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import F, Model
from django.forms.models import model_to_dict
from django.test import Client

from joinedup.core.models import Area
from joinedup.core.roles import Role
from joinedup.core.tests.factories import OrganisationFactory
from joinedup.csp.models import BriefingNote
from joinedup.csp.tests.factories import make_assessment, make_dhr, make_duty, make_plan, make_requirement
from joinedup.scrutiny.models import PanelMeeting, PanelMember, WorkProgrammeItem
from joinedup.scrutiny.tests.factories import make_panel_recommendation

pytestmark = pytest.mark.django_db


def _plan_parts(areas: dict[str, Area]) -> tuple[Any, Any, Any]:
    plan = make_plan(csp=areas["north"])
    priority = plan.priorities.create(title="Domestic abuse")
    action = priority.actions.create(
        description="Run awareness sessions.", owner=OrganisationFactory(), due_date=plan.period_end
    )
    return plan, priority, action


def _dhr_recommendation(areas: dict[str, Area]) -> Any:
    return make_dhr(csp=areas["north"]).recommendations.create(
        agency=OrganisationFactory(), text="Train staff in routine enquiry."
    )


TODAY = datetime.date.today()
MANAGER, PANEL = Role.CSP_MANAGER, Role.PANEL_MEMBER

# The edit page (under /staff/csp/), who edits there, and the record it changes.
EDITS: dict[str, tuple[str, str, Callable[[dict[str, Area]], Model]]] = {
    "duty": ("duties/{pk}/edit/", MANAGER, lambda a: make_duty(csp=a["north"])),
    "dhr": ("dhrs/{pk}/edit/", MANAGER, lambda a: make_dhr(csp=a["north"])),
    "dhr-recommendation": ("dhr-recommendations/{pk}/edit/", MANAGER, _dhr_recommendation),
    "panel": ("panel/{pk}/edit/", PANEL, lambda a: make_panel_recommendation(force_area=a["pfa"])),
    "plan": ("plans/{pk}/edit/", MANAGER, lambda a: _plan_parts(a)[0]),
    "priority": ("priorities/{pk}/edit/", MANAGER, lambda a: _plan_parts(a)[1]),
    "action": ("actions/{pk}/edit/", MANAGER, lambda a: _plan_parts(a)[2]),
    "requirement": ("reports/{pk}/respond/", MANAGER, lambda a: make_requirement(csp=a["north"])),
    "assessment": ("assessments/{pk}/edit/", MANAGER, lambda a: make_assessment(csp=a["north"])),
    "briefing": (
        "briefings/{pk}/edit/",
        MANAGER,
        lambda a: BriefingNote.objects.create(csp=a["north"], year=2024, quarter=2),
    ),
    "panel-member": (
        "panel/members/{pk}/edit/",
        PANEL,
        lambda a: PanelMember.objects.create(force_area=a["pfa"], name="Cllr Link"),
    ),
    "work-item": (
        "panel/work/{pk}/edit/",
        PANEL,
        lambda a: WorkProgrammeItem.objects.create(force_area=a["pfa"], title="Briefings", planned_for=TODAY),
    ),
    "meeting": (
        "panel/meetings/{pk}/edit/",
        PANEL,
        lambda a: PanelMeeting.objects.create(force_area=a["pfa"], title="Annual meeting", held_on=TODAY),
    ),
}


def _as_posted(form: Any) -> dict[str, Any]:
    """What a browser sends back for a form left as it was shown (its starting values)."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or hasattr(value, "read"):
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            data[name] = [getattr(item, "pk", item) for item in items]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(getattr(value, "pk", value))
    return data


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_stale_edit_is_refused_with_409_and_changes_nothing(
    edit: str, areas: dict[str, Area], users: Any, client_for: Callable[[str], Client]
) -> None:
    path, role, make = EDITS[edit]
    record = make(areas)
    url = "/staff/csp/" + path.format(pk=record.pk)
    client = client_for(role)
    page = client.get(url)
    assert page.status_code == 200
    data = _as_posted(page.context["form"])
    assert data["version"] == str(record.version)  # the form carries the version it was read at

    type(record).objects.filter(pk=record.pk).update(version=F("version") + 1)  # someone else saves
    record.refresh_from_db()
    before = (record.version, model_to_dict(record))

    response = client.post(url, data)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    record.refresh_from_db()
    assert (record.version, model_to_dict(record)) == before
