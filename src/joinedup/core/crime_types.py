"""The crime types data.police.uk publishes, for every app that names them (insight's store and analysis,
engagement's link from a resident's priority or a consultation's choice to the crime type it is about)."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

# The 14 categories data.police.uk publishes today, and the older names still found in archived files.
# The names are data.police.uk's own, kept in English in the store, exports and links; they are marked
# for the catalogue only so that a public page can name them in the reader's language (crime_type_name).
CRIME_TYPES = (
    gettext_noop("Anti-social behaviour"),
    gettext_noop("Bicycle theft"),
    gettext_noop("Burglary"),
    gettext_noop("Criminal damage and arson"),
    gettext_noop("Drugs"),
    gettext_noop("Other crime"),
    gettext_noop("Other theft"),
    gettext_noop("Possession of weapons"),
    gettext_noop("Public order"),
    gettext_noop("Robbery"),
    gettext_noop("Shoplifting"),
    gettext_noop("Theft from the person"),
    gettext_noop("Vehicle crime"),
    gettext_noop("Violence and sexual offences"),
)
HISTORIC_CRIME_TYPES = (gettext_noop("Violent crime"), gettext_noop("Public disorder and weapons"))
ASB = "Anti-social behaviour"

# An assessment's words for a change (insight.calculation), named on the public area page.
TRENDS = (
    gettext_noop("significant rise"),
    gettext_noop("significant fall"),
    gettext_noop("no significant change"),
    gettext_noop("not comparable"),
)
_NAMED = frozenset((*CRIME_TYPES, *HISTORIC_CRIME_TYPES, *TRENDS))


def crime_type_name(name: str) -> str:
    """A crime type (or a change's trend) as data.police.uk names it, in the active language; any other
    name (a type added after this list was written) as it is."""
    return gettext(name) if name in _NAMED else name
