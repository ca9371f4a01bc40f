"""The partnership lifecycle as data: which transitions exist, from where, to where, and who may make them.

    proposed → under assessment → approved | declined → active → under review → active | revised | terminated

Services (`services.transition_partnership`) enforce it; rules.py registers one permission rule per
transition so the roles page and the permission matrix list them.
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.core.roles import Role

from .models import Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    description: str

    @property
    def action(self) -> str:
        return f"partnerships.transition.{self.name}"


ADMIN = (Role.OPCC_ADMIN,)
OFFICER = (Role.OPCC_ADMIN, Role.OPCC_OFFICER)  # an OPCC administrator may do whatever an officer may

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            "Submit for assessment",
            (Status.PROPOSED, Status.REVISED),
            Status.UNDER_ASSESSMENT,
            OFFICER,
            "Submit a proposed or revised partnership for business-case assessment.",
        ),
        Transition(
            "approve",
            "Approve",
            (Status.UNDER_ASSESSMENT,),
            Status.APPROVED,
            ADMIN,
            "Approve a partnership whose business-case assessment is complete.",
        ),
        Transition(
            "decline",
            "Decline",
            (Status.UNDER_ASSESSMENT,),
            Status.DECLINED,
            ADMIN,
            "Decline a partnership after its assessment.",
        ),
        Transition(
            "activate",
            "Make active",
            (Status.APPROVED,),
            Status.ACTIVE,
            OFFICER,
            "Record that an approved partnership has started.",
        ),
        Transition(
            "start_review",
            "Start a review",
            (Status.ACTIVE,),
            Status.UNDER_REVIEW,
            OFFICER,
            "Start reviewing the public benefit an active partnership brings.",
        ),
        Transition(
            "continue",
            "Continue unchanged",
            (Status.UNDER_REVIEW,),
            Status.ACTIVE,
            ADMIN,
            "Conclude a review: the partnership continues as it is.",
        ),
        Transition(
            "revise",
            "Revise",
            (Status.UNDER_REVIEW,),
            Status.REVISED,
            ADMIN,
            "Conclude a review: the partnership must be revised and assessed again.",
        ),
        Transition(
            "terminate",
            "Terminate",
            (Status.UNDER_REVIEW,),
            Status.TERMINATED,
            ADMIN,
            "Conclude a review: the partnership ends and its exit strategy is carried out.",
        ),
    )
}

FINAL = (Status.DECLINED, Status.TERMINATED)

# Why a move is refused, where the general sentence would not say enough.
REFUSALS: dict[tuple[str, str], str] = {
    (Status.ACTIVE, Status.TERMINATED): (
        "An active partnership cannot be terminated straight away: start a review first, so the decision "
        "to terminate rests on evidence."
    ),
    (Status.PROPOSED, Status.APPROVED): (
        "A proposed partnership cannot be approved before it has been submitted for assessment."
    ),
    (Status.UNDER_ASSESSMENT, Status.ACTIVE): (
        "A partnership under assessment cannot become active: it must be approved first."
    ),
}


def available_transitions(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]


def refusal(status: str, transition: Transition) -> str:
    """The sentence telling someone why `transition` cannot happen from `status`."""
    if (status, transition.target) in REFUSALS:
        return REFUSALS[(status, transition.target)]
    current = Status(status).label.lower()
    target = Status(transition.target).label.lower()
    article = "An" if current[0] in "aeiou" else "A"
    sentence = f"{article} {current} partnership cannot become {target}."
    if status in FINAL:
        return f"{sentence} It is closed: propose a new partnership instead."
    allowed = [t.label.lower() for t in available_transitions(status)]
    if allowed:
        sentence += f" From {current} it can only: {', '.join(allowed)}."
    return sentence
