"""Neighbourhood priority setting (PACT-style): public meetings, residents' votes online (confirmed by
email, one per person per meeting) and on paper, the priorities chosen, and "you said, we did".

A voter's email address is never stored: an HMAC of it (keyed by the site's secret) tells whether that
person has already voted in the meeting, and the confirmation link's key is stored as its SHA-256. A vote
counts only once confirmed, and the confirmation is a button (POST), so a mail scanner that follows the
link does not vote for anyone.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from joinedup.core.crime_types import CRIME_TYPES
from joinedup.core.models import AreaLevel
from joinedup.core.models.tokens import hash_token
from joinedup.core.permissions import has_permission, restrict
from joinedup.core.services.errors import NotAllowed
from joinedup.core.services.validation import Errors, add_error, visible_text
from joinedup.core.services.versioning import stamp
from joinedup.core.site import site_url

from .models import MeetingPriority, NeighbourhoodMeeting, PriorityUpdate, PriorityVote
from .services import prepare_run, save_run

MEETING_FIELDS = ("title", "held_on", "place", "minutes", "voting_closes_on", "published")


def voter_hash(email: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


# --- staff ------------------------------------------------------------------------------------------------


def save_meeting(
    *,
    actor: Any,
    data: dict[str, Any],
    meeting: NeighbourhoodMeeting | None = None,
    expected_version: int | None = None,
) -> NeighbourhoodMeeting:
    if not has_permission(actor, "engagement.manage", meeting):
        raise NotAllowed("You may not run this meeting.")
    creating = meeting is None
    target = meeting or NeighbourhoodMeeting()
    errors = prepare_run(
        target,
        actor=actor,
        data=data,
        creating=creating,
        fields=MEETING_FIELDS,
        required=(("title", "Give the meeting a title."), ("place", "Say where it is held.")),
        levels=(AreaLevel.CSP, AreaLevel.LAD, AreaLevel.LSOA),
        place="neighbourhood, district or CSP",
        what="meeting",
    )
    if not target.held_on:
        add_error(errors, "held_on", "Give the date of the meeting.")
    if not target.voting_closes_on:
        add_error(errors, "voting_closes_on", "Give the last day of online voting.")
    if target.published and (creating or not target.priorities.exists()):
        add_error(errors, "published", "Add the priorities people can vote for before publishing it.")
    if errors:
        raise ValidationError(errors)
    save_run(target, actor=actor, creating=creating, expected_version=expected_version)
    return target


def add_priority(*, actor: Any, meeting: NeighbourhoodMeeting, data: dict[str, Any]) -> MeetingPriority:
    if not has_permission(actor, "engagement.manage", meeting):
        raise NotAllowed("You may not change this meeting.")
    errors: Errors = {}
    title = visible_text(str(data.get("title") or ""))
    if not title:
        add_error(errors, "title", "Give the priority a short title.")
    elif len(title) > 200:
        add_error(errors, "title", "Keep the title to 200 characters.")
    elif meeting.priorities.filter(title__iexact=title).exists():
        add_error(errors, "title", f"“{title}” is already one of this meeting's priorities.")
    if meeting.votes.filter(confirmed_at__isnull=False).exists():
        add_error(errors, "__all__", "People have already voted: the choices can no longer change.")
    if errors:
        raise ValidationError(errors)
    last = meeting.priorities.order_by("-order").values_list("order", flat=True).first()
    priority = MeetingPriority(
        meeting=meeting,
        order=(last or 0) + 1,
        title=title,
        description=visible_text(str(data.get("description") or "")),
    )
    stamp(priority, actor=actor, reason="Added")
    priority.save()
    return priority


def record_paper_votes(*, actor: Any, meeting: NeighbourhoodMeeting, counts: dict[int, Any]) -> None:
    """The tally of paper votes at the meeting, for every priority at once (whole numbers, 0 or more)."""
    if not has_permission(actor, "engagement.manage", meeting):
        raise NotAllowed("You may not change this meeting.")
    errors: Errors = {}
    priorities = {p.pk: p for p in meeting.priorities.all()}
    clean: dict[int, int] = {}
    for pk, priority in priorities.items():
        raw = str(counts.get(pk, "") or "0").strip()
        if not raw.isdigit() or int(raw) > 100_000:
            add_error(
                errors, f"paper-{pk}", f"Give the paper votes for “{priority.title}” as a whole number."
            )
        else:
            clean[pk] = int(raw)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for pk, value in clean.items():
            priority = priorities[pk]
            if priority.paper_votes != value:
                priority.paper_votes = value
                stamp(priority, actor=actor, reason="Paper votes tallied")
                priority.save(update_fields=["paper_votes", "updated_at", "updated_by"])


def link_crime_types(*, actor: Any, meeting: NeighbourhoodMeeting, links: dict[int, str]) -> int:
    """Link each priority to the crime type it is about (empty: none), so its votes can feed the strategic
    assessment's community concern. Allowed after voting: it changes nothing residents chose. Returns how
    many links changed."""
    if not has_permission(actor, "engagement.manage", meeting):
        raise NotAllowed("You may not change this meeting.")
    errors: Errors = {}
    priorities = {p.pk: p for p in meeting.priorities.all()}
    for pk, value in links.items():
        if pk in priorities and value and value not in CRIME_TYPES:
            add_error(
                errors, f"crime-{pk}", f"Choose a crime type from the list for “{priorities[pk].title}”."
            )
    if errors:
        raise ValidationError(errors)
    changed = 0
    with transaction.atomic():
        for pk, value in links.items():
            priority = priorities.get(pk)
            if priority is None or priority.crime_type == value:
                continue
            priority.crime_type = value
            stamp(priority, actor=actor, reason="Crime type linked")
            priority.save(update_fields=["crime_type", "updated_at", "updated_by"])
            changed += 1
    return changed


def choose_priorities(*, actor: Any, meeting: NeighbourhoodMeeting, actions: dict[int, str]) -> int:
    """The action plan: the priorities chosen (those given an action) and what the partners will do."""
    if not has_permission(actor, "engagement.manage", meeting):
        raise NotAllowed("You may not change this meeting.")
    if meeting.voting_open():
        raise ValidationError(
            {"__all__": ["Online voting is still open: choose the priorities after it closes."]}
        )
    chosen = {pk: visible_text(text) for pk, text in actions.items() if visible_text(text)}
    if not chosen:
        raise ValidationError({"__all__": ["Say what the partners will do about at least one priority."]})
    with transaction.atomic():
        for priority in meeting.priorities.all():
            action = chosen.get(priority.pk, "")
            priority.chosen, priority.action = bool(action), action
            stamp(priority, actor=actor, reason="Action plan")
            priority.save(update_fields=["chosen", "action", "updated_at", "updated_by"])
    return len(chosen)


def add_update(*, actor: Any, priority: MeetingPriority, text: str) -> PriorityUpdate:
    if not has_permission(actor, "engagement.manage", priority.meeting):
        raise NotAllowed("You may not change this meeting.")
    text = visible_text(text)
    errors: Errors = {}
    if not priority.chosen:
        add_error(errors, "__all__", "Only a chosen priority has updates.")
    if not text:
        add_error(errors, "text", "Say what the partners did.")
    if errors:
        raise ValidationError(errors)
    update = PriorityUpdate(priority=priority, text=text)
    stamp(update, actor=actor, reason="You said, we did")
    update.save()
    return update


# --- reads ------------------------------------------------------------------------------------------------


def meetings(user: Any, *, with_priority_counts: bool = False) -> QuerySet[NeighbourhoodMeeting]:
    """The meetings the person may read, newest first (each with `priority_count` when asked)."""
    found = (
        restrict(NeighbourhoodMeeting.objects.all(), user, "engagement.view")
        .select_related("area", "organisation")
        .order_by("-held_on", "-pk")
    )
    if with_priority_counts:
        found = found.annotate(priority_count=Count("priorities", distinct=True))
    return found


def get_meeting(user: Any, pk: int, action: str = "engagement.view") -> NeighbourhoodMeeting:
    try:
        return (
            restrict(NeighbourhoodMeeting.objects.all(), user, action)
            .select_related("area", "organisation")
            .get(pk=pk)
        )
    except NeighbourhoodMeeting.DoesNotExist:
        raise Http404("Not found") from None


@dataclass
class Tally:
    priority: MeetingPriority
    online: int
    paper: int

    @property
    def total(self) -> int:
        return self.online + self.paper


def tallies(meeting: NeighbourhoodMeeting) -> list[Tally]:
    """Each priority's confirmed online votes and paper votes, most votes first."""
    rows = meeting.priorities.annotate(
        online=Count("votes", filter=Q(votes__confirmed_at__isnull=False))
    ).prefetch_related("updates")
    found = [Tally(p, p.online, p.paper_votes) for p in rows]
    return sorted(found, key=lambda t: (-t.total, t.priority.order))


# --- the public's vote ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingVote:
    vote: PriorityVote
    key: str


def vote_problems(meeting: NeighbourhoodMeeting, data: dict[str, Any]) -> Errors:
    """What is wrong with a vote, in the reader's language (the public meeting page shows it)."""
    errors: Errors = {}
    if not meeting.voting_open():
        closed = formats.date_format(meeting.voting_closes_on, "j F Y")
        add_error(errors, "__all__", _("Online voting closed on %(date)s.") % {"date": closed})
        return errors
    priority = str(data.get("priority") or "")
    if not (priority.isdigit() and meeting.priorities.filter(pk=int(priority)).exists()):
        add_error(errors, "priority", _("Choose the priority you want to vote for."))
    email = str(data.get("email") or "").strip()
    if not email:
        add_error(errors, "email", _("Enter your email address: we send a link to confirm your vote."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            add_error(errors, "email", _("Enter an email address like name@example.com."))
    return errors


def cast_vote(meeting: NeighbourhoodMeeting, data: dict[str, Any], *, language: str = "") -> PendingVote:
    """Record a vote waiting for its confirmation and email the link (nothing is counted yet). The email
    is written in `language` (the language the resident read the page in; the active one when not given):
    the outbox keeps the text as sent."""
    errors = vote_problems(meeting, data)
    if errors:
        raise ValidationError(errors)
    from joinedup.notifications.services import queue_email

    email = str(data["email"]).strip().lower()
    priority = meeting.priorities.get(pk=int(data["priority"]))
    key = secrets.token_urlsafe(24)
    with transaction.atomic(), translation.override(language or translation.get_language()):
        vote = PriorityVote.objects.create(
            meeting=meeting, priority=priority, voter_hash=voter_hash(email), key_hash=hash_token(key)
        )
        names = {"priority": priority.title, "meeting": meeting.title}
        link = f"{site_url()}{reverse('public-engagement:vote-confirm', args=[key])}"
        queue_email(
            to=email,
            subject=_("Confirm your vote: %(meeting)s") % names,
            body=(
                _("You voted for “%(priority)s” as a priority at %(meeting)s.") % names
                + "\n\n"
                + _("Confirm your vote here (it counts only once confirmed, and only one vote per person):")
                + f"\n{link}\n\n"
                + _("If you did not vote, ignore this email: nothing will be counted.")
                + "\n"
            ),
            kind="meeting_vote",
            forget_recipient=True,
        )
    return PendingVote(vote=vote, key=key)


def pending_vote(key: str) -> PriorityVote:
    if not key or len(key) > 100:
        raise Http404("Not found")
    vote = PriorityVote.objects.select_related("meeting", "priority").filter(key_hash=hash_token(key)).first()
    if vote is None or not vote.meeting.published:
        raise Http404("Not found")
    return vote


def confirm_vote(key: str) -> tuple[PriorityVote, str]:
    """Count the vote behind `key`: ("counted" | "already" | "closed" | "other")."""
    vote = pending_vote(key)
    if vote.confirmed_at is not None:
        return vote, "already"
    if not vote.meeting.voting_open():
        return vote, "closed"
    try:
        with transaction.atomic():
            claimed = PriorityVote.objects.filter(pk=vote.pk, confirmed_at__isnull=True).update(
                confirmed_at=timezone.now()
            )
    except IntegrityError:
        return vote, "other"  # this person's vote in this meeting was already counted
    return vote, "counted" if claimed else "already"
