"""The import page with several files in one drop: each previewed in the order dropped, stored
together (each all or nothing) or one by one; a refused file and a layout no reader knows are
named while the others preview."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from headway.conftest import Team, client_for
from headway.planning.services.campaigns import campaign_create
from headway.results import services
from headway.results.forms import MAX_FILES
from headway.results.models import Import, ResultRow

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parents[1] / "demo_files"
GOOGLE = "Campaign report.csv"
LINKEDIN = "campaign_performance_report.csv"
GA4 = "Traffic_acquisition_Session_source_medium.csv"
HUBSPOT = "hubspot-crm-exports-all-contacts-2026-04-01.csv"
TIKTOK = b"Campaign,Date,Cost,Clicks\nSpring Launch,2026-03-01,1234.50,10\nAutumn,2026-03-02,30,5\n"


@pytest.fixture(autouse=True)
def media(tmp_path: Path, settings: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


def url(team: Team) -> str:
    return reverse("results:import", kwargs={"ws": team.workspace.slug})


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FILES / name).read_bytes() if data is None else data)


def drop(client: Client, team: Team, *files: SimpleUploadedFile) -> tuple[str, str]:
    """Posts the files as one drop; the page it lands on and its address."""
    response = client.post(url(team), {"action": "preview", "file": list(files)}, follow=True)
    assert response.status_code == 200
    return response.content.decode(), response.redirect_chain[-1][0]


def form_data(page: str) -> dict[str, object]:
    """The fields of the page's 'Store N files' form."""
    form = re.search(r'value="store_all">(.*?)</form>', page, re.S)
    assert form is not None, "no 'Store N files' form on the page"
    batch = re.search(r'name="batch" value="([0-9a-f]{16})"', form.group(1)).group(1)  # type: ignore[union-attr]
    hashes = re.findall(r'name="file_hash" value="([0-9a-f]{64})"', form.group(1))
    return {"action": "store_all", "batch": batch, "file_hash": hashes}


def store_all(client: Client, team: Team, page: str) -> str:
    return client.post(url(team), form_data(page), follow=True).content.decode()


def headings(page: str) -> list[str]:
    return re.findall(r'<h2 id="preview-h-\d+">(.*?)</h2>', page, re.S)


def test_several_files_preview_in_the_order_dropped_and_store_together(team: Team) -> None:
    # given a campaign the Google Ads rows match by their platform names
    campaign_create(
        actor=team.owner,
        workspace=team.workspace,
        name="Spring Launch",
        utm_campaign="spring-launch-2026",
        platform_names=["Spring Launch 2026 - Search", "Spring Launch 2026 - PMax"],
    )
    client = client_for(team.manager)
    # when four exports are dropped at once
    page, address = drop(
        client, team, upload(LINKEDIN), upload(GOOGLE), upload(GA4), upload(HUBSPOT)
    )
    # then each file has its own preview section, in the order dropped, and nothing is stored
    assert "?batch=" in address
    shown = headings(page)
    assert len(shown) == 4
    assert "LinkedIn Campaign Manager" in shown[0] and LINKEDIN in shown[0]
    assert "Google Ads" in shown[1] and GOOGLE in shown[1]
    assert GA4 in shown[2] and HUBSPOT in shown[3]
    assert "1 Mar 2026 \u2013 31 Mar 2026" in page and "Small Space Webinar" in page
    assert "Spring Launch 2026 - Search" in page and "Spring Launch</a>" in page  # matched, why
    assert "2. Check 4 files" in page and "Store 4 files" in page
    assert ResultRow.objects.count() == 0 and Import.objects.count() == 0
    # when all are stored with the one button
    before = page
    page = store_all(client, team, page)
    # then each file is one import, named, and the page says so and shows them stored
    assert sorted(Import.objects.values_list("file_name", flat=True)) == sorted(
        [LINKEDIN, GOOGLE, GA4, HUBSPOT]
    )
    assert ResultRow.objects.filter(source="linkedin").count() == 22
    assert "Stored 4 files." in page and f"{LINKEDIN}: Stored 22 rows from LinkedIn" in page
    assert page.count(">stored</span>") == 4 and "Nothing left to store" in page
    # the same form sent again (back, then the button once more) changes nothing
    again = client.post(url(team), {**form_data(before), "action": "store_all"}, follow=True)
    assert Import.objects.count() == 4 and ResultRow.objects.filter(source="linkedin").count() == 22
    assert f"Stored before, nothing changed: {LINKEDIN}, {GOOGLE}, {GA4}, {HUBSPOT}." in (
        again.content.decode()
    )


def test_a_refused_file_is_named_with_its_error_while_the_others_preview(team: Team) -> None:
    bad = (FILES / LINKEDIN).read_bytes().decode("utf-16").replace("60.98", "sixty")
    client = client_for(team.manager)
    page, _ = drop(client, team, upload("bad.csv", bad.encode("utf-16")), upload(GOOGLE))
    # the bad file: its name, line and column, refused; the other previews
    assert re.search(r"bad\.csv</a> ·\s*<span class=\"bad\">refused: Line 7, column 9", page)
    assert "Refused: Line 7, column 9" in page and "sixty" in page
    assert any("Google Ads" in h for h in headings(page))
    assert "Store 1 file<" in page
    page = store_all(client, team, page)
    assert list(Import.objects.values_list("file_name", flat=True)) == [GOOGLE]
    assert "Stored 1 file." in page and ResultRow.objects.exclude(source="google_ads").count() == 0


def test_a_layout_no_reader_knows_links_to_its_mapping_step(team: Team) -> None:
    client = client_for(team.manager)
    page, address = drop(client, team, upload("tiktok.csv", TIKTOK), upload(GOOGLE))
    file_hash = services._hash(TIKTOK)
    mapping = reverse("results:mapping-new", kwargs={"ws": team.workspace.slug})
    batch = address.split("batch=")[1][:16]
    assert "needs its columns mapped" in page
    assert f'href="{mapping}?file={file_hash}&amp;batch={batch}">map the columns of tiktok' in page
    assert "Store 1 file<" in page  # the Google Ads file only
    # the file is kept for its mapping step
    assert services.staged_file(team.workspace, file_hash) == TIKTOK
    # alone, it still goes straight to its mapping step
    response = client.post(url(team), {"action": "preview", "file": upload("tiktok.csv", TIKTOK)})
    assert response.status_code == 302 and response["Location"] == f"{mapping}?file={file_hash}"


def test_a_file_the_store_refuses_is_named_and_the_others_stay_stored(team: Team) -> None:
    client = client_for(team.manager)
    page, _ = drop(client, team, upload(GOOGLE), upload(LINKEDIN), upload(GA4))
    # the LinkedIn file's preview is gone by the time the files are stored
    services.staged_discard(team.workspace, services._hash((FILES / LINKEDIN).read_bytes()))
    page = store_all(client, team, page)
    assert sorted(Import.objects.values_list("file_name", flat=True)) == sorted([GOOGLE, GA4])
    assert "Stored 2 files; 1 file not stored." in page
    assert f"Not stored, {LINKEDIN}: The previewed file is no longer here" in page
    assert ResultRow.objects.filter(source="linkedin").count() == 0


def test_each_files_own_store_button_and_assign_keep_the_drop(team: Team) -> None:
    webinar = campaign_create(actor=team.owner, workspace=team.workspace, name="Webinar")
    client = client_for(team.manager)
    page, address = drop(client, team, upload(LINKEDIN), upload(GOOGLE))
    batch = re.search(r"batch=([0-9a-f]{16})", address).group(1)  # type: ignore[union-attr]
    linkedin = services._hash((FILES / LINKEDIN).read_bytes())
    # assigning a name in one file's section comes back to the drop, at that file
    response = client.post(
        url(team),
        {
            "action": "assign",
            "name": "Small Space Webinar",
            "campaign": webinar.pk,
            "file_hash": linkedin,
            "batch": batch,
        },
    )
    assert response["Location"] == f"{url(team)}?batch={batch}#file-{linkedin[:12]}"
    page = client.get(response["Location"]).content.decode()
    assert "the rule: names that are" in page and len(headings(page)) == 2
    # the file's own button stores it alone and comes back to the drop
    response = client.post(
        url(team), {"action": "store", "file_hash": linkedin, "batch": batch}, follow=True
    )
    page = response.content.decode()
    assert f"{LINKEDIN}: Stored 22 rows from LinkedIn" in page
    assert ResultRow.objects.filter(campaign=webinar).count() == 22
    assert "Stored 22 rows from LinkedIn Campaign Manager, 1 Mar" in page  # its section
    assert "Store 1 file<" in page and Import.objects.count() == 1


def test_more_than_the_limit_is_refused_with_a_clear_message(team: Team, tmp_path: Path) -> None:
    client = client_for(team.manager)
    files = [upload(f"copy-{i}.csv", TIKTOK + b"\n" * i) for i in range(MAX_FILES + 1)]
    response = client.post(url(team), {"action": "preview", "file": files})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"At most {MAX_FILES} files at once: you chose {MAX_FILES + 1}." in page
    assert f"Up to {MAX_FILES} files at once, each at most 200 MB" in page
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # no file kept


def test_a_drop_no_longer_in_the_session_says_to_choose_again(team: Team) -> None:
    client = client_for(team.manager)
    page = client.get(f"{url(team)}?batch={'a' * 16}", follow=True).content.decode()
    assert "choose the files again" in page
    response = client.post(
        url(team), {"action": "store_all", "batch": "a" * 16, "file_hash": ["0" * 64]}
    )
    assert response.status_code == 302 and Import.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_by_name(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_FILE_BYTES", len(TIKTOK) + 1)
    page, _ = drop(
        client_for(team.manager), team, upload("big.csv", TIKTOK * 2), upload("t.csv", TIKTOK)
    )
    assert re.search(
        r"big\.csv</a> ·\s*<span class=\"bad\">refused: The file is 0 MB; at most", page
    )
    assert "needs its columns mapped" in page  # t.csv, within the limit, is read


def test_two_files_of_one_source_and_period_say_the_later_replaces_the_earlier(
    team: Team,
) -> None:
    # given two LinkedIn exports of March (a corrected copy: one more line at its end)
    first = (FILES / LINKEDIN).read_bytes()
    second = first + "\n".encode("utf-16-le")
    client = client_for(team.manager)
    page, _ = drop(
        client, team, upload("march.csv", first), upload(GOOGLE), upload("march-2.csv", second)
    )
    # then the later one says it replaces the earlier one's rows; Google Ads says nothing
    assert "replacing the rows of march.csv for the same period" in page
    assert page.count("this file replaces its rows for the period it covers") == 1
    assert "Store 3 files" in page
    # and storing all keeps the later file's rows only, as said
    store_all(client, team, page)
    kept = ResultRow.objects.filter(source="linkedin")
    assert kept.count() == 22
    assert set(kept.values_list("source_import__file_name", flat=True)) == {"march-2.csv"}


def test_files_of_different_sources_do_not_warn(team: Team) -> None:
    page, _ = drop(client_for(team.manager), team, upload(LINKEDIN), upload(GOOGLE), upload(GA4))
    assert "replacing the rows of" not in page and "this file replaces" not in page


def test_a_file_mapped_from_a_drop_comes_back_to_the_drop(team: Team) -> None:
    client = client_for(team.manager)
    page, address = drop(client, team, upload("tiktok.csv", TIKTOK), upload(GOOGLE))
    batch = re.search(r"batch=([0-9a-f]{16})", address)
    assert batch is not None
    file_hash = services._hash(TIKTOK)
    mapping = reverse("results:mapping-new", kwargs={"ws": team.workspace.slug})
    step_url = f"{mapping}?file={file_hash}&amp;batch={batch[1]}"
    assert f'href="{step_url}"' in page
    step = client.get(step_url.replace("&amp;", "&"))
    assert f'name="batch" value="{batch[1]}"' in step.content.decode()
    posted = client.post(
        step_url.replace("&amp;", "&"),
        {
            "file": file_hash,
            "batch": batch[1],
            "name": "TikTok Ads",
            "channel": "paid_social",
            "col-0": "campaign",
            "col-1": "day",
            "col-2": "spend",
            "col-3": "clicks",
        },
    )
    assert posted.status_code == 302
    assert posted["Location"] == f"{url(team)}?batch={batch[1]}#file-{file_hash[:12]}"
    back = client.get(posted["Location"]).content.decode()
    assert "needs its columns mapped" not in back and "TikTok Ads" in back
    assert "Store 2 files" in back  # both files of the drop can now be stored
