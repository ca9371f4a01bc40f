"""Form fields every staff and public form shares: the GOV.UK date input (day, month and year boxes).

Built on crispy-forms-gds's DateInputField and widget (which render the GOV.UK markup and tie each error to
its box in the error summary), with the GOV.UK Design System's messages: "Date made must include a month",
"Date made must be a real date". See docs/adr/0026.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

PARTS = ("day", "month", "year")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class GovukDateWidget(DateInputWidget):
    """Three boxes named `<name>_0` (day), `_1` (month) and `_2` (year), numeric keyboards on phones.

    A single ISO date posted under the field's own name (`due_date=2026-04-01`, as a script or an older
    bookmark would) is read as the three parts, so nothing that posted ISO dates breaks."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        for widget in self.widgets:
            widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and isinstance(data.get(name), str):
            match = _ISO.match(data[name])
            if match:
                year, month, day = match.groups()
                return [day, month, year]
            if data[name].strip():
                return ["?", "?", data[name]]  # not a date: reported as one, never ignored
        return parts

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, widget in zip(context["widget"]["subwidgets"], self.widgets, strict=True):
            if getattr(widget, "errors", None):
                subwidget["attrs"]["class"] += " govuk-input--error"
        return context


class GovukDateField(DateInputField):
    """A date as GOV.UK asks for one: day, month and year, every missing part named, real dates only."""

    widget = GovukDateWidget

    def __init__(self, *, label: str = "Date", required: bool = True, **kwargs: Any) -> None:
        kwargs.pop("widget", None)
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        self.widget = GovukDateWidget()
        name = str(label)
        self.error_messages["required"] = f"Enter {name[0].lower() + name[1:]}"
        self.error_messages["invalid"] = f"{name} must be a real date"
        for part, field in zip(PARTS, self.fields, strict=True):
            field.required = True
            field.validators = []
            field.error_messages["incomplete"] = f"{name} must include a {part}"

    def parse(self, value: Any) -> tuple[datetime.date | None, tuple[str, str, list[int]] | None]:
        """(the date, None) or (None, (message, code, the boxes at fault)); no side effects."""
        if isinstance(value, datetime.date):
            return value, None
        parts = list(value or []) + [None] * 3
        day, month, year = (str(p).strip() if p is not None else "" for p in parts[:3])
        if not (day or month or year):
            if self.required:
                return None, (self.error_messages["required"], "required", [0])
            return None, None
        missing = [index for index, text in enumerate((day, month, year)) if not text]
        if missing:
            named = " and a ".join(PARTS[index] for index in missing)
            return None, (f"{self.label} must include a {named}", "incomplete", missing)
        invalid = (self.error_messages["invalid"], "invalid", [0, 1, 2])
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            return None, invalid
        if len(year) != 4:
            return None, ("Year must include 4 numbers", "invalid_year", [2])
        try:
            return datetime.date(int(year), int(month), int(day)), None
        except ValueError:
            return None, invalid

    def clean(self, value: Any) -> datetime.date | None:
        for field, widget in zip(self.fields, self.widget.widgets, strict=True):
            field.widget.errors = []
            widget.errors = []
        out, problem = self.parse(value)
        if problem:
            message, code, boxes = problem
            # Red borders on every box at fault; the error summary links the message to the first.
            for index in boxes:
                self.widget.widgets[index].errors = [message]
            self.fields[boxes[0]].widget.errors = [message]
            raise ValidationError(message, code=code)
        if out is not None:
            self.run_validators(out)
        return out

    def has_changed(self, initial: Any, data: Any) -> bool:
        value, problem = self.parse(data)
        return bool(problem) or value != self.prepare_value(initial)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            match = _ISO.match(value)
            if match:
                return datetime.date(*(int(g) for g in match.groups()))
        return value


def date_field(label: str, *, required: bool = False, help_text: str = "") -> forms.Field:
    """A GOV.UK date input for a form: `due_date = date_field("Due date")`."""
    return GovukDateField(label=label, required=required, help_text=help_text)


def text_field(label: Any, rows: int = 3, help_text: Any = "") -> forms.CharField:
    """An optional text area for a form whose service checks it: `summary = text_field("Summary", 4)`
    (`label` and `help_text` a string or a lazy translation)."""
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), help_text=help_text
    )


_ONS_CODE = re.compile(r"^[EWSNK]\d{8}$")


class PlaceField(forms.CharField):
    """A place typed by name (or ONS code) that gives the service its ONS code: works without JavaScript.

    "Newcastle upon Tyne" or "E22000245" → "E22000245". A name that matches more than one place of the
    levels asked for is refused with a "did you mean" list naming each with its level and code."""

    def __init__(self, *, levels: tuple[str, ...], **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.levels = levels

    def clean(self, value: Any) -> str:
        from joinedup.core.models import Area, AreaLevel

        text = " ".join(str(super().clean(value) or "").split())
        if not text or _ONS_CODE.match(text.upper()):
            return text.upper()  # a code is checked by the service, as before
        places = Area.objects.filter(level__in=self.levels).select_related("lad")
        matches = list(places.filter(name__iexact=text).order_by("level", "code")[:7]) or list(
            places.filter(name__icontains=text).order_by("name", "code")[:7]
        )
        if len(matches) == 1:
            return matches[0].code
        # In the reader's language on the public register's filter (staff pages are English). The kinds are
        # joined by a word of their own: Welsh joins them with a slash, as "neu" would mutate the next one.
        joiner = pgettext("between kinds of place", " or ")
        kinds = joiner.join(str(AreaLevel(level).label).lower() for level in self.levels)
        if not matches:
            raise ValidationError(
                _("No %(kinds)s is called “%(text)s”: check the spelling, or give its ONS code")
                % {"kinds": kinds, "text": text},
                code="unknown",
            )
        shown = "; ".join(place_name(place) for place in matches[:6])
        raise ValidationError(
            _(
                "More than one place matches “%(text)s”. Did you mean: %(places)s? Type the full name or the code"
            )
            % {"text": text, "places": shown},
            code="ambiguous",
        )


def place_name(place: Any) -> str:
    """A place with its kind and code, as the chooser's "did you mean" names it: "Castle (electoral ward in
    Northtown, E05900001)" (the place's `lad` loaded, for a ward)."""
    return f"{place.name} ({_kind_of(place)}, {place.code})"


def _kind_of(place: Any) -> str:
    """ "local authority district", or for a ward "electoral ward in Northtown": wards of one name (Castle,
    in Newcastle upon Tyne and in Sunderland) are told apart by their district."""
    from joinedup.core.models import AreaLevel

    kind = str(AreaLevel(place.level).label).lower()
    if place.level == AreaLevel.WARD and place.lad is not None:
        return _("%(kind)s in %(district)s") % {"kind": kind, "district": place.lad.name}
    return kind


def place_field(label: str, *, levels: tuple[str, ...], required: bool = False) -> forms.Field:
    """A place chosen by name: `csp = place_field("Community safety partnership", levels=("csp",))`."""
    from joinedup.core.models import AreaLevel

    examples = {
        AreaLevel.PFA: "Northumbria",
        AreaLevel.CSP: "Newcastle upon Tyne",
        AreaLevel.LAD: "North Tyneside",
        AreaLevel.LSOA: "Newcastle upon Tyne 001A",
        AreaLevel.WARD: "Gosforth",
    }
    return PlaceField(
        label=label,
        levels=levels,
        required=required,
        help_text=f"Its name or ONS code, for example {examples[AreaLevel(levels[0])]}",
    )
