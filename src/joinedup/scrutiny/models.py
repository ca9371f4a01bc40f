"""The Police and Crime Panel's records: its recommendations to the Commissioner and the Commissioner's
responses, its comments on the quarterly performance report, its members and link members, work programme and
meetings (docs/adr/0042 rule 6).

These models moved here from `csp` without touching data: each keeps the table it had there (`db_table`,
and `KeptHistory` for the history tables), so the move was a change of Django's state only.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords

from joinedup.core.models import (
    AreaLevel,
    RestrictedQuerySet,
    TimeStampedModel,
    VersionedModel,
    area_of_level,
)

OLD_APP_LABEL = "csp"


class KeptHistory(HistoricalRecords):
    """Field history in the tables it had under the `csp` app (csp_historical<model>, and the link members'
    csp_historicalpanelmember_linked_csps), so no history row moved."""

    def get_meta_options(self, model: Any) -> dict[str, Any]:
        options: dict[str, Any] = super().get_meta_options(model)
        options["db_table"] = f"{OLD_APP_LABEL}_historical{model._meta.model_name}"
        return options

    def get_meta_options_m2m(self, through_model: Any) -> dict[str, Any]:
        options: dict[str, Any] = super().get_meta_options_m2m(through_model)
        options["db_table"] = f"{OLD_APP_LABEL}_{self.get_history_model_name(through_model).lower()}"
        return options


class ImplementationStatus(models.TextChoices):
    AWAITING_RESPONSE = "awaiting_response", "Awaiting the PCC's response"
    ACCEPTED = "accepted", "Accepted"
    PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
    REJECTED = "rejected", "Rejected"
    IMPLEMENTED = "implemented", "Implemented"


class PanelRecommendation(TimeStampedModel, VersionedModel):
    """A Police and Crime Panel recommendation to the PCC, the PCC's response and what was done."""

    force_area = area_of_level(AreaLevel.PFA, related_name="panel_recommendations")
    csp = area_of_level(AreaLevel.CSP, optional=True, verbose_name="CSP concerned")
    title = models.CharField(max_length=200)
    recommendation = models.TextField("We said")
    made_on = models.DateField("Date made")
    response_due = models.DateField("PCC response due", null=True, blank=True)
    pcc_response = models.TextField("PCC's response", blank=True)
    response_on = models.DateField("Date of the response", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ImplementationStatus.choices, default=ImplementationStatus.AWAITING_RESPONSE
    )
    implementation = models.TextField("You did", blank=True)
    # Made from an indicator of the quarterly performance report on the Police and Crime Plan: which one,
    # and the quarter the report was for (both empty for a recommendation recorded on its own).
    indicator = models.ForeignKey(
        "performance.Indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panel_recommendations",
        verbose_name="Indicator it was made about",
    )
    report_quarter = models.DateField(
        "Quarter of the performance report (its first day)", null=True, blank=True
    )

    history = KeptHistory()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        db_table = "csp_panelrecommendation"
        ordering = ["-made_on", "title"]

    def __str__(self) -> str:
        return self.title


class PanelComment(TimeStampedModel):
    """A Panel member's comment on one indicator of the quarterly performance report on the Police and
    Crime Plan, for the quarter the report was for. Append-only, as the Panel's record: nobody edits or
    deletes one (history keeps who wrote it and when it was turned into a recommendation, once)."""

    force_area = area_of_level(AreaLevel.PFA)
    indicator = models.ForeignKey(
        "performance.Indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="panel_comments",
        verbose_name="Indicator commented on",
    )
    report_quarter = models.DateField("Quarter of the performance report (its first day)")
    text = models.TextField("Comment")
    # Set once, when the comment is turned into a recommendation to the Commissioner.
    recommendation = models.OneToOneField(
        PanelRecommendation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_comment",
        verbose_name="Recommendation made from it",
    )

    history = KeptHistory()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        db_table = "csp_panelcomment"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["indicator", "report_quarter"])]

    def __str__(self) -> str:
        return f"Panel comment on {self.report_quarter:%B %Y}"


# --- the Panel's workspace: members, work programme, meetings --------------------------------------------


class PanelRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Councillor member"
    INDEPENDENT = "independent", "Independent member"


class PanelMember(TimeStampedModel, VersionedModel):
    """A member of the Police and Crime Panel, and the CSPs they are link member for."""

    force_area = area_of_level(AreaLevel.PFA, related_name="panel_members")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=PanelRole.choices, default=PanelRole.MEMBER)
    council = models.CharField("Council or appointment", max_length=200, blank=True)
    linked_csps = models.ManyToManyField(
        "core.Area",
        blank=True,
        related_name="panel_link_members",
        limit_choices_to={"level": "csp"},
        verbose_name="Link member for (CSPs)",
    )
    link_theme = models.CharField(
        "Link role (area of business)",
        max_length=200,
        blank=True,
        help_text="For example: victims' services.",
    )

    history = KeptHistory(m2m_fields=[linked_csps])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        db_table = "csp_panelmember"
        ordering = ["force_area", "name"]

    def __str__(self) -> str:
        return self.name


class WorkStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DEFERRED = "deferred", "Deferred"


class WorkProgrammeItem(TimeStampedModel, VersionedModel):
    """An item of the Panel's work programme (joint with the CSPs where it concerns one)."""

    force_area = area_of_level(AreaLevel.PFA)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    planned_for = models.DateField("Planned for")
    status = models.CharField(max_length=20, choices=WorkStatus.choices, default=WorkStatus.PLANNED)
    csp = area_of_level(AreaLevel.CSP, optional=True, verbose_name="CSP concerned")
    lead_member = models.ForeignKey(
        PanelMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_items"
    )

    history = KeptHistory()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        db_table = "csp_workprogrammeitem"
        ordering = ["force_area", "planned_for", "title"]

    def __str__(self) -> str:
        return self.title


class MeetingKind(models.TextChoices):
    PANEL = "panel", "Panel meeting"
    ANNUAL_CSP_CHAIRS = "annual_csp_chairs", "Annual meeting with CSP chairs"
    WORKING_GROUP = "working_group", "Working group"


class PanelMeeting(TimeStampedModel, VersionedModel):
    force_area = area_of_level(AreaLevel.PFA)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices, default=MeetingKind.PANEL)
    held_on = models.DateField("Date")
    title = models.CharField(max_length=200)
    agenda = models.TextField("Agenda items", blank=True, help_text="One item per line.")
    minutes_link = models.URLField("Link to the minutes", max_length=500, blank=True)

    history = KeptHistory()
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        db_table = "csp_panelmeeting"
        ordering = ["force_area", "-held_on"]

    def __str__(self) -> str:
        return f"{self.title}, {self.held_on:%d %B %Y}"

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]
