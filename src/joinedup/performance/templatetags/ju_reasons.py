"""`{% reason_of value %}` and `{% trend_of value %}`: a computed value's reason and trend in the reader's
language, from the phrases kept with it (performance/reasons.py). A row computed before its phrases were
kept, and any words another part of the service wrote in English, are shown as stored, marked
`lang="en-GB"` so a screen reader reads them as English."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from joinedup.performance.reasons import Phrase, Segment, measure_phrase, reads_english, segments

register = template.Library()


def _shown(found: list[Segment]) -> SafeString:
    return format_html_join(
        " ",
        "{}",
        ((format_html('<span lang="en-GB">{}</span>', s.text) if s.english else s.text,) for s in found),
    )


def _said(value: Any, key: str, stored: str) -> SafeString:
    phrases: list[Phrase] | Phrase | None = (getattr(value, "detail", None) or {}).get(key)
    if phrases:
        return _shown(segments(phrases if isinstance(phrases, list) else [phrases]))
    if not stored:
        return SafeString("")
    return _shown([Segment(stored, english=not reads_english())])


@register.simple_tag
def reason_of(value: Any) -> SafeString:
    return _said(value, "reason", value.reason)


@register.simple_tag
def trend_of(value: Any) -> SafeString:
    return _said(value, "trend", value.trend)


@register.simple_tag
def measure_of(indicator: Any, source: str | None = None) -> str:
    """ "Reports from repeat victims in North Testshire; down is good." in the reader's language. `source`:
    the row's source in words, read for the whole report at once (selectors.source_descriptions)."""
    return segments([measure_phrase(indicator, source)])[0].text
