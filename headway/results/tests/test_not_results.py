"""Plan exports (Asana's task CSV, Trello's board JSON) and JSON in general are recognised
from content and refused with a clear word on the page, the API and the command line; the
mapping step never offers to map them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.core.errors import DomainError
from headway.results import services
from headway.results.models import Import, ResultRow
from headway.results.sources import NotResults, read
from headway.results.sources.mapped import header_of

pytestmark = pytest.mark.django_db

ASANA = Path("/work/shared/fixtures/asana/Spring_Launch_2026.csv")
TRELLO = Path("/work/shared/fixtures/trello/harbor-pine-marketing.json")
ASANA_WORDS = "This is an Asana project export (tasks), not a results export"
TRELLO_WORDS = "This is a Trello board export (cards), not a results export"


@pytest.mark.parametrize(
    ("path", "words"), [(ASANA, ASANA_WORDS), (TRELLO, TRELLO_WORDS)], ids=["asana", "trello"]
)
def test_plan_exports_are_refused_by_the_readers_and_the_mapping_step(
    path: Path, words: str
) -> None:
    data = path.read_bytes()
    for reader in (read, header_of):
        with pytest.raises(NotResults, match=r"plans can't be imported yet") as caught:
            reader(data)
        assert words in str(caught.value)


def test_other_json_is_refused_as_json() -> None:
    with pytest.raises(NotResults, match="This is a JSON file, not a results export"):
        read(b'  [{"campaign": "Spring", "clicks": 3}]\n')
    with pytest.raises(NotResults, match="This is a JSON file"):
        read(b'\xef\xbb\xbf{"rows": []}')


def test_a_results_export_is_still_read() -> None:
    linkedin = Path("/work/shared/fixtures/linkedin/campaign_performance_report.csv")
    parsed = read(linkedin.read_bytes())
    assert parsed.source == "linkedin"


@pytest.mark.parametrize(
    ("path", "words"), [(ASANA, ASANA_WORDS), (TRELLO, TRELLO_WORDS)], ids=["asana", "trello"]
)
def test_import_page_refuses_a_plan_export_without_the_mapping_step(
    team: Team, path: Path, words: str
) -> None:
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/results/import/"
    page = client.post(
        url, {"action": "preview", "file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    html = page.content.decode()
    assert page.status_code in (200, 400)
    assert words.replace("(", "").replace(")", "") in html.replace("(", "").replace(")", "")
    assert "Map this file" not in html and "columns; at most" not in html
    assert Import.objects.count() == 0 and ResultRow.objects.count() == 0


@pytest.mark.parametrize("path", [ASANA, TRELLO], ids=["asana", "trello"])
def test_mapping_step_refuses_a_staged_plan_export(team: Team, path: Path) -> None:
    staged = services.import_stage(workspace=team.workspace, data=path.read_bytes())
    page = client_for(team.manager).get(
        f"/w/{team.workspace.slug}/results/mappings/new/?file={staged}", follow=True
    )
    assert page.redirect_chain and page.redirect_chain[-1][0].endswith("/results/import/")
    html = page.content.decode()
    assert "plans can&#x27;t be imported yet" in html or "plans can't be imported yet" in html
    assert "columns; at most" not in html and 'name="col-0"' not in html


@pytest.mark.parametrize(
    ("path", "words"), [(ASANA, ASANA_WORDS), (TRELLO, TRELLO_WORDS)], ids=["asana", "trello"]
)
def test_api_refuses_a_plan_export(client: Client, team: Team, path: Path, words: str) -> None:
    _, raw = token_create(actor=team.manager, name="api")
    response = client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/imports?preview=true",
        {"file": SimpleUploadedFile(path.name, path.read_bytes())},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert body["code"] == "invalid_file" and words in body["message"]


@pytest.mark.parametrize(
    ("path", "words"), [(ASANA, ASANA_WORDS), (TRELLO, TRELLO_WORDS)], ids=["asana", "trello"]
)
def test_cli_refuses_a_plan_export(team: Team, path: Path, words: str) -> None:
    out = StringIO()
    with pytest.raises(CommandError, match=r"not a results export"):
        call_command("import", str(path), "--workspace", team.workspace.slug, "--json", stdout=out)
    assert words in json.loads(out.getvalue())["message"]
    assert ResultRow.objects.count() == 0


def test_preview_service_refuses_with_invalid_file(team: Team) -> None:
    with pytest.raises(DomainError) as caught:
        services.import_preview(workspace=team.workspace, data=ASANA.read_bytes())
    assert caught.value.code == "invalid_file"
