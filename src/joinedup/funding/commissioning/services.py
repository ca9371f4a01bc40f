"""Every write in commissioning: contracts and their KPIs, joint commissioning boards and pooled
contributions, frameworks with lots and call-offs, and supplier performance returns.

Keyword-only, one transaction each, history stamped; every problem with the input is raised at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.core.models import Organisation, User
from joinedup.core.services.versioning import save_versioned, stamp
from joinedup.partnerships.models import PlanPriority

from ..fields import (
    Errors,
    add_error,
    parse_money,
    read_csp,
    read_date,
    read_money,
    read_organisation,
    read_text,
    read_ward,
    require,
)
from ..models import (
    CallOff,
    CommissioningBoard,
    Contract,
    Framework,
    FrameworkLot,
    Fund,
    Kpi,
    PerformanceReturn,
    PooledContribution,
)
from ..services import plan_priorities_from

CONTRACT_FIELDS = {
    "reference",
    "title",
    "provider",
    "commissioner",
    "fund",
    "board",
    "csp",
    "ward",
    "value",
    "starts_on",
    "ends_on",
    "priorities",
    "description",
    "kpis",
}


def _unexpected(data: dict[str, Any], allowed: set[str], errors: Errors) -> None:
    unexpected = sorted(set(data) - allowed)
    if unexpected:
        add_error(errors, "__all__", f"Unexpected fields: {', '.join(unexpected)}.")


def _term(
    data: dict[str, Any], errors: Errors, start: str = "starts_on", end: str = "ends_on"
) -> tuple[datetime.date | None, datetime.date | None]:
    starts_on = read_date(data, start, errors, label="the start date")
    ends_on = read_date(data, end, errors, label="the end date")
    if starts_on and ends_on and ends_on < starts_on:
        add_error(errors, end, "The end date must be on or after the start date.")
    return starts_on, ends_on


def _reference(data: dict[str, Any], errors: Errors, record: Any, *, label: str, noun: str) -> str:
    """A contract's, framework's or call-off's reference: required, and no other of its kind has it, in any
    case."""
    reference = read_text(data, "reference", errors, label=label, required=True)
    others = type(record).objects.filter(reference__iexact=reference).exclude(pk=record.pk)
    if reference and others.exists():
        add_error(errors, "reference", f"Another {noun} already has the reference {reference}.")
    return reference


def _year(value: Any, errors: Errors, field: str = "year") -> int | None:
    try:
        year = int(str(value).strip()[:4])
    except (TypeError, ValueError):
        add_error(errors, field, "Enter the financial year as 2025 or 2025-26.")
        return None
    if not 2000 <= year <= 2100:
        add_error(errors, field, f"{year} is not a financial year between 2000 and 2100.")
        return None
    return year


def _priorities(value: Any, errors: Errors) -> list[PlanPriority]:
    return plan_priorities_from(value, errors)


def parse_kpis(raw: Any, errors: Errors, field: str = "kpis") -> list[dict[str, Any]]:
    """KPIs as 'name | target | unit | higher or lower' lines, or a list of dicts → clean dicts."""
    items: list[dict[str, Any]] = []
    if isinstance(raw, str):
        for line in raw.splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            parts += [""] * (4 - len(parts))
            items.append(
                {
                    "name": parts[0],
                    "target": parts[1],
                    "unit": parts[2],
                    "higher_is_better": parts[3] or "higher",
                }
            )
    else:
        for entry in raw or []:
            items.append(dict(entry) if isinstance(entry, dict) else dict(entry.__dict__))
    kpis: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in items:
        name = str(item.get("name") or "").strip()
        target = parse_money(item.get("target"))
        direction = item.get("higher_is_better", True)
        if isinstance(direction, str):
            if direction.strip().lower() not in ("higher", "lower", "true", "false"):
                add_error(errors, field, f"Say whether higher or lower is better for '{name}'.")
            direction = direction.strip().lower() in ("higher", "true")
        if not name:
            add_error(errors, field, "Every KPI needs a name.")
            continue
        if target is None:
            add_error(errors, field, f"Give '{name}' a target as a number, for example 85 or 12.5.")
            continue
        if name.lower() in seen:
            add_error(errors, field, f"'{name}' is listed twice.")
            continue
        seen.add(name.lower())
        kpis.append(
            {
                "name": name,
                "target": target,
                "unit": str(item.get("unit") or "").strip()[:40],
                "higher_is_better": bool(direction),
            }
        )
    return kpis


def _save_kpis(owner: dict[str, Any], existing: list[Kpi], kpis: list[dict[str, Any]], actor: User) -> None:
    """Keep KPIs by name (so their performance returns stay), add new ones, remove those no longer listed."""
    by_name = {k.name.lower(): k for k in existing}
    for item in kpis:
        kpi = by_name.pop(item["name"].lower(), None) or Kpi(**owner)
        changed = kpi.pk is None or any(getattr(kpi, key) != value for key, value in item.items())
        if changed:
            for key, value in item.items():
                setattr(kpi, key, value)
            stamp(kpi, actor=actor, reason="KPI set")
            kpi.save()
    for stale in by_name.values():
        stamp(stale, actor=actor, reason="KPI removed")
        stale.delete()


# --- contracts --------------------------------------------------------------------------------------


def _apply_contract(
    contract: Contract, data: dict[str, Any]
) -> tuple[Errors, list[PlanPriority], list | None]:
    errors: Errors = {}
    _unexpected(data, CONTRACT_FIELDS, errors)
    contract.reference = _reference(data, errors, contract, label="a contract reference", noun="contract")
    contract.title = read_text(data, "title", errors, label="the service's title", required=True)
    contract.description = read_text(data, "description", errors)
    contract.provider = read_organisation(
        data.get("provider"), errors, "provider", required=True, label="the provider"
    )
    contract.commissioner = read_organisation(
        data.get("commissioner"), errors, "commissioner", label="the commissioner"
    )
    contract.csp = read_csp(data.get("csp"), errors)
    contract.ward = read_ward(data.get("ward"), contract.csp, errors)
    fund = data.get("fund")
    contract.fund = None
    if fund:
        contract.fund = fund if isinstance(fund, Fund) else Fund.objects.filter(pk=_int(fund)).first()
        if contract.fund is None:
            add_error(errors, "fund", "Choose a fund from the list.")
    board = data.get("board")
    contract.board = None
    if board:
        contract.board = (
            board
            if isinstance(board, CommissioningBoard)
            else CommissioningBoard.objects.filter(pk=_int(board)).first()
        )
        if contract.board is None:
            add_error(errors, "board", "Choose a commissioning board from the list.")
    contract.value = read_money(data, "value", errors, label="the contract value") or Decimal("0")
    contract.starts_on, contract.ends_on = _term(data, errors)  # type: ignore[assignment]
    priorities = _priorities(data.get("priorities"), errors)
    kpis = parse_kpis(data["kpis"], errors) if "kpis" in data else None
    return errors, priorities, kpis


def _int(value: Any) -> int:
    text = str(value).strip()
    return int(text) if text.isdigit() else 0


def _save_record(
    record: Any,
    errors: Errors,
    *,
    actor: User,
    reason: str,
    version: int | None = None,
    parts: Callable[[], None],
) -> None:
    """Every problem at once; else, in one transaction, the record (a new one stamped with `reason`, a change
    refused if someone saved it since `version`) and then its `parts` (members, lots, KPIs)."""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if version is None:
            stamp(record, actor=actor, reason=reason)
            record.save()
        else:
            save_versioned(record, expected_version=version, actor=actor, reason=reason)
        parts()


def create_contract(*, actor: User, data: dict[str, Any]) -> Contract:
    require(actor, "funding.manage")
    contract = Contract()
    errors, priorities, kpis = _apply_contract(contract, data)

    def parts() -> None:
        contract.priorities.set(priorities)
        _save_kpis({"contract": contract}, [], kpis or [], actor)

    _save_record(contract, errors, actor=actor, reason="Contract recorded", parts=parts)
    return contract


def update_contract(
    *, actor: User, contract: Contract, expected_version: int, data: dict[str, Any]
) -> Contract:
    require(actor, "funding.manage")
    errors, priorities, kpis = _apply_contract(contract, data)

    def parts() -> None:
        contract.priorities.set(priorities)
        if kpis is not None:
            _save_kpis({"contract": contract}, list(contract.kpis.all()), kpis, actor)

    _save_record(contract, errors, actor=actor, reason="Edited", version=expected_version, parts=parts)
    return contract


# --- commissioning boards ---------------------------------------------------------------------------


def _apply_board(board: CommissioningBoard, data: dict[str, Any]) -> tuple[Errors, list[Organisation]]:
    errors: Errors = {}
    _unexpected(data, {"name", "description", "members"}, errors)
    board.name = read_text(data, "name", errors, label="the board's name", required=True)
    if (
        board.name
        and CommissioningBoard.objects.filter(name__iexact=board.name).exclude(pk=board.pk).exists()
    ):
        add_error(errors, "name", f"There is already a board called {board.name}.")
    board.description = read_text(data, "description", errors)
    members = []
    for item in data.get("members") or []:
        found = read_organisation(item, errors, "members", label="member organisations")
        if found is not None:
            members.append(found)
    if not members:
        add_error(errors, "members", "Choose at least one member organisation.")
    return errors, members


def create_board(*, actor: User, data: dict[str, Any]) -> CommissioningBoard:
    require(actor, "funding.manage")
    board = CommissioningBoard()
    errors, members = _apply_board(board, data)
    _save_record(board, errors, actor=actor, reason="Board set up", parts=lambda: board.members.set(members))
    return board


def update_board(
    *, actor: User, board: CommissioningBoard, expected_version: int, data: dict[str, Any]
) -> CommissioningBoard:
    require(actor, "funding.manage")
    errors, members = _apply_board(board, data)

    def parts() -> None:
        board.members.set(members)

    _save_record(board, errors, actor=actor, reason="Edited", version=expected_version, parts=parts)
    return board


def record_contribution(
    *, actor: User, board: CommissioningBoard, data: dict[str, Any]
) -> PooledContribution:
    """Set one member organisation's contribution to the pooled budget for one financial year."""
    require(actor, "funding.manage")
    errors: Errors = {}
    _unexpected(data, {"organisation", "year", "amount"}, errors)
    organisation = read_organisation(data.get("organisation"), errors, "organisation", required=True)
    if organisation is not None and not board.members.filter(pk=organisation.pk).exists():
        add_error(errors, "organisation", f"{organisation.name} is not a member of {board.name}.")
    year = _year(data.get("year"), errors)
    amount = read_money(data, "amount", errors, label="the contribution")
    if errors:
        raise ValidationError(errors)
    assert year is not None and amount is not None
    with transaction.atomic():
        contribution = PooledContribution.objects.filter(
            board=board, organisation=organisation, year=year
        ).first() or PooledContribution(board=board, organisation=organisation, year=year)
        contribution.amount = amount
        stamp(contribution, actor=actor, reason="Contribution recorded")
        contribution.save()
    return contribution


# --- frameworks -------------------------------------------------------------------------------------


def _apply_framework(
    framework: Framework, data: dict[str, Any]
) -> tuple[Errors, list[dict[str, Any]] | None]:
    errors: Errors = {}
    _unexpected(data, {"reference", "name", "lead", "starts_on", "ends_on", "description", "lots"}, errors)
    framework.reference = _reference(
        data, errors, framework, label="the framework reference", noun="framework"
    )
    framework.name = read_text(data, "name", errors, label="the framework's name", required=True)
    framework.description = read_text(data, "description", errors)
    framework.lead = read_organisation(data.get("lead"), errors, "lead", required=True, label="the lead OPCC")
    framework.starts_on, framework.ends_on = _term(data, errors)  # type: ignore[assignment]
    lots = None
    if "lots" in data:
        lots = []
        raw = data["lots"]
        if isinstance(raw, str):
            raw = [
                dict(zip(("number", "title", "supplier"), [p.strip() for p in line.split("|")], strict=False))
                for line in raw.splitlines()
                if line.strip()
            ]
        numbers: set[int] = set()
        for entry in raw or []:
            entry = entry if isinstance(entry, dict) else dict(entry.__dict__)
            number = _int(entry.get("number"))
            title = str(entry.get("title") or "").strip()
            supplier = read_organisation(
                entry.get("supplier"), errors, "lots", required=True, label=f"lot {number}'s supplier"
            )
            if number < 1:
                add_error(errors, "lots", "Number every lot 1, 2, 3 …")
            elif number in numbers:
                add_error(errors, "lots", f"Lot {number} is listed twice.")
            if not title:
                add_error(errors, "lots", f"Give lot {number or '?'} a title.")
            numbers.add(number)
            lots.append({"number": number, "title": title, "supplier": supplier})
        if not lots:
            add_error(
                errors, "lots", "A framework needs at least one lot, as 'number | title | supplier id'."
            )
    return errors, lots


def _save_lots(framework: Framework, lots: list[dict[str, Any]], actor: User) -> None:
    existing = {lot.number: lot for lot in framework.lots.all()}
    for item in lots:
        lot = existing.pop(item["number"], None) or FrameworkLot(framework=framework, number=item["number"])
        if lot.pk is None or lot.title != item["title"] or lot.supplier_id != item["supplier"].pk:
            lot.title, lot.supplier = item["title"], item["supplier"]
            stamp(lot, actor=actor, reason="Lot set")
            lot.save()
    for stale in existing.values():
        if stale.call_offs.exists():
            raise ValidationError({"lots": [f"Lot {stale.number} has call-offs and cannot be removed."]})
        stamp(stale, actor=actor, reason="Lot removed")
        stale.delete()


def create_framework(*, actor: User, data: dict[str, Any]) -> Framework:
    require(actor, "funding.manage")
    framework = Framework()
    data = {"lots": [], **data}
    errors, lots = _apply_framework(framework, data)

    def parts() -> None:
        _save_lots(framework, lots or [], actor)

    _save_record(framework, errors, actor=actor, reason="Framework recorded", parts=parts)
    return framework


def update_framework(
    *, actor: User, framework: Framework, expected_version: int, data: dict[str, Any]
) -> Framework:
    require(actor, "funding.manage")
    errors, lots = _apply_framework(framework, data)

    def parts() -> None:
        if lots is not None:
            _save_lots(framework, lots, actor)

    _save_record(framework, errors, actor=actor, reason="Edited", version=expected_version, parts=parts)
    return framework


def record_call_off(*, actor: User, lot: FrameworkLot, data: dict[str, Any]) -> CallOff:
    """Another OPCC or partner calls off a lot: who, reference, value and term, and the KPIs it monitors."""
    require(actor, "funding.manage")
    errors: Errors = {}
    _unexpected(data, {"organisation", "reference", "value", "starts_on", "ends_on", "kpis"}, errors)
    organisation = read_organisation(data.get("organisation"), errors, "organisation", required=True)
    reference = _reference(data, errors, CallOff(), label="the call-off reference", noun="call-off")
    value = read_money(data, "value", errors, label="the call-off value")
    starts_on, ends_on = _term(data, errors)
    framework = lot.framework
    if starts_on and ends_on and (starts_on < framework.starts_on or starts_on > framework.ends_on):
        add_error(
            errors,
            "starts_on",
            f"A call-off must start while the framework runs ({framework.starts_on:%-d %B %Y} to "
            f"{framework.ends_on:%-d %B %Y}).",
        )
    kpis = parse_kpis(data.get("kpis") or [], errors)
    if errors:
        raise ValidationError(errors)
    assert value is not None and starts_on is not None and ends_on is not None
    with transaction.atomic():
        call_off = CallOff(
            lot=lot,
            organisation=organisation,
            reference=reference,
            value=value,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        stamp(call_off, actor=actor, reason="Call-off recorded")
        call_off.save()
        _save_kpis({"call_off": call_off}, [], kpis, actor)
    return call_off


# --- performance returns ----------------------------------------------------------------------------


def record_performance(*, actor: User, kpis: list[Kpi], data: dict[str, Any]) -> list[PerformanceReturn]:
    """One period's actuals for the KPIs of one contract or call-off: `actual_<kpi id>` per KPI, with
    `period_start`, `period_end` and an optional `note`. A KPI left blank is not reported this period;
    reporting a period again replaces its figures."""
    require(actor, "funding.manage")
    errors: Errors = {}
    period_start, period_end = _term(data, errors, "period_start", "period_end")
    note = read_text(data, "note", errors)
    actuals: list[tuple[Kpi, Decimal]] = []
    for kpi in kpis:
        raw = data.get(f"actual_{kpi.pk}")
        if raw is None or str(raw).strip() == "":
            continue
        value = parse_money(raw)
        if value is None:
            add_error(
                errors,
                f"actual_{kpi.pk}",
                f"Enter the actual for '{kpi.name}' as a number, for example 87.5.",
            )
            continue
        actuals.append((kpi, value))
    if not actuals and not any(f"actual_{kpi.pk}" in errors for kpi in kpis):
        add_error(errors, "__all__", "Enter the actual for at least one KPI.")
    if errors:
        raise ValidationError(errors)
    assert period_start is not None and period_end is not None
    saved = []
    with transaction.atomic():
        for kpi, value in actuals:
            performance = PerformanceReturn.objects.filter(
                kpi=kpi, period_start=period_start
            ).first() or PerformanceReturn(kpi=kpi, period_start=period_start)
            performance.period_end = period_end
            performance.actual = value
            performance.note = note
            stamp(performance, actor=actor, reason="Performance reported")
            performance.save()
            saved.append(performance)
    return saved
