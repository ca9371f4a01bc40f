"""Forms for the organisation directory. Validation lives in the model and service, not here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size, Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise

from joinedup.core.form_fields import place_field, text_field
from joinedup.core.models import Area, Organisation, ResponsibleAuthorityType, Sector
from joinedup.core.services.errors import ConflictError
from joinedup.core.services.organisations import EDITABLE_FIELDS


class AreaCodesField(forms.CharField):
    """Areas typed as ONS codes, comma or space separated: works without JavaScript for any of 35,000 areas."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(a.code if isinstance(a, Area) else str(a) for a in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [code.upper() for code in text.replace(",", " ").split()]


class ServiceForm(forms.Form):
    """A form whose rules live in a service: it passes the data on and shows the service's errors."""

    submit_label: str | Promise = "Save"  # lazy (gettext_lazy) on a public form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.add_input(Submit("submit", self.submit_label))

    def service_data(self) -> dict[str, Any]:
        """The cleaned data without the version; a choice of several records as a list of them."""
        return {
            key: list(value) if isinstance(self.fields.get(key), forms.ModelMultipleChoiceField) else value
            for key, value in self.cleaned_data.items()
            if key != "version"
        }

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for name, problems in message_dict.items():
            target = name if name in self.fields else None
            for message in problems:
                self.add_error(target, message)


class VersionedForm(ServiceForm):
    """A service form for a record edited under optimistic locking: it carries the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def save_form(
    request: HttpRequest, form: Any, save: Callable[[Any], Any], success: str | Callable[[Any], str]
) -> tuple[Any, int]:
    """On a valid POST, run the service that saves `form` and say `success` (or `success(saved)`, for a
    message naming what was saved); otherwise show why not.

    `form` is a ServiceForm, or any form with `add_service_errors`.
    The service's ValidationError puts every problem on the form; a stale version (ConflictError) puts
    the conflict message on the form with status 409, so nothing is overwritten. Returns (what `save`
    returned, or True when it returned nothing; None when nothing was saved) and the status to render.
    """
    if request.method != "POST" or not form.is_valid():
        return None, 200
    try:
        saved = save(form)
    except ValidationError as exc:
        form.add_service_errors(exc.message_dict)
        return None, 200
    except ConflictError as exc:
        form.add_error(None, str(exc))
        return None, 409
    messages.success(request, success if isinstance(success, str) else success(saved))
    return (True if saved is None else saved), 200


def run_service(
    request: HttpRequest, call: Callable[[], Any], success: str | Callable[[Any], str]
) -> tuple[bool, Any]:
    """A POST-only button's service: `call()`, then say `success` (or `success(result)`). When the service
    refuses (ValidationError, or ConflictError for a stale version) each problem is an error message
    instead. Returns whether it was done, and what `call` returned (None when not done)."""
    try:
        result = call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False, None
    except ConflictError as exc:
        messages.error(request, str(exc))
        return False, None
    messages.success(request, success if isinstance(success, str) else success(result))
    return True, result


def form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[Any], Any],
    success: str | Callable[[Any], str],
    *,
    done: str | Callable[[Any], str],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A page that is one form: `save_form`, then on to the page `done` (or `done(saved)`, for a record just
    created); otherwise the form again, with every problem on it (409 for a stale version), in `template`
    with `context`."""
    saved, status = save_form(request, form, save, success)
    if saved:
        return redirect(done if isinstance(done, str) else done(saved))
    return render(request, template, {"form": form, **context}, status=status)


def service_save(
    request: HttpRequest, service: Callable[..., Any], *, versioned: bool = False, **target: Any
) -> Callable[[Any], Any]:
    """A form's save for `save_form`: ``service(actor=..., data=..., **target)`` with the form's data, and
    with the version the form was read at (``expected_version``) when `versioned`."""

    def save(form: Any) -> Any:
        version = {"expected_version": form.cleaned_data["version"] or 0} if versioned else {}
        return service(actor=request.user, data=form.service_data(), **version, **target)

    return save


def save_versioned_form(
    request: HttpRequest, form: Any, service: Callable[..., Any], success: str, **target: Any
) -> tuple[Any, int]:
    """`save_form` for the usual change service: ``service(actor=..., expected_version=..., data=...,
    **target)`` with the version the form was read at and the form's data."""
    return save_form(request, form, service_save(request, service, versioned=True, **target), success)


class OrganisationForm(ServiceForm):
    # Required-ness and every other rule are checked by the model in the service, so one save lists every
    # problem at once rather than the form's first and the model's later.
    name = forms.CharField(max_length=200, label="Name", required=False)
    sector = forms.ChoiceField(choices=[("", "Choose a sector"), *Sector.choices], required=False)
    responsible_authority = forms.ChoiceField(
        label="CSP responsible authority type",
        required=False,
        choices=[("", "Not a responsible authority"), *ResponsibleAuthorityType.choices],
        help_text="One of the five bodies the Crime and Disorder Act 1998 makes members of every CSP.",
    )
    areas = AreaCodesField(
        required=False,
        label="Areas served",
        help_text="ONS codes of the force areas, CSPs or districts it serves, for example E23000007, E22000262.",
    )
    description = text_field("Description", 4)
    charity_number = forms.CharField(max_length=12, required=False, label="Charity number")
    company_number = forms.CharField(max_length=8, required=False, label="Company number")
    website = forms.CharField(max_length=200, required=False, label="Website")
    compact_signatory = forms.BooleanField(required=False, label="Has signed the local Compact")
    illustrative = forms.BooleanField(
        required=False, label="Illustrative record (not a real organisation's facts)"
    )
    source = forms.CharField(max_length=200, required=False, label="Source of these facts")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_from(cls, organisation: Organisation) -> dict[str, Any]:
        initial = {field: getattr(organisation, field) for field in (*EDITABLE_FIELDS, "version")}
        initial["areas"] = ", ".join(organisation.areas.values_list("code", flat=True))
        return initial


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Name, description or registered number")
    sector = forms.ChoiceField(required=False, choices=[("", "Any sector"), *Sector.choices])
    responsible_authority = forms.ChoiceField(
        required=False,
        label="CSP responsible authority",
        choices=[("", "Any"), ("any", "Any responsible authority"), *ResponsibleAuthorityType.choices],
    )
    area = place_field("Area", levels=("pfa", "csp", "lad"))
    compact = forms.ChoiceField(
        required=False, label="Compact signatory", choices=[("", "Any"), ("yes", "Yes"), ("no", "No")]
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        compact = {"yes": True, "no": False}.get(data.get("compact") or "")
        return {
            "q": data.get("q") or None,
            "sector": data.get("sector") or None,
            "responsible_authority": data.get("responsible_authority") or None,
            "area_code": data.get("area") or None,
            "compact_signatory": compact,
        }
