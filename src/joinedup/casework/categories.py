"""Incident categories: the Home Office ASB types (with sub-categories) and the data.police.uk crime types."""

from __future__ import annotations

ASB_TYPES: dict[str, str] = {
    "personal": "ASB: personal",
    "nuisance": "ASB: nuisance",
    "environmental": "ASB: environmental",
}

# Sub-categories in the style of the National Standard for Incident Recording.
ASB_SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    "personal": ("harassment", "intimidation", "hate", "malicious-communications", "other"),
    "nuisance": (
        "rowdy-behaviour",
        "noise",
        "vehicle-nuisance",
        "street-drinking",
        "drug-related",
        "begging",
        "fireworks",
        "animal-problems",
        "trespass",
        "other",
    ),
    "environmental": ("fly-tipping", "graffiti", "litter", "abandoned-vehicle", "dog-fouling", "other"),
}

# https://data.police.uk/api/crime-categories (less "all-crime" and "anti-social-behaviour").
CRIME_TYPES: dict[str, str] = {
    "bicycle-theft": "Bicycle theft",
    "burglary": "Burglary",
    "criminal-damage-arson": "Criminal damage and arson",
    "drugs": "Drugs",
    "other-theft": "Other theft",
    "possession-of-weapons": "Possession of weapons",
    "public-order": "Public order",
    "robbery": "Robbery",
    "shoplifting": "Shoplifting",
    "theft-from-the-person": "Theft from the person",
    "vehicle-crime": "Vehicle crime",
    "violent-crime": "Violence and sexual offences",
    "other-crime": "Other crime",
}


def _label(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


def category_choices() -> list[tuple[str, str]]:
    """Every category as (code, label): `asb/<type>/<sub>` or `crime/<data.police.uk category>`."""
    choices: list[tuple[str, str]] = []
    for kind, label in ASB_TYPES.items():
        for sub in ASB_SUBCATEGORIES[kind]:
            choices.append((f"asb/{kind}/{sub}", f"{label}: {_label(sub).lower()}"))
    for code, label in CRIME_TYPES.items():
        choices.append((f"crime/{code}", f"Crime: {label.lower()}"))
    return choices


CATEGORIES: dict[str, str] = dict(category_choices())


def is_asb(code: str) -> bool:
    return code.startswith("asb/")
