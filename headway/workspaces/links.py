from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def invitation_url(raw_token: str) -> str:
    """The absolute link that accepts an invitation."""
    return settings.BASE_URL + reverse("workspaces:invitation-accept", args=[raw_token])
