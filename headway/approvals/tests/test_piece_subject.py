"""An approval moves a content piece through the publishing service, as any other write."""

from __future__ import annotations

from typing import Any

import pytest

from headway.activity.models import Event
from headway.approvals import services as approval_services
from headway.approvals.services import StepSpec, approval_decide, approval_start, chain_create
from headway.conftest import Team
from headway.core.versioning import StaleEdit
from headway.publishing.models import ContentPiece, Stage
from headway.publishing.services import piece_stage_apply, piece_update
from headway.publishing.tests.factories import draft

pytestmark = pytest.mark.django_db


def test_an_approval_moves_the_piece_with_a_new_version_and_one_event(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a draft the owner has open at its current version
    piece = draft(team)
    opened = piece.version
    chain = chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Founder",
        kind="content_draft",
        steps=[StepSpec("Founder", approvers=[team.owner.pk])],
    )
    moves: list[tuple[str, bool]] = []

    def spy(**kw: Any) -> dict[str, list[str]]:
        moves.append((kw["stage"], kw["record"]))
        return piece_stage_apply(**kw)

    monkeypatch.setattr(approval_services, "piece_stage_apply", spy)
    mark = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # when it is sent for approval and approved
    req = approval_start(actor=team.member, piece=piece, chain=chain)
    approval_decide(actor=team.owner, request=req, verdict="approve")
    # then each move went through the publishing service and bumped the version
    assert moves == [(Stage.IN_REVIEW, False), (Stage.APPROVED, False)]
    after = ContentPiece.objects.get(pk=piece.pk)
    assert (after.stage, after.version) == (Stage.APPROVED, opened + 2)
    # and each is one event on the piece, in the approval's words, with the stage it moved
    events = Event.objects.filter(pk__gt=mark, object_id=str(piece.pk)).order_by("id")
    assert [(e.verb, e.object_type, e.changes["stage"]) for e in events] == [
        ("sent_for_approval", "publishing.contentpiece", ["drafting", "in_review"]),
        ("approved", "publishing.contentpiece", ["in_review", "approved"]),
    ]
    # so an edit from the copy opened before the approval cannot put the stage back
    with pytest.raises(StaleEdit):
        piece_update(actor=team.member, piece=piece, version=opened, stage="drafting")
    assert ContentPiece.objects.get(pk=piece.pk).stage == Stage.APPROVED
