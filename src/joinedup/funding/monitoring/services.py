"""Every write about monitoring returns and the outcome measures they report (docs/adr/0037).

OPCC staff set a grant's outcome measures (when awarding, or on the award's page), schedule returns,
record a return received some other way, and review what a grant holder submitted: accept it, or ask for
changes, which reopens it. Grant holders submit a return once, through their applicant account (the
officers who manage the grant are told at once: `_tell_office`), and are
emailed a reminder when one is due within a week and when it is overdue (`send_return_reminders`).

Every problem is listed at once (`ValidationError` with a dict of field errors), nothing is saved until
everything is valid, and a stale version is refused (`ConflictError`, HTTP 409). The messages a grant
holder may see are translatable (staff read them in English).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from joinedup.core.models import User
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.versioning import save_versioned, stamp
from joinedup.core.site import site_url
from joinedup.notifications.services import queue_email

from ..emails import email_language
from ..fields import Errors, add_error, parse_money, read_date, read_text, require
from ..models import (
    PENNY,
    Applicant,
    Award,
    MeasureDirection,
    MeasureUnit,
    MeasureValue,
    MonitoringReturn,
    OutcomeMeasure,
    ReminderKind,
    ReturnReminder,
    ReturnStatus,
)

MAX_MEASURES = 20
MEASURES_HELP = (
    "One measure a line: name | unit | direction | target | optional. Unit is count, percentage, currency "
    "or average (a mean, a rate or a length of time, such as average days to first contact: averaged over "
    "a period, never added up); direction is up (higher is better) or down (lower is better); the target "
    "and the word 'optional' (a return may leave it blank) may be left out. For example: "
    "Young people taking part | count | up | 200"
)
_UNIT_WORDS = {
    "count": MeasureUnit.COUNT,
    "number": MeasureUnit.COUNT,
    "percentage": MeasureUnit.PERCENTAGE,
    "percent": MeasureUnit.PERCENTAGE,
    "%": MeasureUnit.PERCENTAGE,
    "currency": MeasureUnit.CURRENCY,
    "pounds": MeasureUnit.CURRENCY,
    "£": MeasureUnit.CURRENCY,
    # A mean, a rate or a length of time: the unit is chosen, never guessed from the name (docs/adr/0045).
    "average": MeasureUnit.AVERAGE,
    "avg": MeasureUnit.AVERAGE,
    "mean": MeasureUnit.AVERAGE,
    "rate": MeasureUnit.AVERAGE,
}
_DIRECTION_WORDS = {
    "up": MeasureDirection.UP,
    "higher": MeasureDirection.UP,
    "down": MeasureDirection.DOWN,
    "lower": MeasureDirection.DOWN,
}


# --- outcome measures -------------------------------------------------------------------------------


def _number(raw: Any) -> Decimal | None:
    text = str(raw).strip().replace(",", "").removeprefix("£").removesuffix("%").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _entries(raw: Any) -> list[dict[str, Any]]:
    """Lines of 'name | unit | direction | target | optional', or dicts (the API's shape), as dicts."""
    if isinstance(raw, str):
        entries = []
        for line in raw.splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            parts += [""] * (5 - len(parts))
            name, unit, direction, target, flag = parts[:5]
            entries.append(
                {
                    "name": name,
                    "unit": unit,
                    "direction": direction,
                    "target": target,
                    "required": flag.lower() != "optional",
                    "extra": parts[5:],
                    "flag": flag,
                }
            )
        return entries
    return [dict(entry) if isinstance(entry, dict) else dict(entry.__dict__) for entry in raw or []]


def check_value(unit: str, name: str, number: Decimal) -> str | None:
    """What is wrong with `number` as a value (or a target) of a measure in `unit`, or None."""
    if number != number.quantize(PENNY):
        return _("Enter %(measure)s with at most two decimal places.") % {"measure": name}
    if abs(number) >= Decimal("1e12"):
        return _("%(measure)s is too large.") % {"measure": name}
    if unit == MeasureUnit.COUNT:
        if number < 0:
            return _("%(measure)s is a count: it cannot be negative.") % {"measure": name}
        if number != number.to_integral_value():
            return _("%(measure)s is a count: enter a whole number.") % {"measure": name}
    elif unit == MeasureUnit.PERCENTAGE:
        if not 0 <= number <= 100:
            return _("%(measure)s is a percentage: enter a number from 0 to 100.") % {"measure": name}
    elif unit == MeasureUnit.AVERAGE:
        if number < 0:
            return _("%(measure)s is an average, a rate or a length of time: it cannot be negative.") % {
                "measure": name
            }
    elif number < 0:
        return _("%(measure)s is an amount in pounds: it cannot be negative.") % {"measure": name}
    return None


def parse_measures(raw: Any, errors: Errors, field: str = "measures") -> list[dict[str, Any]]:
    """The measures a grant is to report, checked (every problem under `field`)."""
    measures: list[dict[str, Any]] = []
    seen: set[str] = set()
    entries = _entries(raw)
    if len(entries) > MAX_MEASURES:
        add_error(errors, field, f"A grant may have at most {MAX_MEASURES} outcome measures.")
    for number, entry in enumerate(entries, start=1):
        name = " ".join(str(entry.get("name") or "").split())
        called = f"'{name}'" if name else f"Measure {number}"
        if not name:
            add_error(errors, field, f"Measure {number} needs a name.")
        elif len(name) > 200:
            add_error(errors, field, f"{called}: the name is longer than 200 characters.")
        elif name.lower() in seen:
            add_error(errors, field, f"{called} is listed twice.")
        seen.add(name.lower())
        if entry.get("extra") and any(entry["extra"]):
            add_error(errors, field, f"{called}: too many parts; write name | unit | direction | target.")
        unit = _UNIT_WORDS.get(str(entry.get("unit") or "").strip().lower())
        if unit is None:
            add_error(errors, field, f"{called}: the unit must be count, percentage, currency or average.")
        direction = _DIRECTION_WORDS.get(str(entry.get("direction") or "").strip().lower())
        if direction is None:
            add_error(errors, field, f"{called}: the direction must be up or down.")
        flag = str(entry.get("flag") or "").strip().lower()
        if flag not in ("", "optional", "required"):
            add_error(errors, field, f"{called}: the last part may only be 'optional'.")
        target = None
        target_raw = entry.get("target")
        if target_raw not in (None, ""):
            target = _number(target_raw)
            if target is None:
                add_error(errors, field, f"{called}: the target must be a number.")
            elif unit is not None:
                problem = check_value(unit, f"The target of {called}", target)
                if problem:
                    add_error(errors, field, problem)
        measures.append(
            {
                "name": name,
                "unit": unit,
                "direction": direction,
                "target": target,
                "required": bool(entry.get("required", True)),
            }
        )
    return measures


def measures_as_text(award: Award) -> str:
    """The award's measures in the form's one-a-line shape, to edit."""
    lines = []
    for measure in award.outcome_measures.all():
        parts = [measure.name, measure.unit, measure.direction]
        target = "" if measure.target is None else f"{measure.target.normalize():f}"
        if target or not measure.required:
            parts.append(target)
        if not measure.required:
            parts.append("optional")
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _check_against_recorded(award: Award, measures: list[dict[str, Any]], errors: Errors) -> None:
    """A measure with values recorded keeps its unit and is not removed: that would lose the values."""
    wanted = {m["name"].lower(): m for m in measures}
    for measure in award.outcome_measures.all():
        recorded = measure.values.count()
        if not recorded:
            continue
        new = wanted.get(measure.name.lower())
        returns = f"{recorded} return{'s' if recorded != 1 else ''}"
        if new is None:
            add_error(
                errors,
                "measures",
                f"'{measure.name}' has values in {returns}, so it cannot be removed (or renamed).",
            )
        elif new["unit"] is not None and new["unit"] != measure.unit:
            add_error(
                errors,
                "measures",
                f"'{measure.name}' has values in {returns}, so its unit stays "
                f"{measure.get_unit_display().lower()}.",
            )


def save_measures(*, actor: User, award: Award, measures: list[dict[str, Any]]) -> None:
    """Make the award's measures `measures` (already checked), matching existing ones by name. Call
    inside the caller's transaction."""
    existing = {m.name.lower(): m for m in award.outcome_measures.all()}
    for position, wanted in enumerate(measures):
        measure = existing.pop(wanted["name"].lower(), None) or OutcomeMeasure(award=award)
        changed = measure.pk is None or any(
            getattr(measure, key) != wanted[key]
            for key in ("name", "unit", "direction", "target", "required")
        )
        if changed or measure.position != position:
            for key in ("name", "unit", "direction", "target", "required"):
                setattr(measure, key, wanted[key])
            measure.position = position
            stamp(measure, actor=actor, reason="Outcome measure set")
            measure.save()
    for stale in existing.values():
        stamp(stale, actor=actor, reason="Outcome measure removed")
        stale.delete()


def set_outcome_measures(*, actor: User, award: Award, expected_version: int, data: dict[str, Any]) -> Award:
    """Set the outcome measures the grant holder reports in each monitoring return (the award's version
    guards against two people editing them at once)."""
    require(actor, "funding.manage")
    errors: Errors = {}
    unexpected = sorted(set(data) - {"measures"})
    if unexpected:
        add_error(errors, "__all__", f"Unexpected fields: {', '.join(unexpected)}.")
    measures = parse_measures(data.get("measures"), errors)
    _check_against_recorded(award, measures, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        save_versioned(award, expected_version=expected_version, actor=actor, reason="Outcome measures set")
        save_measures(actor=actor, award=award, measures=measures)
    return award


# --- returns: schedule, content, values ---------------------------------------------------------------


def add_monitoring_return(*, actor: User, award: Award, data: dict[str, Any]) -> MonitoringReturn:
    """Schedule another monitoring return (quarterly, say, as the grant agreement says)."""
    require(actor, "funding.manage")
    errors: Errors = {}
    due_on = read_date(data, "due_on", errors, label="the date the return is due")
    if due_on is not None:
        if due_on <= award.awarded_on:
            add_error(
                errors, "due_on", f"A return must be due after the award date, {award.awarded_on:%-d %B %Y}."
            )
        elif award.monitoring_returns.filter(due_on=due_on).exists():
            add_error(errors, "due_on", f"A return is already due on {due_on:%-d %B %Y}.")
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    with transaction.atomic():
        monitoring_return = MonitoringReturn(award=award, due_on=due_on)
        stamp(monitoring_return, actor=actor, reason="Monitoring return due")
        monitoring_return.save()
    return monitoring_return


def read_measure_values(award: Award, raw: Any, errors: Errors) -> dict[OutcomeMeasure, Decimal]:
    """The values given for the award's measures ({measure id: text}), every problem under the measure's
    field (`measure_<id>`): a required one missing, not a number, out of range for its unit; and a value
    for a measure the grant does not have."""
    given = {str(key).removeprefix("measure_"): value for key, value in dict(raw or {}).items()}
    measures = list(award.outcome_measures.all())
    known = {str(m.pk) for m in measures}
    for key in sorted(set(given) - known):
        add_error(
            errors,
            "__all__",
            _("A value was given for a measure this grant does not have (%(key)s).") % {"key": key},
        )
    values: dict[OutcomeMeasure, Decimal] = {}
    for measure in measures:
        field = f"measure_{measure.pk}"
        text = "" if given.get(str(measure.pk)) is None else str(given[str(measure.pk)]).strip()
        if not text:
            if measure.required:
                add_error(errors, field, _("Enter a value for %(measure)s.") % {"measure": measure.name})
            continue
        number = _number(text)
        if number is None:
            add_error(
                errors, field, _("Enter %(measure)s as a number, for example 12.") % {"measure": measure.name}
            )
            continue
        problem = check_value(measure.unit, measure.name, number)
        if problem:
            add_error(errors, field, problem)
            continue
        values[measure] = number.quantize(PENNY)
    return values


def _read_content(
    monitoring_return: MonitoringReturn, data: dict[str, Any], errors: Errors
) -> dict[str, Any]:
    """Spend, outputs, outcomes and narrative, checked."""
    award = monitoring_return.award
    spend_raw = data.get("spend")
    spend = parse_money(spend_raw) if spend_raw not in (None, "") else None
    if spend_raw not in (None, "") and (spend is None or spend < 0):
        add_error(errors, "spend", _("Enter the spend in pounds and pence, for example 1250.50."))
    elif spend is None:
        add_error(errors, "spend", _("Enter the spend so far."))
    elif spend > award.amount:
        add_error(
            errors,
            "spend",
            _("The spend is more than the £%(amount)s awarded.") % {"amount": f"{award.amount:,.2f}"},
        )
    narrative = read_text(data, "narrative", {})
    if not narrative:
        add_error(errors, "narrative", _("Say how the project went in this period."))
    return {
        "spend": spend,
        "outputs": read_text(data, "outputs", errors),
        "outcomes": read_text(data, "outcomes", errors),
        "narrative": narrative,
    }


def _save_values(
    monitoring_return: MonitoringReturn, values: dict[OutcomeMeasure, Decimal], actor: User | None
) -> None:
    existing = {v.measure_id: v for v in monitoring_return.measure_values.all()}
    for measure, value in values.items():
        row = existing.pop(measure.pk, None) or MeasureValue(
            monitoring_return=monitoring_return, measure=measure
        )
        if row.pk is None or row.value != value:
            row.value = value
            stamp(row, actor=actor, reason="Value reported")
            row.save()
    for left_blank in existing.values():  # an optional measure left blank this time
        stamp(left_blank, actor=actor, reason="Value left blank")
        left_blank.delete()


def _check_open(monitoring_return: MonitoringReturn, errors: Errors) -> None:
    if not monitoring_return.is_open:
        add_error(
            errors,
            "__all__",
            _("This return has already been submitted: the office will review it.")
            if monitoring_return.status == ReturnStatus.SUBMITTED
            else _("This return has already been accepted."),
        )


def _write_return(
    monitoring_return: MonitoringReturn,
    *,
    content: dict[str, Any],
    values: dict[OutcomeMeasure, Decimal],
    expected_version: int,
    actor: User | None,  # None: the grant holder submitted it (an Applicant, not a staff User)
    reason: str,
) -> None:
    for key, value in content.items():
        setattr(monitoring_return, key, value)
    with transaction.atomic():
        save_versioned(monitoring_return, expected_version=expected_version, actor=actor, reason=reason)
        _save_values(monitoring_return, values, actor)


def record_monitoring_return(
    *, actor: User, monitoring_return: MonitoringReturn, expected_version: int, data: dict[str, Any]
) -> MonitoringReturn:
    """Record a return the grant holder sent some other way (spend, outputs, outcomes, narrative and the
    measures' values): received and accepted at once."""
    require(actor, "funding.manage")
    errors: Errors = {}
    _check_open(monitoring_return, errors)
    received = data.get("submitted_on") or timezone.localdate()
    submitted_on = read_date(
        {"submitted_on": received}, "submitted_on", errors, label="the date it was received"
    )
    content = _read_content(monitoring_return, data, errors)
    values = read_measure_values(monitoring_return.award, data.get("values"), errors)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    content.update(
        status=ReturnStatus.ACCEPTED,
        submitted_on=submitted_on,
        submitted_by=None,
        reviewed_by=actor,
        reviewed_on=today,
    )
    _write_return(
        monitoring_return,
        content=content,
        values=values,
        expected_version=expected_version,
        actor=actor,
        reason="Monitoring return received",
    )
    return monitoring_return


def submit_monitoring_return(
    *, applicant: Applicant, monitoring_return: MonitoringReturn, expected_version: int, data: dict[str, Any]
) -> MonitoringReturn:
    """The grant holder submits their return through their applicant account: once, then the office
    reviews it. Only the applicant whose application became the award may."""
    if monitoring_return.award.application.applicant_id != applicant.pk:
        raise NotAllowed("Not this applicant's return.")
    errors: Errors = {}
    _check_open(monitoring_return, errors)
    content = _read_content(monitoring_return, data, errors)
    values = read_measure_values(monitoring_return.award, data.get("values"), errors)
    if errors:
        raise ValidationError(errors)
    content.update(
        status=ReturnStatus.SUBMITTED,
        submitted_on=timezone.localdate(),
        submitted_by=applicant,
        reviewed_by=None,
        reviewed_on=None,
    )
    with transaction.atomic():
        _write_return(
            monitoring_return,
            content=content,
            values=values,
            expected_version=expected_version,
            actor=None,
            reason=f"Submitted by the grant holder ({applicant.email})",
        )
        _tell_office(monitoring_return)
    return monitoring_return


def _tell_office(monitoring_return: MonitoringReturn) -> int:
    """Tell the officers who manage the grant (those who may review the return: `funding.manage` in its
    force area) at once that it has arrived to review: in the service, and by email unless they turned
    immediate emails off (`notifications.notify`, in the caller's transaction). The message holds the
    grant's title and the link to the review page, nothing the return says and nobody's name. Staff read
    the service in English (docs/adr/0033). A return sent back and submitted again is told again (its
    version is in the key). Returns how many were told."""
    from joinedup.core.permissions import has_permission
    from joinedup.notifications.notify import notify_many

    from ..rules import OPCC

    officers = [
        person
        for person in User.objects.filter(is_active=True, role__in=OPCC).order_by("pk")
        if has_permission(person, "funding.manage", monitoring_return)
    ]
    return notify_many(
        officers,
        kind="monitoring_return_submitted",
        title=f"Monitoring return to review for the grant “{monitoring_return.award.title}”",
        url=reverse("funding:monitoring-return-review", args=[monitoring_return.pk]),
        key=f"monitoring-return-{monitoring_return.pk}-submitted-{monitoring_return.version}",
        urgent=True,
    )


REVIEW_DECISIONS = {"accept": "Accept the return", "changes": "Ask the grant holder for changes"}


def review_monitoring_return(
    *, actor: User, monitoring_return: MonitoringReturn, expected_version: int, data: dict[str, Any]
) -> MonitoringReturn:
    """Accept a submitted return, or ask for changes (saying what), which reopens it for the grant holder
    with their answers kept."""
    require(actor, "funding.manage")
    errors: Errors = {}
    decision = str(data.get("decision") or "").strip()
    if decision not in REVIEW_DECISIONS:
        add_error(errors, "decision", "Choose whether to accept the return or ask for changes.")
    changes = read_text(data, "changes_requested", errors)
    if decision == "changes" and not changes:
        add_error(errors, "changes_requested", "Say what the grant holder should change.")
    if monitoring_return.status != ReturnStatus.SUBMITTED:
        add_error(
            errors,
            "__all__",
            f"Only a submitted return can be reviewed; this one is "
            f"{monitoring_return.get_status_display().lower()}.",
        )
    if errors:
        raise ValidationError(errors)
    monitoring_return.reviewed_by = actor
    monitoring_return.reviewed_on = timezone.localdate()
    if decision == "accept":
        monitoring_return.status = ReturnStatus.ACCEPTED
        reason = "Monitoring return accepted"
    else:
        monitoring_return.status = ReturnStatus.CHANGES_REQUESTED
        monitoring_return.changes_requested = changes
        monitoring_return.submitted_on = None  # reopened: due again until resubmitted
        reason = "Changes requested"
    with transaction.atomic():
        save_versioned(monitoring_return, expected_version=expected_version, actor=actor, reason=reason)
        _tell_grant_holder(monitoring_return, "accepted" if decision == "accept" else "changes")
    return monitoring_return


def _tell_grant_holder(monitoring_return: MonitoringReturn, kind: str) -> None:
    """Email the grant holder the office's decision on their return (accepted, or changes asked for), when
    they have an account to read it in: the grant's title and the link, not what to change (they read that
    signed in)."""
    applicant = monitoring_return.award.application.applicant
    if applicant is None or not applicant.is_active or applicant.email_verified_at is None:
        return
    subject, body = _grant_holder_email(monitoring_return, kind, site_url())
    queue_email(to=applicant.email, subject=subject, body=body, kind=f"return_{kind}")


# --- reminders to grant holders -------------------------------------------------------------------------

REMIND_BEFORE = datetime.timedelta(days=7)  # "due within a week": from 7 days before the due date
# A return already this far overdue when first seen (a backlog from before reminders were sent) gets none:
# a reminder is about a return that has just become overdue, not a year-old one the office is chasing.
OVERDUE_REMINDER_WITHIN = datetime.timedelta(days=30)


def _grant_holder_email(monitoring_return: MonitoringReturn, kind: str, site: str) -> tuple[str, str]:
    """A reminder's (or a decision's) subject and body, in the language the grant holder last used on the
    public pages (docs/adr/0033): the grant's title, the due date and the link to the return, nothing else."""
    applicant = monitoring_return.award.application.applicant
    link = site + reverse("public-funding:applicant-return", args=[monitoring_return.pk])
    with translation.override(email_language(applicant.language if applicant else "")):
        facts = {
            "title": monitoring_return.award.title,
            "date": date_format(monitoring_return.due_on, "j F Y"),
            "link": link,
        }
        if kind == ReminderKind.OVERDUE:
            subject = _("Your monitoring return for “%(title)s” is overdue") % facts
            body = (
                _(
                    "Your monitoring return for the grant “%(title)s” was due on %(date)s. Please fill it "
                    "in and submit it here:\n\n%(link)s"
                )
                % facts
            )
        elif kind == "accepted":
            subject = _("Your monitoring return for “%(title)s” has been accepted") % facts
            body = (
                _(
                    "The office that manages your grant “%(title)s” has accepted your monitoring return due "
                    "on %(date)s. Thank you. You can read it here:\n\n%(link)s"
                )
                % facts
            )
        elif kind == "changes":
            subject = _("Changes asked for in your monitoring return for “%(title)s”") % facts
            body = (
                _(
                    "The office that manages your grant “%(title)s” has asked for changes to your monitoring "
                    "return due on %(date)s. Read what to change, and submit it again, here:\n\n%(link)s"
                )
                % facts
            )
        else:
            subject = _("Your monitoring return for “%(title)s” is due on %(date)s") % facts
            body = (
                _(
                    "Your monitoring return for the grant “%(title)s” is due on %(date)s. You can fill it "
                    "in and submit it here:\n\n%(link)s"
                )
                % facts
            )
    return subject, body


def _to_remind(kind: str, *, today: datetime.date) -> Any:
    """Open returns (due, or reopened for changes) of grants with a grant holder's account to email, due
    within a week (`DUE_SOON`) or overdue by no more than `OVERDUE_REMINDER_WITHIN` (`OVERDUE`), that have
    not had this kind of reminder."""
    if kind == ReminderKind.OVERDUE:
        window = {"due_on__lt": today, "due_on__gte": today - OVERDUE_REMINDER_WITHIN}
    else:
        window = {"due_on__gte": today, "due_on__lte": today + REMIND_BEFORE}
    return (
        MonitoringReturn.objects.filter(
            status__in=[ReturnStatus.DUE, ReturnStatus.CHANGES_REQUESTED],
            submitted_on__isnull=True,
            award__application__applicant__is_active=True,
            award__application__applicant__email_verified_at__isnull=False,
            **window,
        )
        .exclude(reminders__kind=kind)
        .select_related("award__application__applicant")
        .order_by("due_on", "pk")
    )


def send_return_reminders(*, today: datetime.date) -> dict[str, int]:
    """Email each grant holder a reminder of a monitoring return due within a week, and another when it is
    overdue: once of each kind per return, ever. A return first seen overdue gets the overdue one only; a
    submitted or accepted return gets none. Each reminder is recorded (`ReturnReminder`, unique per return
    and kind) in the transaction that queues its email, so a rerun, or a second scheduler, sends nothing
    twice. Returns how many of each kind were queued."""
    site = site_url()
    sent = {ReminderKind.DUE_SOON.value: 0, ReminderKind.OVERDUE.value: 0}
    for kind in (ReminderKind.OVERDUE, ReminderKind.DUE_SOON):
        for monitoring_return in _to_remind(kind, today=today):
            applicant = monitoring_return.award.application.applicant
            subject, body = _grant_holder_email(monitoring_return, kind, site)
            with transaction.atomic():
                reminder, created = ReturnReminder.objects.get_or_create(
                    monitoring_return=monitoring_return, kind=kind
                )
                if not created:  # recorded a moment ago by another run
                    continue
                reminder.email = queue_email(
                    to=applicant.email, subject=subject, body=body, kind=f"return_{kind}"
                )
                reminder.save(update_fields=["email"])
            sent[kind.value] += 1
    return sent
