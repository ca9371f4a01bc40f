"""Expected access to funding pages and API operations, role by role (see core/testing.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from joinedup.core.roles import Role
from joinedup.core.testing import EVERY_ROLE, PUBLIC, Access, roles

ADMIN, OFFICER, AUDITOR = Role.OPCC_ADMIN, Role.OPCC_OFFICER, Role.AUDITOR
READERS = roles(ADMIN, OFFICER, AUDITOR)
REPORT_READERS = roles(ADMIN, OFFICER, AUDITOR, Role.PANEL_MEMBER)
MANAGERS = roles(ADMIN, OFFICER)
# The matrix's application is assigned to the partner practitioner: any staff role can sit on a panel.
ASSIGNED = roles(Role.PRACTITIONER)
YEAR = 2026


def objects_hook(objects: dict[str, Any]) -> None:
    """A fund with a budget and an allocation, a round with criteria, an eligible application assigned to
    the practitioner, and an award."""
    from joinedup.core.models import Organisation
    from joinedup.funding.models import (
        Application,
        ApplicationDocument,
        ApplicationStatus,
        Award,
        CallOff,
        CommissioningBoard,
        Contract,
        Criterion,
        DistributionModel,
        Framework,
        FrameworkLot,
        Fund,
        FundBudget,
        FundSource,
        GrantRound,
        Kpi,
        MonitoringReturn,
        PanelAssignment,
    )
    from joinedup.funding.services import allocate_by_population

    tag = objects.get("tag", "")  # a second force's copy (core/tests/test_force_scope.py) keeps names unique
    fund = Fund.objects.create(
        name="Matrix Community Safety Fund",
        source=FundSource.COMMUNITY_SAFETY,
        distribution_model=DistributionModel.FORMULA,
        force_area=objects["pfa"],
        max_award=Decimal("5000.00"),
    )
    FundBudget.objects.create(fund=fund, year=YEAR, amount=Decimal("10000.00"))
    allocate_by_population(actor=objects["people"][ADMIN], fund=fund, year=YEAR)
    grant_round = GrantRound.objects.create(
        fund=fund,
        name="Matrix round",
        opens_on=datetime.date(2026, 4, 1),
        closes_on=datetime.date(2026, 5, 31),
        budget=Decimal("20000.00"),
    )
    Criterion.objects.create(round=grant_round, name="Need", weight=2)
    application = Application.objects.create(
        round=grant_round,
        organisation_name="Northtown Youth Trust",
        project_title="Street sport",
        project_description="Evening football.",
        amount_requested=Decimal("3000.00"),
        status=ApplicationStatus.ELIGIBLE,
    )
    PanelAssignment.objects.create(application=application, member=objects["people"][Role.PRACTITIONER])
    document = ApplicationDocument(
        application=application, original_name="budget.txt", content_type="text/plain", size=5
    )
    document.file.save("upload", ContentFile(b"hello"), save=True)
    awarded = Application.objects.create(
        round=grant_round,
        organisation_name="Southtown Boxing Club",
        project_title="Boxing",
        project_description="Boxing.",
        amount_requested=Decimal("1000.00"),
        status=ApplicationStatus.APPROVED,
    )
    award = Award.objects.create(
        application=awarded,
        fund=fund,
        recipient_name="Southtown Boxing Club",
        title="Boxing",
        description="Boxing.",
        amount=Decimal("1000.00"),
        awarded_on=datetime.date(2026, 6, 1),
    )
    monitoring_return = MonitoringReturn.objects.create(award=award, due_on=datetime.date(2026, 1, 1))
    provider = Organisation.objects.create(name=f"Matrix Victim Services{tag}", sector="vcs_charity")
    contract = Contract.objects.create(
        reference=f"MX-1{tag}",
        title="Victim referral service",
        provider=provider,
        value=Decimal("100000.00"),
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2028, 3, 31),
    )
    Kpi.objects.create(contract=contract, name="Contacted within 48 hours", target=Decimal("90"), unit="%")
    board = CommissioningBoard.objects.create(name=f"Matrix board{tag}")
    board.members.add(provider)
    framework = Framework.objects.create(
        reference=f"FW-1{tag}",
        name="Matrix framework",
        lead=provider,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2030, 1, 1),
    )
    lot = FrameworkLot.objects.create(framework=framework, number=1, title="Referrals", supplier=provider)
    call_off = CallOff.objects.create(
        lot=lot,
        organisation=provider,
        reference=f"CO-1{tag}",
        value=Decimal("5000.00"),
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2027, 5, 31),
    )
    Kpi.objects.create(call_off=call_off, name="Contacted within 48 hours", target=Decimal("90"), unit="%")
    objects.update(
        provider=provider,
        contract=contract,
        board=board,
        framework=framework,
        lot=lot,
        call_off=call_off,
        fund=fund,
        grant_round=grant_round,
        application=application,
        document=document,
        award=award,
        monitoring_return=monitoring_return,
    )


def fund(o: dict[str, Any]) -> dict[str, Any]:
    return {"pk": o["fund"].pk}


def fund_year(o: dict[str, Any]) -> dict[str, Any]:
    return {"pk": o["fund"].pk, "year": YEAR}


def grant_round(o: dict[str, Any]) -> dict[str, Any]:
    return {"pk": o["grant_round"].pk}


def application(o: dict[str, Any]) -> dict[str, Any]:
    return {"pk": o["application"].pk}


URLS: dict[str, Access] = {
    "funding:fund-list": Access(READERS),
    "funding:fund-create": Access(MANAGERS),
    "funding:fund-detail": Access(READERS, kwargs=fund),
    "funding:fund-edit": Access(MANAGERS, kwargs=fund),
    "funding:fund-allocation": Access(READERS, kwargs=fund_year),
    "funding:fund-allocate": Access(MANAGERS, kwargs=fund_year, method="POST"),
    "funding:fund-allocation-export": Access(READERS, kwargs=fund_year),
    "funding:round-create": Access(MANAGERS, kwargs=fund),
    "funding:round-detail": Access(READERS, kwargs=grant_round),
    # An impossible change: refused with a message, nothing changes.
    "funding:round-status": Access(
        MANAGERS, kwargs=grant_round, method="POST", data=lambda o: {"status": "x"}
    ),
    "funding:round-moderation": Access(READERS, kwargs=grant_round),
    "funding:application-create": Access(MANAGERS, kwargs=grant_round),
    "funding:application-detail": Access(READERS, kwargs=application),
    # Empty forms: the page answers with the errors, nothing changes.
    "funding:application-eligibility": Access(MANAGERS, kwargs=application, method="POST"),
    "funding:application-assign": Access(MANAGERS, kwargs=application, method="POST"),
    "funding:application-decide": Access(roles(ADMIN), kwargs=application),
    "funding:award-list": Access(READERS),
    "funding:award-detail": Access(READERS, kwargs=lambda o: {"pk": o["award"].pk}),
    "funding:award-outcomes": Access(READERS, kwargs=lambda o: {"pk": o["award"].pk}),
    "funding:award-outcomes-csv": Access(READERS, kwargs=lambda o: {"pk": o["award"].pk}),
    "funding:award-payment-add": Access(MANAGERS, kwargs=lambda o: {"pk": o["award"].pk}, method="POST"),
    "funding:monitoring-return-record": Access(MANAGERS, kwargs=lambda o: {"pk": o["monitoring_return"].pk}),
    "funding:monitoring-return-review": Access(MANAGERS, kwargs=lambda o: {"pk": o["monitoring_return"].pk}),
    "funding:award-measures": Access(MANAGERS, kwargs=lambda o: {"pk": o["award"].pk}),
    "funding:award-measures-csv": Access(READERS, kwargs=lambda o: {"pk": o["award"].pk}),
    # An empty form: the page answers with the error, nothing is added.
    "funding:award-return-add": Access(MANAGERS, kwargs=lambda o: {"pk": o["award"].pk}, method="POST"),
    "funding:award-edit": Access(MANAGERS, kwargs=lambda o: {"pk": o["award"].pk}),
    # Empty forms: the page answers with the errors, nothing changes.
    "funding:award-vary": Access(MANAGERS, kwargs=lambda o: {"pk": o["award"].pk}, method="POST"),
    "funding:award-clawback": Access(MANAGERS, kwargs=lambda o: {"pk": o["award"].pk}, method="POST"),
    # The Panel reads the spend reports (not the OPCC's monitoring chase list): docs/adr/0018.
    "funding:reports": Access(REPORT_READERS),
    "funding:report-detail": Access(REPORT_READERS, kwargs=lambda o: {"report": "spend-by-priority"}),
    "funding:contract-list": Access(READERS),
    "funding:contract-export": Access(READERS),
    "funding:contract-create": Access(MANAGERS),
    "funding:contract-detail": Access(READERS, kwargs=lambda o: {"pk": o["contract"].pk}),
    "funding:contract-outcomes": Access(READERS, kwargs=lambda o: {"pk": o["contract"].pk}),
    "funding:contract-outcomes-csv": Access(READERS, kwargs=lambda o: {"pk": o["contract"].pk}),
    "funding:contract-edit": Access(MANAGERS, kwargs=lambda o: {"pk": o["contract"].pk}),
    "funding:contract-performance": Access(
        MANAGERS, kwargs=lambda o: {"pk": o["contract"].pk}, method="POST"
    ),
    "funding:board-list": Access(READERS),
    "funding:board-create": Access(MANAGERS),
    "funding:board-detail": Access(READERS, kwargs=lambda o: {"pk": o["board"].pk}),
    "funding:board-edit": Access(MANAGERS, kwargs=lambda o: {"pk": o["board"].pk}),
    "funding:board-contribution": Access(MANAGERS, kwargs=lambda o: {"pk": o["board"].pk}, method="POST"),
    "funding:framework-list": Access(READERS),
    "funding:framework-create": Access(MANAGERS),
    "funding:framework-detail": Access(READERS, kwargs=lambda o: {"pk": o["framework"].pk}),
    "funding:framework-edit": Access(MANAGERS, kwargs=lambda o: {"pk": o["framework"].pk}),
    "funding:call-off-create": Access(MANAGERS, kwargs=lambda o: {"pk": o["lot"].pk}),
    "funding:call-off-detail": Access(READERS, kwargs=lambda o: {"pk": o["call_off"].pk}),
    "funding:call-off-performance": Access(
        MANAGERS, kwargs=lambda o: {"pk": o["call_off"].pk}, method="POST"
    ),
    "funding:supplier-list": Access(READERS),
    "funding:supplier-performance": Access(READERS, kwargs=lambda o: {"pk": o["provider"].pk}),
    "funding:report-export": Access(REPORT_READERS, kwargs=lambda o: {"report": "spend-by-fund"}),
    "funding:panel-list": Access(EVERY_ROLE),
    "funding:panel-score": Access(ASSIGNED, kwargs=application),
    "funding:panel-conflict": Access(ASSIGNED, kwargs=application),
    "funding:document-download": Access(
        READERS | ASSIGNED, kwargs=lambda o: {"pk": o["application"].pk, "document": o["document"].pk}
    ),
    "public-funding:grant-list": Access(PUBLIC),
    # The applicant journey: public pages; those for a signed-in applicant send anyone else to sign in.
    "public-funding:apply-home": Access(PUBLIC),
    "public-funding:applicant-register": Access(PUBLIC),
    "public-funding:applicant-verify": Access(PUBLIC, kwargs=lambda o: {"token": "not-a-token"}),
    "public-funding:applicant-sign-in": Access(PUBLIC),
    "public-funding:applicant-password-reset": Access(PUBLIC),
    "public-funding:applicant-password-reset-confirm": Access(
        PUBLIC, kwargs=lambda o: {"token": "not-a-token"}
    ),
    "public-funding:applicant-sign-out": Access(PUBLIC, method="POST"),
    "public-funding:applicant-start": Access(PUBLIC, kwargs=grant_round),
    "public-funding:applicant-application": Access(PUBLIC, kwargs=application),
    "public-funding:applicant-upload": Access(PUBLIC, kwargs=application, method="POST"),
    "public-funding:applicant-document": Access(
        PUBLIC, kwargs=lambda o: {"pk": o["application"].pk, "document": o["document"].pk}
    ),
    # A grant holder's own monitoring return (anyone else's is not found: test_outcome_measures.py).
    "public-funding:applicant-return": Access(PUBLIC, kwargs=lambda o: {"pk": o["monitoring_return"].pk}),
    "public-funding:grants-json": Access(PUBLIC),
    "public-funding:grants-csv": Access(PUBLIC),
}


def fund_id(o: dict[str, Any]) -> dict[str, Any]:
    return {"id": o["fund"].pk}


def round_id(o: dict[str, Any]) -> dict[str, Any]:
    return {"id": o["grant_round"].pk}


def application_id(o: dict[str, Any]) -> dict[str, Any]:
    return {"id": o["application"].pk}


API: dict[str, Access] = {
    "funding_list_funds": Access(READERS),
    "funding_get_fund": Access(READERS, kwargs=fund_id),
    "funding_create_fund": Access(
        MANAGERS,
        method="POST",
        data=lambda o: {
            "name": "Matrix API Fund",
            "source": "precept",
            "distribution_model": "direct",
            "budgets": [{"year": 2026, "amount": "5000.00"}],
        },
    ),
    "funding_list_rounds": Access(READERS),
    "funding_get_round": Access(READERS, kwargs=round_id),
    "funding_list_applications": Access(READERS),
    "funding_get_application": Access(READERS, kwargs=application_id),
    "funding_list_assigned_applications": Access(EVERY_ROLE),
    "funding_get_assigned_application": Access(ASSIGNED, kwargs=application_id),
    "funding_list_awards": Access(READERS),
    "funding_get_award": Access(READERS, kwargs=lambda o: {"id": o["award"].pk}),
    # A stale version: 409 for those allowed, nothing saved.
    "funding_update_award_details": Access(
        MANAGERS, kwargs=lambda o: {"id": o["award"].pk}, method="PUT", data=lambda o: {"version": 99}
    ),
    "funding_list_public_grants": Access(PUBLIC),
    "funding_list_contracts": Access(READERS),
    "funding_get_contract": Access(READERS, kwargs=lambda o: {"id": o["contract"].pk}),
    # An empty contract: 422 for those allowed, nothing saved.
    "funding_create_contract": Access(MANAGERS, method="POST"),
    "funding_update_contract": Access(
        MANAGERS, kwargs=lambda o: {"id": o["contract"].pk}, method="PUT", data=lambda o: {"version": 0}
    ),
    "funding_list_boards": Access(READERS),
    "funding_get_board": Access(READERS, kwargs=lambda o: {"id": o["board"].pk}),
    "funding_list_frameworks": Access(READERS),
    "funding_get_framework": Access(READERS, kwargs=lambda o: {"id": o["framework"].pk}),
}
