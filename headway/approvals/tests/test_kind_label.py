"""The kind of approval work needs is named by its label ("a content draft approval")."""

from __future__ import annotations

import pytest

from headway.approvals.services import StepSpec, chain_create
from headway.conftest import Team, client_for
from headway.planning.models import Task
from headway.planning.services.campaigns import channels_ensure
from headway.planning.tests.factories import chain as plan_chain
from headway.publishing.services import piece_create

pytestmark = pytest.mark.django_db


def _a_chain(team: Team) -> None:
    chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Founder",
        kind="content_draft",
        steps=[StepSpec("Founder", approvers=[team.owner.pk])],
    )


def test_piece_page_names_a_content_draft_approval(team: Team) -> None:
    _a_chain(team)
    channel = channels_ensure(team.workspace)[0]
    piece = piece_create(
        actor=team.manager,
        workspace=team.workspace,
        title="Care guide",
        kind="blog_post",
        channel=channel.pk,
        stage="drafting",
        owner=team.member.pk,
    )
    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/content/{piece.pk}/")
    text = page.content.decode()
    assert "This work needs a content draft approval." in text
    assert "contentdraft" not in text


def test_task_page_names_the_kind_its_template_gave_it(team: Team) -> None:
    _a_chain(team)
    _, tasks = plan_chain(team)
    Task.objects.filter(pk=tasks[0].pk).update(approval_kind="design_asset")
    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/")
    assert "This work needs a design asset approval (from its template)." in page.content.decode()
    # a task without a kind says nothing about one
    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/tasks/{tasks[1].pk}/")
    assert "This work needs a" not in page.content.decode()
