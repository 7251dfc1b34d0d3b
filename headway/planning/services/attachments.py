"""Files and links attached to tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import created_changes, event_record
from headway.core.errors import DomainError
from headway.planning.filetypes import ALLOWED, sniff
from headway.planning.models import Attachment, Task
from headway.planning.services.access import require_task_worker


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


@transaction.atomic
def attachment_add_file(*, actor: User, task: Task, upload: UploadedFile) -> Attachment:
    """Stores an upload after checking its size and what its first bytes say it is; each
    file of a task is the next version of its work (v1, v2, ...)."""
    require_task_worker(actor, task)
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise DomainError(
            f"{name} is larger than the {_megabytes(limit)} limit.", field="file", code="too_large"
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    kind = sniff(head, name)
    if kind is None:
        raise DomainError(
            f"{name} is not a file Headway accepts, or its content does not match its "
            f"extension. Accepted: {ALLOWED}.",
            field="file",
            code="file_type",
        )
    latest = (
        Attachment.objects.filter(task=task).exclude(file="").aggregate(n=Max("version"))["n"] or 0
    )
    attachment = Attachment(
        workspace=task.workspace,
        task=task,
        version=latest + 1,
        name=name,
        content_type=kind.content_type,
        size=upload.size,
        added_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=attachment,
        workspace=task.workspace,
        changes=created_changes(attachment, ["name", "content_type", "size", "task"]),
    )
    return attachment


@transaction.atomic
def attachment_add_link(*, actor: User, task: Task, url: str, name: str = "") -> Attachment:
    """A link to a file kept elsewhere (a shared drive, a design tool)."""
    require_task_worker(actor, task)
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise DomainError("Give a full web address starting with https://.", field="url") from None
    attachment = Attachment.objects.create(
        workspace=task.workspace,
        task=task,
        url=url,
        name=(name or "").strip()[:200] or url[:200],
        added_by=actor,
    )
    event_record(
        actor=actor,
        verb=Verb.CREATED,
        obj=attachment,
        workspace=task.workspace,
        changes=created_changes(attachment, ["name", "url", "task"]),
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    require_task_worker(actor, attachment.task)
    event_record(actor=actor, verb=Verb.DELETED, obj=attachment, workspace=attachment.workspace)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
