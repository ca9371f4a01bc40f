"""ASB Case Reviews ("community trigger"): the writes. Requests, the steps (acknowledgement, decision,
meeting, outcome, appeal to the OPCC) and recommendations; the threshold check, the statutory timeline in
working days and the published statistics are reads, in `selectors`.

Settings (`JOINEDUP_CASEWORK` in Django settings overrides any of `REVIEW_DEFAULTS`): the threshold is
3 complaints in 6 months, each reported within a month of the incident; acknowledge within 10 working
days, decide within 15, meet within 20, all counted from receipt.

Online applications by the public: a resident chooses the district where the anti-social behaviour
happens; the application goes to the council for that district (an organisation in the directory whose
areas include the district) as an ordinary `CaseReviewRequest`, received today, so the council takes it
through the same steps, timeline and sharing rule as a request it recorded itself. The applicant's details
are a new `Person`: nothing the public types is matched against people the agencies hold.

The applicant follows the progress at a link holding a random secret; only its SHA-256 is stored. The
progress page shows the reference, the council, the steps and their dates: never a name, the summary or
the reasons, so a link passed on reveals nothing about anyone. The link is emailed to the applicant (the
email is marked sensitive, so the outbox never shows its body) and shown once after the application.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.core.models.tokens import hash_token
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error, visible_text
from joinedup.core.services.versioning import save_versioned, stamp
from joinedup.core.site import site_url

from .. import services
from ..models import (
    AppealOutcome,
    CaseReviewRecommendation,
    CaseReviewRequest,
    CaseReviewStatus,
    Person,
)
from .selectors import (
    District,
    districts,
    hears_appeals,
    timeline,
)

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
    from ..selectors import visible_cases

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


# --- online applications -----------------------------------------------------------------------------

APPLYING_FOR = (
    ("myself", gettext_lazy("Myself")),
    (
        "someone_else",
        gettext_lazy("Someone else, with their agreement (for example a relative or neighbour)"),
    ),
)

LIMITS = {"name": 150, "email": 254, "phone": 30, "summary": 5000, "reported_to": 1000}


@dataclass(frozen=True)
class Application:
    review: CaseReviewRequest
    key: str  # the secret in the progress link; shown once and emailed, never stored


def _text(data: dict[str, Any], name: str, errors: Errors, *, required: str = "") -> str:
    value = visible_text(str(data.get(name) or ""))
    if not value and required:
        add_error(errors, name, required)
    elif len(value) > LIMITS[name]:
        add_error(
            errors,
            name,
            _("Use %(limit)s characters or fewer (you used %(used)s).")
            % {"limit": f"{LIMITS[name]:,}", "used": f"{len(value):,}"},
        )
    return value


def _check(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """Every problem with an application at once, and the cleaned values."""
    errors: Errors = {}
    code = str(data.get("district") or "").strip().upper()
    district = next((d for d in districts() if d.area.code == code), None)
    if district is None:
        add_error(errors, "district", _("Choose the district where the anti-social behaviour happens."))
    name = _text(data, "name", errors, required=_("Enter your full name."))
    email = _text(data, "email", errors, required=_("Enter your email address, so we can send you the link."))
    if email and "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            add_error(
                errors, "email", _("Enter an email address in the correct format, like name@example.com.")
            )
    phone = _text(data, "phone", errors)
    if phone and not (7 <= sum(c.isdigit() for c in phone) <= 15):
        add_error(errors, "phone", _("Enter a telephone number, like 0191 498 0000 or +44 7700 900 982."))
    applying_for = str(data.get("applying_for") or "")
    if applying_for not in dict(APPLYING_FOR):
        add_error(errors, "applying_for", _("Say whether you are applying for yourself or for someone else."))
    if applying_for == "someone_else" and not data.get("victim_agrees"):
        add_error(
            errors,
            "victim_agrees",
            _("Confirm that the person you are applying for agrees to the application."),
        )
    summary = _text(
        data,
        "summary",
        errors,
        required=_("Describe the anti-social behaviour and what happened when you reported it."),
    )
    reported_to = _text(data, "reported_to", errors)
    if not data.get("declaration"):
        add_error(
            errors,
            "declaration",
            _(
                "Confirm that you understand your details will be shared with the agencies that review the case."
            ),
        )
    clean = {
        "district": district,
        "name": name,
        "email": email.lower(),
        "phone": "".join(c for c in phone if c.isdigit() or c == "+"),
        "on_behalf": applying_for == "someone_else",
        "summary": summary,
        "reported_to": reported_to,
    }
    return clean, errors


def problems(data: dict[str, Any]) -> Errors:
    """Every problem with an application, by field (empty when it can be made)."""
    return _check(data)[1]


def apply(*, data: dict[str, Any], language: str = "") -> Application:
    """Record an online application with the district's council, tell the council's case review staff and
    email the applicant the progress link (in `language`, the one they applied in; the active one when not
    given); every problem listed at once and nothing saved if any."""
    clean, errors = _check(data)
    if errors:
        raise ValidationError(errors)
    district: District = clean["district"]
    key = secrets.token_urlsafe(24)
    summary = clean["summary"]
    if clean["reported_to"]:
        summary += f"\n\nReported to: {clean['reported_to']}"
    with transaction.atomic():
        applicant = Person(full_name=clean["name"], email=clean["email"], phone=clean["phone"])
        stamp(applicant, actor=None, reason="Applied online for an ASB case review")
        applicant.save()
        review = CaseReviewRequest(
            received_on=timezone.localdate(),
            receiving_organisation=district.council,
            area=district.area,
            applicant=applicant,
            on_behalf_of_victim=clean["on_behalf"],
            summary=summary,
            received_online=True,
            status_key_hash=hash_token(key),
        )
        stamp(review, actor=None, reason="Applied online")
        review.save()
        _email_applicant(review, key, language)
        from ..notify import case_review_applied

        case_review_applied(review)
    return Application(review=review, key=key)


def progress_url(key: str) -> str:
    return reverse("public-casework:case-review-progress", args=[key])


def _email_applicant(review: CaseReviewRequest, key: str, language: str) -> None:
    """The applicant's acknowledgement with their progress link, in `language` (the outbox keeps the text as
    written, so it is written here, in the language the applicant used)."""
    from joinedup.notifications.services import queue_email

    acknowledge, decide, *_meeting = timeline(review)
    with translation.override(language or translation.get_language()):
        facts = {
            "reference": review.reference,
            "council": review.receiving_organisation.name,
            "received": formats.date_format(review.received_on, "j F Y"),
            "acknowledge_by": formats.date_format(acknowledge.due, "j F Y"),
            "decide_by": formats.date_format(decide.due, "j F Y"),
        }
        body = "\n\n".join(
            (
                _("We have received your application for an anti-social behaviour case review."),
                "\n".join(
                    (
                        _("Reference: %(reference)s") % facts,
                        _("Sent to: %(council)s") % facts,
                        _("Received: %(received)s") % facts,
                    )
                ),
                _(
                    "The council should acknowledge it by %(acknowledge_by)s and tell you by %(decide_by)s "
                    "whether the agencies will hold a case review."
                )
                % facts,
                _("Follow its progress here:") + f"\n{site_url()}{progress_url(key)}",
                _("Keep this link to yourself. The page shows the steps and their dates, not your details."),
            )
        )
        queue_email(
            to=review.applicant.email,
            subject=_("Your ASB case review application %(reference)s") % facts,
            body=body + "\n",
            kind="case_review_applied",
            forget_recipient=True,
        )


# --- the applicant's progress page -----------------------------------------------------------------------


# In the reader's language on the progress page (lazy: translated when shown).
