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


def test_a_task_whose_kind_has_no_chain_says_so_instead_of_preselecting_another(
    team: Team,
) -> None:
    # given only a content-draft chain and a task that needs a design asset approval
    _a_chain(team)
    _, tasks = plan_chain(team)
    Task.objects.filter(pk=tasks[0].pk).update(approval_kind="design_asset")
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/"
    # then the page says no such chain exists and selects none
    text = client.get(url).content.decode()
    assert "No design asset approval chain exists yet" not in text  # the label is used once
    assert "No design asset chain exists yet" in text
    assert '<option value="" selected disabled>Choose a chain</option>' in text
    # and sending without choosing starts nothing and says what to do
    answer = client.post(f"{url}approval/", {"chain": ""}, follow=True)
    assert "Choose an approval chain." in answer.content.decode()
    assert not tasks[0].approval_requests.exists()
    # when a design-asset chain is added, it is the one selected and nothing is said
    chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Design review",
        kind="design_asset",
        steps=[StepSpec("Founder", approvers=[team.owner.pk])],
    )
    text = client.get(url).content.decode()
    assert "chain exists yet" not in text
    assert "Choose a chain</option>" not in text
    assert "selected>Design review</option>" in text
