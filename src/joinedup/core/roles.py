"""The staff roles, defined once, each with a plain-English description."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    OPCC_ADMIN = "opcc_admin", "OPCC administrator"
    OPCC_OFFICER = "opcc_officer", "OPCC officer"
    CSP_MANAGER = "csp_manager", "CSP manager"
    PRACTITIONER = "practitioner", "Partner practitioner"
    ANALYST = "analyst", "Analyst"
    PANEL_MEMBER = "panel_member", "Police and Crime Panel member"
    AUDITOR = "auditor", "Auditor (read-only)"


ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.OPCC_ADMIN: (
        "Runs Joined Up for the Office of the Police and Crime Commissioner: manages staff accounts and "
        "roles, approves partnerships and funding decisions, and sees everything in the force area."
    ),
    Role.OPCC_OFFICER: (
        "Policy, partnership and commissioning staff in the OPCC: keep the organisation directory and the "
        "partnership register up to date and prepare decisions for the Commissioner."
    ),
    Role.CSP_MANAGER: (
        "Manages a Community Safety Partnership: edits the records of their own CSP and of organisations "
        "that work only in it, and reads the wider force area."
    ),
    Role.PRACTITIONER: (
        "Works for a partner agency (police, council, housing, health, voluntary sector): reads the directory "
        "and, later, works the cases their organisation is party to."
    ),
    Role.ANALYST: (
        "Analyses crime and anti-social behaviour data for strategic assessments: reads reference data and "
        "the directory, and sees depersonalised data only."
    ),
    Role.PANEL_MEMBER: (
        "A member of the Police and Crime Panel scrutinising the Commissioner: reads CSP and PCC material, "
        "the spend reports, published strategic assessments and casework KPIs (small counts suppressed), and "
        "writes only Panel records."
    ),
    Role.AUDITOR: (
        "Checks how Joined Up is used: reads everything, including the audit event log, and changes nothing."
    ),
}

STAFF_ROLES: tuple[str, ...] = tuple(Role.values)
