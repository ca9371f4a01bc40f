"""ASB Case Reviews ("community trigger"): requests, the automatic threshold check across every agency's
reports, the statutory timeline in working days, decision, recommendations, appeal to the OPCC and the
annual published statistics.

Settings (`JOINEDUP_CASEWORK` in Django settings overrides any of `REVIEW_DEFAULTS`): the threshold is
3 complaints in 6 months, each reported within a month of the incident; acknowledge within 10 working
days, decide within 15, meet within 20, all counted from receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.core.audit import record_event
from joinedup.core.models import Area, AreaLevel, EventType, Organisation
from joinedup.core.permissions import has_permission, restrict
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error
from joinedup.core.services.versioning import save_versioned, stamp

from . import services
from .models import (
    AppealOutcome,
    CaseReviewRecommendation,
    CaseReviewRequest,
    CaseReviewStatus,
    Incident,
    Person,
)
from .working_days import add_working_days, covers, working_days_between

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


# --- writes ------------------------------------------------------------------------------------------


def _date(data: dict[str, Any], name: str, errors: Errors, *, required: bool, label: str) -> date | None:
    raw = data.get(name)
    if raw in (None, ""):
        if required:
            add_error(errors, name, f"Enter {label} as YYYY-MM-DD.")
        return None
    value = raw if isinstance(raw, date) else services._parse_date(raw)
    if value is None:
        add_error(errors, name, f"Enter {label} as YYYY-MM-DD.")
        return None
    if value > timezone.localdate():
        add_error(errors, name, f"{label[0].upper()}{label[1:]} cannot be in the future.")
    return value


def record_request(*, actor: Any, data: dict[str, Any]) -> CaseReviewRequest:
    """Record a case review request received by the actor's organisation; every problem at once."""
    if not has_permission(actor, "casework.reviews.manage"):
        raise NotAllowed("You may not record case review requests.")
    errors: Errors = {}
    received_on = _date(data, "received_on", errors, required=True, label="the date it was received")
    area_code = str(data.get("area") or "").strip().upper()
    area = Area.objects.filter(code=area_code, level__in=[AreaLevel.LSOA, AreaLevel.LAD]).first()
    if area is None:
        add_error(
            errors,
            "area",
            f"Unknown area {area_code!r}: give the ONS code of the LSOA or district."
            if area_code
            else "Give the ONS code of the LSOA or district where the problem is.",
        )
    applicant = services._person_data(
        {
            "name": data.get("applicant_name"),
            "date_of_birth": data.get("applicant_date_of_birth"),
            "phone": data.get("applicant_phone"),
            "email": data.get("applicant_email"),
            "address": data.get("applicant_address"),
        },
        "applicant_",
        errors,
        required_name=True,
    )
    if not (applicant["phone"] or applicant["email"] or applicant["address"]):
        add_error(errors, "applicant_email", "Give a phone number, email or address to reply to.")
    summary = str(data.get("summary") or "").strip()
    if not summary:
        add_error(
            errors, "summary", "Describe the anti-social behaviour the applicant says is not dealt with."
        )
    case_ids = [int(c) for c in (data.get("cases") or []) if str(c).strip().isdigit()]
    from .selectors import visible_cases

    cases = list(visible_cases(actor).filter(pk__in=case_ids))
    missing = sorted(set(case_ids) - {c.pk for c in cases})
    if missing:
        add_error(
            errors, "cases", f"There are no cases you may see with the ids {', '.join(map(str, missing))}."
        )
    if getattr(actor, "organisation_id", None) is None:
        add_error(errors, "__all__", "Your account has no organisation to receive the request.")
    if errors or received_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        person = services._find_or_create_person(applicant, actor)
        review = CaseReviewRequest(
            received_on=received_on,
            receiving_organisation_id=actor.organisation_id,
            area=area,
            applicant=person,
            on_behalf_of_victim=bool(data.get("on_behalf_of_victim")),
            summary=summary,
        )
        stamp(review, actor=actor, reason="Request received")
        review.save()
        if cases:
            review.cases.set(cases)
    return review


def _check_manage(actor: Any, review: CaseReviewRequest) -> None:
    if not has_permission(actor, "casework.reviews.manage", review):
        raise NotAllowed("You may not work on this case review.")


STEPS = ("acknowledge", "decide", "meeting", "outcome", "appeal")


def record_step(
    *, actor: Any, review: CaseReviewRequest, step: str, expected_version: int, data: dict[str, Any]
) -> CaseReviewRequest:
    """Take one step of the review: acknowledge, decide, meeting, outcome (letter sent) or appeal."""
    if step == "appeal":
        if not (has_permission(actor, "casework.reviews.manage", review) or hears_appeals(actor, review)):
            raise NotAllowed("You may not record the appeal.")
    else:
        _check_manage(actor, review)
    errors: Errors = {}
    if step not in STEPS:
        raise Http404("No such step")
    if step == "acknowledge":
        review.acknowledged_on = _date(
            data, "acknowledged_on", errors, required=True, label="the date it was acknowledged"
        )
        if review.status == CaseReviewStatus.RECEIVED:
            review.status = CaseReviewStatus.ACKNOWLEDGED
    elif step == "decide":
        met = data.get("threshold_met")
        if met in (None, ""):
            add_error(errors, "threshold_met", "Say whether the threshold is met.")
        review.threshold_met = (
            str(met).lower() in ("true", "1", "yes", "on") if met not in (None, "") else None
        )
        review.threshold_reason = str(data.get("threshold_reason") or "").strip()
        if not review.threshold_reason:
            add_error(
                errors, "threshold_reason", "Give the reasons for the decision (the applicant is told)."
            )
        review.decided_on = _date(data, "decided_on", errors, required=True, label="the date of the decision")
        if review.acknowledged_on is None:
            review.acknowledged_on = review.decided_on
        review.status = (
            CaseReviewStatus.THRESHOLD_MET if review.threshold_met else CaseReviewStatus.THRESHOLD_NOT_MET
        )
    elif step == "meeting":
        if not review.threshold_met:
            add_error(errors, "__all__", "A review meeting is held only when the threshold is met.")
        review.meeting_on = _date(data, "meeting_on", errors, required=True, label="the date of the meeting")
        review.meeting_attendees = str(data.get("meeting_attendees") or "").strip()
        review.meeting_notes = str(data.get("meeting_notes") or "").strip()
        if not review.meeting_attendees:
            add_error(errors, "meeting_attendees", "List the agencies and people at the meeting.")
        if not review.meeting_notes:
            add_error(errors, "meeting_notes", "Record what the review found.")
        review.status = CaseReviewStatus.REVIEW_HELD
    elif step == "outcome":
        if review.decided_on is None:
            add_error(errors, "__all__", "Decide on the threshold before telling the applicant the outcome.")
        review.outcome_sent_on = _date(
            data, "outcome_sent_on", errors, required=True, label="the date the outcome was sent"
        )
        review.status = CaseReviewStatus.CLOSED
    elif step == "appeal":
        if review.outcome_sent_on is None and review.decided_on is None:
            add_error(errors, "__all__", "An appeal can only follow a decision.")
        review.appeal_received_on = _date(
            data, "appeal_received_on", errors, required=True, label="the date the appeal was received"
        )
        review.appeal_grounds = str(data.get("appeal_grounds") or "").strip()
        if not review.appeal_grounds:
            add_error(errors, "appeal_grounds", "Give the applicant's grounds for appeal.")
        outcome = str(data.get("appeal_outcome") or "")
        if outcome and outcome not in AppealOutcome.values:
            add_error(errors, "appeal_outcome", "Choose upheld or not upheld.")
        review.appeal_outcome = outcome
        review.appeal_decided_on = _date(
            data, "appeal_decided_on", errors, required=bool(outcome), label="the date the OPCC decided"
        )
        if review.appeal_decided_on and not outcome:
            add_error(errors, "appeal_outcome", "Give the OPCC's decision with its date.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        save_versioned(review, expected_version=expected_version, actor=actor, reason=f"Case review: {step}")
    return review


def hears_appeals(actor: Any, review: CaseReviewRequest | None = None) -> bool:
    """The OPCC hears appeals: its officers may record one on a review they can see (an appealed one)."""
    from joinedup.core.roles import Role

    return getattr(actor, "role", None) in (Role.OPCC_ADMIN, Role.OPCC_OFFICER) and has_permission(
        actor, "casework.reviews.view", review
    )


def add_recommendation(
    *, actor: Any, review: CaseReviewRequest, data: dict[str, Any]
) -> CaseReviewRecommendation:
    _check_manage(actor, review)
    errors: Errors = {}
    if review.meeting_on is None:
        add_error(errors, "__all__", "Record the review meeting before its recommendations.")
    text = str(data.get("text") or "").strip()
    if not text:
        add_error(errors, "text", "Write the recommendation.")
    org = data.get("organisation")
    organisation = org if isinstance(org, Organisation) else Organisation.objects.filter(pk=org or 0).first()
    if organisation is None:
        add_error(errors, "organisation", "Choose the agency the recommendation is for.")
    due = data.get("due_date")
    if due not in (None, "") and not isinstance(due, date):
        due = services._parse_date(due)
        if due is None:
            add_error(errors, "due_date", "Enter the due date as YYYY-MM-DD.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        recommendation = CaseReviewRecommendation(
            review=review, text=text, organisation=organisation, due_date=due or None
        )
        stamp(recommendation, actor=actor, reason="Recommendation made")
        recommendation.save()
    return recommendation


# --- reads -------------------------------------------------------------------------------------------


def list_reviews(*, user: Any, status: str | None = None) -> QuerySet[CaseReviewRequest]:
    """Requests the user may read (the list itself names no applicant)."""
    reviews = restrict(
        CaseReviewRequest.objects.select_related("area", "receiving_organisation"),
        user,
        "casework.reviews.view",
    )
    if status:
        reviews = reviews.filter(status=status)
    return reviews.order_by("-received_on", "-pk")


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
