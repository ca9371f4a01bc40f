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
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from joinedup.core.models.organisations import charity_number_validator, company_number_validator
from joinedup.core.services.versioning import stamp

from .models import Applicant, Application, ApplicationDocument, ApplicationStatus, GrantRound, RoundStatus
from .services import Errors, _add, _text, apply_application_data

VERIFY_SALT = "joinedup.funding.applicant-verify"
VERIFY_MAX_AGE = datetime.timedelta(days=3)
# What the account supplies to every application: the applicant cannot type another organisation in.
ACCOUNT_FIELDS = ("organisation_name", "charity_number", "company_number", "contact_email")

# Documents: PDF, Word, OpenDocument text, Excel, CSV, plain text, JPEG and PNG; checked by name and content.
ALLOWED_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}
MAX_DOCUMENTS = 10


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.1f} KB"


def max_upload_bytes() -> int:
    return int(getattr(settings, "JOINEDUP_FUNDING_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


# --- accounts -----------------------------------------------------------------------------------------


def register_applicant(*, data: dict[str, Any], verify_url: Callable[[str], str]) -> Applicant:
    """Create an unverified account and email a link to verify the address. Every problem at once."""
    errors: Errors = {}
    applicant = Applicant()
    applicant.email = _text(data, "email", errors, label="your email address", required=True).lower()
    if applicant.email:
        try:
            validate_email(applicant.email)
        except ValidationError:
            _add(errors, "email", "Enter an email address like name@example.org.")
        else:
            if Applicant.objects.filter(email__iexact=applicant.email).exists():
                _add(errors, "email", "An account with this email address already exists: sign in instead.")
    applicant.contact_name = _text(data, "contact_name", errors, label="your name", required=True)
    applicant.organisation_name = _text(
        data, "organisation_name", errors, label="your organisation's name", required=True
    )
    for field, validator in (
        ("charity_number", charity_number_validator),
        ("company_number", company_number_validator),
    ):
        value = _text(data, field, errors).upper()
        setattr(applicant, field, value)
        if value:
            try:
                validator(value)
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.messages)
    password = str(data.get("password") or "")
    if not password:
        _add(errors, "password", "Enter a password.")
    else:
        try:
            validate_password(password)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    applicant.password = make_password(password)
    with transaction.atomic():
        stamp(applicant, actor=None, reason="Registered")
        applicant.save()
    token = signing.dumps({"id": applicant.pk, "email": applicant.email}, salt=VERIFY_SALT)
    send_mail(
        "Verify your email address to apply for a grant",
        f"Hello {applicant.contact_name},\n\nTo finish setting up your account, open this link "
        f"within 3 days:\n\n{verify_url(token)}\n\nIf you did not ask for an account, ignore this email.",
        None,
        [applicant.email],
    )
    return applicant


def verify_applicant(*, token: str) -> Applicant:
    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            {"token": ["This link has expired. Register again to get a new one."]}
        ) from None
    except signing.BadSignature:
        raise ValidationError({"token": ["This link is not valid. Check you copied all of it."]}) from None
    applicant = Applicant.objects.filter(pk=payload.get("id"), email=payload.get("email")).first()
    if applicant is None:
        raise ValidationError({"token": ["This link is not valid. Check you copied all of it."]})
    if applicant.email_verified_at is None:
        applicant.email_verified_at = timezone.now()
        stamp(applicant, actor=None, reason="Email address verified")
        applicant.save()
    return applicant


def authenticate_applicant(*, email: str, password: str) -> Applicant:
    """The account, if the email and password match and the address is verified; else a form error."""
    applicant = Applicant.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if applicant is None or not check_password(password, applicant.password):
        make_password(password)  # the same work either way, so timing does not reveal accounts
        raise ValidationError({"__all__": ["The email address or password is not right."]})
    if not applicant.is_verified:
        raise ValidationError(
            {
                "__all__": [
                    "Verify your email address first: open the link we emailed you when you registered."
                ]
            }
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
            {"__all__": ["This application has been submitted and can no longer be changed."]}
        )
    if not is_open(application.round):
        raise ValidationError({"__all__": ["This round is closed for applications."]})


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
            raise ValidationError({"__all__": ["This round is closed for applications."]})
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
    send_mail(
        f"Application {application.reference} received",
        f"Thank you. We have received your application {application.reference}, "
        f"'{application.project_title}'. We will email you when it has been decided.",
        None,
        [applicant.email],
    )
    return application


def add_document(*, applicant: Applicant, application: Application, upload: Any) -> ApplicationDocument:
    """Attach a file: refused, with a clear message, if too big, of a type not allowed, or not what its
    name says it is."""
    _check_editable(applicant, application)
    name = str(getattr(upload, "name", "") or "")
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    errors: Errors = {}
    limit = max_upload_bytes()
    allowed = ", ".join(sorted({e.lstrip(".").upper() for e in ALLOWED_TYPES if e != ".jpeg"}))
    if extension not in ALLOWED_TYPES:
        _add(errors, "document", f"{name or 'The file'} is not an allowed type. Upload a {allowed} file.")
    elif upload.size > limit:
        _add(
            errors,
            "document",
            f"{name} is {_size(upload.size)}: the most is {_size(limit)}.",
        )
    else:
        _content_type, magic = ALLOWED_TYPES[extension]
        head = upload.read(16)
        upload.seek(0)
        if magic is not None and not head.startswith(magic):
            _add(errors, "document", f"{name} is not a real {extension.lstrip('.').upper()} file.")
        if magic is None and b"\x00" in head:
            _add(errors, "document", f"{name} is not a text file.")
    if application.documents.count() >= MAX_DOCUMENTS:
        _add(errors, "document", f"You can attach up to {MAX_DOCUMENTS} documents.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        document = ApplicationDocument(
            application=application,
            original_name=name[-200:],
            content_type=ALLOWED_TYPES[extension][0],
            size=upload.size,
        )
        document.file.save("upload", upload, save=False)
        stamp(document, actor=None, reason="Uploaded by the applicant")
        document.save()
    return document


def notify_decision(application: Application) -> None:
    """Email the applicant the decision (after the transaction that records it commits)."""
    recipient = application.applicant.email if application.applicant_id and application.applicant else ""
    recipient = recipient or application.contact_email
    if not recipient:
        return
    decision = application.decision
    if decision.outcome == "approve":
        body = (
            f"We are pleased to tell you that your application {application.reference}, "
            f"'{application.project_title}', has been approved: £{decision.amount:,.2f}."
            + (f"\n\nConditions: {decision.conditions}" if decision.conditions else "")
        )
    else:
        body = (
            f"We are sorry to tell you that your application {application.reference}, "
            f"'{application.project_title}', has not been funded.\n\nReason: {decision.reason}"
        )
    send_mail(f"Decision on your application {application.reference}", body, None, [recipient])
