"""The one way Headway tells people something: `notify` renders a text template once, in
the workspace's time zone, and hands it to every delivery backend."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from headway.accounts.models import User
from headway.notifications.backends import BACKENDS, Message
from headway.workspaces.models import Workspace


def recipients_unique(recipients: Iterable[User | str]) -> tuple[list[User], list[str]]:
    """Each person once, in the order first named: accounts by identity, addresses by
    their case-folded text, and an address that is an account's email counts as that
    account."""
    people: list[User] = []
    seen: set[str] = set()
    addresses: list[str] = []
    for recipient in recipients:
        if isinstance(recipient, User):
            key = recipient.email.casefold() if recipient.email else f"#{recipient.pk}"
            if key not in seen:
                people.append(recipient)
        else:
            key = recipient.strip().casefold()
            if key and key not in seen:
                addresses.append(recipient.strip())
        seen.add(key)
    return people, addresses


def notification_render(template: str, context: Mapping[str, Any], workspace: Workspace) -> str:
    """The plain-text body of `template`: nothing is HTML-escaped, and datetimes print in
    the workspace's time zone, whose name the template finds as `time_zone`."""
    with timezone.override(workspace.tzinfo):
        body = get_template(template).template.render(  # type: ignore[attr-defined]
            Context({**context, "time_zone": workspace.tzinfo.key}, autoescape=False)
        )
    return str(body).strip() + "\n"


def notify(
    *,
    recipients: Iterable[User | str],
    workspace: Workspace,
    subject: str,
    template: str,
    context: Mapping[str, Any],
    background: bool = True,
) -> int:
    """Tells `recipients` (people, or email addresses of people without an account) about
    something in `workspace`, each once. In the background (the default) the message goes
    out after the current transaction commits; returns how many recipients it names."""
    people, addresses = recipients_unique(recipients)
    if not people and not addresses:
        return 0
    message = Message(
        subject=subject,
        body=notification_render(template, context, workspace),
        people=tuple(people),
        addresses=tuple(addresses),
        workspace_id=workspace.pk,
        background=background,
    )
    for backend in BACKENDS:
        backend.deliver(message)
    return len(people) + len(addresses)
