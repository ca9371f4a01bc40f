"""Casework endpoints: incident intake for partner systems, cases (audited), actions and statistics.

No `from __future__ import annotations` here (see core/api.py). Every read of a case goes through
`casework.selectors`, which restricts it to the token holder and writes each personal-data view to the log.
"""

import io
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from joinedup.casework.models import AgreementParty
from joinedup.core.api_schemas import limits_from, list_operation, responses
from joinedup.core.views.base import api_refusal, api_require

from . import selectors, services
from .agreements import services as agreements
from .categories import CATEGORIES
from .models import (
    Case,
    CaseAction,
    CaseDisclosure,
    DataCategory,
    Incident,
    InformationSharingAgreement,
    LawfulBasis,
    Person,
)

router = Router(tags=["casework"])


@limits_from(Person)
class PersonIn(Schema):
    name: str = ""
    date_of_birth: str = Field("", description="YYYY-MM-DD")
    phone: str = ""
    email: str = ""
    address: str = ""


@limits_from(Incident)
class IncidentIn(Schema):
    """An incident report. Every field is checked together, so a 422 lists every problem at once."""

    reporting_organisation: int | None = Field(
        None, description="Must be the token holder's own organisation (otherwise 422)."
    )
    received_at: str = Field("", description="ISO 8601 date and time; not in the future.")
    occurred_at: str = Field("", description="When it happened, if known (ISO 8601; not after received_at).")
    category: str = Field("", json_schema_extra={"enum": list(CATEGORIES)})
    address: str = ""
    # Longer than the stored column: the service reads the postcode (spacing, case) and names a wrong
    # one alongside every other problem, rather than the schema refusing it on its own.
    postcode: str = Field("", max_length=20, description="A UK postcode, e.g. TN13 1HG.")
    latitude: str | float | None = Field(None, description="WGS84, inside England and Wales.")
    longitude: str | float | None = None
    area: str = Field(
        "",
        description="ONS code of the LSOA (or district) where it happened. Worked out from the coordinates "
        "when they fall inside a loaded LSOA boundary; needed otherwise.",
    )
    description: str = ""
    informant: PersonIn | None = None
    informant_anonymous: bool = False
    preferred_contact: str = ""
    vulnerability_indicators: list[str] = Field(default_factory=list)
    perpetrators: list[PersonIn] = Field(default_factory=list)
    case: int | None = Field(None, description="An open case to join; leave out to open a new one.")


class CaseRef(Schema):
    id: int
    reference: str


class SuggestionOut(Schema):
    case: CaseRef
    reasons: list[str]


class IntakeOut(Schema):
    incident_id: int
    incident_reference: str
    case: CaseRef
    case_opened: bool
    repeat_victim: bool
    repeat_location: bool
    suggestions: list[SuggestionOut]


@router.post(
    "/incidents",
    response=responses({201: IntakeOut}, 403),
    summary="Report an incident from a partner system",
)
def create_incident(request: HttpRequest, payload: IncidentIn) -> Any:
    """Record an incident reported to the token holder's organisation. The answer gives the incident id and
    the case it joined or opened, and open cases it may belong to."""
    api_require(request, "casework.incidents.create", status=403)
    result = services.record_incident(actor=request.user, data=payload.model_dump())
    return Status(
        201,
        {
            "incident_id": result.incident.pk,
            "incident_reference": result.incident.reference,
            "case": {"id": result.case.pk, "reference": result.case.reference},
            "case_opened": result.case_opened,
            "repeat_victim": result.incident.repeat_victim,
            "repeat_location": result.incident.repeat_location,
            "suggestions": [
                {"case": {"id": s.case.pk, "reference": s.case.reference}, "reasons": s.reasons}
                for s in result.suggestions
            ],
        },
    )


class CaseSummaryOut(Schema):
    id: int
    reference: str
    area: str = Field(alias="area.code")
    status: str
    risk_level: str
    restricted: bool
    repeat_victim: bool
    repeat_location: bool
    vulnerable: bool
    lead_organisation: str = Field(alias="lead_organisation.name")
    version: int
    created_at: datetime


class PersonOut(Schema):
    id: int
    full_name: str
    date_of_birth: date | None
    phone: str
    email: str
    address: str


class IncidentOut(Schema):
    id: int
    reference: str
    reporting_organisation: str = Field(alias="reporting_organisation.name")
    received_at: datetime
    category: str
    address: str
    postcode: str
    area: str = Field(alias="area.code")
    description: str
    informant: PersonOut | None
    informant_anonymous: bool
    vulnerability_indicators: list[str]
    perpetrators: list[PersonOut]


class ActionOut(Schema):
    id: int
    owner_organisation: str = Field(alias="owner_organisation.name")
    action_type: str
    description: str
    due_date: date
    status: str
    version: int = Field(description="Send it back with an update; a stale version is refused with 409.")


class CaseDisclosureOut(Schema):
    organisation: str = Field(alias="organisation.name")
    reason: str
    lawful_basis: str
    disclosed_at: datetime


class CaseOut(CaseSummaryOut):
    plan_status: str = Field(description="red, green or none: the joint problem solving plan's status.")
    incidents: list[IncidentOut]
    actions: list[ActionOut]
    disclosures: list[CaseDisclosureOut] = Field(
        description="Explicit disclosures of this case to organisations outside any agreement."
    )

    @staticmethod
    def resolve_plan_status(obj: Case) -> str:
        return obj.plan_status()


@list_operation(
    router, "/cases", CaseSummaryOut, summary="List the cases you may see", permission="casework.cases.view"
)
def list_cases(request: HttpRequest, status: str | None = None, area: str | None = None) -> Any:
    """Cases the token holder's organisation may see (no personal data in the list); an empty list for
    404 for roles that see casework only as statistics."""
    return selectors.list_cases(user=request.user, status=status, area_code=area)


@router.get(
    "/cases/{id}", response=responses({200: CaseOut}, 404), summary="One case, with its personal data"
)
def get_case(request: HttpRequest, id: int) -> Any:
    """404 unless your organisation may see the case. Every read is written to the audit event log."""
    return selectors.get_case(user=request.user, pk=id, request=request)


@limits_from(CaseAction)
class ActionUpdateIn(Schema):
    status: str
    description: str | None = None
    due_date: str | None = Field(None, description="YYYY-MM-DD")
    version: int


@router.put(
    "/case-actions/{id}", response=responses({200: ActionOut}, 404, 409), summary="Update an action on a case"
)
def update_action(request: HttpRequest, id: int, payload: ActionUpdateIn) -> Any:
    """Send the `version` you read: someone else saved since → 409 and nothing changes."""
    action = selectors.get_action(user=request.user, pk=id, request=request)
    data = payload.model_dump(exclude={"version"}, exclude_none=True)
    return services.update_action(
        actor=request.user, action=action, expected_version=payload.version, data=data
    )


class CountOut(Schema):
    category: str | None = None
    area: str | None = None
    name: str | None = None
    count: int


class StatisticsOut(Schema):
    cases_open: int
    cases_closed: int
    open_high_risk: int
    repeat_victim_cases: int
    repeat_location_cases: int
    incidents: int
    by_category: list[CountOut]
    by_area: list[CountOut]


@router.get(
    "/casework/statistics",
    response=responses({200: StatisticsOut}, 404),
    summary="Depersonalised casework counts",
)
def statistics(request: HttpRequest, area: str | None = None) -> Any:
    """Counts only: no names, contact details or descriptions."""
    api_require(request, "casework.statistics")
    return selectors.case_statistics(user=request.user, area_code=area)


class PartyOut(Schema):
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    liaison_officer_name: str
    liaison_officer_email: str
    signed_at: datetime | None = None


class AgreementOut(Schema):
    id: int
    title: str
    purpose: str
    lawful_basis: str
    data_categories: list[str]
    covers_asb_casework: bool
    areas: list[str]
    parties: list[PartyOut]
    start_date: date
    review_date: date | None
    end_date: date | None
    status: str
    in_force_from: datetime | None
    last_reviewed_on: date | None
    active: bool = Field(alias="is_active")

    @staticmethod
    def resolve_areas(obj: InformationSharingAgreement) -> list[str]:
        return sorted(a.code for a in obj.areas.all())

    @staticmethod
    def resolve_parties(obj: InformationSharingAgreement) -> list[Any]:
        return list(obj.party_rows.all())


@list_operation(
    router,
    "/sharing-agreements",
    AgreementOut,
    summary="List information-sharing agreements",
    permission="casework.agreements.view",
)
def list_agreements(request: HttpRequest) -> Any:
    return selectors.list_agreements(user=request.user)


# --- casework-b: CSV intake, subject access ------------------------------------------------------------


class ImportedIncidentOut(Schema):
    line: int
    incident_id: int
    incident_reference: str
    case: CaseRef
    case_opened: bool
    repeat_victim: bool
    repeat_location: bool
    suggestions: list[str]


class ImportOut(Schema):
    rows: int
    summary: str
    incidents: list[ImportedIncidentOut]


class ImportQueuedOut(Schema):
    import_id: int
    status: str
    rows: int
    url: str = Field(
        description="Where to follow the import: GET it until its status is succeeded or failed."
    )


class ImportJobOut(Schema):
    import_id: int
    status: str = Field(description="queued, running, succeeded or failed")
    rows: int
    progress: int = Field(description="Percent done (0-100).")
    stage: str
    error: str
    summary: str
    problems: list[dict[str, Any]] = Field(
        description="Every problem, as the 422 of the import lists them: loc [file, line, column], msg."
    )
    incidents: list[ImportedIncidentOut]


@router.post(
    "/incidents/import",
    response=responses({201: ImportOut, 202: ImportQueuedOut}, 403),
    summary="Import incidents from a CSV file (all rows or none)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The CSV file as the request body (at most 5 MB and 2,000 rows), with the columns "
            "of the staff site's template (/staff/casework/incidents/import/template.csv).",
        }
    },
)
def import_incidents(request: HttpRequest) -> Any:
    """The file is read strictly: an unclosed quote, a NUL character, a value longer than its column allows
    or bytes that are not UTF-8 are refused at once, naming the line and column. Every row is checked with
    the same rules as `POST /incidents`; if any row has a problem nothing is recorded and the 422 lists
    every problem as `loc: ["file", line, column]`. Every incident is reported to the token holder's
    organisation. Up to 200 rows are recorded at once (201); a larger file is checked and recorded by the
    task worker (202, with the import's `url`: `GET /incidents/imports/{import_id}` gives its progress
    and, when it has finished, the same report)."""
    from joinedup.api.parser import RequestProblem, problem
    from joinedup.core.models import ImportJob

    from .imports import services as imports

    api_require(request, "casework.incidents.import", status=403)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    # Read past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): a CSV file may be as large as the import takes.
    body = request.read(imports.MAX_BYTES + 1) if declared <= imports.MAX_BYTES else b""
    if declared > imports.MAX_BYTES or len(body) > imports.MAX_BYTES:
        raise RequestProblem(
            413,
            [
                problem(
                    ["body"],
                    f"The file is larger than {imports.MAX_BYTES // (1024 * 1024)} MB, the most an "
                    "incident import takes: split it.",
                    "body_too_large",
                )
            ],
        )
    started = imports.start_import(actor=request.user, file=io.BytesIO(body), file_name="the request body")
    if isinstance(started, ImportJob):
        return Status(
            202,
            {
                "import_id": started.pk,
                "status": started.status,
                "rows": started.rows,
                "url": f"/api/v1/incidents/imports/{started.pk}",
            },
        )
    report = imports.report(started)
    if not started.ok:
        return Status(422, {"detail": _problems(report["errors"])})
    return Status(
        201, {"rows": report["rows"], "summary": report["summary"], "incidents": report["incidents"]}
    )


def _problems(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"loc": ["file", error["line"], error["column"]], "msg": error["message"], "type": "value_error"}
        for error in errors
    ]


@router.get(
    "/incidents/imports/{import_id}",
    response=responses({200: ImportJobOut}, 404),
    summary="A large incident import's progress and report",
)
def incident_import_job(request: HttpRequest, import_id: int) -> Any:
    """Only the token holder's own imports (anyone else's: 404)."""
    from joinedup.core.models import ImportJob

    from .imports import services as imports

    api_require(request, "casework.incidents.import")
    job = ImportJob.objects.filter(pk=import_id, kind=imports.JOB_KIND, created_by=request.user.pk).first()
    if job is None:
        raise api_refusal(request, "casework.incidents.import")
    report = job.result or {}
    return {
        "import_id": job.pk,
        "status": job.status,
        "rows": job.rows,
        "progress": job.progress,
        "stage": job.stage,
        "error": job.error,
        "summary": report.get("summary", ""),
        "problems": _problems(report.get("errors", [])),
        "incidents": report.get("incidents", []),
    }


@router.get(
    "/casework/subject-access",
    response=responses({200: dict[str, Any]}, 404),
    summary="Everything held about one person (subject access)",
)
def subject_access_export(request: HttpRequest, person: list[int] = Query([])) -> Any:  # noqa: B008
    """OPCC administrators only (404 for everyone else). `person` is repeated for each record that is the
    requester. The export is written to the audit event log."""
    from .subject_access import selectors as subject_access

    return subject_access.subject_access_report(
        user=request.user, person_ids=person, request=request, fmt="json"
    )


@limits_from(AgreementParty)
class PartyIn(Schema):
    organisation: int | None = Field(None, description="Organisation id from the directory.")
    liaison_officer_name: str = Field("", description="The party's designated liaison officer (required).")
    liaison_officer_email: str = ""


@limits_from(InformationSharingAgreement)
class AgreementIn(Schema):
    """An information-sharing agreement. Every field is checked together: a 422 lists every problem."""

    title: str = ""
    purpose: str = ""
    lawful_basis: str = Field("", json_schema_extra={"enum": [c.value for c in LawfulBasis]})
    lawful_basis_detail: str = ""
    areas: list[str] = Field(
        default_factory=list, description="ONS codes (LSOA, district, CSP or force area)."
    )
    data_categories: list[str] = Field(
        default_factory=list, json_schema_extra={"items": {"enum": [c.value for c in DataCategory]}}
    )
    covers_asb_casework: bool = True
    start_date: str = Field("", description="YYYY-MM-DD")
    review_date: str = Field("", description="YYYY-MM-DD")
    end_date: str = Field("", description="YYYY-MM-DD")
    parties: list[PartyIn] = Field(default_factory=list, description="At least two.")


class AgreementUpdateIn(AgreementIn):
    version: int = Field(description="The version you read; someone saved since → 409.")


class AgreementSavedOut(AgreementOut):
    version: int


def _agreement_data(payload: AgreementIn) -> dict[str, Any]:
    return payload.model_dump(exclude={"version"})


@router.post(
    "/sharing-agreements",
    response=responses({201: AgreementSavedOut}, 404),
    summary="Record an information-sharing agreement",
)
def create_agreement(request: HttpRequest, payload: AgreementIn) -> Any:
    """OPCC administrators and officers and CSP managers; 404 for everyone else."""
    return Status(201, agreements.save_agreement(actor=request.user, data=_agreement_data(payload)))


@router.put(
    "/sharing-agreements/{id}",
    response=responses({200: AgreementSavedOut}, 404, 409),
    summary="Change an information-sharing agreement",
)
def update_agreement(request: HttpRequest, id: int, payload: AgreementUpdateIn) -> Any:
    """Send every field and the `version` you read: someone else saved since → 409 and nothing changes."""
    from django.core.exceptions import ValidationError

    from joinedup.core.permissions import restrict
    from joinedup.core.services.errors import NotAllowed

    agreement = (
        restrict(InformationSharingAgreement.objects.all(), request.user, "casework.agreements.manage")
        .filter(pk=id)
        .first()
    )
    if agreement is None:
        raise NotAllowed("No such agreement you may change.")
    if payload.version is None:
        raise ValidationError({"version": ["Send the version of the agreement you read."]})
    return agreements.save_agreement(
        actor=request.user,
        data=_agreement_data(payload),
        agreement=agreement,
        expected_version=payload.version,
    )


# --- agreement lifecycle and disclosures (ADR 0012) -----------------------------------------------------


def _agreement_for(request: HttpRequest, id: int, action: str) -> InformationSharingAgreement:
    """Agreement `id` among those the person may read, once they may do `action` at all (404 otherwise)."""
    from joinedup.core.services.errors import NotAllowed

    api_require(request, action)
    agreement = selectors.list_agreements(user=request.user).filter(pk=id).first()
    if agreement is None:
        raise NotAllowed("No such agreement.")
    return agreement


class ProposeIn(Schema):
    version: int | None = Field(None, description="The version you read; someone saved since → 409.")


class AgreementReviewIn(Schema):
    review_date: str = Field("", description="The next review, YYYY-MM-DD, after today.")
    notes: str = ""


class EndIn(Schema):
    reason: str = Field("", description="Why the agreement ends (required).")


@router.post(
    "/sharing-agreements/{id}/propose",
    response=responses({200: AgreementSavedOut}, 404, 409),
    summary="Propose a draft agreement to its parties for signature",
)
def propose_agreement(request: HttpRequest, id: int, payload: ProposeIn) -> Any:
    """Agreement managers (a CSP manager only for their own CSP). A proposed agreement shares nothing."""
    return agreements.propose_agreement(
        actor=request.user,
        agreement=_agreement_for(request, id, "casework.agreements.manage"),
        expected_version=payload.version,
    )


@router.post(
    "/sharing-agreements/{id}/sign",
    response=responses({200: AgreementSavedOut}, 404),
    summary="Sign a proposed agreement for your organisation",
)
def sign_agreement(request: HttpRequest, id: int) -> Any:
    """Only the party's designated liaison officer (404 for anyone else). The last signature puts the
    agreement in force from that moment, never earlier."""
    return agreements.sign_agreement(
        actor=request.user, agreement=_agreement_for(request, id, "casework.agreements.sign")
    )


@router.post(
    "/sharing-agreements/{id}/review",
    response=responses({200: AgreementSavedOut}, 404),
    summary="Record a review of an agreement in force",
)
def review_agreement(request: HttpRequest, id: int, payload: AgreementReviewIn) -> Any:
    from .services import _parse_date

    return agreements.review_agreement(
        actor=request.user,
        agreement=_agreement_for(request, id, "casework.agreements.sign"),
        next_review=_parse_date(payload.review_date),
        notes=payload.notes,
    )


@router.post(
    "/sharing-agreements/{id}/end",
    response=responses({200: AgreementSavedOut}, 404),
    summary="End an agreement now",
)
def end_agreement(request: HttpRequest, id: int, payload: EndIn) -> Any:
    """An OPCC administrator may end any agreement; a party's liaison officer their own."""
    return agreements.end_agreement(
        actor=request.user,
        agreement=_agreement_for(request, id, "casework.agreements.sign"),
        reason=payload.reason,
    )


@limits_from(CaseDisclosure)
class DisclosureIn(Schema):
    organisation: int | None = Field(None, description="Organisation id from the directory.")
    reason: str = Field("", description="Why this organisation must see the case (required).")
    lawful_basis: str = Field("", json_schema_extra={"enum": [c.value for c in LawfulBasis]})


class DisclosureOut(Schema):
    id: int
    case_id: int
    organisation_id: int
    reason: str
    lawful_basis: str
    disclosed_at: datetime


@router.post(
    "/cases/{id}/disclosures",
    response=responses({201: DisclosureOut}, 404),
    summary="Disclose a case to another organisation (recorded and audited)",
)
def disclose_case(request: HttpRequest, id: int, payload: DisclosureIn) -> Any:
    """Opens the case to one more organisation outside any agreement. Give the reason and the lawful basis;
    the disclosure is shown on the case and written to the audit log. 404 if you may not read the case."""
    from .disclosures import services as disclosures

    case = selectors.get_case(
        user=request.user, pk=id, request=request, action="casework.cases.disclose", audit=False
    )
    return Status(201, disclosures.disclose_case(actor=request.user, case=case, data=payload.model_dump()))
