"""Staff accounts: adding people, changing their role and areas, and setting up two-factor sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.core.audit import current_request, record_event
from joinedup.core.models import Area, EventType, Organisation, User
from joinedup.core.permissions import has_permission
from joinedup.core.roles import Role
from joinedup.core.site import site_url

from .errors import NotAllowed
from .validation import add_error, resolve_areas
from .versioning import stamp

EDITABLE_FIELDS = ("email", "full_name", "job_title", "organisation", "role", "areas", "is_active")
REQUIRED_ON_CREATE = ("email", "full_name", "organisation", "role")
TRACKED_FIELDS = ("email", "full_name", "job_title", "organisation", "role", "is_active")


def _resolve_organisation(value: Any, errors: dict[str, list[str]]) -> Organisation | None:
    if value is None or value == "" or isinstance(value, Organisation):
        return value or None
    organisation = Organisation.objects.filter(pk=value).first() if str(value).isdigit() else None
    if organisation is None:
        add_error(errors, "organisation", "Choose an organisation from the directory.")
    return organisation


def _apply(
    person: User, data: dict[str, Any], *, creating: bool, actor: Any
) -> tuple[list[Area] | None, dict]:
    """Copy `data` onto `person` and collect every problem at once."""
    errors: dict[str, list[str]] = {}
    unexpected = sorted(set(data) - set(EDITABLE_FIELDS))
    if unexpected:
        add_error(errors, "__all__", f"These fields cannot be set here: {', '.join(unexpected)}.")

    if creating:
        for name in REQUIRED_ON_CREATE:
            if data.get(name) in (None, ""):
                add_error(
                    errors,
                    name,
                    {
                        "email": "Enter their email address",
                        "full_name": "Enter their full name",
                        "organisation": "Choose the organisation they work for",
                        "role": "Choose a role",
                    }[name],
                )

    if "email" in data and data["email"] not in (None, ""):
        email = str(data["email"]).strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            add_error(errors, "email", "Enter an email address in the correct format, like name@example.org")
        else:
            if User.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
                add_error(errors, "email", "Someone already has an account with this email address.")
        person.email = email
    elif "email" in data and not creating:
        add_error(errors, "email", "Enter their email address")

    if "full_name" in data:
        person.full_name = str(data["full_name"] or "").strip()
        if not person.full_name and not creating:
            add_error(errors, "full_name", "Enter their full name")
        elif len(person.full_name) > 150:
            add_error(errors, "full_name", "Full name must be 150 characters or fewer.")

    if "job_title" in data:
        person.job_title = str(data["job_title"] or "").strip()
        if len(person.job_title) > 150:
            add_error(errors, "job_title", "Job title must be 150 characters or fewer.")

    if "organisation" in data:
        organisation = _resolve_organisation(data["organisation"], errors)
        if organisation is None and not creating and "organisation" not in errors:
            add_error(errors, "organisation", "Choose the organisation they work for")
        person.organisation = organisation

    if "role" in data and data["role"] not in (None, ""):
        if data["role"] not in Role.values:
            add_error(errors, "role", "Choose one of the roles listed.")
        else:
            if (
                not creating
                and actor is not None
                and person.pk == getattr(actor, "pk", None)
                and data["role"] != Role.OPCC_ADMIN
                and person.role == Role.OPCC_ADMIN
            ):
                add_error(
                    errors,
                    "role",
                    "You cannot remove your own administrator role; ask another administrator.",
                )
            person.role = data["role"]
    elif "role" in data and not creating:
        add_error(errors, "role", "Choose a role")

    if "is_active" in data:
        active = bool(data["is_active"])
        if (
            not active
            and actor is not None
            and person.pk is not None
            and person.pk == getattr(actor, "pk", None)
        ):
            add_error(errors, "is_active", "You cannot deactivate your own account.")
        person.is_active = active

    areas = resolve_areas(data["areas"], errors) if "areas" in data else None
    role = data.get("role") or person.role
    if role in (Role.CSP_MANAGER, Role.ANALYST) and not (
        areas if areas is not None else (list(person.areas.all()) if person.pk else [])
    ):
        add_error(
            errors,
            "areas",
            "Choose the areas they work for: CSP managers and analysts see only their own areas.",
        )
    return areas, errors


def _site_url() -> str:
    request = current_request.get()
    if request is not None:
        return str(request.build_absolute_uri("/")).rstrip("/")
    return site_url()


def send_set_password_email(person: User, *, site_url: str = "", reset: bool = False) -> None:
    """Email a one-time link to Django's password reset confirmation page, so they choose their password
    (a new account's first, or a new one when `reset`)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    link = (site_url or _site_url()) + reverse(
        "staff:password-reset-confirm", kwargs={"uidb64": uid, "token": token}
    )
    context = {"person": person, "link": link, "service_name": "Joined Up", "reset": reset}
    subject = render_to_string("core/people/set_password_subject.txt", context).strip()
    body = render_to_string("core/people/set_password_email.txt", context)
    from joinedup.notifications.services import queue_email

    queue_email(to=person.email, subject=subject, body=body, kind="set_password", sensitive=True)


def create_person(*, actor: Any, data: dict[str, Any]) -> User:
    """Add a staff account with no usable password and email them a link to choose one."""
    if not has_permission(actor, "people.manage"):
        raise NotAllowed("You may not add staff accounts.")
    person = User(is_active=True, is_staff=False, is_superuser=False)
    areas, errors = _apply(person, data, creating=True, actor=actor)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        person.set_unusable_password()
        stamp(person, actor=actor, reason="Account created")
        person.save()
        if areas:
            person.areas.set(areas)
        record_event(
            EventType.ACCOUNT_CHANGED,
            actor=actor,
            obj=person,
            detail={
                "change": "created",
                "email": person.email,
                "role": person.role,
                "organisation": str(person.organisation or ""),
                "areas": [a.code for a in areas or []],
            },
        )
        site_url = _site_url()  # while the request is still at hand
        transaction.on_commit(lambda: send_set_password_email(person, site_url=site_url))
    return person


def update_person(*, actor: Any, person: User, data: dict[str, Any]) -> User:
    """Change someone's details, organisation, role, areas or whether their account is active."""
    if not has_permission(actor, "people.manage"):
        raise NotAllowed("You may not change staff accounts.")
    before = {name: getattr(person, name) for name in TRACKED_FIELDS}
    before_areas = sorted(person.areas.values_list("code", flat=True))
    areas, errors = _apply(person, data, creating=False, actor=actor)
    if errors:
        person.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic():
        stamp(person, actor=actor, reason="Account changed")
        person.save()
        if areas is not None:
            person.areas.set(areas)
        changes: dict[str, dict[str, Any]] = {}
        for name, old in before.items():
            new = getattr(person, name)
            if old != new:
                changes[name] = {
                    "before": str(old) if old is not None else "",
                    "after": str(new) if new is not None else "",
                }
        after_areas = sorted(a.code for a in areas) if areas is not None else before_areas
        if after_areas != before_areas:
            changes["areas"] = {"before": before_areas, "after": after_areas}
        if changes:
            record_event(
                EventType.ACCOUNT_CHANGED,
                actor=actor,
                obj=person,
                detail={"change": "updated", "email": person.email, "changes": changes},
            )
    return person


# --- two-factor sign-in --------------------------------------------------------------------------------


def pending_totp_device(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: reused until confirmed, so the QR code stays the same on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirm_totp_device(*, user: User, device: TOTPDevice, code: str) -> bool:
    """Confirm the new device if `code` is right; it replaces any device set up before."""
    if device.user_id != user.pk or device.confirmed:
        return False
    with transaction.atomic():
        if not device.verify_token(code):
            return False
        device.confirmed = True
        device.save()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        record_event(EventType.TWO_FACTOR_ENABLED, actor=user, obj=user, detail={"device": device.name})
    return True


def has_two_factor(user: Any) -> bool:
    return bool(user.pk) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
