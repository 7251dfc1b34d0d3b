"""Writes for reviews and learnings: open a review at launch, complete it, record learnings,
let a learning change a template. Each records its activity event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, event_record
from headway.core.bounds import LONG_TEXT_MAX_CHARS, check_text, within
from headway.core.errors import DomainError, Forbidden
from headway.planning.models import Campaign, CampaignTemplate, Channel, RoleNeeded
from headway.planning.services.access import membership_of, require_planner
from headway.planning.services.templates import template_step_lengthen
from headway.results.reviews.models import (
    REVIEW_AFTER_DAYS_DEFAULT,
    REVIEW_AFTER_DAYS_MAX,
    Learning,
    Review,
    ReviewSettings,
    ReviewStatus,
    Verdict,
)
from headway.workspaces import visibility
from headway.workspaces.models import Membership, Workspace


def require_team(actor: User, workspace: Workspace) -> Membership:
    """Reviews and learnings are the team's: freelancers and clients may not write them."""
    membership = membership_of(actor, workspace)
    if not visibility.is_internal(membership):
        raise Forbidden("Reviews and learnings are the team's; freelancers and clients see none.")
    return membership


def review_after_days(workspace: Workspace) -> int:
    found = ReviewSettings.objects.filter(workspace=workspace).first()
    return found.review_after_days if found else REVIEW_AFTER_DAYS_DEFAULT


@transaction.atomic
def review_settings_set(*, actor: User, workspace: Workspace, review_after_days: Any) -> int:
    """Sets how many days after a launch its review falls due (for launches from now on)."""
    require_planner(actor, workspace)
    try:
        days = int(review_after_days)
    except (TypeError, ValueError):
        raise DomainError("Give a whole number of days.", field="review_after_days") from None
    if not 1 <= days <= REVIEW_AFTER_DAYS_MAX:
        raise DomainError(
            f"Reviews fall due 1 to {REVIEW_AFTER_DAYS_MAX} days after launch.",
            field="review_after_days",
        )
    found, _ = ReviewSettings.objects.get_or_create(workspace=workspace)
    before = found.review_after_days
    found.review_after_days = days
    found.save(update_fields=["review_after_days", "updated_at"])
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=found,
        workspace=workspace,
        changes={"review_after_days": [before, days]},
    )
    return days


@transaction.atomic
def review_open(*, actor: User | None, campaign: Campaign, launched_on: dt.date) -> Review:
    """The campaign's review, due the workspace's set number of days after it launched;
    launching again keeps the review it has."""
    found = Review.objects.filter(campaign=campaign).first()
    if found is not None:
        return found
    workspace = campaign.workspace
    review = Review.objects.create(
        workspace=workspace,
        campaign=campaign,
        launched_on=launched_on,
        due_date=launched_on + dt.timedelta(days=review_after_days(workspace)),
    )
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=review,
        workspace=workspace,
        changes=created_changes(review, ["campaign", "launched_on", "due_date"]),
    )
    return review


def _answer(field: str, value: Any, question: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise DomainError(f"Answer “{question}”.", field=field)
    return within(field, check_text, text, max_length=LONG_TEXT_MAX_CHARS)


QUESTIONS = {
    "delivered": "Did it deliver what we expected commercially?",
    "learned": "What did we learn about the audience or channel?",
    "differently": "What would we do differently?",
}


ANSWERS_ARE_FOR = (
    "Only owners, admins, managers and the campaign's owner complete or change its review; "
    "you can read the answers."
)


def can_answer(membership: Membership, review: Review) -> bool:
    """Completing a due review and changing a completed one are for those who plan (owners,
    admins, managers) and the campaign's owner; the rest of the team reads the answers."""
    if visibility.can_plan(membership):
        return True
    return visibility.is_internal(membership) and review.campaign.owner_id == membership.user_id


@transaction.atomic
def review_complete(
    *,
    actor: User,
    review: Review,
    verdict: str,
    delivered: str,
    learned: str,
    differently: str,
) -> Review:
    """Completes the review with its three answers; completing it again edits them, noting
    who changed them and when (an edit that changes nothing is not recorded)."""
    membership = require_team(actor, review.workspace)
    if not can_answer(membership, review):
        raise Forbidden(ANSWERS_ARE_FOR)
    if verdict not in Verdict.values:
        raise DomainError(
            "Say whether it delivered: yes, partly or no.", field="verdict", code="invalid"
        )
    answers = {
        "verdict": verdict,
        "delivered": _answer("delivered", delivered, QUESTIONS["delivered"]),
        "learned": _answer("learned", learned, QUESTIONS["learned"]),
        "differently": _answer("differently", differently, QUESTIONS["differently"]),
    }
    # Two people saving at once: the second one reads what the first one stored.
    stored = Review.objects.select_for_update().get(pk=review.pk)
    changed = {
        name: [getattr(stored, name), text]
        for name, text in answers.items()
        if getattr(stored, name) != text
    }
    for name, text in answers.items():
        setattr(review, name, text)
    now = timezone.now()
    if stored.is_completed:
        review.status = stored.status
        review.completed_by_id, review.completed_at = stored.completed_by_id, stored.completed_at
        if not changed:
            return review
        review.edited_by, review.edited_at = actor, now
        changes: dict[str, Any] = {**changed, "edited_by": [stored.edited_by_id, actor.pk]}
    else:
        review.status = ReviewStatus.COMPLETED
        review.completed_by, review.completed_at = actor, now
        changes = {"status": [stored.status, review.status], "verdict": [None, verdict]}
    review.save()
    event_record(
        actor=actor, verb=Verb.UPDATED, obj=review, workspace=review.workspace, changes=changes
    )
    return review


def _tag_channel(workspace: Workspace, channel_id: Any) -> Channel | None:
    if channel_id in (None, ""):
        return None
    found = Channel.objects.filter(workspace=workspace, pk=_id(channel_id, "channel")).first()
    if found is None:
        raise DomainError("No such channel in this workspace.", field="channel")
    return found


def _tag_template(workspace: Workspace, template_id: Any) -> CampaignTemplate | None:
    if template_id in (None, ""):
        return None
    found = CampaignTemplate.objects.filter(
        workspace=workspace, pk=_id(template_id, "template")
    ).first()
    if found is None:
        raise DomainError("No such template in this workspace.", field="template")
    return found


def _id(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"{value!r} is not an id.", field=field) from None
    if not 0 < number < 2**63:
        raise DomainError(f"{value!r} is not an id.", field=field)
    return number


@transaction.atomic
def learning_add(
    *,
    actor: User,
    workspace: Workspace,
    text: str,
    review: Review | None = None,
    channel_id: Any = None,
    template_id: Any = None,
    audience: str = "",
    work_kind: str = "",
) -> Learning:
    """A learning, tagged with what it applies to (channel, audience, template, kind of
    work) so that it is shown where those are chosen."""
    require_team(actor, workspace)
    if review is not None and review.workspace_id != workspace.pk:
        raise DomainError("That review belongs to another workspace.", field="review")
    body = str(text or "").strip()
    if not body:
        raise DomainError("Write what was learned.", field="text")
    if work_kind and work_kind not in RoleNeeded.values:
        raise DomainError(f"{work_kind!r} is not a kind of work.", field="work_kind")
    learning = Learning.objects.create(
        workspace=workspace,
        review=review,
        text=within("text", check_text, body, max_length=LONG_TEXT_MAX_CHARS),
        channel=_tag_channel(workspace, channel_id),
        template=_tag_template(workspace, template_id),
        audience=within("audience", check_text, str(audience or "").strip(), max_length=80),
        work_kind=work_kind or "",
        created_by=actor,
    )
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=learning,
        workspace=workspace,
        changes=created_changes(learning, ["review", "channel", "template", "work_kind"]),
    )
    return learning


@transaction.atomic
def learning_apply_to_template(
    *, actor: User, learning: Learning, step_key: str, days: int
) -> Learning:
    """Changes the learning's template as it teaches (a step takes `days` more working days)
    through the planning template service, and notes the change on the learning."""
    template = learning.template
    if template is None:
        raise DomainError("Tag the learning with a template first.", field="template")
    before, after = template_step_lengthen(
        actor=actor, template=template, step_key=step_key, days=days
    )
    title = next(
        (str(t.get("title", "")) for t in template.spec["tasks"] if t.get("key") == step_key), ""
    )
    learning.applied_change = f"{template.name}: {title} {before:g} → {after:g} days"[:240]
    learning.applied_at = timezone.now()
    learning.save(update_fields=["applied_change", "applied_at", "updated_at"])
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=learning,
        workspace=learning.workspace,
        changes={"applied_change": [None, learning.applied_change]},
    )
    return learning
