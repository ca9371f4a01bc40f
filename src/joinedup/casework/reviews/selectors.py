"""Reads of ASB case reviews: the threshold check across every agency's reports and the statutory timeline
(the rules, with their settings: see `services`), one review (audited: it names the applicant), the annual
statistics as published, and for the public's online applications the districts to choose from and the
applicant's progress page (which shows no personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from joinedup.core.audit import record_event
from joinedup.core.models import Area, AreaLevel, EventType, Organisation, Sector
from joinedup.core.models.tokens import hash_token
from joinedup.core.permissions import has_permission, restrict

from .. import services
from ..models import (
    AppealOutcome,
    CaseReviewRequest,
    CaseReviewStatus,
    Incident,
    Person,
)
from ..working_days import add_working_days, covers, working_days_between

REVIEW_DEFAULTS: dict[str, int] = {
    "review_complaints": 3,  # this many complaints ...
    "review_months": 6,  # ... in this many months before the request ...
    "review_report_within_days": 31,  # ... each reported within a month of the incident
    "review_acknowledge_days": 10,  # working days from receipt
    "review_decide_days": 15,
    "review_meet_days": 20,
}


def config(key: str) -> int:
    return int({**REVIEW_DEFAULTS, **getattr(settings, "JOINEDUP_CASEWORK", {})}[key])


# --- the threshold -----------------------------------------------------------------------------------


@dataclass
class ThresholdIncident:
    incident: Incident
    happened_on: date
    happened_known: bool
    reported_after_days: int
    counts: bool
    reason: str


@dataclass
class ThresholdCheck:
    met: bool
    counted: int
    required: int
    months: int
    window_start: date
    window_end: date
    incidents: list[ThresholdIncident]

    @property
    def summary(self) -> str:
        verdict = "met" if self.met else "not met"
        return (
            f"Threshold {verdict}: {self.counted} of the {self.required} complaints needed in the "
            f"{self.months} months from {self.window_start:%-d %B %Y} to {self.window_end:%-d %B %Y}, "
            "each reported within a month of the incident."
        )


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 - months, 12)
    year += day.year
    month += 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    return date(year, month, 28)


def _applicant_people(applicant: Person) -> QuerySet[Person]:
    same = services._same_person(
        {
            "full_name": applicant.full_name,
            "date_of_birth": applicant.date_of_birth,
            "phone": applicant.phone,
            "email": applicant.email,
        }
    )
    query = Q(pk=applicant.pk)
    if same is not None:
        query |= same
    return Person.objects.filter(query)


def check_threshold(review: CaseReviewRequest) -> ThresholdCheck:
    """Every report the applicant made to any agency in the window, and whether each counts and why.

    Runs across all agencies' reports, whatever the information-sharing agreements say: the answer names
    only the incident reference, the agency, the dates and the category, never another person."""
    required, months = config("review_complaints"), config("review_months")
    within = config("review_report_within_days")
    end = review.received_on
    start = _months_before(end, months)
    tz = timezone.get_current_timezone()
    start_at = timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
    end_at = timezone.make_aware(datetime.combine(end + timedelta(days=1), datetime.min.time()), tz)
    incidents = (
        Incident.objects.filter(informant__in=_applicant_people(review.applicant))
        .filter(received_at__gte=start_at, received_at__lt=end_at)
        .select_related("reporting_organisation")
        .order_by("received_at", "pk")
    )
    rows: list[ThresholdIncident] = []
    for incident in incidents:
        reported_on = timezone.localtime(incident.received_at).date()
        known = incident.occurred_at is not None
        happened_on = timezone.localtime(incident.occurred_at).date() if incident.occurred_at else reported_on
        delay = (reported_on - happened_on).days
        if delay > within:
            counts, reason = False, f"Reported {delay} days after it happened: more than a month."
        else:
            counts = True
            reason = (
                f"Reported {delay} day{'s' if delay != 1 else ''} after it happened."
                if known
                else "Reported the day it was recorded (no separate incident date was given)."
            )
        rows.append(ThresholdIncident(incident, happened_on, known, delay, counts, reason))
    counted = sum(1 for row in rows if row.counts)
    return ThresholdCheck(
        met=counted >= required,
        counted=counted,
        required=required,
        months=months,
        window_start=start,
        window_end=end,
        incidents=rows,
    )


# --- the timeline ------------------------------------------------------------------------------------


@dataclass
class TimelineStep:
    name: str
    due: date
    done_on: date | None
    working_days_taken: int | None

    @property
    def state(self) -> str:
        if self.done_on is not None:
            return "late" if self.done_on > self.due else "done"
        return "overdue" if timezone.localdate() > self.due else "due"


def timeline(review: CaseReviewRequest) -> list[TimelineStep]:
    received = review.received_on

    def step(name: str, key: str, done: date | None, applies: bool = True) -> TimelineStep | None:
        if not applies:
            return None
        due = add_working_days(received, config(key))
        taken = working_days_between(received, done) if done else None
        return TimelineStep(name, due, done, taken)

    steps = [
        step("Acknowledge the request", "review_acknowledge_days", review.acknowledged_on),
        step("Decide whether the threshold is met", "review_decide_days", review.decided_on),
        step(
            "Hold the case review meeting",
            "review_meet_days",
            review.meeting_on,
            applies=review.threshold_met is not False,
        ),
    ]
    return [s for s in steps if s is not None]


def timeline_covered(review: CaseReviewRequest) -> bool:
    """Whether every bank holiday the timeline depends on is in the maintained list."""
    return covers(review.received_on, add_working_days(review.received_on, config("review_meet_days")))


def hears_appeals(actor: Any, review: CaseReviewRequest | None = None) -> bool:
    """The OPCC hears appeals: its officers may record one on a review they can see (an appealed one)."""
    from joinedup.core.roles import Role

    return getattr(actor, "role", None) in (Role.OPCC_ADMIN, Role.OPCC_OFFICER) and has_permission(
        actor, "casework.reviews.view", review
    )


# --- one review and the statistics -----------------------------------------------------------------


def get_review(*, user: Any, pk: int, request: Any = None, audit: bool = True) -> CaseReviewRequest:
    try:
        review = (
            restrict(CaseReviewRequest.objects.all(), user, "casework.reviews.view")
            .select_related("area", "receiving_organisation", "applicant")
            .prefetch_related("cases", "recommendations__organisation")
            .get(pk=pk)
        )
    except CaseReviewRequest.DoesNotExist:
        record_event(
            EventType.PERMISSION_DENIED,
            actor=user,
            request=request,
            object_type="casework.casereviewrequest",
            object_id=pk,
            detail={"action": "casework.reviews.view"},
        )
        raise Http404("Not found") from None
    if audit:
        record_event(
            EventType.PERSONAL_RECORD_VIEWED,
            actor=user,
            request=request,
            obj=review,
            detail={"people": [review.applicant_id]},
        )
    return review


def financial_year(day: date) -> int:
    """The April-to-March year a date falls in, by its first calendar year (2026 = April 2026 to March 2027)."""
    return day.year if day.month >= 4 else day.year - 1


def annual_statistics() -> list[dict[str, Any]]:
    """Counts per financial year, for publication: no names, places or descriptions."""
    rows: dict[int, dict[str, Any]] = {}
    for review in CaseReviewRequest.objects.annotate(recs=Count("recommendations")).values(
        "received_on", "threshold_met", "meeting_on", "recs", "appeal_received_on", "appeal_outcome"
    ):
        year = financial_year(review["received_on"])
        row = rows.setdefault(
            year,
            {
                "year": year,
                "label": f"April {year} to March {year + 1}",
                "applications": 0,
                "threshold_met": 0,
                "threshold_not_met": 0,
                "reviews_held": 0,
                "with_recommendations": 0,
                "recommendations": 0,
                "appeals": 0,
                "appeals_upheld": 0,
            },
        )
        row["applications"] += 1
        if review["threshold_met"] is True:
            row["threshold_met"] += 1
        elif review["threshold_met"] is False:
            row["threshold_not_met"] += 1
        if review["meeting_on"]:
            row["reviews_held"] += 1
        if review["recs"]:
            row["with_recommendations"] += 1
            row["recommendations"] += review["recs"]
        if review["appeal_received_on"]:
            row["appeals"] += 1
        if review["appeal_outcome"] == AppealOutcome.UPHELD:
            row["appeals_upheld"] += 1
    return [rows[year] for year in sorted(rows, reverse=True)]


PUBLIC_COUNTS = (
    "applications",
    "threshold_met",
    "threshold_not_met",
    "undecided",
    "reviews_held",
    "with_recommendations",
    "recommendations",
    "appeals",
)


def published_statistics() -> list[dict[str, Any]]:
    """The annual counts as published (public page and API), with disclosure control (ADR 0013): a count of
    1 or 2 is shown as "fewer than 3", and the threshold decisions (met, not met, not yet decided), which add
    up to the applications shown, get secondary suppression so no hidden count can be worked out."""
    from joinedup.core.disclosure import suppress_count, suppress_small_counts

    published = []
    for row in annual_statistics():
        undecided = row["applications"] - row["threshold_met"] - row["threshold_not_met"]
        decisions = suppress_small_counts(
            {
                "threshold_met": row["threshold_met"],
                "threshold_not_met": row["threshold_not_met"],
                "undecided": undecided,
            }
        )
        shown = {
            "year": row["year"],
            "label": row["label"],
            "applications": decisions.total.as_json(),
            **decisions.as_json(),
        }
        for name in ("reviews_held", "with_recommendations", "recommendations", "appeals"):
            shown[name] = suppress_count(row[name]).as_json()
        published.append(shown)
    return published


# --- online applications: the districts to choose from and the applicant's progress page -------------


COUNCIL_SECTORS = (Sector.LA_DISTRICT, Sector.LA_UNITARY, Sector.LA_METROPOLITAN, Sector.LA_LONDON_BOROUGH)


@dataclass(frozen=True)
class District:
    """A district where an application can be made online, and the council that receives it."""

    area: Area
    council: Organisation


def districts() -> list[District]:
    """Districts with a council in the directory, by name (one council each: the earliest recorded)."""
    links = (
        Organisation.areas.through.objects.filter(
            area__level=AreaLevel.LAD, organisation__sector__in=COUNCIL_SECTORS
        )
        .select_related("area", "organisation")
        .order_by("area__name", "organisation_id")
    )
    found: dict[int, District] = {}
    for link in links:
        found.setdefault(link.area_id, District(area=link.area, council=link.organisation))
    return list(found.values())


@dataclass(frozen=True)
class ProgressStep:
    name: str
    done_on: date | None
    due_by: date | None
    outcome: str = ""


def find(key: str) -> CaseReviewRequest | None:
    """The online application whose progress link holds `key` (None for any other key)."""
    if not key or len(key) > 100:
        return None
    return (
        CaseReviewRequest.objects.select_related("receiving_organisation")
        .filter(received_online=True, status_key_hash=hash_token(key))
        .first()
    )


STATUS_WORDS: dict[str, Any] = {
    CaseReviewStatus.RECEIVED: gettext_lazy("Received: waiting for the council to acknowledge it"),
    CaseReviewStatus.ACKNOWLEDGED: gettext_lazy(
        "Acknowledged: the agencies are checking whether the threshold is met"
    ),
    CaseReviewStatus.THRESHOLD_NOT_MET: gettext_lazy("Decided: the threshold for a case review is not met"),
    CaseReviewStatus.THRESHOLD_MET: gettext_lazy(
        "Decided: the threshold is met and a case review will be held"
    ),
    CaseReviewStatus.REVIEW_HELD: gettext_lazy("The case review meeting has been held"),
    CaseReviewStatus.CLOSED: gettext_lazy("Closed: the outcome has been sent to you"),
}


def progress(review: CaseReviewRequest) -> list[ProgressStep]:
    """The steps an applicant sees, each with the date it was taken or the date it is due by: the statutory
    steps and their due dates are the case review's own timeline (`timeline` above)."""
    decided = ""
    if review.threshold_met is True:
        decided = _("The threshold is met: the agencies will hold a case review.")
    elif review.threshold_met is False:
        decided = _("The threshold is not met. The letter sent to you explains why and how to appeal.")
    # The applicant's words for each step of the timeline, with what they learn at it.
    shown = {
        "Acknowledge the request": (_("Acknowledged"), ""),
        "Decide whether the threshold is met": (_("Decision on the threshold"), decided),
        "Hold the case review meeting": (_("Case review meeting"), ""),
    }
    steps = [ProgressStep(_("Application received"), review.received_on, None)]
    for step in timeline(review):
        name, outcome = shown[step.name]
        steps.append(ProgressStep(name, step.done_on, None if step.done_on else step.due, outcome))
    steps.append(ProgressStep(_("Outcome sent to you"), review.outcome_sent_on, None))
    if review.appeal_received_on:
        outcome = review.get_appeal_outcome_display() if review.appeal_outcome else _("Being considered")
        steps.append(
            ProgressStep(
                _("Appeal to the Police and Crime Commissioner"), review.appeal_received_on, None, outcome
            )
        )
    return steps
