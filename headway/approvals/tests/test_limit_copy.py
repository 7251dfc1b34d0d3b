"""A step's time limit reads as English: '1 working day', '8 working hours', never
'1 working days' (the approvals page's chains, a waiting request, the newcomer page)."""

from __future__ import annotations

import pytest

from headway.approvals.models import LimitUnit
from headway.approvals.services import StepSpec, approval_start, chain_create
from headway.conftest import Team, client_for
from headway.planning.tests.factories import chain as plan_chain

pytestmark = pytest.mark.django_db


def _chain(team: Team):  # type: ignore[no-untyped-def]
    return chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Two steps",
        kind="content_draft",
        steps=[
            StepSpec("Founder", approvers=[team.owner.pk], limit=1, limit_unit=LimitUnit.DAYS),
            StepSpec("Manager", approvers=[team.manager.pk], limit=8, limit_unit=LimitUnit.HOURS),
        ],
    )


def test_step_limits_are_singular_for_one_and_plural_otherwise(team: Team) -> None:
    chain = _chain(team)
    _, tasks = plan_chain(team)
    approval_start(actor=team.manager, task=tasks[0], chain=chain)
    ws = team.workspace.slug
    approvals = client_for(team.owner).get(f"/w/{ws}/approvals/").content.decode()
    # the chain as listed, and the request waiting on the founder's one-day step
    assert "· 1 working day ·" in approvals
    assert "· 8 working hours ·" in approvals
    assert "limit 1 working day," in approvals
    assert "1 working days" not in approvals
    start = client_for(team.member).get(f"/w/{ws}/start/").content.decode()
    assert "(1 working day)" in start and "(8 working hours)" in start
    assert "1 working days" not in start


def test_one_working_hour_is_singular_too(team: Team) -> None:
    chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Quick look",
        kind="content_draft",
        steps=[StepSpec("Look", approvers=[team.owner.pk], limit=1, limit_unit=LimitUnit.HOURS)],
    )
    page = client_for(team.owner).get(f"/w/{team.workspace.slug}/approvals/").content.decode()
    assert "· 1 working hour ·" in page and "1 working hours" not in page
