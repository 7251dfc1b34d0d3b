"""Where a rendered notification goes. Email is the only channel today; chat, webhooks and
the in-app inbox are further backends with the same `deliver` method."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Protocol

from django.core.mail import send_mail
from django.db import transaction

from headway.accounts.models import User
from headway.core.tasks import send_email_job


@dataclass(frozen=True)
class Message:
    """One notification, rendered for its recipients: `people` have accounts, `addresses`
    are email addresses of people who do not (yet), such as someone invited."""

    subject: str
    body: str
    people: tuple[User, ...]
    addresses: tuple[str, ...]
    workspace_id: int | None
    background: bool = True


class Backend(Protocol):
    def deliver(self, message: Message) -> None: ...


class EmailBackend:
    """Plain-text email to every recipient with an address, in one message. In the
    background it is queued for the worker once the transaction commits, so a rolled-back
    write sends nothing and a failed send is retried."""

    def deliver(self, message: Message) -> None:
        to = [p.email for p in message.people if p.email] + list(message.addresses)
        if not to:
            return
        if not message.background:
            send_mail(
                subject=message.subject, message=message.body, from_email=None, recipient_list=to
            )
            return
        transaction.on_commit(
            partial(
                send_email_job.enqueue,
                subject=message.subject,
                body=message.body,
                to=to,
                workspace_id=message.workspace_id,
            )
        )


BACKENDS: tuple[Backend, ...] = (EmailBackend(),)
