"""A workspace gets its channels and starter templates when it is created; reading them writes
nothing."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.conftest import Team, client_for
from headway.planning.models import STANDARD_CHANNELS, CampaignTemplate, Channel
from headway.planning.starter_templates import STARTER_TEMPLATES
from headway.planning.tests.factories import chain
from headway.workspaces.services import workspace_create

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(queries: list[dict[str, str]]) -> list[str]:
    # The session row is the only write a page view may make (django saves it when changed).
    return [
        q["sql"][:120]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES) and "django_session" not in q["sql"]
    ]


def test_a_new_workspace_starts_with_channels_and_starter_templates(team: Team) -> None:
    ws = workspace_create(actor=team.owner, name="Gamma Garden")
    keys = set(Channel.objects.filter(workspace=ws).values_list("key", flat=True))
    assert keys == {key for key, _ in STANDARD_CHANNELS}
    names = set(CampaignTemplate.objects.filter(workspace=ws).values_list("name", flat=True))
    assert names == {name for name, _, _ in STARTER_TEMPLATES}


def test_pages_and_api_routes_that_list_channels_and_templates_write_nothing(team: Team) -> None:
    # given: a workspace whose channels and templates were all removed
    _, tasks = chain(team)
    Channel.objects.filter(workspace=team.workspace).delete()
    CampaignTemplate.objects.filter(workspace=team.workspace).delete()
    client = client_for(team.manager)
    ws = team.workspace.slug
    urls = [
        f"/w/{ws}/campaigns/",
        f"/w/{ws}/campaigns/new/",
        f"/w/{ws}/templates/",
        f"/w/{ws}/board/",
        f"/w/{ws}/tasks/{tasks[0].pk}/",
        f"/w/{ws}/content/",
        f"/api/v1/workspaces/{ws}/channels",
        f"/api/v1/workspaces/{ws}/templates",
    ]
    client.get(urls[0])  # the first page of a session stores the last workspace
    for url in urls:
        # when
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        # then
        assert response.status_code == 200, url
        assert _writes(ctx.captured_queries) == [], url
    assert not Channel.objects.filter(workspace=team.workspace).exists()
    assert not CampaignTemplate.objects.filter(workspace=team.workspace).exists()


def test_the_data_migration_gives_existing_workspaces_their_defaults(team: Team) -> None:
    # given: a workspace from before defaults were created with it, with one custom channel
    Channel.objects.filter(workspace=team.workspace).delete()
    CampaignTemplate.objects.filter(workspace=team.workspace).delete()
    Channel.objects.create(workspace=team.workspace, key="podcast", name="Podcast")
    migration = importlib.import_module("headway.planning.migrations.0002_workspace_defaults")
    # when: run twice, as a re-run must add nothing
    migration.workspace_defaults(apps, None)
    migration.workspace_defaults(apps, None)
    # then
    keys = sorted(Channel.objects.filter(workspace=team.workspace).values_list("key", flat=True))
    assert keys == sorted([key for key, _ in STANDARD_CHANNELS] + ["podcast"])
    assert CampaignTemplate.objects.filter(workspace=team.workspace).count() == len(
        STARTER_TEMPLATES
    )
