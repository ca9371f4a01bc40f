"""Every write of the performance app: defining indicators, manual returns, commentary, and recomputing
values from their sources (ADR 0029).

Values are computed, never typed: police data through the assessment's figures (`insight.selectors.
area_figures`: `insight.calculation.assess`'s totals, crime types, like-for-like change, coverage and
Benjamini-Hochberg significance, taken as they are, never re-derived, read from the store's summary without
the by-place scan), casework
through `casework.kpis.selectors.kpis`, manual returns from the partner's return, contract KPIs from the supplier's
performance returns and grant outcome measures from the accepted monitoring returns (both read through
`funding.selectors`, docs/adr/0038). A period whose source has nothing is "no data", never zero.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.core.permissions import has_permission
from joinedup.core.roles import Role
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error, apply_fields, collect_model_errors
from joinedup.core.services.versioning import save_versioned, stamp

from .models import (
    FUNDING_SOURCES,
    POLICE_UNITS,
    CaseworkMeasure,
    Commentary,
    Direction,
    Frequency,
    Indicator,
    IndicatorValue,
    ManualReturn,
    PoliceMeasure,
    Source,
    Status,
    TargetKind,
    Unit,
    small_casework_figure,
)
from .periods import Period, month_end, period_containing, periods_between, starts_a_period
from .reasons import EARLIER_FIGURE, SINCE_BEFORE, Phrase, crime, day, each, english, in_english, say
from .reasons import period as period_phrase

log = logging.getLogger("joinedup.performance")

INDICATOR_FIELDS = (
    "name",
    "definition",
    "unit",
    "area",
    "direction",
    "baseline_from",
    "baseline_to",
    "baseline_value",
    "target_kind",
    "target_value",
    "frequency",
    "owner",
    "source",
    "police_measure",
    "crime_type",
    "repeat_minimum",
    "casework_measure",
    "contract_kpi",
    "outcome_measure",
    "return_due_days",
)
# Checked by the service itself (`_check_funding_source`): the model's own check would say "instance with
# id 12 does not exist", and would not know what the person may read.
FUNDING_FIELDS = ("contract_kpi", "outcome_measure")
# The most crimes a location can be asked to have to be a repeat location.
LARGEST_REPEAT_MINIMUM = 1000
# A miss by no more than this share of the target is "at risk"; more is "off track".
AT_RISK_MARGIN = Decimal("0.10")
LARGEST_VALUE = Decimal("1000000000")
TWO_PLACES = Decimal("0.01")


def _require(user: Any, action: str, obj: Any = None) -> None:
    if not has_permission(user, action, obj):
        raise NotAllowed(action)


def _plan_of(indicator: Indicator) -> Any:
    if indicator.plan_priority_id:
        return indicator.plan_priority.plan  # type: ignore[union-attr]
    return indicator.csp_priority.plan  # type: ignore[union-attr]


def plan_end(indicator: Indicator) -> datetime.date:
    return _plan_of(indicator).period_end


# --- defining an indicator ----------------------------------------------------------------------------


def _check_indicator(indicator: Indicator, errors: Errors) -> None:
    force_area_id = indicator.force_area_id
    area = indicator.area if indicator.area_id else None
    if area is not None:
        if area.level not in (AreaLevel.PFA, AreaLevel.CSP, AreaLevel.LAD, AreaLevel.WARD):
            add_error(errors, "area", "Choose the force area, a CSP, a district or an electoral ward.")
        elif force_area_id not in (area.pk, area.pfa_id):
            add_error(errors, "area", "Choose an area inside the plan's force area.")
    if indicator.baseline_from and indicator.baseline_to:
        indicator.baseline_from = indicator.baseline_from.replace(day=1)
        indicator.baseline_to = month_end(indicator.baseline_to)
        if indicator.baseline_to < indicator.baseline_from:
            add_error(errors, "baseline_to", "The baseline period ends before it starts.")
    source = indicator.source
    if source == Source.POLICE:
        _check_police_measure(indicator, errors)
    elif source == Source.CASEWORK:
        if not indicator.casework_measure:
            add_error(errors, "casework_measure", "Choose the casework KPI.")
        if area is not None and area.level != AreaLevel.CSP:
            add_error(errors, "area", "Casework KPIs are counted by CSP: choose a CSP.")
        wanted = Unit.COUNT if indicator.casework_measure == CaseworkMeasure.REPEAT_VICTIMS else Unit.PERCENT
        if indicator.casework_measure and indicator.unit and indicator.unit != wanted:
            add_error(errors, "unit", f"This KPI is a {Unit(wanted).label.lower()}.")
    if source != Source.MANUAL and indicator.baseline_value is not None:
        add_error(
            errors, "baseline_value", "Only manual returns take a typed baseline: this one is computed."
        )
    target = indicator.target_value
    if target is None or not indicator.target_kind or not indicator.direction:
        return
    down = indicator.direction == Direction.DOWN
    if indicator.target_kind == TargetKind.CHANGE:
        if down and target > 0:
            add_error(errors, "target_value", f"A rise of {target}% contradicts the direction: down is good.")
        elif not down and target < 0:
            add_error(errors, "target_value", f"A fall of {-target}% contradicts the direction: up is good.")
        if target < -100:
            add_error(errors, "target_value", "Nothing can fall by more than 100%.")
    else:
        if target < 0:
            add_error(errors, "target_value", "A target cannot be below zero.")
        if indicator.unit == Unit.PERCENT and target > 100:
            add_error(errors, "target_value", "A percentage target cannot be above 100.")
        baseline = indicator.baseline_value
        if baseline is not None and ((down and target > baseline) or (not down and target < baseline)):
            add_error(
                errors,
                "target_value",
                f"A target of {target} against a baseline of {baseline} contradicts the direction: "
                f"{Direction(indicator.direction).label.lower()}.",
            )


def _check_police_measure(indicator: Indicator, errors: Errors) -> None:
    """What to count from police data, and in which unit (ADR 0029, 0034)."""
    from joinedup.core.crime_types import ASB, CRIME_TYPES, HISTORIC_CRIME_TYPES

    measure = indicator.police_measure
    if not measure:
        add_error(
            errors,
            "police_measure",
            "Choose what to count: all crime, ASB, one crime type, crime harm, repeat locations or the "
            "charge/summons rate.",
        )
    if measure == PoliceMeasure.CRIME_TYPE:
        if not indicator.crime_type:
            add_error(errors, "crime_type", "Enter the crime type, as data.police.uk names it.")
        elif indicator.crime_type not in (*CRIME_TYPES, *HISTORIC_CRIME_TYPES):
            # A name the data never has would count nothing: zero every period, read as a fall.
            add_error(
                errors,
                "crime_type",
                f"{indicator.crime_type!r} is not a crime type data.police.uk publishes: enter one as it "
                "names it, like 'Burglary'.",
            )
    units = POLICE_UNITS.get(PoliceMeasure(measure)) if measure in PoliceMeasure.values else None
    if units is None:
        if indicator.unit and indicator.unit not in (Unit.COUNT, Unit.RATE):
            add_error(errors, "unit", "Police data gives a count or a rate per 1,000 residents.")
    elif indicator.unit and indicator.unit not in units:
        add_error(
            errors,
            "unit",
            "Repeat locations are a count of locations."
            if measure == PoliceMeasure.REPEAT_LOCATIONS
            else "The charge/summons rate is a percentage.",
        )
    if measure not in (PoliceMeasure.REPEAT_LOCATIONS, PoliceMeasure.CHARGE_RATE):
        if indicator.repeat_minimum is not None:
            add_error(
                errors, "repeat_minimum", "Only repeat locations take a number of crimes at one location."
            )
        return
    # For these two, no crime type means all crime excluding ASB; one given must be data.police.uk's.
    if indicator.crime_type and indicator.crime_type not in (*CRIME_TYPES, *HISTORIC_CRIME_TYPES):
        add_error(
            errors,
            "crime_type",
            f"{indicator.crime_type!r} is not a crime type data.police.uk publishes: leave it empty for all "
            "crime excluding ASB, or enter one like 'Burglary'.",
        )
    if measure == PoliceMeasure.CHARGE_RATE:
        if indicator.crime_type == ASB:
            add_error(errors, "crime_type", "ASB has no outcomes, so no charge/summons rate.")
        if indicator.repeat_minimum is not None:
            add_error(
                errors, "repeat_minimum", "Only repeat locations take a number of crimes at one location."
            )
    elif indicator.repeat_minimum is None:
        add_error(
            errors, "repeat_minimum", "Enter how many crimes at one location make it a repeat location."
        )
    elif not 2 <= indicator.repeat_minimum <= LARGEST_REPEAT_MINIMUM:
        add_error(
            errors,
            "repeat_minimum",
            f"A repeat location has at least 2 crimes (and at most {LARGEST_REPEAT_MINIMUM:,} can be asked).",
        )


def _check_funding_source(
    indicator: Indicator, errors: Errors, *, actor: Any, chosen: tuple[int | None, int | None] = (None, None)
) -> None:
    """A contract KPI or a grant outcome measure (docs/adr/0038): one the person may read (one already
    chosen, unchanged, stays even for someone who does not read funding, so they can still change the
    target), of a unit and direction the indicator agrees with. Every problem is added to `errors`."""
    from joinedup.funding.selectors import kpi_sources, outcome_measure_sources

    source = indicator.source
    for field_name, wanted, what in (
        ("contract_kpi", Source.CONTRACT, "a contract KPI"),
        ("outcome_measure", Source.GRANT, "a grant outcome measure"),
    ):
        pk = getattr(indicator, f"{field_name}_id")
        if source != wanted:
            if pk is not None:
                add_error(
                    errors,
                    field_name,
                    f"Only an indicator from {what} names one: leave it empty, or choose the source "
                    f"'{Source(wanted).label}'.",
                )
            continue
        if pk is None:
            add_error(errors, field_name, f"Choose {what}.")
            continue
        unchanged = pk == chosen[0 if field_name == "contract_kpi" else 1]
        read = kpi_sources if field_name == "contract_kpi" else outcome_measure_sources
        found = read(user=None if unchanged else actor, ids=[pk]).get(pk)
        if found is None:
            add_error(
                errors,
                field_name,
                f"Choose {what} you may read: there is none with the number {pk} in your force area's "
                + ("contracts and call-offs." if field_name == "contract_kpi" else "grants."),
            )
            continue
        _check_unit_and_direction(indicator, found, field_name, errors)


def _check_unit_and_direction(indicator: Indicator, found: Any, field_name: str, errors: Errors) -> None:
    """The indicator's unit and direction are the KPI's or measure's: its figures are read as they are."""
    kind = "KPI" if field_name == "contract_kpi" else "measure"
    if found.currency:
        add_error(
            errors,
            field_name,
            f"The measure '{found.name}' is an amount in pounds: an indicator is a count, a rate or a "
            "percentage, so choose a count, percentage or average measure.",
        )
    elif indicator.unit:
        wanted = Unit.PERCENT if found.percentage else Unit.COUNT
        if indicator.unit != wanted:
            add_error(
                errors,
                "unit",
                f"The {kind} '{found.name}' is {'a percentage' if found.percentage else 'not a percentage'}: "
                f"choose the unit '{Unit(wanted).label}'.",
            )
    if indicator.direction:
        wanted_direction = Direction.UP if found.higher_is_better else Direction.DOWN
        if indicator.direction != wanted_direction:
            add_error(
                errors,
                "direction",
                f"For the {kind} '{found.name}' {'higher' if found.higher_is_better else 'lower'} is better: "
                f"choose '{Direction(wanted_direction).label}'.",
            )


def _priority_and_force_area(indicator: Indicator, priority: Any) -> None:
    from joinedup.csp.models import CspPriority
    from joinedup.partnerships.models import PlanPriority

    if isinstance(priority, PlanPriority):
        indicator.plan_priority = priority
        indicator.force_area_id = priority.plan.force_area_id
    elif isinstance(priority, CspPriority):
        indicator.csp_priority = priority
        indicator.force_area_id = priority.plan.csp.pfa_id  # type: ignore[assignment]
    else:
        raise ValueError("An indicator measures a priority of the Police and Crime Plan or of a CSP plan.")


def _apply_indicator(indicator: Indicator, data: dict[str, Any], *, actor: Any) -> None:
    """Set an indicator's fields from `data` if `actor` may define it, or refuse with every problem at once
    (the KPI or measure it already has stays allowed: see `_check_funding_source`)."""
    _require(actor, "performance.define", indicator)
    errors: Errors = {}
    chosen = (indicator.contract_kpi_id, indicator.outcome_measure_id)
    apply_fields(indicator, data, INDICATOR_FIELDS, errors)
    collect_model_errors(
        indicator, errors, exclude=("force_area", "plan_priority", "csp_priority", *FUNDING_FIELDS)
    )
    _check_indicator(indicator, errors)
    _check_funding_source(indicator, errors, actor=actor, chosen=chosen)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def define_indicator(*, actor: Any, priority: Any, data: dict[str, Any], compute: bool = True) -> Indicator:
    """A new indicator of `priority` (a PlanPriority or CspPriority); every problem listed at once."""
    indicator = Indicator()
    _priority_and_force_area(indicator, priority)
    _apply_indicator(indicator, data, actor=actor)
    stamp(indicator, actor=actor)
    indicator.save()
    if compute:
        transaction.on_commit(lambda: _recompute_quietly(indicator.pk))
    return indicator


@transaction.atomic
def update_indicator(
    *, actor: Any, indicator: Indicator, expected_version: int, data: dict[str, Any]
) -> Indicator:
    _apply_indicator(indicator, data, actor=actor)
    save_versioned(indicator, expected_version=expected_version, actor=actor)
    transaction.on_commit(lambda: _recompute_quietly(indicator.pk))
    return indicator


def _recompute_quietly(*pks: int) -> None:
    try:
        recompute(indicators=Indicator.objects.filter(pk__in=pks))
    except Exception:  # a source that fails must not undo the definition; the next recompute retries
        log.exception("Recomputing indicator(s) %s failed", ", ".join(map(str, pks)))


# --- manual returns and commentary --------------------------------------------------------------------


def return_problems(
    indicator: Indicator,
    organisation: Organisation | None,
    period_start: Any,
    value: Any,
    today: datetime.date,
) -> tuple[Errors, datetime.date | None, Decimal | None]:
    """Every reason a return cannot be accepted (with the parsed period and value when they parse)."""
    errors: Errors = {}
    if indicator.source != Source.MANUAL:
        add_error(
            errors,
            "__all__",
            f"This indicator is computed from {Source(indicator.source).label.lower()}; it takes no manual returns.",
        )
    if organisation is None or organisation.pk != indicator.owner_id:
        who = organisation.name if organisation is not None else "You have no organisation, and so"
        add_error(errors, "__all__", f"{who} does not owe this return: {indicator.owner.name} does.")
    start: datetime.date | None = None
    if isinstance(period_start, datetime.date):
        start = period_start
    else:
        try:
            start = datetime.date.fromisoformat(str(period_start or "").strip()[:10])
        except ValueError:
            add_error(errors, "period_start", "Enter the first day of the period, like 2026-04-01.")
    if start is not None:
        if not starts_a_period(start, indicator.frequency):
            add_error(
                errors,
                "period_start",
                f"{start:%-d %B %Y} does not start a {indicator.get_frequency_display().lower()} period "
                "(quarters start on 1 April, July, October and January; years on 1 April).",
            )
            start = None
        else:
            period = period_containing(start, indicator.frequency)
            if period.end >= today:
                add_error(
                    errors,
                    "period_start",
                    f"The return for {period.label} is not due yet: the period ends on {period.end:%-d %B %Y}.",
                )
            elif period.end <= indicator.baseline_from:
                add_error(errors, "period_start", "That period is before the indicator's baseline.")
    amount: Decimal | None = None
    try:
        amount = Decimal(str(value).strip()) if value is not None and str(value).strip() else None
        if amount is not None and not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        add_error(errors, "value", "Enter the figure as a number, like 42 or 12.5.")
        amount = None
    if amount is None and "value" not in errors:
        add_error(errors, "value", "Enter the figure.")
    if amount is not None:
        if amount < 0:
            add_error(errors, "value", "The figure cannot be below zero.")
        if indicator.unit == Unit.PERCENT and amount > 100:
            add_error(errors, "value", "A percentage cannot be more than 100.")
        if indicator.unit == Unit.COUNT and amount != amount.to_integral_value():
            add_error(errors, "value", "A count is a whole number.")
        if amount > LARGEST_VALUE:
            add_error(errors, "value", "The figure is too large for this indicator.")
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            add_error(errors, "value", "Give the figure to at most two decimal places.")
    return errors, start, amount


@transaction.atomic
def submit_return(
    *,
    actor: Any,
    indicator: Indicator,
    period_start: Any,
    value: Any,
    note: str = "",
    today: datetime.date | None = None,
) -> ManualReturn:
    """Record (or correct) a partner's return for one period, then recompute that indicator."""
    _require(actor, "performance.view", indicator)
    today = today or timezone.localdate()
    organisation = actor.organisation if getattr(actor, "organisation_id", None) else None
    errors, start, amount = return_problems(indicator, organisation, period_start, value, today)
    if len(note or "") > 5000:
        add_error(errors, "note", "Keep the notes to 5,000 characters.")
    if errors:
        raise ValidationError(errors)
    assert start is not None and amount is not None and organisation is not None
    existing = (
        ManualReturn.objects.select_for_update().filter(indicator=indicator, period_start=start).first()
    )
    record = existing or ManualReturn(indicator=indicator, period_start=start)
    record.organisation = organisation
    record.value = amount
    record.note = (note or "").strip()
    stamp(record, actor=actor, reason="Return corrected" if existing else "Return submitted")
    if existing:
        record.version += 1
    record.save()
    recompute(indicators=Indicator.objects.filter(pk=indicator.pk), today=today)
    return record


@transaction.atomic
def save_commentary(
    *, actor: Any, indicator: Indicator, period_start: datetime.date, text: str
) -> Commentary:
    """The owner's commentary on one period (people of the owning organisation only)."""
    _require(actor, "performance.return", indicator)
    errors: Errors = {}
    text = (text or "").strip()
    if not text:
        add_error(errors, "text", "Enter the commentary.")
    elif len(text) > 5000:
        add_error(errors, "text", "Keep the commentary to 5,000 characters.")
    if not starts_a_period(period_start, indicator.frequency):
        add_error(errors, "period_start", "Choose one of the indicator's periods.")
    if errors:
        raise ValidationError(errors)
    record = Commentary.objects.filter(indicator=indicator, period_start=period_start).first()
    record = record or Commentary(indicator=indicator, period_start=period_start)
    record.text = text
    stamp(record, actor=actor)
    if record.pk:
        record.version += 1
    record.save()
    return record


# --- computing values ---------------------------------------------------------------------------------


class _AggregateReader:
    """The principal casework KPIs are read under when values are recomputed without a person (the
    scheduler, the CLI): the KPIs are depersonalised counts over every agency's records (casework/kpis/selectors.py),
    so the reader is the read-only auditor role, never a person (ADR 0029)."""

    pk = None
    id = None
    is_authenticated = True
    is_active = True
    role = Role.AUDITOR
    organisation_id = None


@dataclass
class Reading:
    """What a source says about one period."""

    value: Decimal | None
    reason: Phrase | None = None  # why there is no value
    trend: Phrase | None = None  # the change on the period before (reasons.in_english: the stored text)
    coverage_warning: str = ""
    coverage: dict[str, Any] | None = None  # the assessment's coverage, to say its warning in Welsh too
    months_present: int | None = None  # None: not raised pro rata for missing months
    detail: dict[str, Any] = field(default_factory=dict)
    note: list[Phrase] = field(default_factory=list)  # what the value is made of, after the status


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class NoFigures:
    """Why the police data store gives no figures for an area and period."""

    reason: Phrase


# What a reason says of a contract KPI's or a grant outcome measure's returns (docs/adr/0038): a sentence
# for each kind of return, so that each has its Welsh (a noun put into a sentence would not mutate).
FUNDED_WORDS: dict[Source, dict[str, str]] = {
    Source.CONTRACT: {
        "removed": gettext_noop(
            "The contract KPI this indicator read has been removed from its contract or call-off: choose "
            "another."
        ),
        "nothing": gettext_noop("No supplier return for this KPI ends between %(start)s and %(end)s."),
        "one": gettext_noop("From the supplier return for %(start)s to %(end)s."),
        "sum": gettext_noop("The sum of %(count)s supplier returns ending in the period: %(figures)s."),
        "mean": gettext_noop(
            "The mean of %(count)s supplier returns ending in the period, each counted equally (a return "
            "gives no number of cases to weight it by): %(figures)s."
        ),
        "early": gettext_noop(
            "The supplier return for %(start)s to %(end)s starts before the period: a return is counted in "
            "the period it ends in."
        ),
    },
    Source.GRANT: {
        "removed": gettext_noop(
            "The outcome measure this indicator read has been removed from its grant: choose another."
        ),
        "nothing": gettext_noop(
            "No accepted monitoring return with a value for this measure ends between %(start)s and %(end)s."
        ),
        "one": gettext_noop("From the monitoring return for %(start)s to %(end)s."),
        "sum": gettext_noop("The sum of %(count)s monitoring returns ending in the period: %(figures)s."),
        "mean": gettext_noop(
            "The mean of %(count)s monitoring returns ending in the period, each counted equally (a return "
            "gives no number of cases to weight it by): %(figures)s."
        ),
        "early": gettext_noop(
            "The monitoring return for %(start)s to %(end)s starts before the period: a return is counted in "
            "the period it ends in."
        ),
    },
}
WAITING_ONE = gettext_noop(
    "1 monitoring return ending between %(start)s and %(end)s is not accepted yet (%(status)s): a return "
    "counts once it is accepted."
)
WAITING_MANY = gettext_noop(
    "%(count)s monitoring returns ending between %(start)s and %(end)s are not accepted yet (%(status)s): a "
    "return counts once it is accepted."
)
# A monitoring return's status, as a reason names it (funding's ReturnStatus, lower case).
RETURN_STATES = {
    "due": gettext_noop("due"),
    "submitted": gettext_noop("submitted, to review"),
    "changes_requested": gettext_noop("changes requested"),
    "accepted": gettext_noop("accepted"),
}


class SourceReader:
    """Reads indicator sources, caching each assessment per area and period for one recompute."""

    def __init__(self) -> None:
        self.assessments: dict[tuple[str, str, str], dict[str, Any] | NoFigures] = {}
        # The by-place counts (a scan of the area's rows), per area and period, for one recompute.
        self.places: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.weights: dict[str, float] | None = None  # severity weights, read once for harm
        # A KPI's or outcome measure's returned figures, read once for all its periods.
        self.figures: dict[tuple[str, int], tuple[list[Any], Any]] = {}
        self.generation: str | None = None
        from joinedup.insight.selectors import store_generation

        self.generation = store_generation()

    def assessment(self, area_code: str, period: Period) -> dict[str, Any] | NoFigures:
        from joinedup.insight.selectors import AssessmentError, area_figures

        key = (area_code, period.from_month, period.to_month)
        if key not in self.assessments:
            try:
                self.assessments[key] = area_figures(area_code, period.from_month, period.to_month)
            except AssessmentError as exc:
                # The store's own explanation, as phrases the public page says in Welsh (an error without
                # them, in English as written).
                self.assessments[key] = NoFigures(exc.phrase or english(str(exc)))
        return self.assessments[key]

    def police(self, indicator: Indicator, period: Period) -> Reading:
        result = self.assessment(indicator.area.code, period)
        if isinstance(result, NoFigures):
            return Reading(None, reason=result.reason)  # the assessment's own words
        if indicator.police_measure == PoliceMeasure.HARM:
            return self.harm(indicator, result)
        if indicator.police_measure == PoliceMeasure.REPEAT_LOCATIONS:
            return self.repeat_locations(indicator, period, result)
        if indicator.police_measure == PoliceMeasure.CHARGE_RATE:
            return self.charge_rate(indicator, period, result)
        totals = result["totals"]
        if indicator.police_measure == PoliceMeasure.ALL_CRIME:
            count, rate_value = totals["crimes_excl_asb"], totals["rate_per_1000"]
            trend, q_value = totals["trend"], totals["q_value"]
        elif indicator.police_measure == PoliceMeasure.ASB:
            count, rate_value = totals["asb"], totals["asb_rate_per_1000"]
            trend, q_value = totals["asb_trend"], totals["asb_q_value"]
        else:
            row = next((r for r in result["by_crime_type"] if r["crime_type"] == indicator.crime_type), None)
            count = row["count"] if row else 0
            rate_value = row["rate_per_1000"] if row else (0.0 if totals["population"] else None)
            trend, q_value = (row["trend"], row["q_value"]) if row else ("no significant change", None)
        # The assessment's words for a change are data.police.uk vocabulary, named in the reader's language.
        said = crime(trend) if trend else None
        return self._police_reading(indicator, result, count, rate_value, said, {"q_value": q_value})

    def harm(self, indicator: Indicator, result: dict[str, Any]) -> Reading:
        """Crime harm: the counts weighted by the Crime Severity Score, as the assessment's harm section
        gives it. A weighted total has no significance test, so its like-for-like change is given as a
        percentage and said to be untested."""
        from joinedup.insight.selectors import harm_of_figures, severity_weights

        if self.weights is None:
            self.weights = severity_weights()
        harm = harm_of_figures(result, self.weights)
        if harm is None:
            return Reading(
                None,
                reason=say(
                    gettext_noop(
                        "No crime severity weights are loaded (joinedup insight severity import), "
                        "so there is no harm figure."
                    )
                ),
            )
        change = harm["change_pct"]
        # A weighted total has no significance test (the trend holds 40 characters).
        trend = (
            None
            if change is None
            else say(gettext_noop("harm up %(change)s%%, not tested"), change=abs(change))
            if change > 0
            else say(gettext_noop("harm down %(change)s%%, not tested"), change=abs(change))
            if change < 0
            else say(gettext_noop("harm unchanged, not tested"))
        )
        extra = {"unweighted": harm["unweighted"], "change_pct": change}
        return self._police_reading(indicator, result, harm["total"], harm["per_1000"], trend, extra)

    def repeat_locations(self, indicator: Indicator, period: Period, result: dict[str, Any]) -> Reading:
        """The number of locations (anonymised map points) with at least the indicator's number of crimes
        of its crime type (or all crime excluding ASB) in the period. Not raised pro rata for a missing
        month (a count of locations does not grow with the months), and not tested: its like-for-like
        change is the same count over the months both periods have, given as a number."""
        from joinedup.insight.selectors import area_repeat_locations

        minimum = int(indicator.repeat_minimum or 2)
        crime_type = indicator.crime_type or None
        key = ("repeat", indicator.area.code, period.from_month, period.to_month, crime_type, minimum)
        if key not in self.places:
            self.places[key] = area_repeat_locations(
                indicator.area.code,
                period.from_month,
                period.to_month,
                crime_type=crime_type,
                minimum=minimum,
            )
        found = self.places[key]
        coverage = result["coverage"]
        present, missing = coverage["current"]["present"], coverage["current"]["missing"]
        lfl = found["like_for_like"]
        trend = repeat_trend(lfl["locations"] - lfl["previous_locations"]) if lfl["months"] else None
        parts = [
            say(
                gettext_noop(
                    "%(locations)s of the %(with_crime)s locations with any crime (%(crime)s) had %(minimum)s "
                    "or more; %(at_repeat)s of the %(crimes)s crimes were at them."
                ),
                locations=f"{found['locations']:,}",
                with_crime=f"{found['locations_with_crime']:,}",
                crime=_chosen(indicator),
                minimum=minimum,
                at_repeat=f"{found['crimes_at_repeat_locations']:,}",
                crimes=f"{found['crimes']:,}",
            )
        ]
        if found["unlocated"]:
            parts.append(
                say(
                    gettext_noop("%(unlocated)s crimes without a location are left out."),
                    unlocated=f"{found['unlocated']:,}",
                )
            )
        if missing:
            parts.append(
                say(
                    gettext_noop(
                        "Only %(present)s of %(months)s months have data: a count of locations is not raised "
                        "pro rata, so it may be lower than a whole period's."
                    ),
                    present=len(present),
                    months=period.months,
                )
            )
        if trend:
            parts.append(
                say(
                    gettext_noop(
                        "Over the months both periods have, %(now)s repeat locations against %(before)s: a "
                        "count of locations has no significance test."
                    ),
                    now=f"{lfl['locations']:,}",
                    before=f"{lfl['previous_locations']:,}",
                )
            )
        return Reading(
            Decimal(found["locations"]).quantize(TWO_PLACES),
            trend=trend,
            coverage_warning=coverage["warning"] or "",
            coverage=_coverage_phrase(coverage),
            months_present=None,
            note=parts,
            detail={
                "count": found["locations"],
                "minimum": minimum,
                "crimes": found["crimes"],
                "crimes_at_repeat_locations": found["crimes_at_repeat_locations"],
                "locations_with_crime": found["locations_with_crime"],
                "unlocated": found["unlocated"],
                "like_for_like_locations": [lfl["locations"], lfl["previous_locations"]],
                "months_missing": missing,
                "like_for_like_months": lfl["months"],
                "previous": result["previous"],
            },
        )

    def charge_rate(self, indicator: Indicator, period: Period, result: dict[str, Any]) -> Reading:
        """The share of the period's crimes (of the indicator's crime type, or all crime excluding ASB)
        whose last outcome published by data.police.uk follows a charge or summons; crimes whose outcome
        is not yet known count as not charged, and the reason gives how many. Not tested: the period
        before's crimes have had longer to reach an outcome."""
        from joinedup.insight.selectors import area_charge_outcomes, charge_rate_of

        key = ("charge", indicator.area.code, period.from_month, period.to_month)
        if key not in self.places:
            self.places[key] = area_charge_outcomes(indicator.area.code, period.from_month, period.to_month)
        rate = charge_rate_of(self.places[key], indicator.crime_type or None)
        coverage = result["coverage"]
        if rate["rate_pct"] is None:
            return Reading(
                None,
                reason=say(
                    gettext_noop(
                        "No crimes (%(crime)s) in %(area)s for %(period)s, so no charge/summons rate."
                    ),
                    crime=_chosen(indicator),
                    area=indicator.area.name,
                    period=period_phrase(period.start, period.end),
                ),
            )
        lfl = rate["like_for_like"]
        trend = None
        if lfl["rate_pct"] is not None and lfl["previous_rate_pct"] is not None:
            trend = charge_trend(lfl["rate_pct"] - lfl["previous_rate_pct"])
        parts = [
            say(
                gettext_noop(
                    "%(charged)s of %(crimes)s crimes (%(crime)s) have a last outcome that follows a charge or "
                    "summons, as published by data.police.uk (not the Home Office outcomes data);"
                ),
                charged=f"{rate['charged']:,}",
                crimes=f"{rate['crimes']:,}",
                crime=_chosen(indicator),
            ),
            say(
                gettext_noop(
                    "%(not_known)s (%(percent)s%%) have no known outcome yet and count as not charged, so the "
                    "rate can still rise."
                ),
                not_known=f"{rate['not_known']:,}",
                percent=rate["not_known_pct"],
            ),
        ]
        if trend:
            parts.append(
                say(
                    gettext_noop(
                        "Over the months both periods have, %(now)s%% against %(before)s%%: not tested, as the "
                        "earlier crimes have had longer to reach an outcome."
                    ),
                    now=lfl["rate_pct"],
                    before=lfl["previous_rate_pct"],
                )
            )
        return Reading(
            _money(rate["rate_pct"]),
            trend=trend,
            coverage_warning=coverage["warning"] or "",
            coverage=_coverage_phrase(coverage),
            months_present=len(coverage["current"]["present"]),
            note=parts,
            detail={
                "count": rate["charged"],
                "crimes": rate["crimes"],
                "not_known": rate["not_known"],
                "like_for_like_rates": [lfl["rate_pct"], lfl["previous_rate_pct"]],
                "months_missing": coverage["current"]["missing"],
                "like_for_like_months": lfl["months"],
                "previous": result["previous"],
            },
        )

    def _police_reading(
        self,
        indicator: Indicator,
        result: dict[str, Any],
        count: Any,
        rate_value: Any,
        trend: Phrase | None,
        extra: dict[str, Any],
    ) -> Reading:
        if indicator.unit == Unit.RATE and rate_value is None:
            return Reading(
                None,
                reason=say(
                    gettext_noop("No population is recorded for %(area)s, so no rate."),
                    area=indicator.area.name,
                ),
            )
        coverage = result["coverage"]
        present = len(coverage["current"]["present"])
        return Reading(
            _money(rate_value if indicator.unit == Unit.RATE else count),
            trend=trend,
            coverage_warning=coverage["warning"] or "",
            coverage=_coverage_phrase(coverage),
            months_present=present,
            detail={
                "count": count,
                **extra,
                "months_missing": coverage["current"]["missing"],
                "like_for_like_months": coverage["like_for_like"]["months"],
                "previous": result["previous"],
            },
        )

    def casework(self, indicator: Indicator, period: Period) -> Reading:
        from joinedup.casework.kpis.selectors import kpis

        end = timezone.make_aware(datetime.datetime.combine(period.end, datetime.time(23, 59, 59)))
        figures = kpis(user=_AggregateReader(), csp_code=indicator.area.code, months=period.months, now=end)
        where = {"area": indicator.area.name, "period": period_phrase(period.start, period.end)}
        if indicator.casework_measure == CaseworkMeasure.ACTIONED_48H:
            percent, part, whole = (figures["actioned"][k] for k in ("percent", "actioned", "eligible"))
            none = say(gettext_noop("No reports in %(area)s for %(period)s."), **where)
        elif indicator.casework_measure == CaseworkMeasure.FEEDBACK:
            percent, part, whole = (figures["feedback"][k] for k in ("percent", "with_feedback", "cases"))
            none = say(gettext_noop("No cases with a named informant in %(area)s for %(period)s."), **where)
        else:
            if not figures["incidents"]:
                return Reading(
                    None, reason=say(gettext_noop("No casework reports in %(area)s for %(period)s."), **where)
                )
            repeat = sum(row["repeat_victim"] for row in figures["monthly"])
            return Reading(Decimal(repeat), detail={"reports": figures["incidents"]})
        if percent is None:
            return Reading(None, reason=none)
        # The counts behind the percentage, so it can be withheld when either is small (ADR 0013).
        return Reading(_money(percent), detail={"of": whole, "part": part})

    def funded(self, indicator: Indicator) -> tuple[list[Any], bool] | None:
        """A contract KPI's or a grant outcome measure's returned figures, and whether they are averaged
        over a period rather than added up (`selectors.is_averaged`), read once a recompute. None: it has
        been removed."""
        from joinedup.funding.selectors import kpi_figures, outcome_measure_figures

        from .selectors import funded_source, is_averaged

        contract = indicator.source == Source.CONTRACT
        pk = indicator.contract_kpi_id if contract else indicator.outcome_measure_id
        if pk is None:
            return None
        key = (indicator.source, pk)
        if key not in self.figures:
            figures = (kpi_figures if contract else outcome_measure_figures)(pk)
            self.figures[key] = (figures, funded_source(indicator))
        figures, source = self.figures[key]
        return figures, is_averaged(indicator, source)

    def averaged(self, indicator: Indicator) -> bool:
        """Whether the indicator's values are averages of its source's figures (so its baseline and a
        percentage-change target are not counted per month): percentages, and the funded sources' averages."""
        if indicator.source not in FUNDING_SOURCES:
            return indicator.unit == Unit.PERCENT
        found = self.funded(indicator)
        return found[1] if found is not None else indicator.unit == Unit.PERCENT

    def returned(self, indicator: Indicator, period: Period) -> Reading:
        """A contract KPI's or a grant outcome measure's figure for the period, from the returns whose own
        period ends in it (docs/adr/0038): the supplier's performance returns, or the grant's monitoring
        returns once accepted (one submitted and not yet accepted does not count). Counts add up over the
        returns; a percentage, an average, a rate or a length of time is their mean, each return counted
        equally (a return gives no number of cases to weight it by: docs/adr/0044). No return: no data.
        The reason is said in phrases, so the public page says it in Welsh too (reasons.py)."""
        words = FUNDED_WORDS[Source(indicator.source)]
        found = self.funded(indicator)
        if found is None:
            return Reading(None, reason=say(words["removed"]))
        figures, averaged = found
        ending = [f for f in figures if period.start <= f.ends_on <= period.end]
        counted = [f for f in ending if f.counted]
        waiting = [f for f in ending if not f.counted]
        between = {"start": day(period.start), "end": day(period.end)}
        not_yet: Phrase | None = None
        if waiting:
            states = sorted({f.state for f in waiting})
            not_yet = say(
                WAITING_ONE if len(waiting) == 1 else WAITING_MANY,
                count=len(waiting),
                status=each(
                    [say(RETURN_STATES[s]) if s in RETURN_STATES else english(s) for s in states], ", "
                ),
                **between,
            )
        if not counted:
            nothing = say(words["nothing"], **between)
            if not_yet is None:
                return Reading(None, reason=nothing)
            return Reading(
                None, reason=say(gettext_noop("%(nothing)s %(waiting)s"), nothing=nothing, waiting=not_yet)
            )
        total = sum((f.value for f in counted), Decimal(0))
        value = total / len(counted) if averaged else total

        def covering(f: Any) -> dict[str, Phrase]:
            return {"start": day(f.starts_on), "end": day(f.ends_on)}

        if len(counted) == 1:
            parts = [say(words["one"], **covering(counted[0]))]
        else:
            listed = each(
                [
                    say(
                        gettext_noop("%(start)s to %(end)s, %(value)s"),
                        value=_fmt(f.value, indicator.unit),
                        **covering(f),
                    )
                    for f in counted
                ]
            )
            parts = [say(words["mean" if averaged else "sum"], count=len(counted), figures=listed)]
        early = [f for f in counted if f.starts_on < period.start]
        if early:
            parts.append(say(words["early"], **covering(early[0])))
        if not_yet is not None:
            parts.append(not_yet)
        return Reading(
            _money(value),
            note=parts,
            detail={"returns": [f.return_id for f in counted], "combined": "mean" if averaged else "sum"},
        )

    def manual(
        self, indicator: Indicator, period: Period, returns: dict[datetime.date, ManualReturn]
    ) -> Reading:
        record = returns.get(period.start)
        if record is None:
            return Reading(
                None,
                reason=say(
                    gettext_noop("%(owner)s has not sent its return for %(period)s."),
                    owner=indicator.owner.name,
                    period=period_phrase(period.start, period.end),
                ),
            )
        return Reading(record.value, detail={"return": record.pk})


def _coverage_phrase(coverage: dict[str, Any]) -> Phrase | None:
    """The months missing from an assessment, as a phrase (reasons.py) when any are."""
    if coverage.get("complete", True):
        return None
    like = coverage["like_for_like"]
    return {
        "coverage": {
            "complete": False,
            "current": coverage["current"],
            "previous": coverage["previous"],
            "like_for_like": {"months": like["months"], "left_out": like["left_out"]},
        }
    }


def _chosen(indicator: Indicator) -> Phrase:
    """The crimes a repeat-location or charge-rate measure counts: its crime type, or all but ASB."""
    return (
        crime(indicator.crime_type) if indicator.crime_type else say(gettext_noop("all crime excluding ASB"))
    )


def repeat_trend(change: int) -> Phrase:
    """The like-for-like change in repeat locations, said to be untested (the trend holds 40 characters)."""
    if not change:
        return say(gettext_noop("repeat locations unchanged, not tested"))
    if change > 0:
        return say(gettext_noop("repeat locations up %(change)s, not tested"), change=abs(change))
    return say(gettext_noop("repeat locations down %(change)s, not tested"), change=abs(change))


def charge_trend(points: float) -> Phrase:
    """The like-for-like change in the charge/summons rate in percentage points, said to be untested."""
    change = round(points, 1)
    if not change:
        return say(gettext_noop("charge rate unchanged, not tested"))
    if change > 0:
        return say(gettext_noop("charge rate up %(change)s pts, not tested"), change=abs(change))
    return say(gettext_noop("charge rate down %(change)s pts, not tested"), change=abs(change))


def _scaled(value: Decimal, months_present: int | None, months: int, unit: str) -> Decimal:
    """A count or rate over the months present, raised to the whole period (percentages are not)."""
    if unit == Unit.PERCENT or not months_present or months_present >= months:
        return value
    return _money(value * months / months_present)


def baseline_for(indicator: Indicator, reader: SourceReader) -> tuple[Decimal | None, Phrase | None, str]:
    """The baseline value per month (counts and rates) or as it is (percentages and averaged funded
    figures), a note, and what the
    baseline is shown as outside casework when it could single someone out ("" when it may be shown:
    `models.small_casework_figure`)."""
    baseline = Period(indicator.baseline_from, indicator.baseline_to)
    if indicator.source == Source.POLICE and indicator.police_measure == PoliceMeasure.REPEAT_LOCATIONS:
        return _repeat_baseline(indicator, baseline, reader)
    if indicator.source == Source.MANUAL:
        value = indicator.baseline_value
        reading = Reading(value, months_present=baseline.months)
    elif indicator.source == Source.POLICE:
        reading = reader.police(indicator, baseline)
    elif indicator.source in FUNDING_SOURCES:
        reading = reader.returned(indicator, baseline)
    else:
        reading = reader.casework(indicator, baseline)
    if reading.value is None:
        return None, reading.reason or say(gettext_noop("The baseline period has no data.")), ""
    small = small_casework_figure(indicator.source, indicator.unit, reading.value, reading.detail)
    full = _scaled(reading.value, reading.months_present, baseline.months, indicator.unit)
    if reader.averaged(indicator):
        return full, None, small
    return full / baseline.months, None, small


def _repeat_baseline(
    indicator: Indicator, baseline: Period, reader: SourceReader
) -> tuple[Decimal | None, Phrase | None, str]:
    """Repeat locations' baseline: a count of locations over 12 months is not four times one over 3, so
    the baseline is the mean count of the indicator's own periods inside the baseline period that have
    every month (given per month, as `baseline_for` gives counts, so a target is that mean again). Only a
    percentage-change target needs it: no Parquet file is read for the baseline otherwise."""
    if indicator.target_kind != TargetKind.CHANGE:
        return None, None, ""
    counts = []
    for part in periods_between(baseline.start, baseline.end, indicator.frequency):
        if part.start < baseline.start:
            continue
        reading = reader.police(indicator, part)
        if reading.value is not None and not reading.detail.get("months_missing"):
            counts.append(reading.value)
    if not counts:
        return None, NO_WHOLE_BASELINE[Frequency(indicator.frequency)], ""
    return sum(counts, Decimal(0)) / len(counts) / indicator.months, None, ""


NO_WHOLE_BASELINE = {
    Frequency.MONTHLY: say(
        gettext_noop(
            "The baseline has no whole monthly period with data for every month, so there is no baseline "
            "for repeat locations."
        )
    ),
    Frequency.QUARTERLY: say(
        gettext_noop(
            "The baseline has no whole quarterly period with data for every month, so there is no baseline "
            "for repeat locations."
        )
    ),
    Frequency.ANNUAL: say(
        gettext_noop(
            "The baseline has no whole annual (financial year) period with data for every month, so there is "
            "no baseline for repeat locations."
        )
    ),
}


def target_for(
    indicator: Indicator, period: Period, baseline_per_month: Decimal | None, *, averaged: bool = False
) -> Decimal | None:
    """The period's target: the indicator's own, or its percentage change on the baseline (an average, as
    a percentage or an averaged KPI, is compared as it is; a count or rate per month is made the period's)."""
    if indicator.target_kind != TargetKind.CHANGE:
        return indicator.target_value
    if baseline_per_month is None:
        return None
    averaged = averaged or indicator.unit == Unit.PERCENT
    base = baseline_per_month if averaged else baseline_per_month * period.months
    return _money(base * (1 + indicator.target_value / 100))


def _fmt(value: Decimal | None, unit: str) -> str | Phrase:
    if value is None:
        return say(gettext_noop("no data"))
    text = (
        f"{value.normalize():,f}"
        if value == value.to_integral_value()
        else f"{value:,.2f}".rstrip("0").rstrip(".")
    )
    return f"{text}%" if unit == Unit.PERCENT else text


def _months_phrase(first: Any, last: Any) -> Phrase | None:
    """The period of "YYYY-MM" months `first` to `last` (the assessment's previous period) as a phrase, so a
    single month is named as that month; None when either is not a month."""
    try:
        start = datetime.date.fromisoformat(f"{first}-01")
        end = month_end(datetime.date.fromisoformat(f"{last}-01"))
    except ValueError:
        return None
    return period_phrase(start, end)


def status_for(
    indicator: Indicator,
    period: Period,
    reading: Reading,
    target: Decimal | None,
    previous: Decimal | None,
    baseline_note: Phrase | None = None,
    quote_previous: bool = True,
) -> tuple[str, list[Phrase]]:
    """(status, the reason as phrases: `reasons.in_english` gives the stored text). The rules (ADR 0029):

    - no value: no data, with the source's reason;
    - the target met (at or below it when down is good, at or above when up is good): on track;
    - an amount not yet reached: at risk if moving the right way since the previous period, else off track;
    - a threshold or percentage-change target missed by no more than 10% of the target: at risk; more: off
      track.
    Counts and rates over a period with months missing are compared pro rata, and the reason says so.
    The previous period's figure is quoted only when `quote_previous` (not when it is a casework figure
    withheld outside casework, which the reason would otherwise give away: ADR 0013).
    """
    when = period_phrase(period.start, period.end)
    if reading.value is None:
        because = reading.reason
        if because and "en" in because:
            because = english(because["en"].removeprefix("No data for this period: "))
        if not because or because == english(""):
            return Status.NO_DATA, [say(gettext_noop("No data for %(period)s"), period=when)]
        return Status.NO_DATA, [say(gettext_noop("No data for %(period)s:"), period=when), because]
    unit = indicator.unit
    compared = _scaled(reading.value, reading.months_present, period.months, unit)
    parts: list[Phrase] = []
    if compared != reading.value:
        parts.append(
            say(
                gettext_noop(
                    "Only %(present)s of %(months)s months have data, so the figure %(value)s is compared pro "
                    "rata as %(compared)s."
                ),
                present=reading.months_present,
                months=period.months,
                value=_fmt(reading.value, unit),
                compared=_fmt(compared, unit),
            )
        )
    if target is None:
        note = baseline_note or say(gettext_noop("the baseline has no data."))
        return Status.NO_DATA, [say(gettext_noop("No target for %(period)s:"), period=when), note]
    down = indicator.direction == Direction.DOWN
    met = compared <= target if down else compared >= target
    gap = abs(compared - target)
    figures = {"value": _fmt(compared, unit), "target": _fmt(target, unit)}
    if met:
        status = Status.ON_TRACK
        side = (
            gettext_noop("%(value)s is at or below the target of %(target)s.")
            if down
            else gettext_noop("%(value)s is at or above the target of %(target)s.")
        )
        parts.insert(0, say(side, **figures))
    elif indicator.target_kind == TargetKind.AMOUNT:
        improving = previous is not None and (compared < previous if down else compared > previous)
        status = Status.AT_RISK if improving else Status.OFF_TRACK
        how = (
            (say(EARLIER_FIGURE, previous=_fmt(previous, unit)) if quote_previous else say(SINCE_BEFORE))
            if improving
            else say(gettext_noop("not moving the right way since the period before"))
            if previous is not None
            else say(gettext_noop("with no earlier period to compare"))
        )
        parts.insert(
            0,
            say(
                gettext_noop("%(value)s has not reached the target of %(target)s, %(how)s."),
                how=how,
                **figures,
            ),
        )
    else:
        within = (target == 0 and gap == 0) or (target != 0 and gap <= abs(target) * AT_RISK_MARGIN)
        status = Status.AT_RISK if within else Status.OFF_TRACK
        missed = (
            gettext_noop("%(value)s misses the target of %(target)s by %(gap)s (within 10%% of it).")
            if within
            else gettext_noop("%(value)s misses the target of %(target)s by %(gap)s (more than 10%% of it).")
        )
        parts.insert(0, say(missed, gap=_fmt(gap, unit), **figures))
    parts.extend(reading.note)
    if reading.trend:
        previous_period = reading.detail.get("previous") or {}
        before = _months_phrase(previous_period.get("from"), previous_period.get("to"))
        parts.append(
            say(
                gettext_noop("Against %(period)s, like for like over %(months)s month(s): %(trend)s.")
                if before
                else gettext_noop(
                    "Against the period before, like for like over %(months)s month(s): %(trend)s."
                ),
                **({"period": before} if before else {}),
                months=reading.detail.get("like_for_like_months", 0),
                trend=reading.trend,
            )
        )
    if reading.coverage_warning:
        parts.append(reading.coverage or english(reading.coverage_warning))
    return status, parts


def reporting_periods(indicator: Indicator, today: datetime.date) -> list[Period]:
    """The indicator's periods from the end of its baseline to the plan's end, those finished by today."""
    last = min(today - datetime.timedelta(days=1), plan_end(indicator))
    return periods_between(indicator.baseline_to + datetime.timedelta(days=1), last, indicator.frequency)


@dataclass
class RecomputeResult:
    indicators: int = 0
    periods: int = 0
    written: int = 0
    assessments: int = 0
    seconds: float = 0.0


def recompute(
    *,
    indicators: Any = None,
    force_area: Area | None = None,
    today: datetime.date | None = None,
    reader: SourceReader | None = None,
) -> RecomputeResult:
    """Recompute every period's value of `indicators` (or of all of a force area's, or all) from their
    sources. A new row is written only where the value, status or reason changed; the row it replaces is
    kept, marked superseded."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    queryset = indicators if indicators is not None else Indicator.objects.all()
    if force_area is not None:
        queryset = queryset.filter(force_area=force_area)
    queryset = queryset.select_related("area", "owner", "plan_priority__plan", "csp_priority__plan").order_by(
        "area__code", "pk"
    )
    reader = reader or SourceReader()
    result = RecomputeResult()
    now = timezone.now()
    pending: list[tuple[Indicator, list[IndicatorValue]]] = []  # one area's changes, written together
    for indicator in queryset:
        result.indicators += 1
        periods = reporting_periods(indicator, today)
        returns = (
            {r.period_start: r for r in indicator.returns.all()} if indicator.source == Source.MANUAL else {}
        )
        baseline, baseline_note, baseline_small = baseline_for(indicator, reader)
        averaged = reader.averaged(indicator)
        # A target set as a change on a small casework baseline gives the baseline back: its values say so,
        # and the target is withheld wherever the baseline would be (selectors.withhold_small_figures).
        small_target = baseline_small if indicator.target_kind == TargetKind.CHANGE else ""
        current = {v.period_start: v for v in indicator.values.filter(current=True)}
        new_rows: list[IndicatorValue] = []
        previous: Decimal | None = None
        previous_small = False
        for period in periods:
            result.periods += 1
            if indicator.source == Source.POLICE:
                reading = reader.police(indicator, period)
            elif indicator.source == Source.CASEWORK:
                reading = reader.casework(indicator, period)
            elif indicator.source in FUNDING_SOURCES:
                reading = reader.returned(indicator, period)
            else:
                reading = reader.manual(indicator, period, returns)
            target = target_for(indicator, period, baseline, averaged=averaged)
            status, reason = status_for(
                indicator, period, reading, target, previous, baseline_note, quote_previous=not previous_small
            )
            said = {"reason": reason, **({"trend": reading.trend} if reading.trend else {})}
            if reading.value is not None:
                previous = _scaled(reading.value, reading.months_present, period.months, indicator.unit)
                previous_small = bool(
                    small_casework_figure(indicator.source, indicator.unit, reading.value, reading.detail)
                )
            row = IndicatorValue(
                indicator=indicator,
                period_start=period.start,
                period_end=period.end,
                value=reading.value,
                target=target,
                status=status,
                reason=in_english(reason),
                trend=in_english([reading.trend]) if reading.trend else "",
                coverage_warning=reading.coverage_warning,
                # The reason and trend as phrases too, so the public page says them in Welsh (reasons.py).
                detail={
                    **reading.detail,
                    **said,
                    **({"baseline_small": small_target} if small_target else {}),
                },
                source_version=(reader.generation or "") if indicator.source == Source.POLICE else "",
                computed_at=now,
                current=True,
            )
            old = current.get(period.start)
            if old is not None and _same(old, row):
                continue
            new_rows.append(row)
        if pending and pending[-1][0].area_id != indicator.area_id:
            result.written += _write(pending)
        if new_rows:
            pending.append((indicator, new_rows))
    result.written += _write(pending)
    result.assessments = len(reader.assessments)
    result.seconds = time.perf_counter() - started
    return result


def _write(pending: list[tuple[Indicator, list[IndicatorValue]]]) -> int:
    """Write the new values of one area's indicators in one transaction (one commit an area, not one an
    indicator), emptying `pending`; returns how many rows were written."""
    written = 0
    with transaction.atomic():
        for indicator, new_rows in pending:
            # One writer an indicator at a time (two recomputes at once: the later one's rows win, and
            # the earlier one's are kept as history rather than breaking the one-current-row rule).
            list(Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk", flat=True))
            IndicatorValue.objects.filter(
                indicator=indicator, current=True, period_start__in=[row.period_start for row in new_rows]
            ).update(current=False)
            IndicatorValue.objects.bulk_create(new_rows)
            written += len(new_rows)
    pending.clear()
    return written


def _same(old: IndicatorValue, new: IndicatorValue) -> bool:
    return (
        old.value == new.value
        and old.target == new.target
        and old.status == new.status
        and old.reason == new.reason
        and old.trend == new.trend
        and old.source_version == new.source_version
        and old.detail.get("baseline_small") == new.detail.get("baseline_small")
        # A row computed before its reason was kept as phrases gets them at the next recompute.
        and old.detail.get("reason") == new.detail.get("reason")
        and old.detail.get("trend") == new.detail.get("trend")
    )


def recompute_stale(*, today: datetime.date | None = None) -> RecomputeResult | None:
    """For the scheduler: recompute the indicators that lack a value for a period that has finished (never
    computed, or a period ended since), whatever their source, so a quarter with no return says "no data"
    once it ends; and the police-data indicators whose current values were computed from another store
    generation than the current one (after an import). None when there are none. An indicator with no
    finished period has nothing to compute and is left alone, rather than recomputed every run. (Contract
    KPIs and grant measures are also recomputed as their returns arrive: `kpi_return_changed`,
    `monitoring_return_changed`.)"""
    from joinedup.insight.selectors import store_generation

    today = today or timezone.localdate()
    generation = store_generation() or ""
    indicators = Indicator.objects.select_related("plan_priority__plan", "csp_priority__plan").annotate(
        computed=Count("values", filter=Q(values__current=True)),
        outdated=Count(
            "values",
            filter=Q(values__current=True, source=Source.POLICE) & ~Q(values__source_version=generation),
        ),
    )
    stale = [
        indicator.pk
        for indicator in indicators
        if indicator.outdated or indicator.computed < len(reporting_periods(indicator, today))
    ]
    if not stale:
        return None
    return recompute(indicators=Indicator.objects.filter(pk__in=stale), today=today)


# --- when funding's returns change (docs/adr/0038) ----------------------------------------------------
# Connected in apps.py to funding's models by name, so funding knows nothing of indicators (as insight knows
# nothing of them when police data is imported) and no import runs from funding to performance. Each
# recomputes, once the change is committed, only the indicators reading the KPI or the grant's measures.


def _recompute_after_commit(indicators: Any) -> None:
    pks = list(indicators.values_list("pk", flat=True))
    if pks:
        transaction.on_commit(lambda: _recompute_quietly(*pks))


def kpi_return_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A supplier's performance return recorded, corrected or removed: its KPI's indicators."""
    if not raw:
        _recompute_after_commit(Indicator.objects.filter(contract_kpi_id=instance.kpi_id))


def kpi_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A KPI removed from its contract: its indicators (which keep no KPI) say so."""
    _recompute_after_commit(Indicator.objects.filter(contract_kpi_id=instance.pk))


def monitoring_return_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A monitoring return saved (accepted, recorded, submitted, sent back): the grant's indicators."""
    from joinedup.funding.selectors import outcome_measure_ids_of_award

    if not raw and Indicator.objects.filter(outcome_measure__isnull=False).exists():
        measures = outcome_measure_ids_of_award(instance.award_id)
        _recompute_after_commit(Indicator.objects.filter(outcome_measure_id__in=measures))


def outcome_measure_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An outcome measure removed from its grant: its indicators (which keep no measure) say so."""
    _recompute_after_commit(Indicator.objects.filter(outcome_measure_id=instance.pk))
