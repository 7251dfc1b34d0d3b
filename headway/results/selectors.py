"""Reads for imports: the matcher of a workspace, earlier imports, rows a new file replaces."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from headway.planning.models import Campaign, Comparison, SuccessMetric
from headway.results.matching import CampaignKeys, Matcher, Rule
from headway.results.models import Import, MatchRule, ResultRow, Source
from headway.results.report import SUMMED, Line, Sums, Target, build
from headway.workspaces.models import Workspace


def matcher_for(workspace: Workspace) -> Matcher:
    """A matcher over the workspace's campaigns and rules (two queries)."""
    campaigns = [
        CampaignKeys(c.pk, c.name, c.utm_campaign, tuple(str(n) for n in c.platform_names or []))
        for c in Campaign.objects.filter(workspace=workspace).only(
            "pk", "name", "utm_campaign", "platform_names"
        )
    ]
    rules = [
        Rule(r.campaign_id, r.kind, r.pattern, str(r))
        for r in MatchRule.objects.filter(workspace=workspace)
    ]
    return Matcher(campaigns, rules)


def import_by_hash(workspace: Workspace, file_hash: str) -> Import | None:
    return Import.objects.filter(workspace=workspace, file_hash=file_hash).first()


def rows_in_period(
    workspace: Workspace,
    source: str,
    start: dt.date | None,
    end: dt.date | None,
    campaigns: tuple[str, ...] = (),
) -> QuerySet[ResultRow]:
    """The stored rows of a source that a file covering start..end replaces."""
    if start is None or end is None:
        return ResultRow.objects.none()
    rows = ResultRow.objects.filter(workspace=workspace, source=source).filter(
        Q(day__range=(start, end))
        | Q(day__isnull=True, period_start__lte=end, period_end__gte=start)
    )
    if campaigns:
        rows = rows.filter(campaign_name__in=campaigns)
    return rows


def recent_imports(workspace: Workspace, limit: int = 20) -> list[Import]:
    return list(Import.objects.filter(workspace=workspace).select_related("created_by")[:limit])


def unmatched_names(workspace: Workspace) -> list[dict[str, Any]]:
    """Stored rows no campaign claims, by name and source, with their rows and spend."""
    rows = (
        ResultRow.objects.filter(workspace=workspace, campaign__isnull=True)
        .exclude(campaign_name="")
        .values("campaign_name", "source")
        .annotate(spend=Sum("spend"), leads=Sum("leads"), sessions=Sum("sessions"))
        .order_by("-spend", "campaign_name")
    )
    labels = dict(Source.choices)
    return [{**r, "source_label": labels.get(r["source"], r["source"])} for r in rows]


def workspace_campaigns(workspace: Workspace) -> list[Campaign]:
    return list(Campaign.objects.filter(workspace=workspace).order_by("name"))


def match_rules(workspace: Workspace) -> list[MatchRule]:
    return list(MatchRule.objects.filter(workspace=workspace).select_related("campaign"))


def month_with_rows(workspace: Workspace) -> dt.date | None:
    """The first day of the latest month holding dated rows."""
    latest = (
        ResultRow.objects.filter(workspace=workspace, day__isnull=False)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    return latest.replace(day=1) if latest else None


def results_for_period(
    workspace: Workspace, start: dt.date, end: dt.date
) -> tuple[list[Line], list[Line], bool]:
    """The period's results by campaign and channel with targets (three queries)."""
    rows = (
        ResultRow.objects.filter(workspace=workspace)
        .filter(
            Q(day__range=(start, end))
            | Q(day__isnull=True, period_start__gte=start, period_end__lte=end)
        )
        .values("campaign_id", "channel", "source", "currency")
        .annotate(**{m: Sum(m) for m in SUMMED})
        .order_by()
    )
    sums = []
    for r in rows:
        values: dict[str, Any] = dict(r)
        sums.append(
            Sums(
                values["campaign_id"],
                values["channel"],
                values["source"],
                values["currency"],
                {m: Decimal(values[m] or 0) for m in SUMMED},
            )
        )
    ids = {s.campaign_id for s in sums if s.campaign_id is not None}
    names = dict(Campaign.objects.filter(workspace=workspace, pk__in=ids).values_list("pk", "name"))
    targets: dict[int, list[Target]] = {}
    for m in SuccessMetric.objects.filter(campaign__workspace=workspace, campaign_id__in=ids):
        targets.setdefault(m.campaign_id, []).append(
            Target(m.name, m.target, m.comparison == Comparison.AT_LEAST, m.unit)
        )
    return build(sums, names, targets)
