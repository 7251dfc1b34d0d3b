"""Every write to the editorial pipeline, cadences and calendar feeds."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, diff, event_record, snapshot
from headway.core.bounds import check_date, check_text, within
from headway.core.errors import DomainError, Forbidden
from headway.core.tokens import token_digest
from headway.core.versioning import guarded_update
from headway.planning.models import Campaign, Channel
from headway.planning.services.access import member_user, membership_of, require_planner
from headway.publishing.models import Cadence, CalendarFeed, ContentPiece, Period, PieceKind, Stage
from headway.workspaces import visibility
from headway.workspaces.models import Workspace

PIECE_FIELDS = ["title", "kind", "stage", "channel", "publish_at", "campaign", "owner"]


def _clean(workspace: Workspace, data: dict[str, Any], creating: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "title" in data or creating:
        title = str(data.get("title") or "").strip()
        if not title:
            raise DomainError("Give the piece a title.", field="title")
        out["title"] = within("title", check_text, title, max_length=200)
    if "kind" in data or creating:
        if data.get("kind") not in PieceKind.values:
            raise DomainError("Choose what kind of piece it is.", field="kind")
        out["kind"] = data["kind"]
    if "stage" in data:
        if data["stage"] not in Stage.values:
            raise DomainError(f"{data['stage']!r} is not a stage.", field="stage")
        out["stage"] = data["stage"]
    if "channel" in data or creating:
        channel = Channel.objects.filter(workspace=workspace, pk=data.get("channel") or 0).first()
        if channel is None:
            raise DomainError("Choose a channel of this workspace.", field="channel")
        out["channel"] = channel
    if "campaign" in data:
        campaign = None
        if data["campaign"]:
            campaign = Campaign.objects.filter(workspace=workspace, pk=data["campaign"]).first()
            if campaign is None:
                raise DomainError("No such campaign in this workspace.", field="campaign")
        out["campaign"] = campaign
    if "owner" in data:
        out["owner"] = member_user(workspace, data["owner"], "owner")
    if "publish_at" in data:
        out["publish_at"] = data["publish_at"] or None
        if out["publish_at"] is not None:
            within("publish_at", check_date, out["publish_at"])
    return out


def _check(fields: dict[str, Any], piece: ContentPiece | None) -> None:
    stage = fields.get("stage", piece.stage if piece else Stage.IDEA)
    owner = fields.get("owner", piece.owner if piece else None)
    slot = fields.get("publish_at", piece.publish_at if piece else None)
    if stage != Stage.IDEA and owner is None:
        raise DomainError("A piece past the idea stage has one owner.", field="owner")
    if stage in (Stage.SCHEDULED, Stage.PUBLISHED) and slot is None:
        raise DomainError("A scheduled piece needs a publish slot.", field="publish_at")


@transaction.atomic
def piece_create(*, actor: User, workspace: Workspace, **data: Any) -> ContentPiece:
    """A piece in the editorial pipeline; from "assigned" on it has one owner."""
    if not visibility.can_add_pieces(membership_of(actor, workspace)):
        raise Forbidden("Freelancers and clients cannot add to the editorial pipeline.")
    fields = _clean(workspace, data, creating=True)
    _check(fields, None)
    piece = ContentPiece.objects.create(workspace=workspace, **fields)
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=piece,
        workspace=workspace,
        changes=created_changes(piece, PIECE_FIELDS),
    )
    return piece


@transaction.atomic
def piece_update(*, actor: User, piece: ContentPiece, version: int, **data: Any) -> ContentPiece:
    """Edits a piece, or moves its slot; a piece changed meanwhile is not overwritten."""
    if not visibility.can_edit_piece(membership_of(actor, piece.workspace), piece):
        raise Forbidden("You can only change pieces you own.")
    fields = _clean(piece.workspace, data, creating=False)
    _check(fields, piece)
    before = snapshot(piece, PIECE_FIELDS)
    guarded_update(piece, fields, expected=version)
    changes = diff(before, snapshot(piece, PIECE_FIELDS))
    if changes:
        event_record(
            actor=actor,
            verb=Verb.UPDATED,
            obj=piece,
            workspace=piece.workspace,
            changes=changes,
        )
    return piece


def piece_stage_apply(
    *, actor: User, piece: ContentPiece, stage: str, record: bool = True
) -> dict[str, list[str]]:
    """Moves a piece to a stage the caller's rules already allow (approvals: a decision puts
    the piece in review, back to drafting or approved), bumping its version so an editor
    holding the older copy is refused. Returns the change; `record=False` leaves the
    activity event to the caller, which records the move once, in its own words."""
    before = piece.stage
    if before == stage:
        return {}
    guarded_update(piece, {"stage": stage}, expected=None)
    changes = {"stage": [before, stage]}
    if record:
        event_record(
            actor=actor, verb=Verb.UPDATED, obj=piece, workspace=piece.workspace, changes=changes
        )
    return changes


@transaction.atomic
def cadence_set(
    *, actor: User, workspace: Workspace, channel: Channel, per_period: int, period: str
) -> Cadence | None:
    """Sets how often a channel should publish; 0 removes the cadence."""
    require_planner(actor, workspace)
    if channel.workspace_id != workspace.pk:
        raise DomainError("That channel belongs to another workspace.", field="channel")
    if period not in Period.values:
        raise DomainError("A cadence is per week or per month.", field="period")
    if per_period < 0 or per_period > 100:
        raise DomainError("Between 0 and 100 pieces per period.", field="per_period")
    if per_period == 0:
        Cadence.objects.filter(workspace=workspace, channel=channel).delete()
        return None
    cadence, _ = Cadence.objects.update_or_create(
        workspace=workspace,
        channel=channel,
        defaults={"per_period": per_period, "period": period},
    )
    event_record(
        actor=actor,
        verb=Verb.UPDATED,
        obj=cadence,
        workspace=workspace,
        changes={"cadence": [None, str(cadence)]},
    )
    return cadence


@transaction.atomic
def feed_create(*, actor: User, workspace: Workspace, personal: bool) -> tuple[CalendarFeed, str]:
    """A secret calendar address; the raw token is shown once and stored as its digest."""
    membership = membership_of(actor, workspace)
    if not personal and not visibility.can_share_workspace_calendar(membership):
        raise Forbidden("Freelancers and clients can subscribe only to their own calendar.")
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        workspace=workspace, user=actor, personal=personal, token_digest=token_digest(raw)
    )
    event_record(actor=actor, verb=Verb.CREATED, obj=feed, workspace=workspace)
    return feed, raw


@transaction.atomic
def feed_revoke(*, actor: User, feed: CalendarFeed) -> CalendarFeed:
    if feed.user_id != actor.pk:
        require_planner(actor, feed.workspace)
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at", "updated_at"])
    event_record(actor=actor, verb=Verb.DELETED, obj=feed, workspace=feed.workspace)
    return feed
