"""Demo: a column mapping Harbor & Pine saved for its TikTok Ads exports, and the EUR rate
of March 2026 for reports in dollars (no TikTok file is stored, so the demo's figures stay
those of the sample exports)."""

from __future__ import annotations

from headway.accounts.models import User
from headway.results.currency import rate_set
from headway.results.mapping import mapping_save
from headway.results.models import ColumnMapping
from headway.workspaces.models import Workspace

TIKTOK_COLUMNS = [
    ["Campaign name", "campaign"],
    ["By Day", "day"],
    ["Cost", "spend"],
    ["Impressions", "impressions"],
    ["Clicks (Destination)", "clicks"],
    ["Conversions", "conversions"],
    ["Currency", "currency"],
    ["Ad group ID", "ignore"],
]


def demo_mappings(workspace: Workspace, owner: User) -> None:
    if ColumnMapping.objects.filter(workspace=workspace).exists():
        return
    mapping_save(
        actor=owner,
        workspace=workspace,
        name="TikTok Ads",
        columns=TIKTOK_COLUMNS,
        channel="paid_social",
    )
    rate_set(actor=owner, workspace=workspace, month="2026-03", currency="EUR", rate="1.08")
