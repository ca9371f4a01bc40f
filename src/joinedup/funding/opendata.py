"""Awarded grants as 360Giving open data: a data package (JSON) and its flat form (CSV).

Only what an award publishes is included: recipient organisation, title, description, amount, date,
term, fund and programme. Nothing about applicants who were not funded, panel scores or conflicts.

`amountAwarded` is what is awarded now, after any variation. Money reclaimed (clawback) has no field of
its own in the standard: it is reflected in `amountDisbursed` (paid less reclaimed), published when any
payment has been made or any money reclaimed (see docs/adr/0008-funding-variations-clawback-and-spend.md).

Built from plain rows (one query for the grants, one for the funds, one for the payments made), not model
instances, and streamed in pieces: 50,000 grants in a few seconds and bounded memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any

from django.conf import settings
from django.db.models import CharField, Func, QuerySet, Sum
from django.utils import timezone

from .models import Award, Fund, PaymentInstalment, grant_id_prefix

SCHEMA_VERSION = "1.4"
CURRENCY = "GBP"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CHUNK = 2000

CSV_HEADER = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Amount Disbursed",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Last Modified",
]

# The columns read for each grant, in this order (see GrantRow). The dates come from the database
# already written as ISO 8601 text: parsing 50,000 timestamps only to print them again is most of the
# cost of a naive export.
ROW_FIELDS = (
    "pk",
    "title",
    "description",
    "amount",
    "clawed_back",
    "awarded_on_text",
    "ends_on_text",
    "recipient_name",
    "charity_number",
    "company_number",
    "application_id",
    "fund_id",
    "updated_at_text",
)


class IsoDate(Func):
    """A date column as 'YYYY-MM-DD' text, formatted by the database."""

    output_field = CharField()
    template = "to_char(%(expressions)s, 'YYYY-MM-DD')"
    sqlite_template = "strftime('%%Y-%%m-%%d', %(expressions)s)"  # plain text, not a parsed date

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template=self.sqlite_template, **extra_context)


class IsoDateTime(IsoDate):
    """A timestamp (stored in UTC) as 'YYYY-MM-DDTHH:MM:SS+00:00' text, as isoformat(timespec='seconds')."""

    template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"
    sqlite_template = "strftime('%%Y-%%m-%%dT%%H:%%M:%%S+00:00', %(expressions)s)"


@dataclass(frozen=True, slots=True)
class GrantRow:
    pk: int
    title: str
    description: str
    amount: Decimal
    clawed_back: Decimal
    awarded_on: str
    ends_on: str | None
    recipient_name: str
    charity_number: str
    company_number: str
    application_id: int
    fund_id: int
    updated_at: str


def publisher_name() -> str:
    return str(getattr(settings, "JOINEDUP_PUBLISHER_NAME", "Office of the Police and Crime Commissioner"))


def funder_identifier() -> str:
    return str(getattr(settings, "JOINEDUP_FUNDER_ORG_ID", f"{grant_id_prefix()}-funder"))


def recipient_identifier(award: Award | GrantRow, prefix: str | None = None) -> str:
    """Org-id.guide identifiers where a registered number is known; otherwise a local one."""
    if award.charity_number:
        scheme = "GB-SC" if award.charity_number.upper().startswith("SC") else "GB-CHC"
        return f"{scheme}-{award.charity_number}"
    if award.company_number:
        return f"GB-COH-{award.company_number}"
    return f"{prefix or grant_id_prefix()}-recipient-{award.application_id}"


_text = encode_basestring  # a str as a JSON string literal (the C encoder json.dumps itself uses)


def _number(amount: Decimal) -> int | float:
    """A JSON number for an amount in pounds: whole pounds as integers, pence kept to two places."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _number_text(amount: Decimal) -> str:
    """`_number(amount)` as JSON writes it."""
    return str(int(amount)) if amount == amount.to_integral_value() else repr(float(amount))


class Publisher:
    """What every grant shares (publisher, funds, payments made), looked up once per export."""

    def __init__(self, awards: QuerySet[Award]) -> None:
        self.prefix = grant_id_prefix()
        self.funder = {"id": funder_identifier(), "name": publisher_name()}
        self.funds = dict(Fund.objects.values_list("pk", "name"))
        self._fund_json: dict[int, str] = {}
        self.paid: dict[int, Decimal] = dict(
            PaymentInstalment.objects.filter(award__in=awards, paid_on__isnull=False)
            .values("award_id")
            .annotate(total=Sum("amount"))
            .values_list("award_id", "total")
            .order_by()
        )

    def disbursed(self, row: GrantRow) -> Decimal | None:
        paid = self.paid.get(row.pk)
        if paid is None and not row.clawed_back:
            return None
        return max((paid or Decimal("0.00")) - row.clawed_back, Decimal("0.00"))

    def grant(self, row: GrantRow) -> dict[str, Any]:
        recipient: dict[str, Any] = {"id": recipient_identifier(row, self.prefix), "name": row.recipient_name}
        if row.charity_number:
            recipient["charityNumber"] = row.charity_number
        if row.company_number:
            recipient["companyNumber"] = row.company_number
        fund_name = self.funds.get(row.fund_id, "")
        grant: dict[str, Any] = {
            "id": f"{self.prefix}-{row.pk}",
            "title": row.title,
            "description": row.description,
            "currency": CURRENCY,
            "amountAwarded": _number(row.amount),
            "awardDate": row.awarded_on,
            "recipientOrganization": [recipient],
            "fundingOrganization": [{**self.funder, "department": fund_name}],
            "grantProgramme": [{"code": f"fund-{row.fund_id}", "title": fund_name}],
            "dateModified": row.updated_at,
        }
        disbursed = self.disbursed(row)
        if disbursed is not None:
            grant["amountDisbursed"] = _number(disbursed)
        if row.ends_on:
            grant["plannedDates"] = [{"startDate": row.awarded_on, "endDate": row.ends_on}]
        return grant

    def grant_json(self, row: GrantRow) -> str:
        """The same grant as `grant()`, written straight to JSON text: one f-string per grant, the shared
        parts (funder, programme) encoded once per fund, the free text escaped by the json module's own
        C string encoder. Tests check it parses to exactly what `grant()` returns."""
        shared = self._fund_json.get(row.fund_id)
        if shared is None:
            fund_name = self.funds.get(row.fund_id, "")
            shared = self._fund_json[row.fund_id] = (
                '"fundingOrganization": '
                + json.dumps([{**self.funder, "department": fund_name}], ensure_ascii=False)
                + ', "grantProgramme": '
                + json.dumps([{"code": f"fund-{row.fund_id}", "title": fund_name}], ensure_ascii=False)
            )
        recipient = (
            f'"id": {_text(recipient_identifier(row, self.prefix))}, "name": {_text(row.recipient_name)}'
        )
        if row.charity_number:
            recipient += f', "charityNumber": {_text(row.charity_number)}'
        if row.company_number:
            recipient += f', "companyNumber": {_text(row.company_number)}'
        extra = ""
        disbursed = self.disbursed(row)
        if disbursed is not None:
            extra += f', "amountDisbursed": {_number_text(disbursed)}'
        if row.ends_on:
            extra += f', "plannedDates": [{{"startDate": "{row.awarded_on}", "endDate": "{row.ends_on}"}}]'
        return (
            f'{{"id": {_text(f"{self.prefix}-{row.pk}")}, "title": {_text(row.title)}, '
            f'"description": {_text(row.description)}, "currency": "{CURRENCY}", '
            f'"amountAwarded": {_number_text(row.amount)}, "awardDate": "{row.awarded_on}", '
            f'"recipientOrganization": [{{{recipient}}}], {shared}, "dateModified": "{row.updated_at}"{extra}}}'
        )

    def csv_row(self, row: GrantRow) -> list[Any]:
        disbursed = self.disbursed(row)
        return [
            f"{self.prefix}-{row.pk}",
            row.title,
            row.description,
            CURRENCY,
            f"{row.amount:.2f}",
            row.awarded_on,
            f"{disbursed:.2f}" if disbursed is not None else "",
            row.awarded_on if row.ends_on else "",
            row.ends_on or "",
            recipient_identifier(row, self.prefix),
            row.recipient_name,
            row.charity_number,
            row.company_number,
            self.funder["id"],
            self.funder["name"],
            f"fund-{row.fund_id}",
            self.funds.get(row.fund_id, ""),
            row.updated_at,
        ]


def rows(awards: QuerySet[Award]) -> Iterator[GrantRow]:
    """The grants as plain rows, newest first, fetched a chunk at a time."""
    query = (
        awards.annotate(
            awarded_on_text=IsoDate("awarded_on"),
            ends_on_text=IsoDate("ends_on"),
            updated_at_text=IsoDateTime("updated_at"),
        )
        .order_by("-awarded_on", "-pk")
        .values_list(*ROW_FIELDS)
    )
    for values in query.iterator(chunk_size=CHUNK):
        yield GrantRow(*values)


def _header(now: Any) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "title": f"Grants awarded by {publisher_name()}",
        "description": "Grants awarded through Joined Up, published to the 360Giving Data Standard.",
        "identifier": f"{grant_id_prefix()}-grants",
        "issued": now.date().isoformat(),
        "modified": now.isoformat(timespec="seconds"),
        "publisher": {"identifier": funder_identifier(), "name": publisher_name()},
        "license": LICENSE,
    }


def package(awards: QuerySet[Award]) -> dict[str, Any]:
    """The whole data package as one object (tests, small exports)."""
    publisher = Publisher(awards)
    return {**_header(timezone.now()), "grants": [publisher.grant(row) for row in rows(awards)]}


def package_chunks(awards: QuerySet[Award]) -> Iterator[str]:
    """The same package as JSON text, in pieces: the header, then the grants a chunk at a time."""
    publisher = Publisher(awards)
    head = json.dumps(_header(timezone.now()), ensure_ascii=False)
    yield head[:-1] + ', "grants": ['
    batch: list[str] = []
    first = True
    for row in rows(awards):
        batch.append(publisher.grant_json(row))
        if len(batch) == CHUNK:
            yield ("" if first else ", ") + ", ".join(batch)
            first, batch = False, []
    if batch:
        yield ("" if first else ", ") + ", ".join(batch)
    yield "]}"


def csv_rows(awards: QuerySet[Award]) -> Iterable[list[Any]]:
    publisher = Publisher(awards)
    for row in rows(awards):
        yield publisher.csv_row(row)
