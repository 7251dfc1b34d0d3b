"""Values the database cannot hold or the calendar cannot date are refused by the pages with
the reason on the field, and by the services the API shares; nothing is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from headway.approvals.models import ApprovalChain, Decision
from headway.approvals.services import StepSpec, approval_decide, approval_start, chain_create
from headway.conftest import Team, client_for
from headway.core.errors import DomainError
from headway.core.tests.html_forms import form_with
from headway.planning.models import Campaign, Comment, SuccessMetric, Task
from headway.planning.services.campaigns import BRIEF_FIELDS
from headway.planning.services.tasks import comment_add
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(team: Team) -> tuple[Campaign, list[Task]]:
    return chain(team, "Bounds", launch=team.workspace.today() + dt.timedelta(days=60))


def _brief(campaign: Campaign) -> dict[str, Any]:
    campaign.refresh_from_db()
    return {f: getattr(campaign, f) for f in BRIEF_FIELDS} | {"version": campaign.version}


def _edit_brief(client: Client, campaign: Campaign, **changes: str) -> Any:
    url = reverse("planning:campaign-edit", args=[campaign.workspace.slug, campaign.pk])
    data = form_with(client.get(url).content.decode(), "launch_date").post_data()
    return client.post(url, data | {k: [v] for k, v in changes.items()})


def _errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    assert response.status_code == 400, response.status_code
    return dict(response.context[form].errors)


def test_a_budget_too_large_for_its_column_is_refused(team: Team, plan: Any) -> None:
    campaign, _ = plan
    before = _brief(campaign)
    response = _edit_brief(client_for(team.manager), campaign, budget="100000000000000000000")
    assert _errors(response) == {
        "budget": ["Too large: at most 10 digits before the decimal point."]
    }
    assert _brief(campaign) == before


def test_a_launch_in_9999_is_refused_on_its_field(team: Team, plan: Any) -> None:
    campaign, _ = plan
    before = _brief(campaign)
    response = _edit_brief(client_for(team.manager), campaign, launch_date="9999-12-31")
    refused = ["Dates must fall between 1990-01-01 and 2200-12-31."]
    assert _errors(response) == {"launch_date": refused}
    assert _brief(campaign) == before


def test_a_task_start_in_9999_is_refused_on_its_field(team: Team, plan: Any) -> None:
    _, tasks = plan
    url = reverse("planning:task", args=[team.workspace.slug, tasks[0].pk])
    client = client_for(team.manager)
    data = form_with(client.get(url).content.decode(), "not_before").post_data()
    response = client.post(url, data | {"not_before": ["9999-01-01"]})
    assert "not_before" in _errors(response)
    tasks[0].refresh_from_db()
    assert tasks[0].not_before is None


def test_nul_in_a_campaign_name_is_refused(team: Team) -> None:
    url = reverse("planning:campaign-new", args=[team.workspace.slug])
    data = {"mode": "blank", "name": "Spring\x00sale", "currency": "USD"}
    response = client_for(team.manager).post(url, data)
    assert _errors(response, "blank_form") == {
        "name": ["Text may not contain NUL (\\x00) characters."]
    }
    assert not Campaign.objects.filter(workspace=team.workspace).exists()


def test_a_metric_target_over_fourteen_digits_is_refused(team: Team, plan: Any) -> None:
    campaign, _ = plan
    url = reverse("planning:metric-add", args=[team.workspace.slug, campaign.pk])
    data = {"metric_name": "Leads", "comparison": "at_least", "target": "1000000000000000"}
    response = client_for(team.manager).post(url, data)
    errors = _errors(response, "metric_form")
    assert list(errors) == ["target"] and "at most 12 digits" in errors["target"][0]
    assert not SuccessMetric.objects.filter(campaign=campaign).exists()
    assert 'id="metric_target"' in response.content.decode()


def test_a_comment_over_five_thousand_characters_is_refused_not_cut(team: Team, plan: Any) -> None:
    _, tasks = plan
    url = reverse("planning:comment-add", args=[team.workspace.slug, tasks[0].pk])
    body = "word " * 1200
    response = client_for(team.manager).post(url, {"body": body})
    errors = _errors(response, "comment_form")
    assert errors == {"body": ["At most 5,000 characters are allowed; this has 5,999."]}
    assert not Comment.objects.filter(task=tasks[0]).exists()
    # what was typed comes back in the box
    assert body.strip() in response.content.decode()


def test_a_comment_at_the_limit_is_kept_whole(team: Team, plan: Any) -> None:
    _, tasks = plan
    url = reverse("planning:comment-add", args=[team.workspace.slug, tasks[0].pk])
    body = "x" * 5000
    response = client_for(team.manager).post(url, {"body": body})
    assert response.status_code == 302
    assert response["Location"] == f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/#comments"
    assert Comment.objects.get(task=tasks[0]).body == body


def _chain_post(**changes: str) -> dict[str, str]:
    data = {
        "name": "Legal review",
        "kind": "legal",
        "round_cap": "3",
        "remind_before_hours": "4",
        "escalate": "on",
        "step-TOTAL_FORMS": "1",
        "step-INITIAL_FORMS": "0",
        "step-0-name": "Legal",
        "step-0-approver_role": "admin",
        "step-0-limit": "2",
        "step-0-limit_unit": "days",
        "step-0-mode": "any",
    }
    return data | changes


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("round_cap", "-1", "Ensure this value is greater than or equal to 1."),
        ("round_cap", "0", "Ensure this value is greater than or equal to 1."),
        ("remind_before_hours", "-4", "Ensure this value is greater than or equal to 0."),
        ("round_cap", "99999999999999999999999", "Ensure this value is less than or equal to 50."),
    ],
)
def test_chain_caps_out_of_range_are_refused_not_clamped(
    team: Team, field: str, value: str, message: str
) -> None:
    url = reverse("approvals:chain-new", args=[team.workspace.slug])
    response = client_for(team.manager).post(url, _chain_post(**{field: value}))
    assert message in _errors(response)[field]
    assert not ApprovalChain.objects.filter(workspace=team.workspace).exists()


def test_a_step_limit_of_a_million_days_is_refused(team: Team) -> None:
    url = reverse("approvals:chain-new", args=[team.workspace.slug])
    response = client_for(team.manager).post(url, _chain_post(**{"step-0-limit": "1000000"}))
    assert response.status_code == 400
    assert response.context["steps"].forms[0].errors["limit"]
    assert not ApprovalChain.objects.filter(workspace=team.workspace).exists()


def test_the_chain_form_takes_a_valid_chain(team: Team) -> None:
    """The posts above differ from a saved chain only in the field under test."""
    url = reverse("approvals:chain-new", args=[team.workspace.slug])
    response = client_for(team.manager).post(url, _chain_post())
    assert response.status_code == 302
    assert response["Location"] == f"/w/{team.workspace.slug}/approvals/"
    assert ApprovalChain.objects.get(workspace=team.workspace).round_cap == 3


# The services behind the API refuse the same values instead of cutting or clamping them.


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"round_cap": -1}, "round_cap"),
        ({"round_cap": 0}, "round_cap"),
        ({"round_cap": 2**70}, "round_cap"),
        ({"remind_before_hours": -1}, "remind_before_hours"),
        ({"name": "x" * 121}, "name"),
        ({"name": "Legal\x00"}, "name"),
    ],
)
def test_chain_create_refuses_what_it_used_to_clamp(
    team: Team, changes: dict[str, Any], field: str
) -> None:
    args: dict[str, Any] = {
        "actor": team.manager,
        "workspace": team.workspace,
        "name": "Legal review",
        "kind": "legal",
        "steps": [StepSpec(name="Legal", approvers=[], approver_role="admin")],
    }
    with pytest.raises(DomainError) as refused:
        chain_create(**(args | changes))
    assert refused.value.field == field
    assert not ApprovalChain.objects.filter(workspace=team.workspace).exists()


@pytest.mark.parametrize(("limit", "unit"), [(366, "days"), (100_000_000, "days"), (8761, "hours")])
def test_chain_create_refuses_step_limits_beyond_a_year(team: Team, limit: int, unit: str) -> None:
    step = StepSpec(name="Legal", approvers=[], approver_role="admin", limit=limit, limit_unit=unit)
    with pytest.raises(DomainError) as refused:
        chain_create(
            actor=team.manager, workspace=team.workspace, name="Slow", kind="legal", steps=[step]
        )
    assert refused.value.field == "steps[0]"


def test_comment_add_refuses_a_long_comment(team: Team, plan: Any) -> None:
    _, tasks = plan
    with pytest.raises(DomainError) as refused:
        comment_add(actor=team.manager, task=tasks[0], body="x" * 5001)
    assert refused.value.field == "body"
    assert "this has 5,001" in refused.value.message
    assert not Comment.objects.exists()


def test_an_approval_decision_comment_over_the_limit_is_refused(team: Team, plan: Any) -> None:
    _, tasks = plan
    chain = chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Founder",
        kind="legal",
        steps=[StepSpec("Founder", approvers=[team.owner.pk])],
    )
    request = approval_start(actor=team.manager, task=tasks[0], chain=chain)
    with pytest.raises(DomainError) as refused:
        approval_decide(actor=team.owner, request=request, verdict="changes", comment="x" * 5001)
    assert refused.value.field == "comment"
    assert not Decision.objects.exists()
