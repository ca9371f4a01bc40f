"""Second factors and sign-in security: backup codes, using one, and an administrator's resets.

Backup codes are django-otp static tokens: ten random codes of 8 letters and digits, shown once when made,
each usable once. They are made when two-factor sign-in is turned on and again on request (the old ones
stop working). A code is consumed with a single DELETE, so two requests racing with the same code cannot
both succeed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.core.audit import record_event
from joinedup.core.models import EventType, User
from joinedup.core.permissions import has_permission
from joinedup.core.throttling import clear_sign_in_failures, failed_sign_ins

from .errors import NotAllowed

BACKUP_DEVICE_NAME = "Backup codes"


def normalise_backup_code(code: str) -> str:
    """What people type ("K3J5-MZ2Q", "k3j5 mz2q") as stored: lower case, no spaces or hyphens."""
    return "".join(ch for ch in str(code) if ch.isalnum()).lower()


def format_backup_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def backup_device(user: Any) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=BACKUP_DEVICE_NAME).first() if user.pk else None


def backup_codes_left(user: Any) -> int:
    device = backup_device(user)
    return device.token_set.count() if device is not None else 0


def create_backup_codes(*, user: Any) -> list[str]:
    """Replace the person's backup codes with new ones; the codes are returned to be shown once."""
    count = int(getattr(settings, "JOINEDUP_BACKUP_CODES", 10))
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes: list[str] = []
        while len(codes) < count:
            code = StaticToken.random_token()
            if code not in codes:
                codes.append(code)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        device.throttle_reset(commit=False)
        device.confirmed = True
        device.save()
        record_event(EventType.BACKUP_CODES_CREATED, actor=user, obj=user, detail={"codes": count})
    return [format_backup_code(code) for code in codes]


def use_backup_code(*, user: Any, code: str) -> StaticDevice | None:
    """The backup-code device if `code` is one of the person's unused codes (it is then used up).

    Wrong codes are throttled by django-otp (a growing delay after each failure)."""
    device = backup_device(user)
    normalised = normalise_backup_code(code)
    if device is None or not normalised:
        return None
    with transaction.atomic():
        allowed, _why = device.verify_is_allowed()
        if not allowed:
            return None
        used, _ = StaticToken.objects.filter(device=device, token=normalised).delete()
        if not used:
            device.throttle_increment()
            return None
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
        record_event(
            EventType.BACKUP_CODE_USED,
            actor=user,
            obj=user,
            detail={"codes_left": device.token_set.count()},
        )
    return device


def reset_two_factor(*, actor: Any, person: User) -> None:
    """An administrator removes someone's authenticator app and backup codes (a lost phone). The person
    sets up a new app at their next sign-in if their role requires it."""
    if not has_permission(actor, "people.manage"):
        raise NotAllowed("You may not change staff accounts.")
    with transaction.atomic():
        totp, _ = TOTPDevice.objects.filter(user=person).delete()
        static, _ = StaticDevice.objects.filter(user=person).delete()
        record_event(
            EventType.TWO_FACTOR_RESET,
            actor=actor,
            obj=person,
            detail={"email": person.email, "devices_removed": totp + static},
        )


def unlock_sign_in(*, actor: Any, person: User) -> int:
    """An administrator clears someone's failed sign-ins (from every address), ending a lockout now."""
    if not has_permission(actor, "people.manage"):
        raise NotAllowed("You may not change staff accounts.")
    with transaction.atomic():
        cleared = clear_sign_in_failures(person.email)
        record_event(
            EventType.SIGN_IN_UNLOCKED,
            actor=actor,
            obj=person,
            detail={"email": person.email, "records_cleared": cleared},
        )
    return cleared


def send_password_link(*, actor: Any, person: User) -> None:
    """An administrator emails someone a one-time link to choose a new password (the old one keeps working
    until they do). Staff have no self-service reset: their administrator knows them."""
    from .people import _site_url, send_set_password_email

    if not has_permission(actor, "people.manage"):
        raise NotAllowed("You may not change staff accounts.")
    with transaction.atomic():
        record_event(
            EventType.PASSWORD_RESET_REQUESTED, actor=actor, obj=person, detail={"email": person.email}
        )
        site_url = _site_url()
        transaction.on_commit(lambda: send_set_password_email(person, site_url=site_url, reset=True))


def failed_sign_ins_for(person: User) -> int:
    return failed_sign_ins(person.email)
