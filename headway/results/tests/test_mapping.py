"""Column mappings: saved, remembered by header, used by the preview, the store, the API,
the command line and the import page; refused cleanly when wrong."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from headway.accounts.models import User
from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.core.errors import DomainError
from headway.results import services
from headway.results.mapping import mapping_save
from headway.results.models import ColumnMapping, Import, ResultRow

pytestmark = pytest.mark.django_db

TIKTOK = (
    b"Campaign name;Date;Cost;Clicks;Currency;Ad group ID\n"
    b"Spring Launch;2026-03-01;1.234,50;10;EUR;77\n"
    b"Spring Launch;2026-03-02;30,72;5;EUR;77\n"
)
APRIL = TIKTOK.replace(b"2026-03", b"2026-04")
COLUMNS = [
    ["Campaign name", "campaign"],
    ["Date", "day"],
    ["Cost", "spend"],
    ["Clicks", "clicks"],
    ["Currency", "currency"],
    ["Ad group ID", "ignore"],
]


def _save(team: Team, **changes: object) -> ColumnMapping:
    args: dict[str, object] = {"name": "TikTok Ads", "columns": COLUMNS, "channel": "paid_social"}
    args.update(changes)
    return mapping_save(actor=team.owner, workspace=team.workspace, **args)  # type: ignore[arg-type]


def test_unknown_layout_without_mapping_names_the_mapping_step(team: Team) -> None:
    with pytest.raises(DomainError) as caught:
        services.import_preview(workspace=team.workspace, data=TIKTOK)
    assert caught.value.code == "unknown_layout" and "mapping step" in caught.value.message


def test_remembered_mapping_is_used_for_the_same_header(team: Team) -> None:
    # given a mapping saved once
    saved = _save(team)
    # when a file with the same columns (another month, another order of rows) comes
    preview = services.import_preview(workspace=team.workspace, data=APRIL)
    # then it is read with it, and the preview says so
    assert preview.mapping == saved and preview.mapping_remembered is True
    assert preview.parsed.source == "x:tiktok-ads" and preview.parsed.rows_count == 2
    assert preview.as_json()["mapping"] == {
        "id": saved.pk,
        "name": "TikTok Ads",
        "remembered": True,
    }
    stored = services.import_store(actor=team.owner, workspace=team.workspace, data=APRIL)
    assert stored.import_.get_source_display() == "Tiktok Ads"
    rows = list(ResultRow.objects.filter(source_import=stored.import_).order_by("line"))
    assert [(r.source, r.currency, r.channel, str(r.spend)) for r in rows] == [
        ("x:tiktok-ads", "EUR", "paid_social", "1234.50"),
        ("x:tiktok-ads", "EUR", "paid_social", "30.72"),
    ]


def test_another_header_is_not_read_with_it(team: Team) -> None:
    _save(team)
    other = TIKTOK.replace(b"Ad group ID", b"Ad ID")
    with pytest.raises(DomainError, match="mapping step"):
        services.import_preview(workspace=team.workspace, data=other)


def test_the_same_period_again_replaces_never_doubles(team: Team) -> None:
    _save(team)
    services.import_store(actor=team.owner, workspace=team.workspace, data=TIKTOK)
    revised = TIKTOK.replace(b"30,72", b"40,00")
    services.import_store(actor=team.owner, workspace=team.workspace, data=revised)
    assert ResultRow.objects.count() == 2
    assert sorted(str(r.spend) for r in ResultRow.objects.all()) == ["1234.50", "40.00"]


def test_a_bad_cell_stores_nothing(team: Team) -> None:
    _save(team)
    bad = TIKTOK.replace(b"30,72", b"lots")
    with pytest.raises(DomainError, match="Line 3, column 3"):
        services.import_store(actor=team.owner, workspace=team.workspace, data=bad)
    assert Import.objects.count() == 0 and ResultRow.objects.count() == 0


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ([["Date", "day"], ["Cost", "spend"]], "campaign name"),
        ([["Campaign name", "campaign"], ["Cost", "spend"]], "day"),
        ([["Campaign name", "campaign"], ["Date", "day"]], "metric"),
        (
            [["Campaign name", "campaign"], ["Date", "day"], ["Cost", "spend"], ["X", "spend"]],
            "Two",
        ),
        ([["Campaign name", "campaign"], ["Date", "price"]], "not something Headway reads"),
    ],
)
def test_an_incomplete_mapping_is_refused(
    team: Team, columns: list[list[str]], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        _save(team, columns=columns)
    assert ColumnMapping.objects.count() == 0


def test_the_same_header_twice_is_refused_and_a_name_is_required(team: Team) -> None:
    _save(team)
    with pytest.raises(DomainError, match="mapped already"):
        _save(team, name="Other")
    with pytest.raises(DomainError, match="Name the source"):
        _save(team, name="  ", columns=COLUMNS[:4])


# -- API ----------------------------------------------------------------------------------------


def _auth(user: User) -> dict[str, str]:
    _, raw = token_create(actor=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _upload(client: Client, team: Team, user: User, data: bytes, **fields: str) -> object:
    body: dict[str, object] = {"file": SimpleUploadedFile("tiktok.csv", data)}
    body.update(fields)
    return client.post(
        f"/api/v1/workspaces/{team.workspace.slug}/imports?preview=true", body, **_auth(user)
    )


def test_api_mappings_get_post_delete(client: Client, team: Team) -> None:
    url = f"/api/v1/workspaces/{team.workspace.slug}/mappings"
    auth = _auth(team.manager)
    created = client.post(
        url,
        {"name": "TikTok Ads", "columns": COLUMNS, "channel": "paid_social"},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["source"] == "x:tiktok-ads" and body["columns"][2] == ["Cost", "spend"]
    listed = client.get(url, **auth).json()
    assert [m["name"] for m in listed] == ["TikTok Ads"]
    bad = client.post(
        url, {"name": "X", "columns": [["A", "day"]]}, content_type="application/json", **auth
    )
    assert bad.status_code == 400 and bad.json()["field"] == "columns"
    assert client.delete(f"{url}/{body['id']}", **auth).status_code == 204
    assert ColumnMapping.objects.count() == 0


def test_api_import_with_a_mapping_id_or_json(client: Client, team: Team) -> None:
    saved = _save(team, columns=COLUMNS)
    by_id = _upload(client, team, team.manager, TIKTOK, mapping=str(saved.pk))
    assert by_id.status_code == 200, by_id.content  # type: ignore[attr-defined]
    assert by_id.json()["mapping"]["remembered"] is False  # type: ignore[attr-defined]
    assert by_id.json()["totals"] == {"spend": 1265.22, "clicks": 15}  # type: ignore[attr-defined]
    once = json.dumps({"name": "Reddit Ads", "columns": COLUMNS})
    other = TIKTOK.replace(b"Ad group ID", b"Ad set")
    as_json = _upload(
        client, team, team.manager, other, mapping=once.replace("Ad group ID", "Ad set")
    )
    assert as_json.status_code == 200, as_json.content  # type: ignore[attr-defined]
    assert as_json.json()["source"] == "x:reddit-ads"  # type: ignore[attr-defined]
    bad = _upload(client, team, team.manager, TIKTOK, mapping="{not json")
    assert bad.status_code == 400 and bad.json()["field"] == "mapping"  # type: ignore[attr-defined]


def test_api_import_of_an_unknown_layout_without_mapping(client: Client, team: Team) -> None:
    response = _upload(client, team, team.manager, TIKTOK)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.json()["code"] == "unknown_layout"  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", ["member", "freelancer", "client"])
def test_only_planners_see_mappings(client: Client, team: Team, role: str) -> None:
    user = getattr(team, role)
    url = f"/api/v1/workspaces/{team.workspace.slug}/mappings"
    assert client.get(url, **_auth(user)).status_code in (403, 404)
    page = client_for(user).get(f"/w/{team.workspace.slug}/results/mappings/")
    assert page.status_code in (403, 404)


def test_mapping_of_another_workspace_is_a_404(team: Team, other_team: Team) -> None:
    theirs = _save(other_team)
    page = client_for(team.owner).get(f"/w/{team.workspace.slug}/results/mappings/{theirs.pk}/")
    assert page.status_code == 404


# -- command line --------------------------------------------------------------------------------


def test_cli_import_with_a_named_mapping(team: Team, tmp_path: Path) -> None:
    _save(team)
    path = tmp_path / "tiktok.csv"
    path.write_bytes(TIKTOK)
    out = StringIO()
    call_command(
        "import",
        str(path),
        "--workspace",
        team.workspace.slug,
        "--mapping",
        "tiktok ads",
        "--json",
        stdout=out,
    )
    body = json.loads(out.getvalue())
    assert body["source"] == "x:tiktok-ads" and body["rows"] == 2 and body["stored"] is True
    with pytest.raises(CommandError, match="No column mapping named"):
        call_command(
            "import",
            str(path),
            "--workspace",
            team.workspace.slug,
            "--mapping",
            "Nope",
            stdout=StringIO(),
        )


# -- pages ---------------------------------------------------------------------------------------


def test_import_page_sends_an_unknown_file_to_the_mapping_step(team: Team) -> None:
    # given a manager dropping a file Headway does not know
    client = client_for(team.manager)
    base = f"/w/{team.workspace.slug}/results/"
    dropped = client.post(
        base + "import/",
        {"action": "preview", "file": SimpleUploadedFile("tiktok.csv", TIKTOK)},
    )
    # then the mapping step shows its columns
    assert dropped.status_code == 302 and "/mappings/new/?file=" in dropped["Location"]
    step = client.get(dropped["Location"])
    assert step.status_code == 200
    html = step.content.decode()
    assert "Campaign name" in html and "Ad group ID" in html
    # when the columns are mapped and saved
    file_hash = dropped["Location"].split("file=")[1]
    posted = client.post(
        dropped["Location"],
        {
            "file": file_hash,
            "name": "TikTok Ads",
            "channel": "paid_social",
            **{f"col-{i}": target for i, (_, target) in enumerate(COLUMNS)},
        },
    )
    # then the preview reads the file with it, and names the mapping
    assert posted.status_code == 302 and posted["Location"].endswith(f"?preview={file_hash}")
    preview = client.get(posted["Location"]).content.decode()
    assert "TikTok Ads" in preview and "1,265.22" in preview and "Change the mapping" in preview
    assert ResultRow.objects.count() == 0


def test_mapping_step_shows_what_is_missing(team: Team) -> None:
    client = client_for(team.manager)
    staged = services.import_stage(workspace=team.workspace, data=TIKTOK)
    url = f"/w/{team.workspace.slug}/results/mappings/new/?file={staged}"
    response = client.post(url, {"file": staged, "name": "TikTok", "col-0": "campaign"})
    assert response.status_code == 400 and "Map a column to the day" in response.content.decode()
    assert ColumnMapping.objects.count() == 0


def test_a_bad_cell_in_a_mapped_file_names_the_mapping(team: Team) -> None:
    _save(team)
    bad = TIKTOK.replace(b"30,72", b"lots")
    with pytest.raises(DomainError) as caught:
        services.import_preview(workspace=team.workspace, data=bad)
    assert caught.value.message.startswith("Line 3, column 3:")
    assert "column mapping “TikTok Ads”" in caught.value.message


def test_change_a_remembered_mapping_from_the_preview_then_forget_it(team: Team) -> None:
    saved = _save(team)
    client = client_for(team.manager)
    staged = services.import_stage(workspace=team.workspace, data=TIKTOK)
    url = f"/w/{team.workspace.slug}/results/mappings/{saved.pk}/?file={staged}"
    form = client.get(url).content.decode()
    assert 'value="TikTok Ads"' in form
    targets = {f"col-{i}": target for i, (_, target) in enumerate(COLUMNS)}
    targets["col-3"] = "ignore"  # clicks no longer read
    posted = client.post(
        url, {"file": staged, "name": "TikTok", "channel": "paid_social", **targets}
    )
    assert posted.status_code == 302 and posted["Location"].endswith(f"?preview={staged}")
    saved.refresh_from_db()
    assert saved.name == "TikTok" and saved.columns[3] == ["Clicks", "ignore"]
    preview = services.import_preview(workspace=team.workspace, data=TIKTOK)
    assert "clicks" not in preview.parsed.totals and preview.mapping == saved
    listing = f"/w/{team.workspace.slug}/results/mappings/"
    assert "TikTok" in client.get(listing).content.decode()
    assert client.post(listing, {"delete": str(saved.pk)}).status_code == 302
    assert ColumnMapping.objects.count() == 0


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "", "-1"])
def test_forget_with_a_bad_id_changes_nothing(team: Team, value: str) -> None:
    _save(team)
    client = client_for(team.manager)
    listing = f"/w/{team.workspace.slug}/results/mappings/"
    assert client.post(listing, {"delete": value}).status_code == 302
    rates = f"/w/{team.workspace.slug}/results/rates/"
    assert client.post(rates, {"action": "delete", "rate_id": value}).status_code == 302
    assert ColumnMapping.objects.count() == 1


def test_text_the_database_cannot_hold_is_a_clear_error(team: Team) -> None:
    with pytest.raises(DomainError) as caught:
        _save(team, name="Tik\x00Tok")
    assert caught.value.field == "name"
    with pytest.raises(DomainError) as caught:
        _save(team, columns=[["Camp\x00aign", "campaign"], *COLUMNS[1:]])
    assert caught.value.field == "columns"
    client = client_for(team.manager)
    staged = services.import_stage(workspace=team.workspace, data=TIKTOK)
    url = f"/w/{team.workspace.slug}/results/mappings/new/?file={staged}"
    targets = {f"col-{i}": target for i, (_, target) in enumerate(COLUMNS)}
    response = client.post(url, {"file": staged, "name": "Tik\x00Tok", **targets})
    assert response.status_code == 400 and ColumnMapping.objects.count() == 0
