"""The CSP statutory duties, defined in code (Crime and Disorder Act 1998 and regulations; seed 002 para 4, 10).

Each duty falls due once a financial year (April to March). `due_month`/`due_day` place the default due
date within the year starting `year`: months 4-12 fall in `year`, months 1-3 in `year + 1`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models


class Duty(models.TextChoices):
    STRATEGY_GROUP = "strategy_group", "Strategy group directing the partnership"
    ENGAGEMENT = "engagement", "Community engagement and consultation"
    INFORMATION_SHARING = (
        "information_sharing",
        "Information-sharing protocol, with a designated liaison officer in each responsible authority",
    )
    STRATEGIC_ASSESSMENT = "strategic_assessment", "Annual strategic assessment"
    PARTNERSHIP_PLAN = "partnership_plan", "Partnership plan and monitoring of its progress"
    REOFFENDING = "reoffending", "Strategy to reduce reoffending"
    DHR = "dhr", "Domestic homicide reviews"
    FACE_THE_PUBLIC = "face_the_public", "At least one face-the-public meeting"


@dataclass(frozen=True)
class StatutoryDuty:
    duty: Duty
    description: str
    due_month: int
    due_day: int
    sign_off_required: bool = False

    @property
    def label(self) -> str:
        return str(self.duty.label)

    def due_date(self, year: int) -> datetime.date:
        return datetime.date(year if self.due_month >= 4 else year + 1, self.due_month, self.due_day)


STATUTORY_DUTIES: tuple[StatutoryDuty, ...] = (
    StatutoryDuty(
        Duty.STRATEGY_GROUP, "A strategy group meets to direct the work of the partnership.", 6, 30
    ),
    StatutoryDuty(
        Duty.ENGAGEMENT,
        "Engage and consult the community about its priorities and progress in achieving them.",
        12,
        31,
    ),
    StatutoryDuty(
        Duty.INFORMATION_SHARING,
        "An information-sharing protocol is in place, with a designated liaison officer in each "
        "responsible authority.",
        9,
        30,
        sign_off_required=True,
    ),
    StatutoryDuty(
        Duty.STRATEGIC_ASSESSMENT,
        "The strategy group commissions an annual audit of crime and disorder, substance misuse and "
        "reoffending that identifies the partnership's priorities.",
        1,
        31,
        sign_off_required=True,
    ),
    StatutoryDuty(
        Duty.PARTNERSHIP_PLAN,
        "A partnership plan sets out the priorities, and its progress is monitored.",
        3,
        31,
        sign_off_required=True,
    ),
    StatutoryDuty(Duty.REOFFENDING, "A strategy to reduce reoffending.", 3, 31, sign_off_required=True),
    StatutoryDuty(
        Duty.DHR,
        "Every domestic homicide notified is considered, and reviews are commissioned where the criteria are met.",
        3,
        31,
    ),
    StatutoryDuty(Duty.FACE_THE_PUBLIC, "The partnership holds at least one face-the-public meeting.", 3, 31),
)
DUTIES_BY_KEY: dict[str, StatutoryDuty] = {d.duty.value: d for d in STATUTORY_DUTIES}


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def current_year(today: datetime.date) -> int:
    """The financial year (April to March) containing `today`, by its starting year."""
    return today.year if today.month >= 4 else today.year - 1
