"""Reads for imports: the matcher of a workspace, earlier imports, rows a new file replaces."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet, Sum

from headway.planning.models import Campaign, Comparison, SuccessMetric
from headway.results.answers import inputs_digest, stored_answer
from headway.results.currency import (
    Rates,
    convert_budget,
    convert_content,
    convert_sums,
    rates_for,
    report_currency,
)
from headway.results.execution import campaign_execution_facts
from headway.results.mapping import source_labels
from headway.results.matching import CampaignKeys, Matcher, Rule
from headway.results.models import Import, MatchRule, ResultRow, Source
from headway.results.report import (
    AD_SOURCES,
    CONTENT_SUMMED,
    SUMMED,
    ContentLine,
    Line,
    Sums,
    Target,
    Underperformer,
    build,
    channel_medians,
    content_lines,
    main_channels,
    month_lines,
    underperforming,
)
from headway.results.rollup_models import (
    AnswerKind,
    MonthRollup,
    _month_of,
    rollups_fresh,
    rollups_ready,
)
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


def replaced_imports(
    workspace: Workspace,
    source: str,
    start: dt.date | None,
    end: dt.date | None,
    campaigns: tuple[str, ...] = (),
) -> list[tuple[str, str, int]]:
    """The files whose stored rows a file covering start..end would replace: (file name,
    source label, rows), oldest file first. One source has several layouts (Mailchimp's
    all-campaigns export and its single-campaign report), so the file is named, not the
    layout being previewed."""
    found = (
        rows_in_period(workspace, source, start, end, campaigns)
        .values("source_import_id")
        .annotate(rows=Count("id"))
        .order_by("source_import_id")
    )
    counts = {r["source_import_id"]: r["rows"] for r in found}
    imports = Import.objects.filter(pk__in=counts).order_by("pk")
    return [
        (i.file_name or "an unnamed file", i.get_source_display(), counts[i.pk]) for i in imports
    ]


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
    labels = source_labels(workspace)
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


def _in_period(workspace: Workspace, start: dt.date, end: dt.date) -> QuerySet[ResultRow]:
    """Dated rows of the period, and undated rows (a file's whole period) inside it."""
    return ResultRow.objects.filter(workspace=workspace).filter(
        Q(day__range=(start, end))
        | Q(day__isnull=True, period_start__gte=start, period_end__lte=end)
    )


def _sums(rows: Iterable[Any]) -> list[Sums]:
    """Sums of grouped rows; only the metrics that are not zero (most of a source's are),
    as Decimals (readers use values.get)."""
    return [
        Sums(
            r["campaign_id"],
            r["channel"],
            r["source"],
            r["currency"],
            {m: v if type(v) is Decimal else Decimal(v) for m in SUMMED if (v := r[m])},
        )
        for r in rows
    ]


def period_sums(workspace: Workspace, start: dt.date, end: dt.date) -> list[Sums]:
    """Sums per (campaign, channel, source, currency) over the period (one query)."""
    rows = (
        _in_period(workspace, start, end)
        .values("campaign_id", "channel", "source", "currency")
        .annotate(**{m: Sum(m) for m in SUMMED})
        .order_by()
    )
    return _sums(rows)


def _targets(workspace: Workspace, ids: set[int]) -> dict[int, list[Target]]:
    targets: dict[int, list[Target]] = {}
    for m in SuccessMetric.objects.filter(campaign__workspace=workspace, campaign_id__in=ids):
        targets.setdefault(m.campaign_id, []).append(
            Target(m.name, m.target, m.comparison == Comparison.AT_LEAST, m.unit)
        )
    return targets


def results_for_period(
    workspace: Workspace, start: dt.date, end: dt.date
) -> tuple[list[Line], list[Line], bool]:
    """The period's results by campaign and channel with targets (three queries)."""
    sums = period_sums(workspace, start, end)
    ids = {s.campaign_id for s in sums if s.campaign_id is not None}
    names = dict(Campaign.objects.filter(workspace=workspace, pk__in=ids).values_list("pk", "name"))
    return build(sums, names, _targets(workspace, ids))


def campaign_results(workspace: Workspace, campaign_id: int, name: str) -> Line | None:
    """One campaign's results over every row matched to it, against its brief's targets:
    the report's arithmetic and its one conversion path (each month's money converted with
    that month's rate and stated, money without a rate kept apart); None when it has
    neither rows nor targets (three queries for the rows' months and the targets, two for
    the rates and report currency)."""
    rows = ResultRow.objects.filter(workspace=workspace, campaign_id=campaign_id)
    grouped = ("channel", "source", "currency")
    per_month: dict[dt.date, list[Any]] = defaultdict(list)
    for part in (
        rows.filter(day__isnull=False).annotate(month=_month_of("day")),
        rows.filter(day__isnull=True, period_start__isnull=False).annotate(
            month=_month_of("period_start")
        ),
    ):
        for r in part.values("month", *grouped).annotate(**{m: Sum(m) for m in SUMMED}).order_by():
            per_month[_as_date(_month_date(r["month"]))].append({**r, "campaign_id": campaign_id})
    targets = _targets(workspace, {campaign_id}).get(campaign_id, [])
    if not per_month and not targets:
        return None
    rates, target = report_money(workspace)
    sums: list[Sums] = []
    for month, found in sorted(per_month.items()):
        sums.extend(convert_sums(_sums(found), month, rates=rates, target=target))
    if not sums:
        # Nothing imported yet: every target is shown with no actual.
        sums = [Sums(campaign_id, "", "", "", {})]
    by_campaign, _, _ = build(sums, {campaign_id: name}, {campaign_id: targets})
    if not by_campaign:
        return None
    line = by_campaign[0]
    if not line.currency:  # no money of its own yet: its figures are in the report currency
        line.currencies.add(target)
    return line


def _month_date(value: Any) -> dt.date:
    """A month the database worked out: a date (or datetime), or SQLite's 'YYYY-MM-01'."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return cast(dt.date, value)


# The results report ----------------------------------------------------------------------

MONTHS_SHOWN = 12
_CONTENT_SOURCES = ("google_ads", "meta_ads", "linkedin", "mailchimp", "ga4")


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])


@dataclass(frozen=True)
class SpendWithoutSessions:
    campaign_id: int
    campaign: str
    spend: Decimal
    currency: str


@dataclass(frozen=True)
class UntaggedSessions:
    name: str  # the UTM campaign value analytics saw
    detail: str  # source / medium
    sessions: int


@dataclass(frozen=True)
class UtmAudit:
    """Campaigns that spent but brought no tagged sessions, and tagged sessions no campaign
    claims. Without an analytics export in the period there is nothing to check."""

    has_analytics: bool
    spend_without_sessions: list[SpendWithoutSessions]
    sessions_without_campaign: list[UntaggedSessions]

    @property
    def clean(self) -> bool:
        return not self.spend_without_sessions and not self.sessions_without_campaign


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    by_campaign: list[Line]
    by_channel: list[Line]
    leads_from_crm: bool
    underperformers: list[Underperformer]
    by_content: list[ContentLine] = field(default_factory=list)  # most conversions first
    content_total: int = 0  # content lines in the month (by_content may hold the first few)
    by_month: list[Line] = field(default_factory=list)
    audit: UtmAudit | None = None
    currency: str = ""  # the report currency: money without a currency of its own is in it


def _rollups(workspace: Workspace) -> QuerySet[MonthRollup]:
    """The workspace's monthly rollups; public readers call rollups_ready first."""
    return MonthRollup.objects.filter(workspace=workspace)


ROLLUP_CACHE_SECONDS = 3600


def _cached(workspace: Workspace, fp: str, name: str, query: Any) -> list[Any]:
    """A rollup query's rows, cached under the fingerprint the rollups were built from: a
    new import or rule changes the fingerprint, so a cached answer is never stale."""
    key = f"results-rollup:{workspace.pk}:{name}:{fp}"
    return cast(list[Any], cache.get_or_set(key, lambda: list(query), ROLLUP_CACHE_SECONDS))


def month_sums(workspace: Workspace, month: dt.date) -> list[Sums]:
    """Sums per (campaign, channel, source, currency) over a calendar month, from the
    monthly rollups (as period_sums over the month, reading a few thousand rows)."""
    return _month_sums(workspace, month, rollups_ready(workspace.pk))


def _month_sums(workspace: Workspace, month: dt.date, fp: str) -> list[Sums]:
    rows = (
        _rollups(workspace)
        .filter(month=month.replace(day=1))
        .values("campaign_id", "channel", "source", "currency")
        .annotate(**{m: Sum(m) for m in SUMMED})
        .order_by()
    )
    return _sums(_cached(workspace, fp, f"sums:{month:%Y-%m}", rows))


def results_fingerprint(workspace: Workspace) -> str:
    """The key of the workspace's rollups (rebuilt first when stale): read it once per page
    and pass it to the readers below."""
    return rollups_ready(workspace.pk)


def report_money(workspace: Workspace) -> tuple[Rates, str]:
    """The workspace's rates and report currency (two queries), to read once per page."""
    return rates_for(workspace), report_currency(workspace)


def latest_month(workspace: Workspace, fp: str | None = None) -> dt.date | None:
    """The latest month holding results (from the rollups)."""
    if fp is None:
        rollups_ready(workspace.pk)
    found = _rollups(workspace).aggregate(latest=Max("month"))["latest"]
    return found.replace(day=1) if found else None


@dataclass(frozen=True)
class MonthHeadline:
    """A month holding results, for the month links: how many campaigns, how many flagged."""

    month: dt.date
    campaigns: int
    underperformers: int


def _all_targets(workspace: Workspace) -> dict[int, list[Target]]:
    """Every campaign's targets (one query)."""
    targets: dict[int, list[Target]] = {}
    rows = SuccessMetric.objects.filter(campaign__workspace=workspace).order_by("campaign_id", "pk")
    for cid, name, target, comparison, unit in rows.values_list(
        "campaign_id", "name", "target", "comparison", "unit"
    ):
        targets.setdefault(cid, []).append(
            Target(name, target, comparison == Comparison.AT_LEAST, unit)
        )
    return targets


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:24]


def months_with_results(
    workspace: Workspace,
    limit: int = MONTHS_SHOWN,
    *,
    fp: str | None = None,
    money: tuple[Rates, str] | None = None,
) -> list[MonthHeadline]:
    """The latest months holding results (newest first, at most `limit`), each with its
    number of campaigns and of underperformers (no execution facts).

    One grouped query over the months' rollups and one for the targets; the headlines are
    stored (headway.results.answers) for the fingerprint, the targets, the rates and the
    report currency, everything that decides a flag (a budget does not: ROI against budget
    flags nobody), and read from there until one of them changes."""
    if fp is None:
        fp = rollups_ready(workspace.pk)
    rates, target = money if money is not None else report_money(workspace)
    targets = _all_targets(workspace)
    inputs = inputs_digest(fp, sorted(targets.items()), sorted(rates.items()), target)

    def compute() -> list[MonthHeadline]:
        months = list(
            _rollups(workspace)
            .values_list("month", flat=True)
            .distinct()
            .order_by("-month")[:limit]
        )
        if not months:
            return []
        rows = (
            _rollups(workspace)
            .filter(month__gte=min(months))
            .values("month", "campaign_id", "channel", "source", "currency")
            .annotate(**{m: Sum(m) for m in SUMMED})
            .order_by()
        )
        per: dict[dt.date, list[Any]] = defaultdict(list)
        for r in _cached(workspace, fp, f"headline-sums:{limit}", rows):
            per[_as_date(r["month"])].append(r)
        out = []
        for month in months:
            start = _as_date(month)
            sums = convert_sums(_sums(per.get(start, [])), start, rates=rates, target=target)
            by_campaign, _by_channel, _crm = build(sums, {}, targets)
            channels = main_channels(sums)
            for line in by_campaign:
                if line.campaign_id is not None:
                    line.channel = channels.get(line.campaign_id, "")
            out.append(
                MonthHeadline(
                    month=start,
                    campaigns=sum(1 for line in by_campaign if line.campaign_id is not None),
                    underperformers=len(underperforming(by_campaign)),
                )
            )
        return out

    return stored_answer(workspace.pk, AnswerKind.HEADLINES, str(limit), inputs, compute)


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


Brief = tuple[str, Decimal | None, str]  # a campaign's name, budget and its currency


def _briefs(workspace: Workspace, ids: set[int] | None = None) -> dict[int, Brief]:
    """The name, budget and currency of the campaigns (of every one without `ids`): what a
    report reads of the briefs (one query)."""
    found = Campaign.objects.filter(workspace=workspace)
    if ids is not None:
        found = found.filter(pk__in=ids)
    return {
        pk: (name, budget, currency)
        for pk, name, budget, currency in found.values_list(
            "pk", "name", "budget", "currency"
        ).order_by("pk")
    }


def _campaign_report(
    workspace: Workspace,
    start: dt.date,
    end: dt.date,
    fp: str,
    money: tuple[Rates, str] | None = None,
    briefs: dict[int, Brief] | None = None,
    targets: dict[int, list[Target]] | None = None,
) -> tuple[list[Sums], list[Line], list[Line], bool, dict[int, str]]:
    """(sums, by campaign with channel and budget, by channel, leads from CRM, names) of the
    month starting on `start`; `money` is the workspace's rates and report currency, `briefs`
    and `targets` the campaigns' (at least those of the month), when the caller has read them
    already."""
    sums = _month_sums(workspace, start, fp)
    # money in the report currency, with the month's rates the workspace entered
    rates, target = (
        money if money is not None else (rates_for(workspace), report_currency(workspace))
    )
    sums = convert_sums(sums, start, rates=rates, target=target)
    ids = {s.campaign_id for s in sums if s.campaign_id is not None}
    if briefs is None:
        briefs = _briefs(workspace, ids)
    names = {pk: b[0] for pk, b in briefs.items() if pk in ids}
    if targets is None:
        targets = _targets(workspace, ids)
    by_campaign, by_channel, crm = build(
        sums, names, {pk: t for pk, t in targets.items() if pk in ids}
    )
    channels = main_channels(sums)
    for line in by_campaign:
        if line.campaign_id is not None:
            line.channel = channels.get(line.campaign_id, "")
            _name, line.budget, line.budget_currency = briefs.get(line.campaign_id, ("", None, ""))
            convert_budget(line, start, rates=rates, target=target)
    return sums, by_campaign, by_channel, crm, names


def _explained(
    workspace: Workspace, lines: list[Line], month: dt.date, now: dt.datetime | None = None
) -> list[Underperformer]:
    flagged = underperforming(lines)
    if not flagged:
        return []
    facts = campaign_execution_facts(workspace, [u.campaign_id for u in flagged], now=now)
    return [
        replace(
            u,
            execution=facts[u.campaign_id].sentences if u.campaign_id in facts else (),
            facts=facts.get(u.campaign_id),
            month=month,
        )
        for u in flagged
    ]


def underperformers(
    workspace: Workspace, month: dt.date, now: dt.datetime | None = None
) -> list[Underperformer]:
    """The month's campaigns below their brief's targets or their channel's median return,
    each with its execution facts and a sentence ("Missed its lead target by 38%; launched 9
    working days late; its creative waited 6 working days for Maya's approval."), worst
    first. A fixed number of queries."""
    start, end = month_bounds(month)
    fp = rollups_ready(workspace.pk)
    _, by_campaign, _, _, _ = _campaign_report(workspace, start, end, fp)
    return _explained(workspace, by_campaign, start, now)


def campaign_underperformance(
    workspace: Workspace, campaign: Campaign, now: dt.datetime | None = None
) -> Underperformer | None:
    """The campaign's flag in the latest month holding its results, or None, for the
    campaign page: from up-to-date rollups only (None while they are stale: they are summed
    again once an import commits, and the results page rebuilds them; a campaign page never
    pays for that), and from this campaign's figures and targets only. Its channel's median
    return needs every campaign of the month: those medians are cached under the rollups'
    fingerprint, the rates and the report currency."""
    fp = rollups_fresh(workspace.pk)
    if fp is None:
        return None
    latest = (_rollups(workspace).filter(campaign_id=campaign.pk).aggregate(latest=Max("month")))[
        "latest"
    ]
    if latest is None:
        return None
    start = _as_date(latest).replace(day=1)
    rates, target = money = report_money(workspace)
    month = _month_sums(workspace, start, fp)
    sums = [s for s in month if s.campaign_id == campaign.pk]
    if not sums:
        return None
    sums = convert_sums(sums, start, rates=rates, target=target)
    (line, *_), _channels, _crm = build(
        sums,
        {campaign.pk: campaign.name},
        _targets(workspace, {campaign.pk}),
        crm=any(s.source == "hubspot_contacts" for s in month),  # leads as the month counts
    )
    line.channel = main_channels(sums).get(campaign.pk, "")
    flagged = underperforming([line], _channel_medians(workspace, start, fp, money))
    if not flagged:
        return None
    facts = campaign_execution_facts(workspace, [campaign.pk], now=now).get(campaign.pk)
    return replace(flagged[0], execution=facts.sentences if facts else (), facts=facts, month=start)


def _channel_medians(
    workspace: Workspace, start: dt.date, fp: str, money: tuple[Rates, str]
) -> dict[str, Decimal]:
    """Each channel's median return in the month (see report.channel_medians), cached under
    the rollups' fingerprint, the rates and the report currency."""
    rates, target = money
    key = (
        f"results-medians:{workspace.pk}:{start:%Y-%m}:{fp}:"
        f"{_digest((sorted(rates.items()), target))}"
    )

    def compute() -> dict[str, Decimal]:
        sums = convert_sums(_month_sums(workspace, start, fp), start, rates=rates, target=target)
        by_campaign, _by_channel, _crm = build(sums, {}, {})
        channels = main_channels(sums)
        for line in by_campaign:
            if line.campaign_id is not None:
                line.channel = channels.get(line.campaign_id, "")
        return channel_medians(by_campaign)

    return cast(dict[str, Decimal], cache.get_or_set(key, compute, ROLLUP_CACHE_SECONDS))


def utm_audit(
    workspace: Workspace,
    start: dt.date,
    end: dt.date,
    sums: list[Sums] | None = None,
    fp: str | None = None,
) -> UtmAudit:
    """See UtmAudit, for the calendar month starting on `start` (a few queries)."""
    if fp is None:
        fp = rollups_ready(workspace.pk)
    if sums is None:
        sums = _month_sums(workspace, start, fp)
    has_analytics = any(s.source == Source.GA4 for s in sums)
    spend: dict[int, Decimal] = defaultdict(Decimal)
    currencies: dict[int, set[str]] = defaultdict(set)
    tagged: set[int] = set()
    for s in sums:
        if s.campaign_id is None:
            continue
        if s.source in AD_SOURCES and s.values.get("spend"):
            spend[s.campaign_id] += s.values["spend"]
            currencies[s.campaign_id].add(s.currency)
        if s.source == Source.GA4 and s.values.get("sessions"):
            tagged.add(s.campaign_id)
    missing = [pk for pk, amount in spend.items() if amount and pk not in tagged]
    names = (
        dict(Campaign.objects.filter(workspace=workspace, pk__in=missing).values_list("pk", "name"))
        if missing and has_analytics
        else {}
    )
    without = sorted(
        (
            SpendWithoutSessions(
                pk,
                names.get(pk, ""),
                spend[pk],
                next(iter(currencies[pk])) if len(currencies[pk]) == 1 else "mixed",
            )
            for pk in missing
            if has_analytics
        ),
        key=lambda x: (-x.spend, x.campaign),
    )
    orphans = []
    if has_analytics:
        rows = (
            _rollups(workspace)
            .filter(month=start.replace(day=1), source=Source.GA4, campaign_id__isnull=True)
            .exclude(campaign_name="")
            .exclude(campaign_name__startswith="(")
            .values("campaign_name", "detail")
            .annotate(sessions=Sum("sessions"))
            .order_by("-sessions", "campaign_name")
        )
        orphans = [
            UntaggedSessions(r["campaign_name"], r["detail"], int(r["sessions"] or 0))
            for r in _cached(workspace, fp, f"orphans:{start:%Y-%m}", rows)
            if r["sessions"]
        ]
    return UtmAudit(has_analytics, without, orphans)


def _content(
    workspace: Workspace,
    start: dt.date,
    names: dict[int, str],
    fp: str,
    limit: int | None,
    money: tuple[Rates, str],
    labels: dict[str, str] | None = None,
) -> tuple[list[ContentLine], int]:
    """The month's content lines, most conversions first (the first `limit` of them), and
    how many there are; their money in the report currency, with the month's rate."""
    grouped = (
        _rollups(workspace)
        .filter(month=start, source__in=_CONTENT_SOURCES)
        .values("source", "campaign_name", "detail", "campaign_id", "currency")
    )
    rows = (
        grouped.annotate(**{m: Sum(m) for m in CONTENT_SUMMED})
        .annotate(rank=F("conversions") + F("key_events") + F("leads"))
        .order_by("-rank", "-email_clicks", "-clicks", "campaign_name", "detail", "source")
    )
    if limit is not None:
        rows = rows[:limit]
    found = _cached(workspace, fp, f"content-by-currency:{start:%Y-%m}:{limit}", rows)
    total = len(found)
    if limit is not None and total >= limit:
        total = cast(
            int,
            cache.get_or_set(
                f"results-rollup:{workspace.pk}:content-by-currency-count:{start:%Y-%m}:{fp}",
                lambda: grouped.annotate(n=Sum("rows")).order_by().count(),
                ROLLUP_CACHE_SECONDS,
            ),
        )
    extra = {r["campaign_id"] for r in found if r["campaign_id"] and r["campaign_id"] not in names}
    if extra:
        names = names | dict(
            Campaign.objects.filter(workspace=workspace, pk__in=extra).values_list("pk", "name")
        )
    rates, target = money
    lines = content_lines(found, names, labels if labels is not None else source_labels(workspace))
    return convert_content(lines, start, rates=rates, target=target), total


def _months(workspace: Workspace, start: dt.date, fp: str, money: tuple[Rates, str]) -> list[Line]:
    first = start
    for _ in range(MONTHS_SHOWN - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    rows = (
        _rollups(workspace)
        .filter(month__range=(first, start))
        .values("month", "source", "currency")
        .annotate(**{m: Sum(m) for m in SUMMED})
        .order_by()
    )
    per: dict[object, list[Sums]] = defaultdict(list)
    for r in _cached(workspace, fp, f"months:{start:%Y-%m}", rows):
        month = r["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        per[month].append(_sums([{**r, "campaign_id": None, "channel": ""}])[0])
    rates, target = money
    for month, sums in per.items():
        per[month] = convert_sums(sums, month, rates=rates, target=target)  # type: ignore[arg-type]
    return month_lines(per)


CONTENT_SHOWN = 50  # content lines on the results page (its CSV has them all)
CONTENT_API = 100  # content lines in the API's answer unless it asks for another number


def results_report(
    workspace: Workspace,
    month: dt.date,
    now: dt.datetime | None = None,
    content_limit: int | None = None,
    *,
    fp: str | None = None,
    money: tuple[Rates, str] | None = None,
) -> Report:
    """Everything the results page shows for a month: by campaign (with budget and main
    channel), channel, content and month (the twelve months to it), the underperformers
    explained, and the UTM audit. A fixed number of queries; `fp` and `money` are the
    rollups' fingerprint and the workspace's rates and currency when the caller read them.

    The figures are a stored answer (see report_figures); the underperformers' execution
    facts are read for each request, as the plan they describe changes without an import."""
    start, _end = month_bounds(month)
    report = report_figures(workspace, start, content_limit, fp=fp, money=money)
    return replace(report, underperformers=_explained(workspace, report.by_campaign, start, now))


def report_figures(
    workspace: Workspace,
    month: dt.date,
    content_limit: int | None = None,
    *,
    fp: str | None = None,
    money: tuple[Rates, str] | None = None,
) -> Report:
    """The month's report without the underperformers' explanations (its `underperformers`
    are flagged, not explained): stored for the rollups, rates, report currency, briefs,
    targets and source names it was computed from, and read from there until one of them
    changes (four queries besides those of `fp` and `money` when stored)."""
    start, end = month_bounds(month)
    if fp is None:
        fp = rollups_ready(workspace.pk)
    if money is None:
        money = report_money(workspace)
    briefs, targets, labels = _briefs(workspace), _all_targets(workspace), source_labels(workspace)
    inputs = inputs_digest(
        fp,
        sorted(money[0].items()),
        money[1],
        sorted(briefs.items()),
        sorted(targets.items()),
        sorted(labels.items()),
    )

    def compute() -> Report:
        sums, by_campaign, by_channel, crm, _names = _campaign_report(
            workspace, start, end, fp, money, briefs=briefs, targets=targets
        )
        all_names = {pk: b[0] for pk, b in briefs.items()}
        content, content_total = _content(
            workspace, start, all_names, fp, content_limit, money, labels=labels
        )
        return Report(
            start=start,
            end=end,
            by_campaign=by_campaign,
            by_channel=by_channel,
            leads_from_crm=crm,
            underperformers=underperforming(by_campaign),
            by_content=content,
            content_total=content_total,
            by_month=_months(workspace, start, fp, money),
            audit=utm_audit(workspace, start, end, sums, fp),
            currency=money[1],
        )

    params = f"{start:%Y-%m}:{content_limit}"
    return stored_answer(workspace.pk, AnswerKind.REPORT, params, inputs, compute)
