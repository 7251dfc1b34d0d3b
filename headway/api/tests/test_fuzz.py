"""Schemathesis over every API operation, in-process against the WSGI app, on the demo data.

Each operation is fuzzed as a manager and as a freelancer with valid and invalid input; any 5xx
or a response its schema does not describe fails the test. Routes are read from the OpenAPI
description, so a new route is fuzzed without new test code.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings

from headway.accounts.models import User
from headway.accounts.services import token_create
from headway.core.demo import HARBOR_AND_PINE, demo_load
from headway.workspaces.models import Workspace
from headway.wsgi import application

# Small enough that both personas over every operation stay well under three minutes here.
MAX_EXAMPLES = int(os.environ.get("HEADWAY_FUZZ_EXAMPLES", "6"))
PERSONAS = {"manager": "jordan@harborpine.example", "freelancer": "alex@studio-moreau.example"}

config = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]

RAN: Counter[str] = Counter()


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo workspaces, loaded once for the module inside a transaction that is rolled
    back at the end; each test runs in a savepoint inside it."""
    # Django's test client keeps the connection across requests; the WSGI client schemathesis
    # drives does not, and closing it would end the transaction holding the demo.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_load()
            workspace = Workspace.objects.get(name=HARBOR_AND_PINE)
            tokens, token_ids = {}, set()
            for persona, email in PERSONAS.items():
                token, tokens[persona] = token_create(
                    actor=User.objects.get(email=email), name="fuzz"
                )
                token_ids.add(token.pk)
            # revoking the token the fuzzer signs in with would turn the rest into 401s
            decoy, _ = token_create(actor=User.objects.get(email=PERSONAS["manager"]), name="decoy")
            yield {
                "workspace": workspace,
                "tokens": tokens,
                "token_ids": token_ids,
                "decoy": decoy.pk,
                "ids": _ids(workspace),
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            for signal in (request_started, request_finished):
                signal.connect(close_old_connections)


def _ids(workspace: Workspace) -> dict[str, list[int]]:
    """Existing ids per path parameter, so generated ids often land on real objects."""
    from headway.approvals.models import ApprovalRequest
    from headway.planning.models import Campaign, Dependency, GoLiveCondition, Task
    from headway.publishing.models import CalendarFeed, ContentPiece
    from headway.workspaces.models import Invitation, Membership

    models = {
        "campaign_id": Campaign,
        "task_id": Task,
        "dependency_id": Dependency,
        "condition_id": GoLiveCondition,
        "request_id": ApprovalRequest,
        "piece_id": ContentPiece,
        "feed_id": CalendarFeed,
        "member_id": Membership,
        "invitation_id": Invitation,
    }
    return {
        name: list(model.objects.filter(workspace=workspace).values_list("pk", flat=True))
        for name, model in models.items()
    }


def _aim(case: Any, demo: dict[str, Any]) -> None:
    """Points the generated path at the demo workspace, and most ids at objects in it (the
    choice still follows the generated value, so hypothesis keeps its variety)."""
    params = case.path_parameters or {}
    if "ws" in params:
        params["ws"] = demo["workspace"].slug
    if params.get("token_id") in demo["token_ids"]:
        params["token_id"] = demo["decoy"]
    for name, value in params.items():
        known = demo["ids"].get(name)
        if known and isinstance(value, int) and value % 5:
            params[name] = known[value % len(known)]


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Prints how much was fuzzed, once the module is done."""
    yield
    operations = {key.split(" as ")[0] for key in RAN}
    line = (
        f"schemathesis: {len(operations)} operations, {len(RAN)} operation x persona runs, "
        f"{sum(RAN.values())} cases"
    )
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


@pytest.mark.parametrize("persona", list(PERSONAS))
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_api_operation(case: Any, persona: str, demo: dict[str, Any]) -> None:
    _aim(case, demo)
    RAN[f"{case.operation.label} as {persona}"] += 1
    token = demo["tokens"][persona]
    # Its in-process WSGI transport reads bodies as sent; ask for them uncompressed.
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers, checks=CHECKS)
