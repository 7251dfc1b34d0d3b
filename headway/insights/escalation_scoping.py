"""The escalations pages' URL parameter, checked against the workspace before any view runs."""

from __future__ import annotations

from typing import Any

from headway.workspaces.scoping import register


def _escalation() -> Any:
    from headway.insights.models import Escalation

    return Escalation


register("escalation_id", _escalation)
