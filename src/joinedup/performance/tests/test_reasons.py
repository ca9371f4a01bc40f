"""A measure's reason kept as phrases (performance/reasons.py): staff read the same English as before, a Welsh
reader of the public plan-progress page reads every sentence of it in Welsh, and every fixed sentence a
reason can use is in the Welsh catalogue."""

from __future__ import annotations

import ast
import datetime
from decimal import Decimal
from pathlib import Path

from django.utils import translation

from joinedup.core.models import Area, Organisation
from joinedup.core.tests.test_welsh_catalogue import CATALOGUE, read_po
from joinedup.insight import coverage
from joinedup.performance import reasons, services
from joinedup.performance.models import Indicator
from joinedup.performance.periods import Period

JUL = Period(datetime.date(2023, 7, 1), datetime.date(2023, 7, 31))
Q2 = Period(datetime.date(2023, 7, 1), datetime.date(2023, 9, 30))


def _indicator(**fields: object) -> Indicator:
    values = {
        "unit": "count",
        "direction": "down",
        "target_kind": "amount",
        "source": "casework",
        "casework_measure": "repeat_victims",
        "area": Area(name="North Testshire", code="E22000901"),
        "owner": Organisation(name="Northtown Council"),
        **fields,
    }
    return Indicator(**values)


def _both(parts: list[reasons.Phrase]) -> tuple[str, str]:
    with translation.override("cy"):
        welsh = reasons.render(parts)
    return reasons.in_english(parts), welsh


def test_an_amount_moving_the_right_way_reads_as_before_in_english_and_in_welsh() -> None:
    reading = services.Reading(Decimal(12), months_present=2)  # 12 in 2 of 3 months: 18 for the quarter
    status, parts = services.status_for(_indicator(), Q2, reading, Decimal(20), previous=None)
    assert status == "on_track"
    assert _both(parts) == (
        "18 is at or below the target of 20. Only 2 of 3 months have data, so the figure 12 is compared pro "
        "rata as 18.",
        "Mae 18 ar y targed o 20 neu’n is. Dim ond 2 o 3 mis sydd â data, felly mae’r ffigur 12 yn cael ei "
        "gymharu pro rata fel 18.",
    )
    status, parts = services.status_for(
        _indicator(), JUL, services.Reading(Decimal(18)), Decimal(15), Decimal(20)
    )
    english, welsh = _both(parts)
    assert status == "at_risk"
    assert english == "18 has not reached the target of 15, moving the right way from 20 the period before."
    assert welsh == (
        "Nid yw 18 wedi cyrraedd y targed o 15, yn symud i’r cyfeiriad iawn o 20 yn y cyfnod blaenorol."
    )
    # The earlier figure left unsaid when it was small: in both languages.
    hidden = reasons.without_earlier_figure(parts)
    assert reasons.in_english(hidden).endswith("moving the right way since the period before.")
    with translation.override("cy"):
        assert reasons.render(hidden).endswith("yn symud i’r cyfeiriad iawn ers y cyfnod blaenorol.")


def test_a_threshold_missed_and_a_period_with_no_data_read_in_welsh() -> None:
    percent = _indicator(unit="percent", target_kind="threshold", casework_measure="actioned_48h")
    _status, parts = services.status_for(percent, JUL, services.Reading(Decimal(30)), Decimal(28), None)
    assert _both(parts) == (
        "30% misses the target of 28% by 2% (within 10% of it).",
        "Mae 30% yn methu’r targed o 28% o 2% (o fewn 10% iddo).",
    )
    manual = _indicator(source="manual", casework_measure="")
    reading = services.SourceReader.manual(None, manual, JUL, {})  # type: ignore[arg-type]
    status, parts = services.status_for(manual, JUL, reading, Decimal(10), None)
    assert status == "no_data"
    assert _both(parts) == (
        "No data for July 2023: Northtown Council has not sent its return for July 2023.",
        "Dim data ar gyfer Gorffennaf 2023: Nid yw Northtown Council wedi anfon ei ffurflen ar gyfer "
        "Gorffennaf 2023.",
    )


def test_the_months_missing_read_in_welsh_and_as_the_assessment_wrote_them_in_english() -> None:
    months = [f"2023-{m:02d}" for m in (7, 8, 9)]
    before = [f"2022-{m:02d}" for m in (7, 8, 9)]
    current = {"expected": months, "present": months[:1], "missing": months[1:]}
    previous = {"expected": before, "present": before, "missing": []}
    left_out = {"current": [], "previous": before[1:]}
    english = coverage.warning(current, previous, [(1, 1)], left_out)
    assert english == (
        "Incomplete data: no police data for 2023-08 to 2023-09 (this period, 1 of 3 months present). Changes "
        "are like for like: they compare the 1 month present in both periods, leaving out 2022-08 to 2022-09 "
        "of the previous period. Totals and rates for this period leave out the missing months."
    )
    shown = {
        "complete": False,
        "current": current,
        "previous": previous,
        "like_for_like": {"months": 1, "left_out": left_out},
    }
    assert reasons.in_english([{"coverage": shown}]) == english
    with translation.override("cy"):
        assert reasons.render([{"coverage": shown}]) == (
            "Data anghyflawn: dim data’r heddlu ar gyfer 2023-08 i 2023-09 (y cyfnod hwn, 1 o 3 mis yn "
            "bresennol). Mae’r newidiadau’n cymharu tebyg at debyg: maent yn cymharu’r 1 mis sy’n bresennol "
            "yn y ddau gyfnod, gan hepgor 2022-08 i 2022-09 o’r cyfnod blaenorol. Mae cyfansymiau a "
            "chyfraddau’r cyfnod hwn yn hepgor y misoedd coll."
        )


def test_every_fixed_sentence_of_a_reason_has_its_welsh() -> None:
    """Each `gettext_noop` literal of the modules that build reasons, trends, measures and the months missing
    is in the Welsh catalogue: a sentence added without its Welsh would show in English on the public page."""
    known = read_po(CATALOGUE / "django.po")
    package = Path(services.__file__).parent.parent
    modules = ("performance/services.py", "performance/reasons.py", "performance/selectors.py")
    missing = []
    for module in (*modules, "performance/models.py", "core/disclosure.py", "insight/coverage.py"):
        tree = ast.parse((package / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "gettext_noop":
                text = node.args[0].value  # type: ignore[attr-defined]
                if not known.get(text):
                    missing.append(f"{module}: {text}")
    assert not missing, "No Welsh for:\n" + "\n".join(missing)
    assert len(known) > 100  # the catalogue was read
