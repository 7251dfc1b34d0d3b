"""A task's files (numbered versions) and links to files kept elsewhere."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from django.urls import reverse
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from headway.api.schemas import SafeStr
from headway.core.http import WorkspaceRequest
from headway.planning.api.lookups import visible_task
from headway.planning.models import Attachment
from headway.planning.services import attachments as attachment_services

router = Router(tags=["planning"])


class AttachmentOut(Schema):
    id: int
    name: str
    version: int
    content_type: str
    size: int
    link: str
    download: str
    created_at: dt.datetime


class LinkAttachmentIn(Schema):
    url: Annotated[SafeStr, MaxLen(500)]
    name: Annotated[SafeStr, MaxLen(200)] = ""


def attachment_out(request: WorkspaceRequest, a: Attachment) -> AttachmentOut:
    """An attachment with the address it downloads from; a link has no version."""
    download = reverse("planning:attachment", args=[request.workspace.slug, a.pk])
    return AttachmentOut(
        id=a.pk,
        name=a.name,
        version=a.version if not a.is_link else 0,
        content_type=a.content_type,
        size=a.size,
        link=a.url,
        download=request.build_absolute_uri(download),
        created_at=a.created_at,
    )


@router.get(
    "/workspaces/{ws}/tasks/{int:task_id}/attachments",
    response=list[AttachmentOut],
    summary="A task's files (numbered versions) and links",
)
def attachments_list(request: WorkspaceRequest, ws: str, task_id: int) -> list[AttachmentOut]:
    task = visible_task(request, task_id)
    return [attachment_out(request, a) for a in task.attachments.all()]


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/attachments",
    response={201: AttachmentOut},
    summary="Upload a file to a task (the next version); type checked from its content",
)
def attachments_upload(
    request: WorkspaceRequest, ws: str, task_id: int, file: File[UploadedFile]
) -> tuple[int, AttachmentOut]:
    task = visible_task(request, task_id)
    a = attachment_services.attachment_add_file(actor=request.user, task=task, upload=file)
    return 201, attachment_out(request, a)


@router.post(
    "/workspaces/{ws}/tasks/{int:task_id}/attachment-links",
    response={201: AttachmentOut},
    summary="Attach a link to a file kept elsewhere",
)
def attachments_link(
    request: WorkspaceRequest, ws: str, task_id: int, payload: LinkAttachmentIn
) -> tuple[int, AttachmentOut]:
    task = visible_task(request, task_id)
    a = attachment_services.attachment_add_link(
        actor=request.user, task=task, url=payload.url, name=payload.name
    )
    return 201, attachment_out(request, a)
