"""Two approvers deciding the same step at the same moment, in real concurrent transactions."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from headway.approvals.models import ApprovalRequest, Decision
from headway.approvals.services import StepSpec, approval_decide, approval_start, chain_create
from headway.conftest import make_team
from headway.core.errors import Conflict
from headway.planning.tests.factories import chain as plan_chain

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database for two connections"
)
def test_two_approvers_at_once_exactly_one_decision_counts() -> None:
    team = make_team("race", "Race Co")
    _, tasks = plan_chain(team)
    chain = chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Founder",
        kind="content_draft",
        steps=[
            StepSpec("Founder", approvers=[team.owner.pk], backup=team.admin.pk),
            StepSpec("Finance", approvers=[team.admin.pk]),
        ],
    )
    request = approval_start(actor=team.manager, task=tasks[0], chain=chain)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(user, verdict: str) -> None:  # type: ignore[no-untyped-def]
        try:
            start.wait()
            approval_decide(
                actor=user,
                request=ApprovalRequest.objects.get(pk=request.pk),
                verdict=verdict,
                comment="no",
                step=0,
                round=1,
            )
            outcomes.append("decided")
        except Conflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(team.owner, "approve")),
        threading.Thread(target=decide, args=(team.admin, "reject")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["decided", "refused"]
    assert Decision.objects.filter(request=request, step=0, round=1).count() == 1
    request.refresh_from_db()
    decision = Decision.objects.get(request=request)
    # the step moved once: on to finance after an approval, or closed after a rejection
    assert (request.step, request.status) in ((1, "pending"), (0, "rejected"))
    assert decision.verdict in ("approve", "reject")
