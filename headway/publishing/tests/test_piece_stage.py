"""A stage move made by another app's rules (approvals) goes through the publishing service."""

from __future__ import annotations

import pytest

from headway.activity.models import Event
from headway.conftest import Team
from headway.publishing.models import ContentPiece, Stage
from headway.publishing.services import piece_stage_apply
from headway.publishing.tests.factories import draft

pytestmark = pytest.mark.django_db


def test_moving_a_piece_to_its_own_stage_writes_nothing(team: Team) -> None:
    piece = draft(team)
    mark = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert piece_stage_apply(actor=team.manager, piece=piece, stage=Stage.DRAFTING) == {}
    assert ContentPiece.objects.get(pk=piece.pk).version == piece.version
    assert not Event.objects.filter(pk__gt=mark).exists()
    changes = piece_stage_apply(actor=team.manager, piece=piece, stage=Stage.IN_REVIEW)
    assert changes == {"stage": ["drafting", "in_review"]}
    [event] = Event.objects.filter(pk__gt=mark)
    assert (event.verb, event.changes) == ("updated", changes)
    assert ContentPiece.objects.get(pk=piece.pk).version == piece.version == 2
