"""The directory of organisations that take part in police and crime partnerships."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from .base import RestrictedQuerySet, TimeStampedModel, VersionedModel


class Sector(models.TextChoices):
    POLICE_FORCE = "police_force", "Police force"
    OPCC = "opcc", "Office of the Police and Crime Commissioner"
    LA_COUNTY = "la_county", "Local authority: county council"
    LA_DISTRICT = "la_district", "Local authority: district council"
    LA_UNITARY = "la_unitary", "Local authority: unitary authority"
    LA_METROPOLITAN = "la_metropolitan", "Local authority: metropolitan borough"
    LA_LONDON_BOROUGH = "la_london_borough", "Local authority: London borough"
    LA_PARISH = "la_parish", "Local authority: parish or town council"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue service"
    PROBATION = "probation", "Probation"
    HEALTH_ICB = "health_icb", "Health: integrated care board"
    HEALTH_NHS_TRUST = "health_nhs_trust", "Health: NHS trust"
    HEALTH_PUBLIC_HEALTH = "health_public_health", "Health: public health"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    CJ_CPS = "cj_cps", "Criminal justice: Crown Prosecution Service"
    CJ_COURTS = "cj_courts", "Criminal justice: courts"
    CJ_PRISONS = "cj_prisons", "Criminal justice: prisons"
    VCS_CHARITY = "vcs_charity", "Voluntary and community sector: charity"
    VCS_SOCIAL_ENTERPRISE = "vcs_social_enterprise", "Voluntary and community sector: social enterprise"
    VCS_COMMUNITY_GROUP = "vcs_community_group", "Voluntary and community sector: community group"
    FAITH = "faith", "Faith organisation"
    BUSINESS = "business", "Business"
    ACADEMIA = "academia", "Academia"
    NATIONAL_BODY = "national_body", "National body"
    PARTNERSHIP_BODY = "partnership_body", "Partnership, board or collaboration"


SECTOR_GROUPS: dict[str, tuple[str, ...]] = {
    "Police and OPCC": ("police_force", "opcc"),
    "Local authority": (
        "la_county",
        "la_district",
        "la_unitary",
        "la_metropolitan",
        "la_london_borough",
        "la_parish",
    ),
    "Fire and rescue": ("fire_rescue",),
    "Probation": ("probation",),
    "Health": ("health_icb", "health_nhs_trust", "health_public_health"),
    "Youth justice": ("youth_justice",),
    "Criminal justice": ("cj_cps", "cj_courts", "cj_prisons"),
    "Voluntary and community sector": ("vcs_charity", "vcs_social_enterprise", "vcs_community_group"),
    "Faith": ("faith",),
    "Business": ("business",),
    "Academia": ("academia",),
    "National body": ("national_body",),
    "Partnerships and boards": ("partnership_body",),
}


def sector_group(sector: str) -> str:
    for group, members in SECTOR_GROUPS.items():
        if sector in members:
            return group
    return ""


class ResponsibleAuthorityType(models.TextChoices):
    """The five CSP responsible authority types (Crime and Disorder Act 1998)."""

    POLICE = "police", "Police"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health"


charity_number_validator = RegexValidator(
    r"^(\d{6,7}(-\d{1,2})?|SC\d{6}|NIC\d{6})$",
    gettext_lazy("Enter a charity number as registered, for example 216250 or SC037605."),
)
company_number_validator = RegexValidator(
    r"^([0-9]{8}|(SC|NI|OC|SO|NC|IP|SP|RS|CE|CS)[0-9]{6})$",
    gettext_lazy("Enter an 8-character company number, for example 00123456 or SC123456."),
)


ORGANISATION_NAME_TAKEN = "An organisation with this name is already in the directory."


class Organisation(TimeStampedModel, VersionedModel):
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=40, choices=Sector.choices, db_index=True)
    description = models.TextField(blank=True)
    areas = models.ManyToManyField("core.Area", blank=True, related_name="organisations")
    responsible_authority = models.CharField(
        "CSP responsible authority type",
        max_length=20,
        choices=ResponsibleAuthorityType.choices,
        blank=True,
        help_text="Leave blank if the organisation is not a CSP responsible authority.",
    )
    charity_number = models.CharField(max_length=12, blank=True, validators=[charity_number_validator])
    company_number = models.CharField(max_length=8, blank=True, validators=[company_number_validator])
    website = models.URLField(blank=True)
    compact_signatory = models.BooleanField("Compact signatory", default=False)
    illustrative = models.BooleanField(
        default=False, help_text="A fictional or illustrative record, not a real organisation's facts."
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where the facts come from.")

    history = HistoricalRecords(m2m_fields=[areas])
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # One organisation per name whatever its case: the directory is searched and matched by name
        # (imports, lead organisations), so "Newcastle City Council" and "newcastle city council" are one.
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_ci_unique",
                violation_error_message=ORGANISATION_NAME_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sector_group(self) -> str:
        return sector_group(self.sector)
