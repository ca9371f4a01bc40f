"""Writes to casework: incident intake (with link suggestions and repeat flags), actions and feedback.

Every function is keyword-only, runs in one transaction and checks permission itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from joinedup.core.models import Area, AreaLevel, Organisation
from joinedup.core.permissions import has_permission
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.postcodes import POSTCODE_RE, KnownPostcodes
from joinedup.core.services.postcodes import normalise as normalise_postcode
from joinedup.core.services.versioning import save_versioned, stamp

from .categories import CATEGORIES
from .models import (
    ActionStatus,
    ActionType,
    Case,
    CaseAction,
    ContactMethod,
    Incident,
    InformantUpdate,
    Person,
    VulnerabilityIndicator,
)
from .rules import case_visibility_q, organisations_seeing_case, visible_case_ids

DEFAULTS: dict[str, Any] = {
    "link_distance_m": 250,  # same place: within this distance ...
    "link_window_days": 28,  # ... and this many days
    "repeat_threshold": 3,  # repeat victim or location: this many reports ...
    "repeat_months": 6,  # ... in this many months
    "risk_assessment_hours": 24,
}

# England and Wales, generously: Isles of Scilly to Berwick, Pembrokeshire to Lowestoft.
ENGLAND_WALES_BOUNDS = {"lat": (49.85, 55.82), "lon": (-6.45, 1.77)}


def config(key: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "JOINEDUP_CASEWORK", {})}[key]


@dataclass
class Suggestion:
    case: Case
    reasons: list[str] = field(default_factory=list)


@dataclass
class IntakeResult:
    incident: Incident
    case: Case
    case_opened: bool
    suggestions: list[Suggestion]


# --- validation --------------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


def _parse_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _person_data(
    raw: Any, prefix: str, errors: dict[str, list[str]], *, required_name: bool
) -> dict[str, Any]:
    raw = dict(raw or {})
    name = str(raw.get("full_name") or raw.get("name") or "").strip()
    dob_raw = raw.get("date_of_birth")
    dob = _parse_date(dob_raw)
    if dob_raw not in (None, "") and dob is None:
        errors.setdefault(f"{prefix}date_of_birth", []).append("Enter a date of birth as YYYY-MM-DD.")
    elif dob is not None and dob > timezone.localdate():
        errors.setdefault(f"{prefix}date_of_birth", []).append("The date of birth cannot be in the future.")
    if required_name and not name:
        errors.setdefault(f"{prefix}name", []).append("Enter the person's name.")
    return {
        "full_name": name,
        "date_of_birth": dob,
        "phone": re.sub(r"[^\d+]", "", str(raw.get("phone") or "")),
        "email": str(raw.get("email") or "").strip().lower(),
        "address": str(raw.get("address") or "").strip(),
    }


def _no_location_message(clean: dict[str, Any], postcodes: KnownPostcodes | None) -> str:
    from joinedup.core.services.postcodes import directory_loaded

    if clean.get("postcode") and (postcodes.loaded if postcodes is not None else directory_loaded()):
        return (
            f"{clean['postcode']} is not in the postcode directory: give coordinates, or the ONS code of the "
            "LSOA (or district) where it happened."
        )
    return "Give coordinates, or the ONS code of the LSOA (or district) where it happened."


class PlaceLookups:
    """Areas by ONS code and LSOAs by coordinates, each looked up once: a file's rows repeat their areas and
    places, and every row is checked twice (before recording anything, and again as it is recorded)."""

    def __init__(self) -> None:
        self._areas: dict[str, Area | None] = {}
        self._lsoas: dict[tuple[float, float], Area | None] = {}

    def area(self, code: str) -> Area | None:
        """The LSOA or district with this ONS code."""
        if code not in self._areas:
            self._areas[code] = _area_with_code(code)
        return self._areas[code]

    def lsoa_at(self, longitude: float, latitude: float) -> Area | None:
        from joinedup.core.boundaries import lsoa_at

        point = (longitude, latitude)
        if point not in self._lsoas:
            self._lsoas[point] = lsoa_at(longitude, latitude)
        return self._lsoas[point]


def _area_with_code(code: str) -> Area | None:
    return Area.objects.filter(code=code, level__in=[AreaLevel.LSOA, AreaLevel.LAD]).first()


def _incident_area(
    data: dict[str, Any],
    clean: dict[str, Any],
    errors: dict[str, list[str]],
    postcodes: KnownPostcodes | None = None,
    places: PlaceLookups | None = None,
) -> Area | None:
    """The incident's LSOA: derived from the coordinates when they fall inside a loaded LSOA boundary
    (whatever code was given with them); otherwise the LSOA or district code given. Coordinates outside
    every loaded boundary need a code. `postcodes`, when given, answers the postcode lookups (a file's
    postcodes looked up at once) instead of a query each; `places` the area and boundary lookups."""
    from joinedup.core.boundaries import lsoa_at

    area_code = str(data.get("area") or "").strip().upper()
    if not area_code:
        given = None
    else:
        given = places.area(area_code) if places is not None else _area_with_code(area_code)
    if area_code and given is None:
        errors["area"] = [f"Unknown area {area_code!r}: give the ONS code of the LSOA or district."]
        return None
    lat, lon = clean.get("latitude"), clean.get("longitude")
    usable = lat is not None and lon is not None and "latitude" not in errors and "longitude" not in errors
    derived = None
    if usable:
        find = places.lsoa_at if places is not None else lsoa_at
        derived = find(float(lon), float(lat))  # type: ignore[arg-type]
    if derived is not None:
        return derived  # the coordinates decide, even over a code given with them (they are more precise)
    if given is None and not usable and clean.get("postcode") and "postcode" not in errors:
        from joinedup.core.services.postcodes import find_postcode

        # With the ONS Postcode Directory imported, the postcode locates it (docs/adr/0026).
        found = (
            postcodes.find(clean["postcode"]) if postcodes is not None else find_postcode(clean["postcode"])
        )
        if found is not None and found.lsoa is not None:
            if found.latitude is not None and clean.get("latitude") is None:
                clean["latitude"], clean["longitude"] = found.latitude, found.longitude
            return found.lsoa
    if given is None:
        errors["area"] = [
            "The coordinates are not inside any LSOA boundary loaded in Joined Up: give the ONS code of the "
            "LSOA (or district) where it happened."
            if usable
            else _no_location_message(clean, postcodes)
        ]
    return given


def validate_incident(
    *,
    actor: Any,
    data: dict[str, Any],
    postcodes: KnownPostcodes | None = None,
    places: PlaceLookups | None = None,
) -> dict[str, Any]:
    """Check an incident report and return it cleaned; raise ValidationError listing every problem.
    `postcodes` (from `look_up_postcodes`) saves a file's rows a postcode query each, `places` (one for the
    whole file) an area and a boundary query each."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}

    org = data.get("reporting_organisation")
    org_id = org.pk if isinstance(org, Organisation) else org
    if org_id in (None, ""):
        errors["reporting_organisation"] = ["Choose the organisation the incident was reported to."]
    elif str(org_id) != str(getattr(actor, "organisation_id", None)):
        errors["reporting_organisation"] = [
            "You can only record incidents reported to your own organisation."
        ]
    else:
        clean["reporting_organisation"] = actor.organisation

    received_at = _parse_datetime(data.get("received_at"))
    if received_at is None:
        errors["received_at"] = ["Enter when the report was received, as a date and time."]
    elif received_at > timezone.now() + timedelta(minutes=5):
        errors["received_at"] = ["The date the report was received cannot be in the future."]
    clean["received_at"] = received_at

    occurred_raw = data.get("occurred_at")
    occurred_at = _parse_datetime(occurred_raw)
    if occurred_raw not in (None, "") and occurred_at is None:
        errors["occurred_at"] = ["Enter when it happened as a date and time, or leave it empty."]
    elif occurred_at is not None and received_at is not None and occurred_at > received_at:
        errors["occurred_at"] = ["It cannot have happened after the report was received."]
    clean["occurred_at"] = occurred_at

    category = str(data.get("category") or "").strip()
    if category not in CATEGORIES:
        errors["category"] = [
            f"Unknown category {category!r}: choose a Home Office ASB type or a data.police.uk crime type."
            if category
            else "Choose a category."
        ]
    clean["category"] = category

    postcode = normalise_postcode(str(data.get("postcode") or ""))
    if postcode and not POSTCODE_RE.match(postcode):
        errors["postcode"] = [f"{data.get('postcode')!r} is not a UK postcode, for example TN13 1HG."]
    clean["postcode"] = postcode
    clean["address"] = str(data.get("address") or "").strip()

    coordinates: dict[str, Decimal | None] = {}
    for key, axis, label in (("latitude", "lat", "Latitude"), ("longitude", "lon", "Longitude")):
        try:
            value = _decimal(data.get(key))
        except ValueError:
            errors[key] = [f"{label} must be a number."]
            continue
        low, high = ENGLAND_WALES_BOUNDS[axis]
        if value is not None and not (low <= value <= high):
            errors[key] = [f"{label} {value} is outside England and Wales."]
        coordinates[key] = value
    both = "latitude" in coordinates and "longitude" in coordinates
    if both and (coordinates["latitude"] is None) != (coordinates["longitude"] is None):
        errors.setdefault("longitude", []).append("Give both latitude and longitude, or neither.")
    clean["latitude"] = coordinates.get("latitude")
    clean["longitude"] = coordinates.get("longitude")
    if not clean["address"] and not postcode and clean["latitude"] is None:
        errors.setdefault("address", []).append("Give an address, a postcode or coordinates.")

    clean["area"] = _incident_area(data, clean, errors, postcodes, places)

    description = str(data.get("description") or "").strip()
    if not description:
        errors["description"] = ["Describe what happened."]
    clean["description"] = description

    anonymous = bool(data.get("informant_anonymous"))
    informant_raw = data.get("informant") or {}
    informant = _person_data(informant_raw, "informant_", errors, required_name=False)
    clean["informant"] = (
        informant if (informant["full_name"] or informant["phone"] or informant["email"]) else None
    )
    if clean["informant"] and not informant["full_name"]:
        errors.setdefault("informant_name", []).append("Enter the informant's name.")
    clean["informant_anonymous"] = anonymous
    preferred = str(data.get("preferred_contact") or "")
    if preferred and preferred not in ContactMethod.values:
        errors["preferred_contact"] = [f"Unknown contact method {preferred!r}."]
    clean["preferred_contact"] = preferred

    indicators = [str(i) for i in (data.get("vulnerability_indicators") or [])]
    unknown = [i for i in indicators if i not in VulnerabilityIndicator.values]
    if unknown:
        errors["vulnerability_indicators"] = [f"Unknown vulnerability indicator: {', '.join(unknown)}."]
    clean["vulnerability_indicators"] = indicators

    clean["perpetrators"] = [
        _person_data(p, "perpetrators_", errors, required_name=True) for p in (data.get("perpetrators") or [])
    ]

    case_id = data.get("case")
    clean["case"] = None
    if case_id not in (None, ""):
        case = Case.objects.filter(pk=case_id, pk__in=visible_case_ids(actor), status="open").first()
        if case is None:
            errors["case"] = ["There is no open case with that id that you may add to."]
        clean["case"] = case
    if errors:
        raise ValidationError(errors)
    return clean


# --- matching ----------------------------------------------------------------------------------------


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _nearby_incidents(
    lat: Decimal, lon: Decimal, since: datetime, until: datetime, metres: float, *, user: Any
) -> list[Incident]:
    """Incidents within `metres` in the window, only on cases `user`'s organisation may see (ADR 0012)."""
    d_lat = metres / 111_000
    d_lon = metres / (111_000 * max(math.cos(math.radians(float(lat))), 0.01))
    candidates = Incident.objects.filter(
        case_visibility_q(user, "case__"),
        received_at__gte=since,
        received_at__lte=until,
        latitude__gte=lat - Decimal(str(d_lat)),
        latitude__lte=lat + Decimal(str(d_lat)),
        longitude__gte=lon - Decimal(str(d_lon)),
        longitude__lte=lon + Decimal(str(d_lon)),
    ).select_related("case")
    return [
        i
        for i in candidates
        if distance_m(float(lat), float(lon), float(i.latitude or 0), float(i.longitude or 0)) <= metres
    ]


def visible_people_q(user: Any) -> Q:
    """People named (as informant or alleged perpetrator) on an incident of a case `user`'s organisation may
    see: the only people intake matching, repeat flags and suggestions ever look at (ADR 0012)."""
    visible_incidents = Incident.objects.filter(case_visibility_q(user, "case__"))
    return Q(Exists(visible_incidents.filter(informant_id=OuterRef("pk")))) | Q(
        Exists(visible_incidents.filter(perpetrators=OuterRef("pk")))
    )


def _same_person(person: dict[str, Any] | None) -> Q | None:
    """People who are the same as `person`: by name and date of birth, phone, or email."""
    if not person:
        return None
    q = Q(pk__in=[])
    if person.get("full_name") and person.get("date_of_birth"):
        q |= Q(full_name__iexact=person["full_name"], date_of_birth=person["date_of_birth"])
    if person.get("phone"):
        q |= Q(phone=person["phone"])
    if person.get("email"):
        q |= Q(email__iexact=person["email"])
    return q


def suggest_links(
    *,
    user: Any,
    received_at: datetime,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    informant: dict[str, Any] | None = None,
    perpetrators: list[dict[str, Any]] | None = None,
    nearby: list[Incident] | None = None,
) -> list[Suggestion]:
    """Open cases the user may see that this report probably belongs to, with the reasons. `nearby`: the
    incidents near it over a window at least as wide as the link window (`_nearby_for_intake`), instead
    of a query."""
    candidates: dict[int, list[str]] = {}

    def add(case_id: int, reason: str) -> None:
        reasons = candidates.setdefault(case_id, [])
        if reason not in reasons:
            reasons.append(reason)

    if latitude is not None and longitude is not None:
        window = timedelta(days=config("link_window_days"))
        metres = config("link_distance_m")
        since, until = _link_window(received_at)
        near = (
            _within(nearby, since, until)
            if nearby is not None
            else _nearby_incidents(latitude, longitude, since, until, metres, user=user)
        )
        for incident in near:
            add(incident.case_id, f"Reported within {metres} m and {window.days} days")
    # Only incidents on cases the user may see, matched only against people the user may see: a record
    # held by another agency is never a suggestion, and its existence is not hinted at.
    on_visible = Incident.objects.filter(case_visibility_q(user, "case__"))
    seen_people = Person.objects.filter(visible_people_q(user))
    same_informant = _same_person(informant)
    if same_informant is not None:
        for case_id in on_visible.filter(informant__in=seen_people.filter(same_informant)).values_list(
            "case_id", flat=True
        ):
            add(case_id, "Same informant or victim")
    for perpetrator in perpetrators or []:
        same = _same_person(perpetrator)
        if same is None:
            continue
        for case_id in on_visible.filter(perpetrators__in=seen_people.filter(same)).values_list(
            "case_id", flat=True
        ):
            add(case_id, "Same alleged perpetrator")
    # Only open cases the user may see; checked for the candidates alone, not every visible case.
    visible = Case.objects.filter(case_visibility_q(user), pk__in=list(candidates), status="open")
    found = {case.pk: Suggestion(case, candidates[case.pk]) for case in visible}
    return sorted(found.values(), key=lambda s: (-len(s.reasons), -s.case.pk))


def _match_keys(data: dict[str, Any]) -> list[str]:
    keys = []
    if data.get("full_name") and data.get("date_of_birth"):
        keys.append(f"name:{str(data['full_name']).lower()}|{data['date_of_birth']}")
    if data.get("phone"):
        keys.append(f"phone:{data['phone']}")
    if data.get("email"):
        keys.append(f"email:{str(data['email']).lower()}")
    return keys


def _lock_match_keys(keys: list[str]) -> None:
    """Serialise intakes naming the same person until the transaction ends, so concurrent reports with the
    same informant make one person, not one each. PostgreSQL: transaction-level advisory locks on a hash
    of each key (in a fixed order, so two intakes cannot deadlock). SQLite writes one transaction at a time
    already."""
    if connection.vendor != "postgresql" or not keys:
        return
    import hashlib

    ids = sorted({int.from_bytes(hashlib.sha256(k.encode()).digest()[:8], "big", signed=True) for k in keys})
    with connection.cursor() as cursor:
        for key in ids:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


class MatchedPeople:
    """The people a file's earlier rows were matched to (or recorded as), by exactly the details the match
    is made on: a file names the same informants row after row. For rows recorded in ONE transaction only
    (the importer's): there the answer cannot change between two rows with the same details (the people
    the organisation may see only grow, by people already found or newer ones, and the first by id is
    kept), and the rows' advisory locks on those details are already held until it ends."""

    def __init__(self) -> None:
        self._people: dict[tuple[Any, ...], Person] = {}

    @staticmethod
    def _key(data: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(data.get(key) for key in ("full_name", "date_of_birth", "phone", "email"))

    def get(self, data: dict[str, Any]) -> Person | None:
        return self._people.get(self._key(data))

    def remember(self, data: dict[str, Any], person: Person) -> None:
        self._people[self._key(data)] = person


def _find_or_create_person(data: dict[str, Any], actor: Any, matched: MatchedPeople | None = None) -> Person:
    """The person the caller means: an existing record only among the people the caller's organisation may
    already see (ADR 0012); otherwise a new record. A record held only by another agency is never reused,
    shown or hinted at: the caller gets a new person, and nothing it did not enter. `matched` answers for
    details an earlier row of the same transaction gave."""
    if matched is not None and (known := matched.get(data)) is not None:
        return known
    person = _match_or_create_person(data, actor)
    if matched is not None:
        matched.remember(data, person)
    return person


def _match_or_create_person(data: dict[str, Any], actor: Any) -> Person:
    same = _same_person(data)
    _lock_match_keys(_match_keys(data))
    existing = (
        Person.objects.filter(same).filter(visible_people_q(actor)).order_by("pk").first()
        if same is not None
        else None
    )
    if existing is not None:
        return existing
    person = Person(**data)
    stamp(person, actor=actor, reason="Recorded at intake")
    person.save()
    return person


def repeat_window(received_at: datetime) -> tuple[datetime, datetime]:
    """The months before a report over which its informant's earlier reports count towards a repeat victim
    (and its place's towards a repeat location), ending with the report."""
    return received_at - timedelta(days=round(30.44 * config("repeat_months"))), received_at


def _link_window(received_at: datetime) -> tuple[datetime, datetime]:
    window = timedelta(days=config("link_window_days"))
    return received_at - window, received_at + window


def _within(incidents: list[Incident], since: datetime, until: datetime) -> list[Incident]:
    return [i for i in incidents if since <= i.received_at <= until]


def _nearby_for_intake(incident: Incident, *, user: Any) -> list[Incident] | None:
    """The incidents near a just-recorded one over both its repeat window and its link window, in one
    query: `_repeat_flags` and `suggest_links` each take their own window of it."""
    if incident.latitude is None or incident.longitude is None:
        return None
    windows = (repeat_window(incident.received_at), _link_window(incident.received_at))
    since, until = min(w[0] for w in windows), max(w[1] for w in windows)
    return _nearby_incidents(
        incident.latitude, incident.longitude, since, until, config("link_distance_m"), user=user
    )


def _repeat_flags(
    incident: Incident,
    informant_data: dict[str, Any] | None,
    *,
    user: Any,
    nearby: list[Incident] | None = None,
) -> tuple[bool, bool]:
    """Repeat victim and repeat location, counted only over incidents `user`'s organisation may see.
    `nearby`: from `_nearby_for_intake`, instead of a query."""
    threshold = config("repeat_threshold")
    since, _until = repeat_window(incident.received_at)
    victim = False
    same = _same_person(informant_data)
    if same is not None:
        victim = (
            Incident.objects.filter(
                case_visibility_q(user, "case__"),
                informant__in=Person.objects.filter(same),
                received_at__gte=since,
                received_at__lte=incident.received_at,
            ).count()
            >= threshold
        )
    location = False
    if incident.latitude is not None and incident.longitude is not None:
        near = (
            _within(nearby, since, incident.received_at)
            if nearby is not None
            else _nearby_incidents(
                incident.latitude,
                incident.longitude,
                since,
                incident.received_at,
                config("link_distance_m"),
                user=user,
            )
        )
        location = len(near) >= threshold
    return victim, location


# --- intake ------------------------------------------------------------------------------------------


def record_incident(
    *,
    actor: Any,
    data: dict[str, Any],
    postcodes: KnownPostcodes | None = None,
    places: PlaceLookups | None = None,
    matched: MatchedPeople | None = None,
) -> IntakeResult:
    """Record an incident, join it to the chosen case (or open a new one), flag repeats and vulnerability.
    `postcodes`, `places` and `matched` are a file's lookups, shared by its rows (see `validate_incident`
    and `MatchedPeople`)."""
    if not has_permission(actor, "casework.incidents.create"):
        raise NotAllowed("You may not record incidents.")
    clean = validate_incident(actor=actor, data=data, postcodes=postcodes, places=places)
    with transaction.atomic():
        case = clean["case"]
        opened = case is None
        if case is None:
            case = Case(area=clean["area"], lead_organisation=clean["reporting_organisation"])
            stamp(case, actor=actor, reason="Opened at intake")
            case.save()
        informant = _find_or_create_person(clean["informant"], actor, matched) if clean["informant"] else None
        incident = Incident(
            case=case,
            informant=informant,
            **{k: v for k, v in clean.items() if k not in ("case", "informant", "perpetrators")},
        )
        stamp(incident, actor=actor, reason="Reported")
        incident.save()
        if clean["perpetrators"]:
            # add, not set: a new incident has nobody to remove (the same signals, so the same history)
            incident.perpetrators.add(
                *[_find_or_create_person(p, actor, matched) for p in clean["perpetrators"]]
            )
        nearby = _nearby_for_intake(incident, user=actor)
        victim, location = _repeat_flags(incident, clean["informant"], user=actor, nearby=nearby)
        vulnerable = bool(clean["vulnerability_indicators"])
        if victim or location:
            Incident.objects.filter(pk=incident.pk).update(repeat_victim=victim, repeat_location=location)
            incident.repeat_victim, incident.repeat_location = victim, location
        changed = False
        for flag, value in (
            ("repeat_victim", victim),
            ("repeat_location", location),
            ("vulnerable", vulnerable),
        ):
            if value and not getattr(case, flag):
                setattr(case, flag, True)
                changed = True
        if case.needs_risk_assessment and case.risk_assessment_due_at is None:
            case.risk_assessment_due_at = timezone.now() + timedelta(hours=config("risk_assessment_hours"))
            changed = True
        if changed and not opened:
            # Joining an open case others are reporting on at the same moment: flag the case as it now is
            # (locked), so a report the client sent without a version is never refused with a conflict.
            current = Case.objects.select_for_update().get(pk=case.pk)
            for flag in ("repeat_victim", "repeat_location", "vulnerable", "risk_assessment_due_at"):
                if getattr(case, flag) and not getattr(current, flag):
                    setattr(current, flag, getattr(case, flag))
            save_versioned(current, expected_version=current.version, actor=actor, reason="Flagged at intake")
            case = current
        elif changed:
            save_versioned(case, expected_version=case.version, actor=actor, reason="Flagged at intake")
    suggestions = [
        s
        for s in suggest_links(
            user=actor,
            received_at=incident.received_at,
            latitude=incident.latitude,
            longitude=incident.longitude,
            informant=clean["informant"],
            perpetrators=clean["perpetrators"],
            nearby=nearby,
        )
        if s.case.pk != case.pk
    ]
    return IntakeResult(incident=incident, case=case, case_opened=opened, suggestions=suggestions)


# --- actions and feedback ----------------------------------------------------------------------------


def _check_case(actor: Any, case: Case) -> None:
    if not has_permission(actor, "casework.cases.work", case):
        raise NotAllowed("You may not work on this case.")


def add_action(*, actor: Any, case: Case, data: dict[str, Any], notify: bool = True) -> CaseAction:
    """Assign an action on the case to an agency that may see it, and tell its owner once committed
    (`notify=False`: nobody is told, for an action recorded after the event, as the casework demo does)."""
    _check_case(actor, case)
    errors: dict[str, list[str]] = {}
    org = data.get("owner_organisation")
    owner = org if isinstance(org, Organisation) else Organisation.objects.filter(pk=org or 0).first()
    if owner is None:
        errors["owner_organisation"] = ["Choose the agency that owns the action."]
    elif owner.pk not in organisations_seeing_case(case):
        # An action never opens a case (ADR 0012): bring another agency in with a recorded disclosure first.
        errors["owner_organisation"] = [
            f"{owner.name} may not see this case, so it cannot own an action on it. If it needs to be "
            "brought in, record a disclosure to it first, with the reason and the lawful basis."
        ]
    action_type = str(data.get("action_type") or "")
    if action_type not in ActionType.values:
        errors["action_type"] = ["Choose an action."]
    due = _parse_date(data.get("due_date"))
    if due is None:
        errors["due_date"] = ["Enter a due date."]
    if errors or due is None:
        raise ValidationError(errors)
    with transaction.atomic():
        action = CaseAction(
            case=case,
            owner_organisation=owner,
            officer=data.get("officer"),
            action_type=action_type,
            description=str(data.get("description") or "").strip(),
            due_date=due,
        )
        stamp(action, actor=actor, reason="Assigned")
        action.save()
        if notify:
            from .notify import action_assigned

            transaction.on_commit(lambda: action_assigned(action))
    return action


def update_action(
    *, actor: Any, action: CaseAction, expected_version: int, data: dict[str, Any]
) -> CaseAction:
    if not has_permission(actor, "casework.actions.change", action):
        raise NotAllowed("You may not change this action.")
    errors: dict[str, list[str]] = {}
    status = str(data.get("status") or action.status)
    if status not in ActionStatus.values:
        errors["status"] = [f"Unknown status {status!r}."]
    if "due_date" in data:
        due = _parse_date(data["due_date"])
        if due is None:
            errors["due_date"] = ["Enter a due date."]
        else:
            action.due_date = due
    if errors:
        raise ValidationError(errors)
    if "description" in data:
        action.description = str(data["description"] or "").strip()
    if status == ActionStatus.COMPLETE and action.status != ActionStatus.COMPLETE:
        action.completed_at = timezone.now()
    elif status != ActionStatus.COMPLETE:
        action.completed_at = None
    action.status = status
    with transaction.atomic():
        save_versioned(action, expected_version=expected_version, actor=actor, reason="Updated")
    return action


def record_informant_update(*, actor: Any, case: Case, data: dict[str, Any]) -> InformantUpdate:
    _check_case(actor, case)
    errors: dict[str, list[str]] = {}
    given_at = _parse_datetime(data.get("given_at")) or timezone.now()
    if given_at > timezone.now() + timedelta(minutes=5):
        errors["given_at"] = ["The update cannot be in the future."]
    method = str(data.get("method") or "")
    if method not in ContactMethod.values:
        errors["method"] = ["Choose how the informant was updated."]
    summary = str(data.get("summary") or "").strip()
    if not summary:
        errors["summary"] = ["Say what the informant was told."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update = InformantUpdate(case=case, given_at=given_at, method=method, given_by=actor, summary=summary)
        stamp(update, actor=actor, reason="Informant updated")
        update.save()
    return update
