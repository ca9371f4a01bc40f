"""The crime types data.police.uk publishes, for every app that names them (insight's store and analysis,
engagement's link from a resident's priority or a consultation's choice to the crime type it is about)."""

from __future__ import annotations

# The 14 categories data.police.uk publishes today, and the older names still found in archived files.
CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
HISTORIC_CRIME_TYPES = ("Violent crime", "Public disorder and weapons")
ASB = "Anti-social behaviour"
