"""Decisions the pages and the API share live in services: whether a task edit moves dates
(services.tasks.task_edit_preview) and whether a new campaign is blank or from a template
(services.templates.campaign_start)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest

from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.core.errors import DomainError
from headway.planning.models import Campaign, Task
from headway.planning.selectors import workspace_templates
from headway.planning.services import templates as template_services
from headway.planning.services.tasks import task_edit_preview
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db


def test_an_edit_moves_dates_only_when_the_planned_days_or_the_start_change(team: Team) -> None:
    # given a chain whose first step takes 2 working days
    _, tasks = chain(team)
    first = tasks[0]
    # then a new title or the same 2 days as a three-point estimate's PERT mean move nothing
    assert task_edit_preview(first, {"title": "Renamed", "duration_days": Decimal(2)}) is None
    same_mean = {"optimistic_days": 1, "likely_days": 2, "pessimistic_days": 3}
    assert task_edit_preview(first, same_mean) is None
    # and a longer estimate or a later start moves the steps after it
    longer = task_edit_preview(first, {**same_mean, "pessimistic_days": 9})  # mean 3
    assert longer is not None and [m.task_id for m in longer.moved] == [t.pk for t in tasks[1:]]
    later = task_edit_preview(first, {"not_before": dt.date.today() + dt.timedelta(days=30)})
    assert later is not None and later.moved
    # and a task turned into a milestone gives its days back
    milestone = task_edit_preview(first, {"kind": "milestone", "duration_days": Decimal(2)})
    assert milestone is not None and milestone.moved


def test_the_service_decides_blank_or_from_a_template(team: Team, other_team: Team) -> None:
    launch = dt.date.today() + dt.timedelta(days=60)
    blank = template_services.campaign_start(
        actor=team.manager, workspace=team.workspace, name="Blank", launch_date=launch
    )
    assert blank.template_name == "" and not Task.objects.filter(campaign=blank).exists()
    template = workspace_templates(team.workspace)[0]
    with pytest.raises(DomainError) as caught:
        template_services.campaign_start(
            actor=team.manager, workspace=team.workspace, template_id=template.pk, name="X"
        )
    assert caught.value.field == "launch_date"
    theirs = workspace_templates(other_team.workspace)[0]
    with pytest.raises(DomainError, match="No such template in this workspace"):
        template_services.campaign_start(
            actor=team.manager,
            workspace=team.workspace,
            template_id=theirs.pk,
            name="X",
            launch_date=launch,
        )
    made = template_services.campaign_start(
        actor=team.manager,
        workspace=team.workspace,
        template_id=template.pk,
        name="From it",
        launch_date=launch,
    )
    assert made.template_name == template.name and Task.objects.filter(campaign=made).exists()


def _spy() -> Any:
    return mock.patch.object(
        template_services, "campaign_start", wraps=template_services.campaign_start
    )


def test_the_page_and_the_api_start_a_campaign_through_the_same_service(team: Team) -> None:
    template = workspace_templates(team.workspace)[0]
    launch = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    ws = team.workspace.slug
    # when the page makes one from the template
    with _spy() as spy:
        page = client_for(team.manager).post(
            f"/w/{ws}/campaigns/new/",
            {"mode": "template", "template": template.pk, "name": "By page", "launch_date": launch},
        )
    assert page.status_code == 302
    assert spy.call_count == 1 and spy.call_args.kwargs["template_id"] == template.pk
    # and the API makes one from the same template
    _, token = token_create(actor=team.manager, name="api")
    with _spy() as spy:
        api = client_for(team.manager).post(
            f"/api/v1/workspaces/{ws}/campaigns",
            {"name": "By API", "launch_date": launch, "template_id": template.pk},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert api.status_code == 201, api.content
    assert spy.call_count == 1 and spy.call_args.kwargs["template_id"] == template.pk
    # then both campaigns carry the template's plan
    made = Campaign.objects.filter(workspace=team.workspace, name__in=["By page", "By API"])
    assert {c.template_name for c in made} == {template.name} and made.count() == 2
