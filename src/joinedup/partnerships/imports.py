"""Importing an existing partnership register from a CSV spreadsheet: every row checked, all or nothing.

The columns are those of `TEMPLATE_HEADER` (download the template from the import page). A row's
problems are reported with its line in the file and its column, every problem in every row at once; if
there is any problem nothing is saved.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import IntegrityError, transaction

from joinedup.core.audit import record_event
from joinedup.core.csvfile import CsvFileError, column_limits, read_csv
from joinedup.core.models import EventType, Organisation, User
from joinedup.core.services.integrity import unique_violation
from joinedup.core.services.validation import apply_fields, collect_model_errors, resolve_areas
from joinedup.core.services.versioning import stamp

from .models import MemberRole, Membership, Partnership, Status
from .services import PARTNERSHIP_FIELDS, Errors, _require

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
LIST_SEPARATOR = ";"

# Plain text columns copied straight onto the partnership (the form's fields but the lead organisation,
# resolved by name, and the demo's "illustrative" flag), then the columns that need resolving.
TEXT_COLUMNS = tuple(name for name in PARTNERSHIP_FIELDS if name not in ("lead_organisation", "illustrative"))
TEMPLATE_HEADER = (*TEXT_COLUMNS[:6], "status", "areas", "lead_organisation", "members", *TEXT_COLUMNS[6:])
REQUIRED_COLUMNS = ("name", "purpose", "legal_basis", "level")

TEMPLATE_EXAMPLE = {
    "name": "Example joint vehicle workshop (illustrative)",
    "purpose": "Maintain police and fire vehicles at one site.",
    "scope_in": "Servicing and repair of police and fire vehicles.",
    "scope_out": "Vehicle purchase.",
    "legal_basis": "contractual",
    "level": "operational",
    "status": "active",
    "areas": "E23000001",
    "lead_organisation": "Example Police",
    "members": "Example Police (lead, 60%); Example Fire and Rescue Service (member, 40%)",
    "governance_body": "Joint estates board",
    "governance_chair": "Chief Finance Officer",
    "meeting_frequency": "Quarterly",
    "decision_rights": "Budget and service levels",
    "accountable_to": "Both partner organisations",
    "exit_triggers": "Either partner gives notice.",
    "exit_steps": "Twelve months' notice; shared assets valued and split by cost share.",
    "exit_cost": "25000.00",
    "review_cadence_months": "12",
    "next_review_date": "2027-04-01",
    "visibility": "public",
    "source": "Illustrative example row: replace it with your own.",
}

COLUMN_HELP = {
    "status": f"One of {', '.join(Status.values)}; empty means proposed.",
    "areas": "ONS codes separated by semicolons.",
    "lead_organisation": "The organisation's name exactly as in the organisation directory.",
    "members": (
        "Semicolon-separated, each 'Organisation name (role, share%)'; role is one of "
        f"{', '.join(MemberRole.values)} (default member); the share is optional, shares must add up to 100."
    ),
    "exit_cost": "Pounds and pence, e.g. 25000.00.",
    "next_review_date": "YYYY-MM-DD.",
}

MEMBER_PATTERN = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<details>[^()]*)\))?$")


@dataclass(frozen=True)
class RowError:
    line: int  # the line of the file (the header is line 1)
    column: str  # the column heading, or "" for the whole row or file
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: list[Partnership] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return (
                f"Nothing was imported: {len(self.errors)} problem{'s' if len(self.errors) != 1 else ''} "
                f"in {self.rows} row{'s' if self.rows != 1 else ''}."
            )
        return f"Imported {len(self.created)} partnership{'s' if len(self.created) != 1 else ''}."


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow([TEMPLATE_EXAMPLE.get(column, "") for column in TEMPLATE_HEADER])
    return out.getvalue()


@dataclass
class _Member:
    organisation: Organisation
    role: str
    share: Decimal | None


@dataclass
class _Row:
    line: int
    partnership: Partnership
    areas: list[Any]
    members: list[_Member]


def _organisations(names: set[str]) -> dict[str, Organisation]:
    wanted = {name.casefold() for name in names}
    return {
        organisation.name.casefold(): organisation
        for organisation in Organisation.objects.all()
        if organisation.name.casefold() in wanted
    }


def _parse_members(value: str, organisations: dict[str, Organisation], add: Any) -> list[_Member]:
    members: list[_Member] = []
    for part in (p.strip() for p in value.split(LIST_SEPARATOR)):
        if not part:
            continue
        match = MEMBER_PATTERN.match(part)
        if match is None:
            add(f"“{part}” is not in the form 'Organisation name (role, share%)'.")
            continue
        name = match.group("name").strip()
        role, share = MemberRole.MEMBER.value, None
        for detail in (d.strip() for d in (match.group("details") or "").split(",") if d.strip()):
            if detail.endswith("%"):
                try:
                    share = Decimal(detail[:-1].strip())
                except InvalidOperation:
                    add(f"{name}: “{detail}” is not a percentage.")
                    continue
                if not Decimal("0") <= share <= Decimal("100") or share != share.quantize(Decimal("0.01")):
                    add(f"{name}: the cost share must be between 0% and 100%, to two decimal places.")
            elif detail.lower() in MemberRole.values:
                role = detail.lower()
            else:
                add(f"{name}: “{detail}” is not a role ({', '.join(MemberRole.values)}) or a share like 40%.")
        organisation = organisations.get(name.casefold())
        if organisation is None:
            add(f"No organisation called “{name}” in the directory: add it first.")
            continue
        if any(m.organisation.pk == organisation.pk for m in members):
            add(f"{name} is listed twice.")
            continue
        members.append(_Member(organisation, role, share))
    shares = [m.share for m in members if m.share is not None]
    if shares and sum(shares, Decimal("0")) != Decimal("100"):
        add(f"Cost shares add up to {sum(shares, Decimal('0')).normalize():f}%: they must add up to 100%.")
    return members


def _names_named(records: list[tuple[int, dict[str, str]]]) -> set[str]:
    """Every organisation name the rows give, as lead or member, to look up in the directory at once."""
    wanted: set[str] = set()
    for _line, record in records:
        if record.get("lead_organisation"):
            wanted.add(record["lead_organisation"])
        for part in record.get("members", "").split(LIST_SEPARATOR):
            match = MEMBER_PATTERN.match(part.strip())
            if match:
                wanted.add(match.group("name").strip())
    return wanted


def import_register(*, actor: User, file: IO[Any] | Any) -> ImportResult:
    """Check every row of a register CSV; if all are valid create every partnership (with its members)
    in one transaction, otherwise create nothing and report every problem by line and column."""
    _require(actor, "partnerships.import")
    result = ImportResult()
    raw = file.read(MAX_BYTES + 1)
    try:
        # Strict (joinedup.core.csvfile): an unclosed quote, a NUL character, a value longer than its
        # column allows, bytes that are not UTF-8 are errors naming the line and column.
        table = read_csv(
            raw if isinstance(raw, str) else bytes(raw),
            file=str(getattr(file, "name", "") or ""),
            limits=column_limits(Partnership, {c: c for c in TEXT_COLUMNS if c != "review_cadence_months"}),
            max_rows=MAX_ROWS,
            max_bytes=MAX_BYTES,
        )
    except CsvFileError as exc:
        result.errors.extend(
            RowError(p.line, p.column, p.message[:1].upper() + p.message[1:]) for p in exc.problems
        )
        return result
    header = table.header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in TEMPLATE_HEADER]
    for column in missing:
        result.errors.append(RowError(1, column, f"The column “{column}” is missing."))
    for column in unknown:
        result.errors.append(RowError(1, column, f"Unknown column “{column}”: use the template's headings."))
    result.errors.extend(
        RowError(p.line, p.column, p.message[:1].upper() + p.message[1:]) for p in table.problems
    )
    if result.errors:
        return result
    records = [(row.line, row.values) for row in table.rows]
    result.rows = len(records)
    if not records:
        result.errors.append(RowError(1, "", "The file has a header but no rows."))
        return result

    organisations = _organisations(_names_named(records))
    existing = {n.casefold() for n in Partnership.objects.values_list("name", flat=True)}
    seen: dict[str, int] = {}
    rows: list[_Row] = []
    for line, record in records:
        if not any(record.values()):
            continue  # a blank line in the spreadsheet
        errors: Errors = {}

        def add(column: str, message: str, errors: Errors = errors) -> None:
            errors.setdefault(column, []).append(message)

        status = record.get("status") or Status.PROPOSED
        if status not in Status.values:
            add("status", f"“{status}” is not a status: use one of {', '.join(Status.values)}.")
        partnership = Partnership(status=status if status in Status.values else Status.PROPOSED)
        data: dict[str, Any] = {c: record[c] for c in TEXT_COLUMNS if c in record}
        if "review_cadence_months" in data and not data["review_cadence_months"]:
            data.pop("review_cadence_months")  # the default, 12
        if "visibility" in data and not data["visibility"]:
            data.pop("visibility")
        apply_fields(partnership, data, PARTNERSHIP_FIELDS, errors)
        areas = resolve_areas([c for c in record.get("areas", "").split(LIST_SEPARATOR) if c.strip()], errors)
        lead_name = record.get("lead_organisation", "")
        if lead_name:
            lead = organisations.get(lead_name.casefold())
            if lead is None:
                add(
                    "lead_organisation",
                    f"No organisation called “{lead_name}” in the directory: add it first.",
                )
            else:
                partnership.lead_organisation = lead
        members = _parse_members(
            record.get("members", ""), organisations, lambda message: add("members", message)
        )
        collect_model_errors(partnership, errors, exclude=("status", "version", "lead_organisation"))
        name_key = partnership.name.casefold()
        if name_key and name_key in existing:
            add("name", f"A partnership called “{partnership.name}” is already on the register.")
        elif name_key in seen:
            add("name", f"“{partnership.name}” is also on line {seen[name_key]}.")
        elif name_key:
            seen[name_key] = line
        for column, messages in errors.items():
            for message in messages:
                result.errors.append(RowError(line, "" if column == "__all__" else column, message))
        rows.append(_Row(line, partnership, areas, members))
    if result.errors:
        return result

    try:
        _save_rows(actor, rows, result)
    except IntegrityError as exc:
        # Another import (or someone on the register page) added one of these names after the rows were
        # checked: the database constraint refused it and the whole file was rolled back.
        if unique_violation(exc) is None:
            raise
        result.created.clear()
        result.errors.append(
            RowError(
                1,
                "name",
                "A partnership with one of these names was added to the register while this file was being "
                "imported, so nothing was imported: import the file again to see which rows it affects.",
            )
        )
    return result


def _save_rows(actor: User, rows: list[_Row], result: ImportResult) -> None:
    """Create every checked row in one transaction (all or nothing)."""
    with transaction.atomic():
        for row in rows:
            stamp(
                row.partnership, actor=actor, reason=f"Imported from a register spreadsheet (line {row.line})"
            )
            row.partnership.save()
            row.partnership.areas.set(row.areas)
            for member in row.members:
                membership = Membership(
                    partnership=row.partnership,
                    organisation=member.organisation,
                    role=member.role,
                    cost_share_percent=member.share,
                )
                stamp(membership, actor=actor, reason="Imported")
                membership.save()
            result.created.append(row.partnership)
        record_event(
            EventType.DATA_IMPORTED,
            actor=actor,
            object_type="partnerships.partnership",
            detail={"what": "partnership register", "created": len(rows)},
        )
