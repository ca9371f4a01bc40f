"""Writes for consultations and surveys: the consultation, its questions, the public's responses and the
moderation of comments. Each lists every problem at once and saves nothing while there is one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from joinedup.core.crime_types import CRIME_TYPES
from joinedup.core.models import Area, AreaLevel
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error, apply_fields, visible_text
from joinedup.core.services.versioning import save_versioned, stamp

from .models import (
    Answer,
    Audience,
    Consultation,
    Moderation,
    Participation,
    Question,
    QuestionKind,
    Response,
)

CONSULTATION_FIELDS = (
    "title",
    "summary",
    "audience",
    "opens_on",
    "closes_on",
    "published",
    "results_published",
)
TEXT_LIMIT = 5000
MAX_OPTIONS = 20


def prepare_run(
    target: Any,
    *,
    actor: Any,
    data: dict[str, Any],
    creating: bool,
    fields: tuple[str, ...],
    required: tuple[tuple[str, str], ...],
    levels: tuple[str, ...],
    place: str,
    what: str,
) -> Errors:
    """What a consultation and a neighbourhood meeting share: their fields, the area (one the actor runs
    them for) and, when new, the actor's organisation running it; every problem found, nothing saved."""
    errors: Errors = {}
    apply_fields(target, {k: v for k, v in data.items() if k != "area"}, fields, errors)
    for name, message in required:
        if not getattr(target, name):
            add_error(errors, name, message)
    if creating or "area" in data:
        code = str(data.get("area") or "").strip().upper()
        area = Area.objects.filter(code=code, level__in=levels).first() if code else None
        if area is None:
            add_error(
                errors,
                "area",
                f"There is no {place} with the code {code!r}." if code else f"Give the {place}.",
            )
        elif not has_permission(actor, "engagement.manage", type(target)(area=area)):
            add_error(errors, "area", f"You do not run {what}s for {area.name}.")
        else:
            target.area = area
    if creating:
        if getattr(actor, "organisation_id", None) is None:
            add_error(errors, "__all__", f"Your account has no organisation to run the {what}.")
        else:
            target.organisation_id = actor.organisation_id
    return errors


def save_run(target: Any, *, actor: Any, creating: bool, expected_version: int | None) -> None:
    with transaction.atomic():
        if creating:
            stamp(target, actor=actor, reason="Created")
            target.save()
        else:
            save_versioned(target, expected_version=expected_version or 0, actor=actor, reason="Changed")


def save_consultation(
    *,
    actor: Any,
    data: dict[str, Any],
    consultation: Consultation | None = None,
    expected_version: int | None = None,
) -> Consultation:
    """Create a consultation (run by the actor's organisation) or change one the actor runs."""
    if not has_permission(actor, "engagement.manage", consultation):
        raise NotAllowed("You may not run this consultation.")
    creating = consultation is None
    target = consultation or Consultation()
    errors = prepare_run(
        target,
        actor=actor,
        data=data,
        creating=creating,
        fields=CONSULTATION_FIELDS,
        required=(("title", "Give the consultation a title."), ("summary", "Say what it is about.")),
        levels=(AreaLevel.PFA, AreaLevel.CSP),
        place="force area or CSP",
        what="consultation",
    )
    if target.audience not in Audience.values:
        add_error(errors, "audience", "Choose who answers it: the public or partner organisations' staff.")
    elif not creating and "audience" in data and consultation is not None:
        before = Consultation.objects.filter(pk=consultation.pk).values_list("audience", flat=True).first()
        if before != target.audience and target.responses.exists():
            add_error(
                errors, "audience", "People have already responded: who answers it can no longer change."
            )
    if not target.opens_on:
        add_error(errors, "opens_on", "Give the date it opens.")
    if not target.closes_on:
        add_error(errors, "closes_on", "Give the last day it takes responses.")
    both = isinstance(target.opens_on, date) and isinstance(target.closes_on, date)
    if both and target.closes_on < target.opens_on:
        add_error(errors, "closes_on", "The closing date is before the opening date.")
    if target.published and (creating or not target.questions.exists()):
        add_error(errors, "published", "Add at least one question before publishing it.")
    if target.results_published and not target.published:
        add_error(errors, "results_published", "Publish the consultation before its results.")
    if errors:
        raise ValidationError(errors)
    save_run(target, actor=actor, creating=creating, expected_version=expected_version)
    return target


def _options(raw: Any, errors: Errors) -> list[str]:
    lines = raw if isinstance(raw, list) else str(raw or "").splitlines()
    options = [visible_text(str(line)) for line in lines]
    options = [o for o in options if o]
    if len(options) < 2:
        add_error(errors, "options", "Give at least two choices, one a line.")
    if len(options) > MAX_OPTIONS:
        add_error(errors, "options", f"Give at most {MAX_OPTIONS} choices.")
    repeated = sorted({o for o in options if options.count(o) > 1})
    if repeated:
        add_error(errors, "options", f"Each choice once: {', '.join(repeated)} is repeated.")
    too_long = [o for o in options if len(o) > 200]
    if too_long:
        add_error(errors, "options", "Keep each choice to 200 characters.")
    return options


def save_question(
    *, actor: Any, consultation: Consultation, data: dict[str, Any], question: Question | None = None
) -> Question:
    """Add or change a question; questions are fixed once anyone has responded."""
    if not has_permission(actor, "engagement.manage", consultation):
        raise NotAllowed("You may not change this consultation.")
    errors: Errors = {}
    if consultation.responses.exists():
        add_error(errors, "__all__", "People have already responded: the questions can no longer change.")
    text = visible_text(str(data.get("text") or ""))
    if not text:
        add_error(errors, "text", "Write the question.")
    elif len(text) > 300:
        add_error(errors, "text", "Keep the question to 300 characters.")
    kind = str(data.get("kind") or "")
    if kind not in QuestionKind.values:
        add_error(errors, "kind", "Choose the kind of answer.")
    options = (
        _options(data.get("options"), errors) if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else []
    )
    if kind in (QuestionKind.SCALE, QuestionKind.TEXT) and str(data.get("options") or "").strip():
        add_error(errors, "options", "Only choose-one and choose-any questions have choices.")
    help_text = visible_text(str(data.get("help_text") or ""))[:300]
    if errors:
        raise ValidationError(errors)
    target = question or Question(consultation=consultation)
    if question is None:
        last = consultation.questions.order_by("-order").values_list("order", flat=True).first()
        target.order = (last or 0) + 1
    target.text, target.kind, target.options, target.help_text = text, kind, options, help_text
    target.required = bool(data.get("required"))
    with transaction.atomic():
        target.save()
    return target


def link_choice_crime_types(
    *, actor: Any, consultation: Consultation, links: dict[int, dict[str, str]]
) -> int:
    """Link the choices of choose-one and choose-any questions to the crime types they are about
    ({question id: {choice: crime type or empty}}), so the share choosing them can feed the strategic
    assessment's community concern. Allowed after responses: it changes no answer. Every problem at once;
    returns how many questions changed."""
    if not has_permission(actor, "engagement.manage", consultation):
        raise NotAllowed("You may not change this consultation.")
    errors: Errors = {}
    questions = {
        q.pk: q for q in consultation.questions.filter(kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE])
    }
    wanted: dict[int, dict[str, str]] = {}
    for pk, choices in links.items():
        question = questions.get(pk)
        if question is None:
            continue
        for choice, crime_type in choices.items():
            if choice not in question.options:
                add_error(errors, "__all__", f"“{choice}” is not a choice of “{question.text}”.")
            elif crime_type and crime_type not in CRIME_TYPES:
                add_error(errors, "__all__", f"Choose a crime type from the list for “{choice}”.")
        wanted[pk] = {c: t for c, t in choices.items() if t and c in question.options}
    if errors:
        raise ValidationError(errors)
    changed = 0
    with transaction.atomic():
        for pk, mapping in wanted.items():
            question = questions[pk]
            if question.option_crime_types != mapping:
                question.option_crime_types = mapping
                stamp(question, actor=actor, reason="Crime types linked")
                question.save(update_fields=["option_crime_types", "updated_at", "updated_by"])
                changed += 1
    return changed


def delete_question(*, actor: Any, question: Question) -> None:
    if not has_permission(actor, "engagement.manage", question.consultation):
        raise NotAllowed("You may not change this consultation.")
    if question.consultation.responses.exists():
        raise ValidationError(
            {"__all__": ["People have already responded: the questions can no longer change."]}
        )
    question.delete()


def _answer(question: Question, raw: Any, errors: Errors) -> Answer | None:
    field = f"q{question.pk}"
    values = raw if isinstance(raw, list) else ([] if raw in (None, "") else [raw])
    values = [str(v).strip() for v in values if str(v).strip()]
    if not values:
        if question.required:
            add_error(errors, field, _("Answer “%(question)s”.") % {"question": question.text})
        return None
    if question.kind == QuestionKind.SINGLE:
        if len(values) != 1 or values[0] not in question.options:
            add_error(
                errors, field, _("Choose one of the answers to “%(question)s”.") % {"question": question.text}
            )
            return None
        return Answer(question=question, choices=values)
    if question.kind == QuestionKind.MULTIPLE:
        unknown = [v for v in values if v not in question.options]
        if unknown:
            add_error(
                errors,
                field,
                _("Choose only from the answers given to “%(question)s”.") % {"question": question.text},
            )
            return None
        return Answer(question=question, choices=[o for o in question.options if o in values])
    if question.kind == QuestionKind.SCALE:
        if len(values) != 1 or values[0] not in {"1", "2", "3", "4", "5"}:
            add_error(
                errors,
                field,
                _("Choose a number from 1 to 5 for “%(question)s”.") % {"question": question.text},
            )
            return None
        return Answer(question=question, scale=int(values[0]))
    text = visible_text(" ".join(values))
    if not text:
        if question.required:
            add_error(errors, field, _("Answer “%(question)s”.") % {"question": question.text})
        return None
    if len(text) > TEXT_LIMIT:
        add_error(
            errors,
            field,
            _("Use %(limit)s characters or fewer (you used %(used)s).")
            % {"limit": f"{TEXT_LIMIT:,}", "used": f"{len(text):,}"},
        )
        return None
    return Answer(question=question, text=text, moderation=Moderation.PENDING)


def _check_response(
    consultation: Consultation, data: dict[str, Any]
) -> tuple[list[Answer], dict[str, Any], Errors]:
    errors: Errors = {}
    today = timezone.localdate()
    if not consultation.published or today < consultation.opens_on:
        add_error(errors, "__all__", _("This consultation is not open yet."))
        return [], {}, errors
    if today > consultation.closes_on:
        add_error(
            errors,
            "__all__",
            _("This consultation closed on %(date)s: it takes no more responses.")
            % {"date": date_format(consultation.closes_on, "j F Y")},
        )
        return [], {}, errors
    answers = [a for q in consultation.questions.all() if (a := _answer(q, data.get(f"q{q.pk}"), errors))]
    consent = bool(data.get("contact_consent"))
    name = visible_text(str(data.get("contact_name") or ""))
    email = visible_text(str(data.get("contact_email") or "")).lower()
    if consent:
        if not name:
            add_error(errors, "contact_name", _("Enter your name, or do not ask to be contacted."))
        elif len(name) > 150:
            add_error(errors, "contact_name", _("Use 150 characters or fewer."))
        if not email:
            add_error(errors, "contact_email", _("Enter your email address, or do not ask to be contacted."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                add_error(errors, "contact_email", _("Enter an email address like name@example.com."))
    if not answers and not errors:
        add_error(errors, "__all__", _("Answer at least one question."))
    contact = {
        "contact_consent": consent,
        "contact_name": name if consent else "",
        "contact_email": email if consent else "",
    }
    return answers, contact, errors


def respond_problems(*, consultation: Consultation, data: dict[str, Any]) -> Errors:
    """Every problem with a set of answers (empty when they can be recorded)."""
    return _check_response(consultation, data)[2]


def respond(*, consultation: Consultation, data: dict[str, Any]) -> Response:
    """Record one member of the public's answers (anonymous unless they agree to be contacted); free-text
    answers wait for moderation before anyone outside the consultation's team sees them."""
    answers, contact, errors = _check_response(consultation, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        response = Response.objects.create(consultation=consultation, **contact)
        for answer in answers:
            answer.response = response
        Answer.objects.bulk_create(answers)
    return response


def moderate(*, actor: Any, consultation: Consultation, decisions: dict[int, str]) -> int:
    """Approve or reject comments (answer id → "approved" / "rejected"); returns how many changed."""
    if not has_permission(actor, "engagement.manage", consultation):
        raise NotAllowed("You may not moderate this consultation.")
    wanted = {pk: d for pk, d in decisions.items() if d in (Moderation.APPROVED, Moderation.REJECTED)}
    if not wanted:
        raise ValidationError({"__all__": ["Choose to publish or not to publish at least one comment."]})
    changed = 0
    with transaction.atomic():
        for answer in Answer.objects.select_for_update().filter(
            pk__in=wanted, response__consultation=consultation, question__kind=QuestionKind.TEXT
        ):
            answer.moderation = wanted[answer.pk]
            answer.moderated_by = actor
            answer.moderated_at = timezone.now()
            answer.save(update_fields=["moderation", "moderated_by", "moderated_at"])
            changed += 1
    return changed


# --- the annual partner survey ------------------------------------------------------------------------


def respond_as_partner(*, actor: Any, consultation: Consultation, data: dict[str, Any]) -> Response:
    """Record a partner's answers to the partner survey: once per account, and anonymous (the account is
    recorded as having answered, apart from the answers, and no contact details are taken)."""
    if not has_permission(actor, "engagement.survey.respond", consultation):
        raise NotAllowed("You may not answer this survey.")
    answers, _contact, errors = _check_response(consultation, {**data, "contact_consent": ""})
    if Participation.objects.filter(consultation=consultation, user=actor).exists():
        errors = {"__all__": ["You have already answered this survey: each person answers once."]}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            Participation.objects.create(consultation=consultation, user=actor)
            response = Response.objects.create(consultation=consultation)
            for answer in answers:
                answer.response = response
            Answer.objects.bulk_create(answers)
    except IntegrityError:
        raise ValidationError(
            {"__all__": ["You have already answered this survey: each person answers once."]}
        ) from None
    return response


def _a_year_on(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def start_next_year(*, actor: Any, consultation: Consultation) -> Consultation:
    """Next year's partner survey: the same questions (and their choices' crime types), dates a year on,
    not yet published, compared with this one on its results."""
    if not has_permission(actor, "engagement.manage", consultation):
        raise NotAllowed("You may not run this survey.")
    errors: Errors = {}
    if consultation.audience != Audience.PARTNERS:
        add_error(errors, "__all__", "Only a partner survey is repeated each year.")
    elif Consultation.objects.filter(previous=consultation).exists():
        add_error(errors, "__all__", "Next year's survey has already been started from this one.")
    if getattr(actor, "organisation_id", None) is None:
        add_error(errors, "__all__", "Your account has no organisation to run the survey.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        following = Consultation(
            title=consultation.title,
            summary=consultation.summary,
            audience=Audience.PARTNERS,
            area=consultation.area,
            organisation_id=actor.organisation_id,
            opens_on=_a_year_on(consultation.opens_on),
            closes_on=_a_year_on(consultation.closes_on),
            previous=consultation,
        )
        stamp(following, actor=actor, reason=f"Next year's survey, from survey {consultation.pk}")
        following.save()
        for question in consultation.questions.order_by("order", "pk"):
            copy = Question(
                consultation=following,
                order=question.order,
                text=question.text,
                help_text=question.help_text,
                kind=question.kind,
                required=question.required,
                options=list(question.options),
                option_crime_types=dict(question.option_crime_types),
            )
            stamp(copy, actor=actor)
            copy.save()
    return following
