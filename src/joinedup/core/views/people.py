"""Staff accounts: the list (declared in core.staff_lists: filters, sort, CSV/XLSX/JSON), the older CSV
download, a person's page with history, add and edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from joinedup.core.forms import form_page, service_save
from joinedup.core.forms_people import PersonForm
from joinedup.core.history import field_history
from joinedup.core.lists import list_view
from joinedup.core.lists.views import download_view
from joinedup.core.models import User
from joinedup.core.permissions import has_permission
from joinedup.core.roles import ROLE_DESCRIPTIONS
from joinedup.core.services.people import create_person, has_two_factor, update_person
from joinedup.core.services.sign_in import (
    backup_codes_left,
    failed_sign_ins_for,
    reset_two_factor,
    send_password_link,
    unlock_sign_in,
)
from joinedup.core.staff_lists import PEOPLE, PERSON_CSV_COLUMNS
from joinedup.core.views.base import get_allowed_object, staff_view

person_list = list_view(PEOPLE)


# The older CSV address, with the columns it always had: the list's own export.
person_export = download_view(PEOPLE, columns=PERSON_CSV_COLUMNS)


@staff_view("people.view")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_allowed_object(
        request, User.objects.select_related("organisation").prefetch_related("areas"), "people.view", pk=pk
    )
    return render(
        request,
        "core/people/detail.html",
        {
            "person": person,
            "role_description": ROLE_DESCRIPTIONS.get(person.role, ""),
            "two_factor_on": has_two_factor(person),
            "backup_codes_left": backup_codes_left(person),
            "failed_sign_ins": failed_sign_ins_for(person),
            "history": field_history(person, hidden=("password", "last_login")),
            "can_manage": has_permission(request.user, "people.manage"),
        },
    )


@staff_view("people.manage")
def person_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        PersonForm(request.POST if request.method == "POST" else None, initial={"is_active": True}),
        service_save(request, create_person),
        lambda person: (
            f"An account has been created for {person.full_name}. We have emailed {person.email} "
            "a link to choose a password."
        ),
        done=_person_url,
        template="core/people/form.html",
        context={"person": None},
    )


def _person_url(person: User) -> str:
    return reverse("staff:person-detail", args=[person.pk])


@staff_view("people.manage")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_allowed_object(request, User.objects.all(), "people.manage", pk=pk)
    return form_page(
        request,
        PersonForm(
            request.POST if request.method == "POST" else None, initial=PersonForm.initial_from(person)
        ),
        service_save(request, update_person, person=person),
        "Your changes have been saved.",
        done=_person_url,
        template="core/people/form.html",
        context={"person": person},
    )


SIGN_IN_ACTIONS = {
    "reset-two-factor": "Their authenticator app and backup codes have been removed. They will set up a new "
    "app the next time they sign in, if their role requires it.",
    "unlock": "Their failed sign-ins have been cleared: they can sign in again now.",
    "send-password-link": "We have emailed them a link to choose a new password.",
}


@require_POST
@staff_view("people.manage")
def person_sign_in_security(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator helps someone who cannot sign in: reset two-factor, clear failures, email a link."""
    person = get_allowed_object(request, User.objects.all(), "people.manage", pk=pk)
    action = request.POST.get("action", "")
    if action == "reset-two-factor":
        reset_two_factor(actor=request.user, person=person)
    elif action == "unlock":
        unlock_sign_in(actor=request.user, person=person)
    elif action == "send-password-link" and person.is_active:
        send_password_link(actor=request.user, person=person)
    else:
        messages.error(request, "Choose one of the sign-in actions on this page.")
        return redirect("staff:person-detail", pk=person.pk)
    messages.success(request, SIGN_IN_ACTIONS[action])
    return redirect("staff:person-detail", pk=person.pk)
