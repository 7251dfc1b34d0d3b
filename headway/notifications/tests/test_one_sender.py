"""Everything Headway tells people goes through `notify`; only its email backend and the
background job that backend queues touch Django's mail functions."""

from __future__ import annotations

import re
from pathlib import Path

import headway

MAIL_CALLS = re.compile(r"\b(send_mail|send_mass_mail|EmailMessage|EmailMultiAlternatives)\b")
ALLOWED = {"notifications/backends.py", "core/tasks.py"}


def test_only_the_notification_backend_and_its_job_send_mail() -> None:
    root = Path(headway.__file__).parent
    senders = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and "e2e" not in path.parts
        and MAIL_CALLS.search(path.read_text(encoding="utf-8"))
    }
    assert senders == ALLOWED
