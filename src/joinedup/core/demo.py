"""`joinedup demo`: demonstration data for one real force area (Northumbria), idempotent.

What it loads, in one transaction:

* Reference geography. With the published data folder (`lookups/` and `population/`), the real ONS
  import (`joinedup areas import`), skipped when the last import read the same files (same SHA-256).
  Without it, only Northumbria: the force area, its six CSPs and six districts with their real ONS
  codes (from the ONS December 2019 LAD→CSP→PFA lookup), without populations.
* Organisations: the Northumbria responsible authorities and partners (real public bodies, plus one
  fictional housing association marked `illustrative`), and every organisation and board named in
  the source reports (`core/demo_seed_facts.py`).
* One demo account per role (fictional people, @example.org addresses), whose password is the value of
  JOINEDUP_DEMO_PASSWORD.

Running it again changes nothing: a record is saved only when one of its values differs, so no new
history rows appear. Refused when JOINEDUP_ENV=production.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from joinedup.core.audit import record_event
from joinedup.core.demo_seed_facts import SEED_ORGANISATIONS, SeedOrganisation
from joinedup.core.models import (
    Area,
    AreaLevel,
    EventType,
    Organisation,
    ReferenceImport,
    ResponsibleAuthorityType,
    Sector,
    User,
)
from joinedup.core.roles import Role
from joinedup.core.services.versioning import save_versioned, stamp

DEMO_REASON = "Demo data (joinedup demo)"
AREAS_IMPORT_HINT = "joinedup areas import ../shared/data"

# --- reference geography: Northumbria only, real ONS codes -----------------------------------------
# From lookups/lad19_csp19_pfa19_ew.csv (ONS LAD→CSP→PFA, December 2019). In Northumbria each district
# is exactly one CSP of the same name.
NORTHUMBRIA_PFA = ("E23000007", "Northumbria")
# (LAD code, LAD name, CSP code, CSP name)
NORTHUMBRIA_DISTRICTS: tuple[tuple[str, str, str, str], ...] = (
    ("E08000037", "Gateshead", "E22000244", "Gateshead"),
    ("E08000021", "Newcastle upon Tyne", "E22000245", "Newcastle upon Tyne"),
    ("E08000022", "North Tyneside", "E22000246", "North Tyneside"),
    ("E08000023", "South Tyneside", "E22000247", "South Tyneside"),
    ("E08000024", "Sunderland", "E22000248", "Sunderland"),
    ("E06000057", "Northumberland", "E22000358", "Northumberland"),
)
PFA = NORTHUMBRIA_PFA[0]
_LAD = {name: lad for lad, name, _csp, _ in NORTHUMBRIA_DISTRICTS}
_CSP = {name: csp for _lad, name, csp, _ in NORTHUMBRIA_DISTRICTS}
NEWCASTLE_CSP = _CSP["Newcastle upon Tyne"]


def _district(name: str) -> tuple[str, ...]:
    """The district and its CSP: what a council (or a body serving one district) serves."""
    return (_LAD[name], _CSP[name])


TYNE_AND_WEAR = ("Newcastle upon Tyne", "Gateshead", "North Tyneside", "South Tyneside", "Sunderland")

# --- Northumbria organisations ----------------------------------------------------------------------
PUBLIC_BODY_SOURCE = "Public body (demo)"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    sector: str
    description: str
    area_codes: tuple[str, ...]
    responsible_authority: str = ""
    illustrative: bool = False
    source: str = PUBLIC_BODY_SOURCE


_FORCE_AREA = "Newcastle upon Tyne, Gateshead, North Tyneside, South Tyneside, Sunderland and Northumberland"

NORTHUMBRIA_POLICE = "Northumbria Police"
NORTHUMBRIA_OPCC = "Office of the Police and Crime Commissioner for Northumbria"
NEWCASTLE_COUNCIL = "Newcastle City Council"
NORTHUMBRIA_PANEL = "Northumbria Police and Crime Panel"
TYNE_VALLEY_HOMES = "Tyne Valley Homes (illustrative)"

_COUNCILS: tuple[tuple[str, str, str], ...] = (
    (NEWCASTLE_COUNCIL, Sector.LA_METROPOLITAN, "Newcastle upon Tyne"),
    ("Gateshead Council", Sector.LA_METROPOLITAN, "Gateshead"),
    ("North Tyneside Council", Sector.LA_METROPOLITAN, "North Tyneside"),
    ("South Tyneside Council", Sector.LA_METROPOLITAN, "South Tyneside"),
    ("Sunderland City Council", Sector.LA_METROPOLITAN, "Sunderland"),
    ("Northumberland County Council", Sector.LA_UNITARY, "Northumberland"),
)

NORTHUMBRIA_ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        name=NORTHUMBRIA_POLICE,
        sector=Sector.POLICE_FORCE,
        description=f"The police force for the Northumbria force area: {_FORCE_AREA}.",
        area_codes=(PFA,),
        responsible_authority=ResponsibleAuthorityType.POLICE,
    ),
    DemoOrganisation(
        name=NORTHUMBRIA_OPCC,
        sector=Sector.OPCC,
        description=(
            "Supports the Police and Crime Commissioner for Northumbria: the police and crime plan, "
            "commissioning, partnership work with the six Community Safety Partnerships, and the "
            "Commissioner's accountability to the Police and Crime Panel."
        ),
        area_codes=(PFA,),
    ),
    *(
        DemoOrganisation(
            name=name,
            sector=sector,
            description=(
                f"The local authority for {district}; a responsible authority in the {district} "
                "Community Safety Partnership."
            ),
            area_codes=_district(district),
            responsible_authority=ResponsibleAuthorityType.LOCAL_AUTHORITY,
        )
        for name, sector, district in _COUNCILS
    ),
    DemoOrganisation(
        name="Tyne and Wear Fire and Rescue Service",
        sector=Sector.FIRE_RESCUE,
        description=(
            "Fire and rescue service for the five Tyne and Wear districts: Newcastle upon Tyne, Gateshead, "
            "North Tyneside, South Tyneside and Sunderland."
        ),
        area_codes=tuple(code for district in TYNE_AND_WEAR for code in _district(district)),
        responsible_authority=ResponsibleAuthorityType.FIRE_RESCUE,
    ),
    DemoOrganisation(
        name="Northumberland Fire and Rescue Service",
        sector=Sector.FIRE_RESCUE,
        description="Fire and rescue service for Northumberland.",
        area_codes=_district("Northumberland"),
        responsible_authority=ResponsibleAuthorityType.FIRE_RESCUE,
    ),
    DemoOrganisation(
        name="The Probation Service in the North East",
        sector=Sector.PROBATION,
        description=(
            "The North East region of the Probation Service (HM Prison and Probation Service); a "
            "responsible authority in every Community Safety Partnership in Northumbria."
        ),
        area_codes=(PFA,),
        responsible_authority=ResponsibleAuthorityType.PROBATION,
    ),
    DemoOrganisation(
        name="NHS North East and North Cumbria Integrated Care Board",
        sector=Sector.HEALTH_ICB,
        description=(
            "Plans and buys NHS services across the North East and North Cumbria, including the whole "
            "Northumbria force area; the health responsible authority in its Community Safety Partnerships."
        ),
        area_codes=(PFA,),
        responsible_authority=ResponsibleAuthorityType.HEALTH,
    ),
    DemoOrganisation(
        name=NORTHUMBRIA_PANEL,
        sector=Sector.PARTNERSHIP_BODY,
        description=(
            "Councillors from the six councils and independent members who scrutinise the Police and Crime "
            "Commissioner for Northumbria."
        ),
        area_codes=(PFA,),
    ),
    DemoOrganisation(
        name=TYNE_VALLEY_HOMES,
        sector=Sector.VCS_SOCIAL_ENTERPRISE,
        description=(
            "FICTIONAL: an invented housing association, included only to demonstrate how a housing "
            "partner appears in Joined Up. It is not a real organisation and none of its details are facts."
        ),
        area_codes=_district("Newcastle upon Tyne"),
        illustrative=True,
        source="Illustrative (demo): fictional",
    ),
)

# --- demo accounts ----------------------------------------------------------------------------------
# (email, role, organisation name, area code or "" for none). Browser tests sign in as each.
DEMO_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("opcc.admin@example.org", Role.OPCC_ADMIN, NORTHUMBRIA_OPCC, PFA),
    ("opcc.officer@example.org", Role.OPCC_OFFICER, NORTHUMBRIA_OPCC, PFA),
    ("csp.manager@example.org", Role.CSP_MANAGER, NEWCASTLE_COUNCIL, NEWCASTLE_CSP),
    ("analyst@example.org", Role.ANALYST, NORTHUMBRIA_OPCC, PFA),
    ("panel@example.org", Role.PANEL_MEMBER, NORTHUMBRIA_PANEL, PFA),
    ("auditor@example.org", Role.AUDITOR, NORTHUMBRIA_OPCC, PFA),
    ("practitioner.police@example.org", Role.PRACTITIONER, NORTHUMBRIA_POLICE, NEWCASTLE_CSP),
    ("practitioner.council@example.org", Role.PRACTITIONER, NEWCASTLE_COUNCIL, NEWCASTLE_CSP),
    ("practitioner.housing@example.org", Role.PRACTITIONER, TYNE_VALLEY_HOMES, NEWCASTLE_CSP),
)

# Invented people (full name, job title); any likeness to a real person is coincidental.
DEMO_PEOPLE: dict[str, tuple[str, str]] = {
    "opcc.admin@example.org": ("Priya Shah", "Head of Business Services"),
    "opcc.officer@example.org": ("Tom Hughes", "Partnerships and Commissioning Officer"),
    "csp.manager@example.org": ("Grace Okafor", "Community Safety Partnership Manager"),
    "analyst@example.org": ("Daniel Reid", "Senior Crime and Disorder Analyst"),
    "panel@example.org": ("Helen Marsh", "Councillor and Police and Crime Panel member"),
    "auditor@example.org": ("Samuel Brooks", "Internal Auditor"),
    "practitioner.police@example.org": ("Jordan Lee", "Neighbourhood Police Constable"),
    "practitioner.council@example.org": ("Aisha Rahman", "Anti-social Behaviour Officer"),
    "practitioner.housing@example.org": ("Chris Walker", "Tenancy Enforcement Officer"),
}


class DemoRefused(Exception):
    """The demo data cannot or must not be loaded here; the message says why and what to do."""


@dataclass
class DemoSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Per kind ("areas", "organisations", "accounts"): Counter of "created", "updated", "unchanged".
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    areas_status: str = ""
    # (email, role label, organisation name)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.by_kind.setdefault(kind, Counter())[outcome] += n
        setattr(self, outcome, getattr(self, outcome) + n)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        lines = [
            f"Demo data loaded: {self.created} records created, {self.updated} updated, "
            f"{self.unchanged} unchanged.",
            f"Reference geography: {self.areas_status}",
        ]
        for kind in ("areas", "organisations", "accounts"):
            counts = self.by_kind.get(kind)
            if counts:
                lines.append(
                    f"{kind.capitalize()}: {counts['created']} created, {counts['updated']} updated, "
                    f"{counts['unchanged']} unchanged."
                )
        lines.append("")
        lines.append("Demo accounts (password: value of JOINEDUP_DEMO_PASSWORD):")
        width_email = max((len(a[0]) for a in self.accounts), default=5)
        width_role = max((len(a[1]) for a in self.accounts), default=4)
        lines.append(f"  {'Email':<{width_email}}  {'Role':<{width_role}}  Organisation")
        for email, role, organisation in self.accounts:
            lines.append(f"  {email:<{width_email}}  {role:<{width_role}}  {organisation}")
        return lines


# --- loading ----------------------------------------------------------------------------------------


def load_demo(*, shared_data_dir: Path, out: Callable[[str], None]) -> DemoSummary:
    """Load (or bring up to date) the demonstration data; see the module docstring."""
    if settings.JOINEDUP_ENV == "production":
        raise DemoRefused(
            "Refusing to load demo data: JOINEDUP_ENV is 'production'. Demo accounts with a shared, "
            "published password must never exist in a live service."
        )
    password = settings.JOINEDUP_DEMO_PASSWORD
    if not password:
        raise DemoRefused(
            "JOINEDUP_DEMO_PASSWORD is empty: set it to the password the demo accounts should use."
        )

    summary = DemoSummary()
    with transaction.atomic():
        _load_areas(Path(shared_data_dir), summary, out)
        organisations = _load_organisations(summary)
        _load_accounts(organisations, password, summary)
        if summary.changed:
            record_event(
                EventType.DATA_IMPORTED,
                object_type="demo",
                object_repr="Demo data",
                detail={"kind": "demo", "created": summary.created, "updated": summary.updated},
            )
    for line in summary.lines():
        out(line)
    return summary


# --- areas ------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _recorded_file(directory: Path, name: str) -> Path | None:
    """Where a file named in a ReferenceImport is now: a path relative to the folder, or a bare name."""
    for candidate in (directory / name, directory / "lookups" / name, directory / "population" / name):
        if candidate.is_file():
            return candidate
    return None


def _areas_up_to_date(directory: Path) -> ReferenceImport | None:
    """The last finished areas import, if it read exactly the files that are in `directory` now."""
    last = (
        ReferenceImport.objects.filter(kind="areas", finished_at__isnull=False)
        .order_by("-started_at")
        .first()
    )
    if last is None or not last.files:
        return None
    if not Area.objects.filter(code=PFA, level=AreaLevel.PFA).exists():
        return None
    for entry in last.files:
        name, sha = str(entry.get("name", "")), str(entry.get("sha256", ""))
        path = _recorded_file(directory, name) if name else None
        if path is None or _sha256(path) != sha:
            return None
    if AreaLevel.WARD not in (last.counts or {}) and _lookup_has_wards(directory):
        return None  # imported before wards were read from the same files (docs/adr/0036): once more
    return last


def _lookup_has_wards(directory: Path) -> bool:
    """Whether the folder's LSOA lookup has ward columns (WDnnCD) in its header."""
    for path in directory.glob("lookups/lsoa*_ward*_lad*.csv"):
        with path.open("rb") as handle:
            header = handle.readline().decode("utf-8-sig", errors="replace")
        if re.search(r"(^|,)\s*\"?WD\d\dCD\b", header, re.IGNORECASE):
            return True
    return False


def _load_areas(directory: Path, summary: DemoSummary, out: Callable[[str], None]) -> None:
    _load_geography(directory, summary, out)
    if (directory / "boundaries").is_dir() and Area.objects.filter(level=AreaLevel.LSOA).exists():
        from joinedup.core.boundaries import BoundaryImportError, boundaries_up_to_date, import_boundaries

        if not boundaries_up_to_date(directory / "boundaries"):
            try:
                out(import_boundaries(directory / "boundaries", actor_email="joinedup demo").summary())
            except BoundaryImportError as exc:
                raise DemoRefused(f"The LSOA boundaries in {directory} could not be imported: {exc}") from exc


def _load_geography(directory: Path, summary: DemoSummary, out: Callable[[str], None]) -> None:
    if (directory / "lookups").is_dir() and (directory / "population").is_dir():
        last = _areas_up_to_date(directory)
        if last is not None:
            summary.areas_status = (
                f"already imported from these files on {last.started_at:%Y-%m-%d %H:%M}; not imported again."
            )
            return
        from joinedup.core.services.areas_import import AreaImportError, import_areas

        out(f"Importing the reference geography from {directory} (this takes a few seconds)...")
        before = Area.objects.count()
        try:
            result = import_areas(directory, actor_email="joinedup demo")
        except AreaImportError as exc:
            raise DemoRefused(f"The reference geography in {directory} could not be imported: {exc}") from exc
        summary.areas_status = f"imported from {directory}."
        summary.count("areas", "created", Area.objects.count() - before)
        out(result.summary())
        return

    # No published data: only the Northumbria skeleton, with real codes and no populations.
    pfa = _ensure_area(summary, code=PFA, name=NORTHUMBRIA_PFA[1], level=AreaLevel.PFA)
    for lad_code, lad_name, csp_code, csp_name in NORTHUMBRIA_DISTRICTS:
        csp = _ensure_area(summary, code=csp_code, name=csp_name, level=AreaLevel.CSP, parent=pfa, pfa=pfa)
        _ensure_area(summary, code=lad_code, name=lad_name, level=AreaLevel.LAD, parent=csp, csp=csp, pfa=pfa)
    summary.areas_status = (
        f"skipped the full import: no lookups/ and population/ in {directory}. Created only Northumbria "
        "(the force area, its 6 CSPs and 6 districts, without populations). To load every area with "
        f"populations, run: {AREAS_IMPORT_HINT}"
    )


def _ensure_area(summary: DemoSummary, *, code: str, **fields: Any) -> Area:
    """Create a missing area. An existing one is left alone: the ONS import owns reference data."""
    area = Area.objects.filter(code=code).first()
    if area is not None:
        summary.count("areas", "unchanged")
        return area
    area = Area.objects.create(code=code, **fields)
    summary.count("areas", "created")
    return area


# --- organisations ----------------------------------------------------------------------------------


def _normalise(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("&", " and ")).strip().casefold()


def _pfas_by_name() -> dict[str, Area]:
    return {_normalise(area.name): area for area in Area.objects.filter(level=AreaLevel.PFA)}


def _seed_description(seed: SeedOrganisation) -> str:
    description = seed.description
    if seed.members:
        # The partnership register (a later feature) will link members as records; until then, text.
        members = f"Members: {', '.join(seed.members)}."
        description = f"{description}\n\n{members}" if description else members
    return description


def _load_organisations(summary: DemoSummary) -> dict[str, Organisation]:
    loaded: dict[str, Organisation] = {}
    areas_by_code = {area.code: area for area in Area.objects.filter(code__in=_all_demo_area_codes())}
    for demo in NORTHUMBRIA_ORGANISATIONS:
        loaded[demo.name] = _upsert_organisation(
            summary,
            name=demo.name,
            values={
                "sector": demo.sector,
                "description": demo.description,
                "responsible_authority": demo.responsible_authority,
                "illustrative": demo.illustrative,
                "source": demo.source,
            },
            areas=[areas_by_code[code] for code in demo.area_codes if code in areas_by_code],
        )

    pfas = _pfas_by_name()
    for seed in SEED_ORGANISATIONS:
        # The seeds give a police force area by NAME only, so this is the one place a name is matched
        # (case-insensitively, "&" read as "and"). Without the full reference geography nothing matches
        # and the organisation's areas are left as they are.
        pfa = pfas.get(_normalise(seed.pfa_name)) if seed.pfa_name else None
        loaded[seed.name] = _upsert_organisation(
            summary,
            name=seed.name,
            values={
                "sector": seed.sector,
                "description": _seed_description(seed),
                "responsible_authority": seed.responsible_authority,
                "website": seed.website,
                "charity_number": seed.charity_number,
                "compact_signatory": seed.compact_signatory,
                "illustrative": False,
                "source": seed.source,
            },
            areas=[pfa] if pfa is not None else None,
        )
    return loaded


def _all_demo_area_codes() -> set[str]:
    codes = {code for demo in NORTHUMBRIA_ORGANISATIONS for code in demo.area_codes}
    codes.update(code for *_, code in DEMO_ACCOUNTS if code)
    return codes


def _upsert_organisation(
    summary: DemoSummary, *, name: str, values: dict[str, Any], areas: list[Area] | None
) -> Organisation:
    """Create the organisation, or change only the values that differ. `areas=None` leaves areas alone."""
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is None:
        organisation = Organisation(name=name, **values)
        organisation.full_clean(exclude=["created_by", "updated_by"])
        stamp(organisation, actor=None, reason=DEMO_REASON)
        organisation.save()
        if areas:
            organisation.areas.set(areas)
        summary.count("organisations", "created")
        return organisation

    changed = {key: value for key, value in values.items() if getattr(organisation, key) != value}
    if organisation.name != name:
        changed["name"] = name
    areas_differ = areas is not None and {a.pk for a in areas} != set(
        organisation.areas.values_list("pk", flat=True)
    )
    if changed:
        for key, value in changed.items():
            setattr(organisation, key, value)
        organisation.full_clean(exclude=["created_by", "updated_by"])
        save_versioned(organisation, expected_version=organisation.version, actor=None, reason=DEMO_REASON)
    if areas_differ:
        organisation.areas.set(areas or [])
    summary.count("organisations", "updated" if changed or areas_differ else "unchanged")
    return organisation


# --- accounts ---------------------------------------------------------------------------------------


def _load_accounts(organisations: dict[str, Organisation], password: str, summary: DemoSummary) -> None:
    area_codes = [code for *_, code in DEMO_ACCOUNTS if code]
    areas_by_code = {area.code: area for area in Area.objects.filter(code__in=area_codes)}
    for email, role, organisation_name, area_code in DEMO_ACCOUNTS:
        full_name, job_title = DEMO_PEOPLE[email]
        organisation = organisations[organisation_name]
        areas = [areas_by_code[area_code]] if area_code else []
        values: dict[str, Any] = {
            "full_name": full_name,
            "job_title": job_title,
            "organisation_id": organisation.pk,
            "role": role,
            "is_active": True,
            "is_staff": False,
            "is_superuser": False,
        }
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, **values)
            user.set_password(password)
            stamp(user, actor=None, reason=DEMO_REASON)
            user.save()
            user.areas.set(areas)
            summary.count("accounts", "created")
        else:
            changed = {key: value for key, value in values.items() if getattr(user, key) != value}
            password_ok = user.check_password(password)
            if changed or not password_ok:
                for key, value in changed.items():
                    setattr(user, key, value)
                if not password_ok:
                    user.set_password(password)
                stamp(user, actor=None, reason=DEMO_REASON)
                user.save()
            areas_differ = {a.pk for a in areas} != set(user.areas.values_list("pk", flat=True))
            if areas_differ:
                user.areas.set(areas)
            summary.count(
                "accounts", "updated" if changed or areas_differ or not password_ok else "unchanged"
            )
        summary.accounts.append((email, Role(role).label, organisation.name))
