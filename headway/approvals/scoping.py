"""The approvals app's URL parameters, checked against the workspace before any view runs."""

from __future__ import annotations

from typing import Any

from headway.workspaces.scoping import register


def _models() -> Any:
    from headway.approvals import models

    return models


register("chain_id", lambda: _models().ApprovalChain)
register("request_id", lambda: _models().ApprovalRequest)
