from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from headway.conftest import Team, client_for
from headway.planning.filetypes import sniff
from headway.planning.models import Attachment, Task
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 1024
    return tmp_path


def test_the_type_comes_from_the_content() -> None:
    assert sniff(PNG, "hero.png") is not None
    assert sniff(PDF, "brief.PDF") is not None
    assert sniff(PNG, "hero.pdf") is None  # content and extension disagree
    assert sniff(b"<!DOCTYPE html><script>", "notes.txt") is None
    assert sniff(b"<svg onload=alert(1)>", "logo.svg") is None
    assert sniff(b"MZ\x90\x00", "tool.exe") is None
    assert sniff(b"Headline,Clicks\nSpring,12\n", "ads.csv") is not None


def test_upload_is_stored_and_served_only_to_those_who_may_see_the_task(
    team: Team, other_team: Team, uploads
) -> None:  # type: ignore[no-untyped-def]
    _, tasks = chain(team)
    ws = team.workspace.slug
    client = client_for(team.member)
    url = f"/w/{ws}/tasks/{tasks[0].pk}/attachments/"
    client.post(url, {"file": SimpleUploadedFile("hero.png", PNG, content_type="image/png")})
    attachment = Attachment.objects.get(task=tasks[0])
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)
    assert attachment.version == 1
    assert str(uploads) in attachment.file.path  # under the uploads folder, not static
    served = client.get(f"/w/{ws}/attachments/{attachment.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "inline" in served["Content-Disposition"]
    # a freelancer who does not own the task, and another workspace, get nothing
    assert (
        client_for(team.freelancer).get(f"/w/{ws}/attachments/{attachment.pk}/").status_code == 404
    )
    assert (
        client_for(other_team.owner).get(f"/w/{ws}/attachments/{attachment.pk}/").status_code == 404
    )
    Task.objects.filter(pk=tasks[0].pk).update(owner=team.freelancer)
    assert (
        client_for(team.freelancer).get(f"/w/{ws}/attachments/{attachment.pk}/").status_code == 200
    )


def test_bad_uploads_are_refused_with_the_reason(team: Team) -> None:
    _, tasks = chain(team)
    client = client_for(team.member)
    url = f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/attachments/"
    page = client.post(
        url, {"file": SimpleUploadedFile("fake.png", b"<script>alert(1)</script>")}, follow=True
    ).content.decode()
    assert "fake.png is not a file Headway accepts" in page
    page = client.post(
        url, {"file": SimpleUploadedFile("big.pdf", PDF + b"0" * 2000)}, follow=True
    ).content.decode()
    assert "big.pdf is larger than the" in page
    page = client.post(url, {"url": "javascript:alert(1)"}, follow=True).content.decode()
    assert "full web address" in page
    assert not Attachment.objects.exists()


def test_a_link_attachment_redirects(team: Team) -> None:
    _, tasks = chain(team)
    client = client_for(team.member)
    ws = team.workspace.slug
    client.post(
        f"/w/{ws}/tasks/{tasks[0].pk}/attachments/",
        {"url": "https://drive.example.com/cut", "name": "Rough cut"},
    )
    a = Attachment.objects.get()
    assert a.name == "Rough cut"
    r = client.get(f"/w/{ws}/attachments/{a.pk}/")
    assert r.status_code == 302 and r["Location"] == "https://drive.example.com/cut"
    client.post(f"/w/{ws}/attachments/{a.pk}/remove/")
    assert not Attachment.objects.exists()


def test_each_new_file_is_the_next_version_and_decisions_name_it(team: Team) -> None:
    from headway.approvals.services import StepSpec, approval_decide, approval_start, chain_create

    _, tasks = chain(team)
    client = client_for(team.member)
    url = f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/attachments/"
    client.post(url, {"file": SimpleUploadedFile("hero.png", PNG)})
    client.post(url, {"url": "https://drive.example.com/x"})
    client.post(url, {"file": SimpleUploadedFile("hero-2.pdf", PDF)})
    files = Attachment.objects.filter(task=tasks[0]).exclude(file="").order_by("version")
    assert [(a.name, a.version) for a in files] == [("hero.png", 1), ("hero-2.pdf", 2)]
    chain_ = chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Founder",
        kind="design_asset",
        steps=[StepSpec("Founder", approvers=[team.owner.pk])],
    )
    req = approval_start(actor=team.member, task=tasks[0], chain=chain_)
    decision = approval_decide(actor=team.owner, request=req, verdict="approve")
    assert decision.attachment is not None and decision.attachment.version == 2
    page = client.get(f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/").content.decode()
    assert "approved round 1, step 1 on v2" in page


def test_assets_over_the_api(client, team: Team) -> None:  # type: ignore[no-untyped-def]
    from headway.accounts.services import token_create

    _, tasks = chain(team)
    _, raw = token_create(actor=team.member, name="api")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/v1/workspaces/{team.workspace.slug}/tasks/{tasks[0].pk}/attachments"
    r = client.post(url, {"file": SimpleUploadedFile("brief.pdf", PDF)}, **auth)
    assert r.status_code == 201 and r.json()["version"] == 1
    bad = client.post(url, {"file": SimpleUploadedFile("brief.pdf", b"MZ\x90")}, **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "file_type"
    listed = client.get(url, **auth).json()
    assert [a["name"] for a in listed] == ["brief.pdf"]


def test_the_newest_pdf_is_previewed_in_a_frame_only_headway_may_use(team: Team) -> None:
    _, tasks = chain(team)
    client = client_for(team.member)
    ws = team.workspace.slug
    client.post(
        f"/w/{ws}/tasks/{tasks[0].pk}/attachments/", {"file": SimpleUploadedFile("brief.pdf", PDF)}
    )
    a = Attachment.objects.get()
    page = client.get(f"/w/{ws}/tasks/{tasks[0].pk}/").content.decode()
    assert f'<iframe class="pdf-preview" src="/w/{ws}/attachments/{a.pk}/"' in page
    served = client.get(f"/w/{ws}/attachments/{a.pk}/")
    assert served["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in served["Content-Security-Policy"]
