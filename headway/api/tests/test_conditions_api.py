"""Go-live conditions over the API: computed `met` and `at_risk` are answered, not a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from headway.accounts.services import token_create
from headway.conftest import Team
from headway.planning.models import GoLiveCondition
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db


def test_add_a_condition_read_the_campaign_and_mark_it_met(client: Client, team: Team) -> None:
    # given a campaign launching in ten days
    launch = dt.date.today() + dt.timedelta(days=10)
    campaign, _ = chain(team, launch=launch)
    _, raw = token_create(actor=team.manager, name="api")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    base = f"/api/v1/workspaces/{team.workspace.slug}"

    # when a third-party condition needing 30 working days is added
    created = client.post(
        f"{base}/campaigns/{campaign.pk}/conditions",
        {
            "title": "Photo rights",
            "kind": "rights",
            "party": "third_party",
            "owner": team.member.pk,
            "lead_time_days": 30,
        },
        content_type="application/json",
        **auth,
    )

    # then it is stored once and answered, at risk because ten days cannot hold thirty
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["met"] is False and body["at_risk"] is True
    assert GoLiveCondition.objects.filter(campaign=campaign).count() == 1
    detail = client.get(f"{base}/campaigns/{campaign.pk}", **auth)
    assert detail.status_code == 200, detail.content
    assert [(c["id"], c["met"], c["at_risk"]) for c in detail.json()["conditions"]] == [
        (body["id"], False, True)
    ]
    met = client.post(
        f"{base}/conditions/{body['id']}/met",
        {"met": True},
        content_type="application/json",
        **auth,
    )
    assert met.status_code == 200, met.content
    assert met.json()["met"] is True and met.json()["at_risk"] is False
    assert client.get(f"{base}/campaigns/{campaign.pk}", **auth).json()["conditions"][0]["met"]


def test_an_unknown_api_address_answers_json(client: Client) -> None:
    for url in ("/api/v1/nowhere", "/api/v1/tokens/-1.5"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "Not Found.", "field": None}
