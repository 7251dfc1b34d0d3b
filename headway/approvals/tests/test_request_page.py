"""Approvers open what they are asked to decide: the request page (from the queue) and the
signed link both show the work's newest file with its version, whoever the approver is."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from headway.approvals.models import ApprovalRequest
from headway.approvals.services import StepSpec, approval_start, chain_create, link_create
from headway.conftest import Team, client_for
from headway.planning.models import Attachment
from headway.planning.services.attachments import attachment_add_file
from headway.planning.services.campaigns import campaign_create
from headway.planning.services.tasks import task_create
from headway.workspaces.models import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


@pytest.fixture(autouse=True)
def uploads(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def waiting(team: Team) -> tuple[ApprovalRequest, Attachment]:
    """A poster with two versions, waiting on a step that names the client, every
    freelancer by role, and the admin as backup."""
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Spring")
    task = task_create(
        actor=team.manager, campaign=campaign, title="Hero poster", owner=team.member.pk
    )
    for n in (1, 2):
        upload = SimpleUploadedFile(f"poster-{n}.pdf", PDF, content_type="application/pdf")
        newest = attachment_add_file(actor=team.member, task=task, upload=upload)
    chain = chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Sign-off",
        kind="design_asset",
        steps=[
            StepSpec(
                "Client",
                approvers=[team.client.pk],
                approver_role=Role.FREELANCER,
                backup=team.admin.pk,
            )
        ],
    )
    return approval_start(actor=team.manager, task=task, chain=chain), newest


@pytest.mark.parametrize("who", ["client", "freelancer", "admin"])
def test_each_approver_opens_the_request_with_its_file_from_the_queue(
    team: Team, waiting: tuple[ApprovalRequest, Attachment], who: str
) -> None:
    req, newest = waiting
    client = client_for(getattr(team, who))
    ws = team.workspace.slug
    # given the request in their queue, linked to its own page
    queue = client.get(f"/w/{ws}/approvals/").content.decode()
    page_url = f"/w/{ws}/approvals/{req.pk}/"
    assert f'href="{page_url}"' in queue
    # when they open it
    response = client.get(page_url)
    html = response.content.decode()
    # then it shows the newest version, previewed, and lets them decide
    assert response.status_code == 200
    file_url = f"/w/{ws}/attachments/{newest.pk}/"
    assert "poster-2.pdf" in html and "v2" in html
    assert f'<iframe class="pdf-preview" src="{file_url}"' in html
    assert f"/approvals/{req.pk}/decide/" in html
    served = client.get(file_url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"


def test_the_signed_link_shows_and_serves_the_file_without_signing_in(
    team: Team, waiting: tuple[ApprovalRequest, Attachment]
) -> None:
    req, _ = waiting
    raw = link_create(request=req, user=team.client)
    anonymous = Client()
    html = anonymous.get(f"/approve/{raw}/").content.decode()
    assert "poster-2.pdf" in html and "v2" in html
    assert f'src="/approve/{raw}/file/"' in html
    served = anonymous.get(f"/approve/{raw}/file/")
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF  # type: ignore[attr-defined]
    assert anonymous.get("/approve/not-a-token/file/").status_code == 404


def test_someone_the_request_does_not_concern_cannot_open_it(
    team: Team, waiting: tuple[ApprovalRequest, Attachment]
) -> None:
    from headway.conftest import make_user
    from headway.workspaces.services import membership_add

    req, newest = waiting
    other = make_user("other-client@example.com")
    membership_add(actor=team.owner, workspace=team.workspace, user=other, role=Role.CLIENT)
    client = client_for(other)
    ws = team.workspace.slug
    assert client.get(f"/w/{ws}/approvals/{req.pk}/").status_code == 404
    assert client.get(f"/w/{ws}/attachments/{newest.pk}/").status_code == 404
    assert client.get(f"/api/v1/workspaces/{ws}/approvals/{req.pk}").status_code == 404
