"""A period of whole months is named one way everywhere (core/months.py): a single month as that month, in
the reader's language, never "Apr 2023 to Apr 2023"."""

from __future__ import annotations

import datetime

from django.template import Context, Template
from django.utils import translation

from joinedup.core.months import english_span_label, months_label, span_label

APRIL = datetime.date(2023, 4, 1), datetime.date(2023, 4, 30)
QUARTER = datetime.date(2023, 4, 1), datetime.date(2023, 6, 30)
ACROSS = datetime.date(2022, 12, 1), datetime.date(2023, 2, 28)


def test_one_month_is_named_as_that_month_in_english_and_welsh() -> None:
    with translation.override("en-gb"):
        assert span_label(*APRIL) == "April 2023"
        assert span_label(*QUARTER) == "Apr to Jun 2023"
        assert span_label(*ACROSS) == "Dec 2022 to Feb 2023"
        assert months_label("2023-04", "2023-04") == "April 2023"
        assert months_label("2023-01", "2023-12") == "2023-01 to 2023-12"
    with translation.override("cy"):
        assert span_label(*APRIL) == "Ebrill 2023"
        assert span_label(datetime.date(2023, 7, 1), datetime.date(2023, 7, 31)) == "Gorffennaf 2023"
        assert span_label(*QUARTER) == "Ebr i Meh 2023"
        assert months_label("2023-04", "2023-04") == "Ebrill 2023"
        assert months_label("2023-01", "2023-12") == "2023-01 i 2023-12"
        # Words kept in English (stored reasons) stay English whatever the reader's language.
        assert english_span_label(*APRIL) == "April 2023"
        assert months_label("2023-04", "2023-04", english=True) == "April 2023"


def test_the_template_tags_name_a_single_month() -> None:
    page = Template(
        "{% load ju_months %}{% months_label a a %}|{% months_label a b %}|{% span_label s e %}"
    ).render(Context({"a": "2023-04", "b": "2023-06", "s": APRIL[0], "e": APRIL[1]}))
    assert page == "April 2023|2023-04 to 2023-06|April 2023"
    assert "to Apr" not in page
