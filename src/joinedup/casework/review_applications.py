"""ASB case review applications made online by the public (the community trigger).

A resident chooses the district where the anti-social behaviour happens; the application goes to the
council for that district (an organisation in the directory whose areas include the district) as an
ordinary `CaseReviewRequest`, received today, so the council takes it through the same steps, timeline
and sharing rule as a request it recorded itself. The applicant's details are a new `Person`: nothing the
public types is matched against people the agencies hold.

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
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from joinedup.core.models import Area, AreaLevel, Organisation, Sector
from joinedup.core.models.tokens import hash_token
from joinedup.core.services.validation import Errors, add_error, visible_text
from joinedup.core.services.versioning import stamp
from joinedup.core.site import site_url

from .models import CaseReviewRequest, CaseReviewStatus, Person
from .reviews import timeline

# Councils that receive ASB case review applications: district-level local authorities (a county council
# or a parish is not the relevant body for a district's applications).
COUNCIL_SECTORS = (Sector.LA_DISTRICT, Sector.LA_UNITARY, Sector.LA_METROPOLITAN, Sector.LA_LONDON_BOROUGH)

APPLYING_FOR = (
    ("myself", gettext_lazy("Myself")),
    (
        "someone_else",
        gettext_lazy("Someone else, with their agreement (for example a relative or neighbour)"),
    ),
)

LIMITS = {"name": 150, "email": 254, "phone": 30, "summary": 5000, "reported_to": 1000}


@dataclass(frozen=True)
class District:
    """A district where an application can be made online, and the council that receives it."""

    area: Area
    council: Organisation


@dataclass(frozen=True)
class Application:
    review: CaseReviewRequest
    key: str  # the secret in the progress link; shown once and emailed, never stored


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
        from .notify import case_review_applied

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


# In the reader's language on the progress page (lazy: translated when shown).
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
    steps and their due dates are the case review's own timeline (reviews.timeline)."""
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
