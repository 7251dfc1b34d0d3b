"""POST /api/v1/workspaces/{ws}/imports: preview, store, errors as JSON, roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from headway.accounts.models import User
from headway.accounts.services import token_create
from headway.conftest import Team
from headway.planning.services.campaigns import campaign_create
from headway.results.models import Import, ResultRow

pytestmark = pytest.mark.django_db
FIXTURES = Path("/work/shared/fixtures")
META = FIXTURES / "meta-ads/Harbor-and-Pine-Campaigns-1-Mar-2026-31-Mar-2026.csv"


def _auth(user: User) -> dict[str, str]:
    _, raw = token_create(actor=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client: Client, team: Team, user: User, data: bytes, query: str = "") -> object:
    return client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/imports{query}",
        {"file": SimpleUploadedFile("export.csv", data, content_type="text/csv")},
        **_auth(user),
    )


def test_preview_then_store_over_the_api(client: Client, team: Team) -> None:
    campaign_create(
        actor=team.owner,
        workspace=team.workspace,
        name="Webinar",
        platform_names=["Small Space Webinar - Leads"],
    )
    data = META.read_bytes()
    preview = _post(client, team, team.manager, data, "?preview=true")
    assert preview.status_code == 200, preview.content  # type: ignore[attr-defined]
    body = preview.json()  # type: ignore[attr-defined]
    assert body["source"] == "meta_ads" and body["rows"] == 80 and body["stored"] is False
    assert body["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert set(body["totals"]) >= {"spend", "impressions", "clicks", "leads"}
    assert [m["campaign"]["name"] for m in body["matched"]] == ["Webinar"]
    assert len(body["unmatched"]) == 2
    assert ResultRow.objects.count() == 0
    stored = _post(client, team, team.manager, data)
    assert stored.status_code == 201 and stored.json()["stored"] is True  # type: ignore[attr-defined]
    again = _post(client, team, team.manager, data)
    assert again.status_code == 200 and again.json()["already_imported"] is True  # type: ignore[attr-defined]
    assert Import.objects.count() == 1 and ResultRow.objects.count() == 80


def test_bad_file_answers_json_with_line_and_column(client: Client, team: Team) -> None:
    data = b"Reporting starts,Campaign name,Amount spent (USD)\n2026-03-01,Spring,12x.5\n"
    response = _post(client, team, team.owner, data)
    assert response.status_code == 400  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["code"] == "invalid_file" and body["field"] == "file"
    assert body["message"].startswith("Line 2, column 3:") and "12x.5" in body["message"]


def test_unknown_layout_is_a_400(client: Client, team: Team) -> None:
    response = _post(client, team, team.owner, b"a,b\n1,2\n")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "not one Headway reads" in response.json()["message"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", ["member", "freelancer", "client"])
def test_only_planners_import(client: Client, team: Team, role: str) -> None:
    response = _post(client, team, getattr(team, role), META.read_bytes())
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert ResultRow.objects.count() == 0


def test_rule_over_the_api_rejects_a_campaign_of_another_workspace(
    client: Client, team: Team, other_team: Team
) -> None:
    theirs = campaign_create(actor=other_team.owner, workspace=other_team.workspace, name="X")
    response = client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/match-rules",
        {"campaign": theirs.pk, "kind": "starts_with", "pattern": "Spring"},
        content_type="application/json",
        **_auth(team.owner),
    )
    assert response.status_code == 400 and response.json()["field"] == "campaign"
