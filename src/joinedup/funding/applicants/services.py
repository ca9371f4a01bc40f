"""The public applicant journey: accounts with email verification, drafts, documents, submission.

Applicants have no staff account. They sign in to the public application pages only, and see and change
only their own applications.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from joinedup.core.audit import record_event
from joinedup.core.models import EventType
from joinedup.core.services.versioning import stamp
from joinedup.core.throttling import (
    RateLimit,
    check_sign_in_allowed,
    clear_sign_in_failures,
    lockout_minutes,
    record_sign_in_failure,
    record_sign_in_success,
    throttle_address,
)
from joinedup.core.uploads import BINARY_TYPES, TEXT_EXTENSIONS, content_matches, extension_of
from joinedup.notifications.services import queue_email

from ..emails import email_language
from ..fields import REGISTERED_NUMBERS, Errors, add_error, read_registered_number, read_text
from ..models import Applicant, Application, ApplicationDocument, ApplicationStatus, GrantRound, RoundStatus
from ..services import apply_application_data

VERIFY_SALT = "joinedup.funding.applicant-verify"
VERIFY_MAX_AGE = datetime.timedelta(days=3)
# What the account supplies to every application: the applicant cannot type another organisation in.
ACCOUNT_FIELDS = ("organisation_name", "charity_number", "company_number", "contact_email")

# Documents: PDF, Word, OpenDocument text, Excel, CSV, plain text, JPEG and PNG; checked by name and by
# content (core/uploads.py).
ALLOWED_TYPES: dict[str, str] = {**BINARY_TYPES, ".csv": "text/csv", ".txt": "text/plain"}
MAX_DOCUMENTS = 10


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.1f} KB"


def max_upload_bytes() -> int:
    return int(getattr(settings, "JOINEDUP_FUNDING_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


# --- accounts -----------------------------------------------------------------------------------------
#
# Nothing here tells a visitor whether an email address has an account: registration answers the same
# either way (the owner of an existing account gets an email instead), a password reset is "sent if the
# account exists" (the email goes out from the worker, so the answer takes as long either way), and
# sign-in says only "not right". Wrong passwords count towards the same lockout as staff sign-in
# (core.throttling: per account and address, and per address), under the account name "applicant:EMAIL".

RESET_SALT = "joinedup.funding.applicant-password-reset"
RESET_MAX_AGE = datetime.timedelta(hours=1)
SIGN_IN_WRONG = gettext_lazy("The email address or password is not right.")


class SignInLocked(Exception):
    """Too many failed sign-ins from this client: the caller answers 429 with the message."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Too many failed sign-in attempts from here. Wait %(minutes)s minutes, then try again, "
                "or reset your password."
            )
            % {"minutes": lockout_minutes()}
        )


def applicant_account(email: str) -> str:
    """The name an applicant's sign-in failures are counted under (apart from staff accounts)."""
    return f"applicant:{email.strip().lower()}"


def _email_allowed(kind: str, email: str, request: HttpRequest | None) -> bool:
    """At most 3 emails of a kind to one address an hour, and 10 asked for from one client an hour, so
    nobody can use these pages to flood someone's inbox. Over the limit nothing is sent; the page says
    the same as ever."""
    per_email = RateLimit(f"applicant-{kind}-email", "3/hour").allow(email.lower())
    address = throttle_address(request) if request is not None else None
    per_client = RateLimit(f"applicant-{kind}-client", "10/hour").allow(address) if address else True
    return per_email and per_client


# An applicant's emails are in the applicant's language (docs/adr/0033, joinedup.funding.emails).


def _remember_language(applicant: Applicant, language: str) -> None:
    """Keep the language of the page the applicant used, for the emails sent to them later."""
    if applicant.language != language:
        applicant.language = language
        stamp(applicant, actor=None, reason="Language of the pages changed")
        applicant.save(update_fields=["language"])


def register_applicant(
    *, data: dict[str, Any], absolute_url: Callable[[str], str], request: HttpRequest | None = None
) -> Applicant | None:
    """Create an unverified account and email a link to verify the address. Every problem at once.

    If the address already has an account nothing is created and its owner is emailed instead (with
    links to sign in or reset the password); the caller shows the same "check your email" page, so the
    page never reveals who has an account. Returns the new account, or None. The account keeps the
    language of the page, and the email is in it."""
    errors: Errors = {}
    applicant = Applicant(language=email_language())
    # The messages are the applicant's, in the language of the page they registered on.
    applicant.email = read_text(data, "email", errors).lower()
    if not applicant.email:
        add_error(errors, "email", _("Enter your email address."))
    else:
        try:
            validate_email(applicant.email)
        except ValidationError:
            add_error(errors, "email", _("Enter an email address like name@example.org."))
    applicant.contact_name = read_text(data, "contact_name", errors)
    if not applicant.contact_name:
        add_error(errors, "contact_name", _("Enter your name."))
    applicant.organisation_name = read_text(data, "organisation_name", errors)
    if not applicant.organisation_name:
        add_error(errors, "organisation_name", _("Enter your organisation's name."))
    for field in REGISTERED_NUMBERS:
        setattr(applicant, field, read_registered_number(data, field, errors))
    password = str(data.get("password") or "")
    # Checked against the details typed in, never against an existing account's.
    _check_password(password, applicant, errors, missing=_("Enter a password."))
    if errors:
        raise ValidationError(errors)
    applicant.password = make_password(password)  # the same work whether or not the account exists
    existing = Applicant.objects.filter(email__iexact=applicant.email).first()
    if existing is None:
        try:
            with transaction.atomic():
                stamp(applicant, actor=None, reason="Registered")
                applicant.save()
        except IntegrityError:  # registered a moment ago by a request racing this one
            existing = Applicant.objects.filter(email__iexact=applicant.email).first()
    if existing is not None:
        if existing.is_active and _email_allowed("register", existing.email, request):
            _send_already_registered(existing, absolute_url)
        return None
    if _email_allowed("register", applicant.email, request):
        _send_verification(applicant, absolute_url)
    return applicant


def _send_verification(applicant: Applicant, absolute_url: Callable[[str], str]) -> None:
    token = signing.dumps({"id": applicant.pk, "email": applicant.email}, salt=VERIFY_SALT)
    link = absolute_url(reverse("public-funding:applicant-verify", args=[token]))
    with translation.override(email_language(applicant.language)):
        subject = _("Verify your email address to apply for a grant")
        body = "\n\n".join(
            (
                _("Hello %(name)s,") % {"name": applicant.contact_name},
                _("To finish setting up your account, open this link within 3 days:"),
                link,
                _("If you did not ask for an account, ignore this email."),
            )
        )
    queue_email(to=applicant.email, subject=subject, body=body, kind="applicant_verify", sensitive=True)


def _send_already_registered(applicant: Applicant, absolute_url: Callable[[str], str]) -> None:
    """In the language of the page the address was registered on again (the account's owner, probably)."""
    sign_in = absolute_url(reverse("public-funding:applicant-sign-in"))
    reset = absolute_url(reverse("public-funding:applicant-password-reset"))
    verify_link = ""
    if not applicant.is_verified:
        token = signing.dumps({"id": applicant.pk, "email": applicant.email}, salt=VERIFY_SALT)
        verify_link = absolute_url(reverse("public-funding:applicant-verify", args=[token]))
    with translation.override(email_language()):
        subject = _("You already have an account to apply for grants")
        paragraphs = [
            _("Hello %(name)s,") % {"name": applicant.contact_name},
            _(
                "Someone, probably you, tried to create an account with this email address, but it "
                "already has one, so nothing has been changed."
            ),
        ]
        if verify_link:
            paragraphs += [
                _("You have not verified this address yet. To do it now, open this link within 3 days:"),
                verify_link,
            ]
        paragraphs += [
            _("Sign in here:"),
            sign_in,
            _("If you have forgotten your password, reset it here:"),
            reset,
            _("If it was not you, you can ignore this email: your account is safe."),
        ]
        body = "\n\n".join(paragraphs)
    queue_email(
        to=applicant.email,
        subject=subject,
        body=body,
        kind="applicant_already_registered",
        sensitive=bool(verify_link),
    )


def _link_payload(token: str, *, salt: str, max_age: datetime.timedelta, expired: str, invalid: str) -> Any:
    """What an emailed link's signed token carries; `expired` when it is too old, `invalid` when it was
    not made by us or was copied incompletely."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError({"token": [expired]}) from None
    except signing.BadSignature:
        raise ValidationError({"token": [invalid]}) from None


def verify_applicant(*, token: str) -> Applicant:
    payload = _link_payload(
        token,
        salt=VERIFY_SALT,
        max_age=VERIFY_MAX_AGE,
        expired=_("This link has expired. Register again to get a new one."),
        invalid=_("This link is not valid. Check you copied all of it."),
    )
    applicant = Applicant.objects.filter(pk=payload.get("id"), email=payload.get("email")).first()
    if applicant is None:
        raise ValidationError({"token": [_("This link is not valid. Check you copied all of it.")]})
    if applicant.email_verified_at is None:
        applicant.email_verified_at = timezone.now()
        stamp(applicant, actor=None, reason="Email address verified")
        applicant.save()
    return applicant


def authenticate_applicant(*, email: str, password: str, request: HttpRequest) -> Applicant:
    """The account, if the email and password match and the address is verified; else a form error.

    Raises SignInLocked while this client may not try (too many failures for the account from here, or
    from here at all); a wrong password counts towards it."""
    account = applicant_account(email)
    if not check_sign_in_allowed(request, account):
        make_password(password)
        raise SignInLocked
    applicant = Applicant.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if applicant is None or not check_password(password, applicant.password):
        make_password(password)  # the same work either way, so timing does not reveal accounts
        record_event(
            EventType.SIGN_IN_FAILED,
            actor=None,
            request=request,
            obj=applicant,
            detail={"email": email.strip().lower()[:254], "account": "grant applicant"},
        )
        if record_sign_in_failure(request, account):
            raise SignInLocked
        raise ValidationError({"__all__": [str(SIGN_IN_WRONG)]})
    record_sign_in_success(request, account)
    if not applicant.is_verified:
        raise ValidationError(
            {
                "__all__": [
                    _("Verify your email address first: open the link we emailed you when you registered.")
                ]
            }
        )
    _remember_language(applicant, email_language())
    return applicant


def _fingerprint(applicant: Applicant) -> str:
    """Changes when the password (or address) does, so a reset link works once."""
    return salted_hmac(RESET_SALT, f"{applicant.pk}|{applicant.email}|{applicant.password}").hexdigest()[:20]


def request_password_reset(*, email: str, site_url: str, request: HttpRequest | None = None) -> None:
    """Ask for a reset link for `email`. The answer is the same whether or not it has an account: the
    worker looks the address up and sends the link only if it does (at most 3 an hour)."""
    from ..tasks import send_applicant_password_reset

    email = email.strip().lower()
    if not email or not _email_allowed("reset", email, request):
        return
    send_applicant_password_reset.enqueue(email=email, site_url=site_url, language=email_language())


def send_password_reset_email(*, email: str, site_url: str, language: str = "") -> bool:
    """The worker's half of `request_password_reset`: email a one-hour link if the account exists, in
    `language` (the page's that asked for it; the account's when not given)."""
    applicant = Applicant.objects.filter(email__iexact=email, is_active=True).first()
    if applicant is None:
        return False
    token = signing.dumps({"id": applicant.pk, "fp": _fingerprint(applicant)}, salt=RESET_SALT)
    link = site_url.rstrip("/") + reverse("public-funding:applicant-password-reset-confirm", args=[token])
    with translation.override(email_language(language or applicant.language)):
        subject = _("Reset your password to apply for grants")
        body = "\n\n".join(
            (
                _("Hello %(name)s,") % {"name": applicant.contact_name},
                _("To choose a new password, open this link within one hour. It works once."),
                link,
                _(
                    "If you did not ask to reset your password, ignore this email: your password has not changed."
                ),
            )
        )
    queue_email(
        to=applicant.email, subject=subject, body=body, kind="applicant_password_reset", sensitive=True
    )
    return True


def applicant_for_reset(*, token: str) -> Applicant:
    """The account a reset link is for, if the link is genuine, under an hour old and not yet used."""
    not_valid = _("This link is not valid: it may have been used already. Ask for a new one.")
    payload = _link_payload(
        token,
        salt=RESET_SALT,
        max_age=RESET_MAX_AGE,
        expired=_("This link has expired: links last one hour. Ask for a new one."),
        invalid=not_valid,
    )
    applicant = Applicant.objects.filter(pk=payload.get("id"), is_active=True).first()
    if applicant is None or not constant_time_compare(_fingerprint(applicant), str(payload.get("fp", ""))):
        raise ValidationError({"token": [not_valid]})
    return applicant


def _check_password(password: str, applicant: Applicant, errors: Errors, *, missing: str) -> None:
    """Add to `errors` what is wrong with the password: `missing` when there is none, else every reason
    Django's password validators give (checked against the applicant's details)."""
    if not password:
        add_error(errors, "password", missing)
        return
    try:
        validate_password(password, user=applicant)  # type: ignore[arg-type]
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)


def reset_password(*, token: str, password: str) -> Applicant:
    """Set a new password from a reset link. The link then stops working; the account's failed sign-ins
    are cleared and its address counts as verified (the link proved the owner reads that inbox)."""
    with transaction.atomic():
        applicant = applicant_for_reset(token=token)
        applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
        applicant_for_reset(token=token)  # again, under the lock: two uses of one link cannot both win
        errors: Errors = {}
        _check_password(password, applicant, errors, missing=_("Enter a new password."))
        if errors:
            raise ValidationError(errors)
        applicant.password = make_password(password)
        if applicant.email_verified_at is None:
            applicant.email_verified_at = timezone.now()
        applicant.language = email_language()
        stamp(applicant, actor=None, reason="Password reset with an emailed link")
        applicant.save()
        clear_sign_in_failures(applicant_account(applicant.email))
        record_event(
            EventType.PASSWORD_RESET,
            actor=None,
            obj=applicant,
            detail={"email": applicant.email, "account": "grant applicant"},
        )
    return applicant


# --- applications -------------------------------------------------------------------------------------


def is_open(grant_round: GrantRound) -> bool:
    today = timezone.localdate()
    return grant_round.status == RoundStatus.OPEN and grant_round.opens_on <= today <= grant_round.closes_on


def _from_account(application: Application, applicant: Applicant) -> None:
    application.applicant = applicant
    application.organisation_name = applicant.organisation_name
    application.charity_number = applicant.charity_number
    application.company_number = applicant.company_number
    application.contact_email = applicant.email


def _check_editable(applicant: Applicant, application: Application) -> None:
    if application.applicant_id != applicant.pk:
        raise Application.DoesNotExist
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError(
            {"__all__": [_("This application has been submitted and can no longer be changed.")]}
        )
    if not is_open(application.round):
        raise ValidationError({"__all__": [_("This round is closed for applications.")]})


def save_draft(
    *,
    applicant: Applicant,
    grant_round: GrantRound,
    data: dict[str, Any],
    application: Application | None = None,
) -> Application:
    """Start or update a draft. Half-finished is fine; wrong values are not."""
    if application is None:
        if not is_open(grant_round):
            raise ValidationError({"__all__": [_("This round is closed for applications.")]})
        application = Application(round=grant_round, status=ApplicationStatus.DRAFT)
    else:
        _check_editable(applicant, application)
    _from_account(application, applicant)
    errors = apply_application_data(application, data, complete=False, locked=ACCOUNT_FIELDS)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        stamp(application, actor=None, reason="Draft saved by the applicant")
        if application.pk:
            application.version += 1
        application.save()
    return application


def submit_application(
    *, applicant: Applicant, application: Application, data: dict[str, Any]
) -> Application:
    """Save and submit: every required answer must be there."""
    _check_editable(applicant, application)
    _from_account(application, applicant)
    errors = apply_application_data(application, data, complete=True, locked=ACCOUNT_FIELDS)
    if errors:
        raise ValidationError(errors)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.version += 1
    with transaction.atomic():
        stamp(application, actor=None, reason="Submitted by the applicant")
        application.save()
    facts = {"reference": application.reference, "title": application.project_title}
    with translation.override(email_language()):  # the language of the page it was submitted on
        subject = _("Application %(reference)s received") % facts
        body = (
            _(
                "Thank you. We have received your application %(reference)s, “%(title)s”. We will email "
                "you when it has been decided."
            )
            % facts
        )
    queue_email(to=applicant.email, subject=subject, body=body, kind="application_received")
    return application


def add_document(*, applicant: Applicant, application: Application, upload: Any) -> ApplicationDocument:
    """Attach a file: refused, with a clear message, if too big, of a type not allowed, or not what its
    name says it is."""
    _check_editable(applicant, application)
    name = str(getattr(upload, "name", "") or "")
    extension = extension_of(name)
    errors: Errors = {}
    limit = max_upload_bytes()
    allowed = ", ".join(sorted({e.lstrip(".").upper() for e in ALLOWED_TYPES if e != ".jpeg"}))
    if extension not in ALLOWED_TYPES:
        add_error(
            errors,
            "document",
            _("%(file)s is not an allowed type. Upload a %(types)s file.")
            % {"file": name or _("The file"), "types": allowed},
        )
    elif upload.size > limit:
        add_error(
            errors,
            "document",
            _("%(file)s is %(size)s: the most is %(limit)s.")
            % {"file": name, "size": _size(upload.size), "limit": _size(limit)},
        )
    elif not content_matches(upload, extension):
        if extension in TEXT_EXTENSIONS:
            add_error(errors, "document", _("%(file)s is not a text file.") % {"file": name})
        else:
            kind = extension.lstrip(".").upper()
            add_error(
                errors, "document", _("%(file)s is not a real %(type)s file.") % {"file": name, "type": kind}
            )
    if application.documents.count() >= MAX_DOCUMENTS:
        add_error(
            errors, "document", _("You can attach up to %(count)s documents.") % {"count": MAX_DOCUMENTS}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        document = ApplicationDocument(
            application=application,
            original_name=name[-200:],
            content_type=ALLOWED_TYPES[extension],
            size=upload.size,
        )
        document.file.save("upload", upload, save=False)
        stamp(document, actor=None, reason="Uploaded by the applicant")
        document.save()
    return document


def notify_decision(application: Application) -> None:
    """Email the applicant the decision (after the transaction that records it commits), in the language
    they last used on the public pages (English for an application with no applicant account). The
    conditions and the reason are as staff wrote them."""
    applicant = application.applicant if application.applicant_id else None
    recipient = (applicant.email if applicant else "") or application.contact_email
    if not recipient:
        return
    decision = application.decision
    facts = {"reference": application.reference, "title": application.project_title}
    with translation.override(email_language(applicant.language) if applicant else settings.LANGUAGE_CODE):
        if decision.outcome == "approve":
            amount = f"{decision.amount:,.2f}"  # the same separators in both languages (ADR 0033)
            body = _(
                "We are pleased to tell you that your application %(reference)s, “%(title)s”, has been "
                "approved: £%(amount)s."
            ) % {**facts, "amount": amount}
            if decision.conditions:
                body += "\n\n" + _("Conditions: %(conditions)s") % {"conditions": decision.conditions}
        else:
            body = (
                _(
                    "We are sorry to tell you that your application %(reference)s, “%(title)s”, has not been funded."
                )
                % facts
            )
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": decision.reason}
        subject = _("Decision on your application %(reference)s") % facts
    queue_email(to=recipient, subject=subject, body=body, kind="application_decision")
