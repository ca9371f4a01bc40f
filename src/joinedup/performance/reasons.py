"""A computed value's reason and trend kept as phrases: a fixed English sentence (a msgid of the Welsh
catalogue) with its values, so the public plan-progress page says them in the reader's language while the
stored English text, which staff, the API and the downloads read, stays exactly as it was.

A phrase is plain JSON, kept in `IndicatorValue.detail` ("reason", "trend"): `{"say": msgid, "with":
{name: value}}`. A value is a string or number shown as it is (an area's name, a figure), another phrase,
`{"crime": name}` (a data.police.uk crime type or trend word, named in the reader's language),
`{"period": [start, end]}` (a reporting period), `{"date": day}` (one day, "1 Oct 2025"), `{"each": [value,
...], "sep": "; "}` (values in a row, as many as there are), `{"coverage": {...}}` (the months of police data
missing, as insight's coverage object gives them), `{"months": [...]}` (months as runs, "2023-03 to 2023-05")
or `{"en": text}`: words worked out elsewhere in English, shown as written and marked as English. The police
data store's own explanations of no data come as phrases of this shape (`AssessmentError.phrase`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import dateformat, translation
from django.utils.translation import gettext, gettext_noop

from joinedup.core.crime_types import crime_type_name

Phrase = dict[str, Any]

# How a reason says an amount is moving the right way when the earlier figure may not be quoted (a small
# casework figure: services.status_for, selectors.withhold_small_figures).
SINCE_BEFORE = gettext_noop("moving the right way since the period before")
EARLIER_FIGURE = gettext_noop("moving the right way from %(previous)s the period before")


def say(msgid: str, **values: Any) -> Phrase:
    """A phrase: `msgid` must be marked for the catalogue where it is written (`gettext_noop`)."""
    return {"say": msgid, "with": values} if values else {"say": msgid}


def english(text: str) -> Phrase:
    """Words written in English by another part of the service (not in the catalogue)."""
    return {"en": text}


def crime(name: str) -> Phrase:
    return {"crime": name}


def period(start: datetime.date, end: datetime.date) -> Phrase:
    return {"period": [start.isoformat(), end.isoformat()]}


def day(when: datetime.date) -> Phrase:
    return {"date": when.isoformat()}


def each(values: list[Any], sep: str = "; ") -> Phrase:
    """Values in a row (a list as long as it is): `sep` is punctuation, the same in every language."""
    return {"each": values, "sep": sep}


@dataclass(frozen=True)
class Segment:
    text: str
    english: bool = False  # written in English whatever the reader's language


def reads_english() -> bool:
    return (translation.get_language() or "en").startswith("en")


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return "".join(segment.text for segment in segments([value]))
    return str(value)


def _period_label(start: str, end: str) -> str:
    from .periods import Period, shown_label

    shown = Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
    # English is Period.label, as the reason has always been stored; other languages name the months.
    return shown.label if reads_english() else shown_label(shown)


def _day_label(when: str) -> str:
    shown = datetime.date.fromisoformat(when)
    # English as the reasons have always been stored ("1 Oct 2025"); other languages name the month.
    return f"{shown:%-d %b %Y}" if reads_english() else dateformat.format(shown, "j M Y")


def segments(parts: list[Phrase]) -> list[Segment]:
    """The phrases in the active language, a sentence each (English ones marked)."""
    found: list[Segment] = []
    for part in parts:
        if "en" in part:
            found.append(Segment(part["en"], english=not reads_english()))
        elif "crime" in part:
            found.append(Segment(crime_type_name(part["crime"])))
        elif "period" in part:
            found.append(Segment(_period_label(*part["period"])))
        elif "months" in part:
            from joinedup.insight.selectors import months_in_words

            found.append(Segment(months_in_words(part["months"])))
        elif "date" in part:
            found.append(Segment(_day_label(part["date"])))
        elif "each" in part:
            found.append(Segment(part.get("sep", "; ").join(_value(value) for value in part["each"])))
        elif "coverage" in part:
            from joinedup.insight.selectors import coverage_warning

            found.append(Segment(coverage_warning(part["coverage"])))
        else:
            text = gettext(part["say"]) if not reads_english() else part["say"]
            values = part.get("with")
            if values:
                text = text % {name: _value(value) for name, value in values.items()}
            elif "%%" in text:
                text = text.replace("%%", "%")
            found.append(Segment(text))
    return found


def render(parts: list[Phrase]) -> str:
    """The phrases as one text in the active language (English: as stored)."""
    return " ".join(segment.text for segment in segments(parts))


def in_english(parts: list[Phrase]) -> str:
    """The text stored in `IndicatorValue.reason` and `trend`: the English, whatever the language active."""
    with translation.override("en-gb"):
        return render(parts)


def without_earlier_figure(parts: list[Phrase]) -> list[Phrase]:
    """The phrases with any quoted earlier figure left unsaid (it was a small casework figure)."""

    def unsaid(part: Any) -> Any:
        if not isinstance(part, dict):
            return part
        if part.get("say") == EARLIER_FIGURE:
            return say(SINCE_BEFORE)
        if "with" in part:
            return {**part, "with": {name: unsaid(value) for name, value in part["with"].items()}}
        return part

    return [unsaid(part) for part in parts]


UNIT_WORDS = {
    "count": gettext_noop("count"),
    "rate": gettext_noop("rate per 1,000 residents"),
    "percent": gettext_noop("percentage"),
}


def measure_phrase(indicator: Any, source: str | None = None) -> Phrase:
    """What an indicator measures, where and which way is good, as the public plan-progress page says it
    (the staff pages say `Indicator.measure_label`, which this follows). `source` is the funded source's
    public description when the caller has already read it (the report reads them all at once)."""
    from .models import PoliceMeasure, Source

    if indicator.source == Source.POLICE:
        chosen = (
            crime(indicator.crime_type)
            if indicator.crime_type
            else say(gettext_noop("all crime excluding ASB"))
        )
        if indicator.police_measure == PoliceMeasure.REPEAT_LOCATIONS:
            measure = say(
                gettext_noop(
                    "Repeat locations: places with %(minimum)s or more crimes (%(crime)s) in the period, count"
                ),
                minimum=indicator.repeat_minimum,
                crime=chosen,
            )
        elif indicator.police_measure == PoliceMeasure.CHARGE_RATE:
            measure = say(
                gettext_noop(
                    "Charge/summons rate (%(crime)s), percentage, from data.police.uk's published last outcomes, "
                    "not the Home Office outcomes data"
                ),
                crime=chosen,
            )
        else:
            what = (
                crime(indicator.crime_type)
                if indicator.police_measure == PoliceMeasure.CRIME_TYPE
                else say(PoliceMeasure(indicator.police_measure).label)
            )
            measure = say(gettext_noop("%(what)s, %(unit)s"), what=what, unit=say(UNIT_WORDS[indicator.unit]))
    elif indicator.source == Source.CASEWORK:
        from .models import CaseworkMeasure

        measure = say(CaseworkMeasure(indicator.casework_measure).label)
    elif indicator.source == Source.MANUAL:
        measure = say(gettext_noop("Manual return from %(owner)s"), owner=indicator.owner.name)
    else:
        # A contract KPI or a grant outcome measure, as funding names it (docs/adr/0038).
        if source is None:
            from .selectors import source_description

            source = source_description(indicator, public=True)
        measure = say(gettext_noop("From monitoring returns: %(what)s"), what=source)
    sentence = (
        gettext_noop("%(measure)s in %(area)s; down is good.")
        if indicator.direction == "down"
        else gettext_noop("%(measure)s in %(area)s; up is good.")
    )
    return say(sentence, measure=measure, area=indicator.area.name)
