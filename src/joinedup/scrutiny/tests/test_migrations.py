"""Upgrading moves the Panel's records from csp to scrutiny without touching them: a database at the last
head before the move, with a Panel member (and the CSP they are link member for), a meeting (and its
history), a recommendation and a comment turned into it, migrates forward with every row intact and read
through the scrutiny models; the content types follow, so a permission on them still points at them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from joinedup.core.testing import MIGRATION_TEST_TIMEOUT

# Migrating back and forward again takes minutes under SQLite with coverage (migrations are not measured):
# it runs in CI's PostgreSQL pass, the database production migrates.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql_pass("a migration test: production migrates PostgreSQL"),
    pytest.mark.timeout(MIGRATION_TEST_TIMEOUT),
]

LAST_BEFORE_THE_MOVE = ("csp", "0007_action_plan_fields_shared")


def _latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def test_the_panels_records_are_read_through_scrutiny_after_the_upgrade_unchanged(back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate([LAST_BEFORE_THE_MOVE, ("scrutiny", None)])
    # The old head: every other app as it is now, csp before the move, no scrutiny.
    old_head = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in ("csp", "scrutiny")]
    old = executor.loader.project_state([*old_head, LAST_BEFORE_THE_MOVE]).apps
    Area = old.get_model("core", "Area")
    pfa = Area.objects.create(code="E23000777", name="Old Force", level="pfa")
    csp = Area.objects.create(code="E22000777", name="Old CSP", level="csp", pfa=pfa)
    member = old.get_model("csp", "PanelMember").objects.create(
        force_area=pfa, name="Cllr Old", role="chair", council="Oldtown", link_theme="Victims", version=3
    )
    member.linked_csps.set([csp])
    meeting = old.get_model("csp", "PanelMeeting").objects.create(
        force_area=pfa,
        kind="annual_csp_chairs",
        held_on=datetime.date(2025, 6, 12),
        title="Annual meeting with the CSP chairs",
        agenda="Welcome\nPriorities",
        minutes_link="https://example.org/minutes",
    )
    old.get_model("csp", "HistoricalPanelMeeting").objects.create(
        id=meeting.pk,
        force_area=pfa,
        kind=meeting.kind,
        held_on=meeting.held_on,
        title=meeting.title,
        agenda=meeting.agenda,
        minutes_link=meeting.minutes_link,
        created_at=meeting.created_at,
        updated_at=meeting.updated_at,
        version=1,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="Added before the move",
    )
    recommendation = old.get_model("csp", "PanelRecommendation").objects.create(
        force_area=pfa,
        csp=csp,
        title="Publish spend by CSP",
        recommendation="We recommend the PCC publishes spend by CSP.",
        made_on=datetime.date(2025, 5, 1),
        response_due=datetime.date(2025, 6, 12),
        pcc_response="Accepted.",
        response_on=datetime.date(2025, 6, 1),
        status="accepted",
        report_quarter=datetime.date(2025, 1, 1),
    )
    comment = old.get_model("csp", "PanelComment").objects.create(
        force_area=pfa,
        report_quarter=datetime.date(2025, 1, 1),
        text="Spend is not broken down by CSP.",
        recommendation=recommendation,
    )
    OldContentType = old.get_model("contenttypes", "ContentType")
    meeting_type = OldContentType.objects.get(app_label="csp", model="panelmeeting")
    permission = old.get_model("auth", "Permission").objects.get(
        content_type=meeting_type, codename="view_panelmeeting"
    )

    _latest()

    from joinedup.scrutiny.models import PanelComment, PanelMeeting, PanelMember, PanelRecommendation

    moved = PanelMember.objects.get(pk=member.pk)
    assert (moved.name, moved.role, moved.council, moved.link_theme, moved.version) == (
        "Cllr Old",
        "chair",
        "Oldtown",
        "Victims",
        3,
    )
    assert [a.code for a in moved.linked_csps.all()] == ["E22000777"]
    assert moved.force_area.code == "E23000777"
    read = PanelMeeting.objects.get(pk=meeting.pk)
    assert (read.kind, read.held_on, read.agenda_items, read.minutes_link) == (
        "annual_csp_chairs",
        datetime.date(2025, 6, 12),
        ["Welcome", "Priorities"],
        "https://example.org/minutes",
    )
    assert [h.history_change_reason for h in read.history.all()] == ["Added before the move"]
    item = PanelRecommendation.objects.get(pk=recommendation.pk)
    assert (item.title, item.csp.code, item.status, item.pcc_response, item.response_on) == (
        "Publish spend by CSP",
        "E22000777",
        "accepted",
        "Accepted.",
        datetime.date(2025, 6, 1),
    )
    assert item.get_status_display() == "Accepted"
    assert PanelComment.objects.get(pk=comment.pk).recommendation == item
    assert item.from_comment.text == "Spend is not broken down by CSP."
    assert PanelMeeting._meta.db_table == "csp_panelmeeting"

    # The content type (and so the permission on it) is the same row, now labelled scrutiny.
    moved_type = ContentType.objects.get_for_model(PanelMeeting)
    assert moved_type.pk == meeting_type.pk and moved_type.app_label == "scrutiny"
    assert not ContentType.objects.filter(app_label="csp", model="panelmeeting").exists()
    from django.contrib.auth.models import Permission

    assert Permission.objects.get(pk=permission.pk).content_type_id == moved_type.pk
