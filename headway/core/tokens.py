"""Secrets handed out once (API tokens, invitation links) are stored only as their digest."""

from __future__ import annotations

import hashlib


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
