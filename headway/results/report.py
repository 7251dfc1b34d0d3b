"""Results of a period by campaign and by channel, with the brief's targets against actuals.

Pure computation over sums per (campaign, channel, source, currency). Leads come from the CRM
(HubSpot contacts created) when the period has CRM rows, else from what the ad platforms
report, never both (the same person would count twice). Spend is ad-platform spend.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

CRM_SOURCES = frozenset({"hubspot_contacts", "hubspot_deals"})
AD_SOURCES = frozenset({"google_ads", "meta_ads", "linkedin"})
MAPPED_PREFIX = "x:"  # sources read through a column mapping (their spend counts as ad spend)
MONEY = frozenset({"spend", "revenue"})
#: what a target can measure that is money: sums of money and costs per lead
MONEY_MEASURES = frozenset({"spend", "revenue", "cpl", "cost_per_qualified"})
SUMMED = (
    "spend",
    "impressions",
    "clicks",
    "leads",
    "qualified_leads",
    "deals",
    "revenue",
    "sessions",
    "key_events",
)
ZERO = Decimal(0)
CHANNEL_LABELS = {
    "paid_search": "Paid search",
    "paid_social": "Paid social",
    "email": "Email",
    "organic_search": "Organic search",
    "organic_social": "Organic social",
    "direct": "Direct",
    "referral": "Referral",
    "other": "Other",
}


@dataclass(frozen=True)
class Sums:
    campaign_id: int | None
    channel: str
    source: str
    currency: str
    values: dict[str, Decimal]
    note: str = ""  # how its money was converted to the report currency, or why it was not
    apart: bool = False  # money in another currency without a rate: kept apart, never summed


@dataclass(frozen=True)
class Target:
    name: str
    target: Decimal
    at_least: bool
    unit: str


@dataclass
class Line:
    """One campaign's (or channel's) figures for the period."""

    key: str
    label: str
    campaign_id: int | None = None
    currencies: set[str] = field(default_factory=set)
    figures: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(SUMMED, ZERO))
    targets: list[TargetCheck] = field(default_factory=list)
    channel: str = ""  # a campaign's main channel: where most of its spend (or sessions) went
    budget: Decimal | None = None  # the brief's budget, in budget_currency
    budget_currency: str = ""
    #: how the budget was converted to the report currency, or why it was not
    budget_note: str = ""
    notes: list[str] = field(default_factory=list)  # currency conversions behind its money
    #: money in another currency the month has no rate for: {currency: {metric: sum}}
    apart: dict[str, dict[str, Decimal]] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        named = sorted(c for c in self.currencies if c)
        return named[0] if len(named) == 1 else ("mixed" if named else "")

    @property
    def cpl(self) -> Decimal | None:
        return _ratio(self.figures["spend"], self.figures["leads"])

    @property
    def cost_per_qualified(self) -> Decimal | None:
        return _ratio(self.figures["spend"], self.figures["qualified_leads"])

    @property
    def roas(self) -> Decimal | None:
        """Revenue per unit of spend (none without spend)."""
        spend = self.figures["spend"]
        return (self.figures["revenue"] / spend).quantize(Decimal("0.01")) if spend else None

    @property
    def roi(self) -> Decimal | None:
        """Return on the brief's budget, (revenue - budget) / budget, when both are in the same
        currency (the report converts a budget with the month's rate; without a rate, none)."""
        if not self.budget or (self.currency and self.currency != self.budget_currency):
            return None
        return ((self.figures["revenue"] - self.budget) / self.budget).quantize(Decimal("0.01"))

    @property
    def budget_used(self) -> Decimal | None:
        if not self.budget or (self.currency and self.currency != self.budget_currency):
            return None
        return (self.figures["spend"] / self.budget).quantize(Decimal("0.01"))

    @property
    def channel_label(self) -> str:
        return channel_label(self.channel) if self.channel else ""

    @property
    def missed(self) -> list[TargetCheck]:
        return [t for t in self.targets if t.met is False]


@dataclass(frozen=True)
class TargetCheck:
    name: str
    target: Decimal
    at_least: bool
    unit: str
    actual: Decimal | None  # None: no imported figure measures it
    metric: str

    @property
    def is_money(self) -> bool:
        """Whether the actual is money (in its line's currency), not a count."""
        return self.metric in MONEY_MEASURES

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual >= self.target if self.at_least else self.actual <= self.target

    @property
    def shortfall_percent(self) -> int | None:
        gap = self.gap_percent
        return None if gap is None else abs(gap)

    @property
    def gap_percent(self) -> int | None:
        """How far the actual is from the target, in percent of the target (negative = short)."""
        if self.actual is None or not self.target:
            return None
        return round((self.actual - self.target) / self.target * 100)


def _ratio(a: Decimal, b: Decimal) -> Decimal | None:
    """Cost per unit; none without both spend and units (no spend is not a cost of 0)."""
    return (a / b).quantize(Decimal("0.01")) if a and b else None


#: Words in a success metric's name and the figure that measures it, most specific first.
_METRIC_WORDS = (
    ("cost per qualified", "cost_per_qualified"),
    ("cost per lead", "cpl"),
    ("cpl", "cpl"),
    ("qualified", "qualified_leads"),
    ("mql", "qualified_leads"),
    ("lead", "leads"),
    ("sign-up", "leads"),
    ("signup", "leads"),
    ("registration", "leads"),
    ("revenue", "revenue"),
    ("sales", "revenue"),
    ("deal", "deals"),
    ("session", "sessions"),
    ("visit", "sessions"),
    ("click", "clicks"),
    ("impression", "impressions"),
    ("spend", "spend"),
)


def measured_by(name: str) -> str | None:
    text = name.casefold()
    return next((metric for word, metric in _METRIC_WORDS if word in text), None)


def _actual(line: Line, metric: str) -> Decimal | None:
    if metric == "cpl":
        return line.cpl
    if metric == "cost_per_qualified":
        return line.cost_per_qualified
    return line.figures[metric]


def build(
    sums: list[Sums],
    names: dict[int, str],
    targets: dict[int, list[Target]],
    crm: bool | None = None,
) -> tuple[list[Line], list[Line], bool]:
    """(lines by campaign, lines by channel, whether leads came from the CRM); `crm` says
    whether the period has CRM rows when `sums` are only some of the period's."""
    if crm is None:
        crm = any(s.source == "hubspot_contacts" for s in sums)
    campaigns: dict[str, Line] = {}
    channels: dict[str, Line] = defaultdict(lambda: Line("", ""))
    for s in sums:
        key = str(s.campaign_id) if s.campaign_id is not None else "none"
        line = campaigns.get(key)
        if line is None:
            label = names.get(s.campaign_id, "") if s.campaign_id else "No campaign"
            line = campaigns[key] = Line(key, label, s.campaign_id)
        channel = channels[s.channel or "other"]
        channel.key = channel.channel = s.channel or "other"
        channel.label = channel_label(channel.key)
        for target_line in (line, channel):
            _add(target_line, s, crm)
    for line in campaigns.values():
        for t in targets.get(line.campaign_id or 0, []):
            metric = measured_by(t.name)
            actual = _actual(line, metric) if metric else None
            line.targets.append(
                TargetCheck(t.name, t.target, t.at_least, t.unit, actual, metric or "")
            )
    by_campaign = sorted(
        campaigns.values(),
        key=lambda line: (line.campaign_id is None, -line.figures["qualified_leads"], line.label),
    )
    by_channel = sorted(channels.values(), key=lambda line: -line.figures["spend"])
    return by_campaign, by_channel, crm


def channel_label(key: str) -> str:
    return CHANNEL_LABELS.get(key, key.replace("_", " ").capitalize())


def _add(line: Line, s: Sums, crm: bool) -> None:
    spends = s.source in AD_SOURCES or s.source.startswith(MAPPED_PREFIX)
    # a currency names money: rows of another currency without any (clicks, leads) leave
    # the line's currency alone, never "mixed"
    has_money = any(s.values.get(m) for m in MONEY)
    if (spends or s.source in CRM_SOURCES) and not s.apart and has_money:
        line.currencies.add(s.currency)
    if s.note and not s.apart and s.note not in line.notes:
        line.notes.append(s.note)
    for metric in SUMMED:
        value = s.values.get(metric)
        if not value:  # most of a row's metrics are zero: nothing to add or keep apart
            continue
        if metric == "leads" and (s.source in CRM_SOURCES) != crm:
            continue
        if metric == "spend" and not spends:
            continue
        if s.apart and metric in MONEY and value:
            kept = line.apart.setdefault(s.currency, {})
            kept[metric] = kept.get(metric, ZERO) + value
            continue
        line.figures[metric] += value


def main_channels(sums: list[Sums]) -> dict[int, str]:
    """Each campaign's main channel: where most of its spend went, else most sessions."""
    weight: dict[int, dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for s in sums:
        if s.campaign_id is None or not s.channel:
            continue
        spend = s.values.get("spend") or ZERO if s.source in AD_SOURCES else ZERO
        sessions = s.values.get("sessions") or ZERO
        old = weight[s.campaign_id].get(s.channel, (ZERO, ZERO))
        weight[s.campaign_id][s.channel] = (old[0] + spend, old[1] + sessions)
    return {cid: max(sorted(per.items()), key=lambda kv: kv[1])[0] for cid, per in weight.items()}


# Underperformers -------------------------------------------------------------------------

MIN_PEERS = 3  # campaigns with spend in a channel before its median return means anything


def channel_medians(lines: list[Line]) -> dict[str, Decimal]:
    """The median return (revenue per unit of spend) of each channel's campaigns with spend,
    for channels with at least MIN_PEERS of them."""
    per: dict[str, list[Decimal]] = defaultdict(list)
    for line in lines:
        if line.campaign_id is not None and line.channel and line.roas is not None:
            per[line.channel].append(line.roas)
    out = {}
    for channel, values in per.items():
        if len(values) < MIN_PEERS:
            continue
        ordered = sorted(values)
        mid = len(ordered) // 2
        median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
        out[channel] = median.quantize(Decimal("0.01"))
    return out


def target_reason(t: TargetCheck) -> str:
    name = t.name.strip()
    noun = name if name.isupper() else name[:1].lower() + name[1:]
    if t.at_least:
        return f"missed its {noun} target by {t.shortfall_percent}%"
    return f"went {t.shortfall_percent}% over its {noun} limit"


@dataclass(frozen=True)
class Underperformer:
    """A campaign below its brief's targets or its channel's median return, and why."""

    campaign_id: int
    label: str
    channel: str
    results: tuple[str, ...]  # what it missed
    execution: tuple[str, ...] = ()  # how it was run (headway.results.execution)
    facts: object | None = None  # the ExecutionFacts behind `execution`
    month: dt.date | None = None  # the month's first day

    @property
    def channel_label(self) -> str:
        return channel_label(self.channel) if self.channel else ""

    @property
    def parts(self) -> tuple[str, ...]:
        return self.results + self.execution

    @property
    def sentence(self) -> str:
        text = "; ".join(self.parts)
        return (text[:1].upper() + text[1:] + ".") if text else ""


def underperforming(
    lines: list[Line], medians: dict[str, Decimal] | None = None
) -> list[Underperformer]:
    """Campaigns that missed a target of their brief, or returned less than their channel's
    median (`medians`, when worked out over more campaigns than `lines`); worst first (most
    targets missed, then the largest shortfall)."""
    if medians is None:
        medians = channel_medians(lines)
    out: list[tuple[tuple[int, int, str], Underperformer]] = []
    for line in lines:
        if line.campaign_id is None:
            continue
        reasons = [target_reason(t) for t in line.missed]
        median = medians.get(line.channel)
        roas = line.roas
        if median is not None and roas is not None and roas < median:
            currency = f" {line.currency}" if line.currency and line.currency != "mixed" else ""
            reasons.append(
                f"returned {roas:.2f} per{currency} spent against the "
                f"{line.channel_label.lower()} median of {median:.2f}"
            )
        if reasons:
            worst = max((t.shortfall_percent or 0 for t in line.missed), default=0)
            out.append(
                (
                    (-len(reasons), -worst, line.label),
                    Underperformer(line.campaign_id, line.label, line.channel, tuple(reasons)),
                )
            )
    return [u for _key, u in sorted(out, key=lambda x: x[0])]


# Content and months ----------------------------------------------------------------------

CONTENT_SUMMED = (
    "impressions",
    "clicks",
    "spend",
    "conversions",
    "conversion_value",
    "key_events",
    "leads",
    "sessions",
    "recipients",
    "email_clicks",
)


@dataclass
class ContentLine:
    """What a platform names below (or as) a campaign: an ad campaign, ad set, email or
    traffic source, with what it brought."""

    source: str
    source_label: str
    name: str
    detail: str
    campaign_id: int | None
    campaign: str
    figures: dict[str, Decimal]
    currency: str = ""  # of its money (spend, conversion value)
    note: str = ""  # how its money was converted to the report currency, or why it was not

    @property
    def conversions(self) -> Decimal:
        """Conversions the platform counts, or key events the analytics counts, or the leads an
        ad platform counts as its result (Meta's lead ads, LinkedIn's lead forms)."""
        return self.figures["conversions"] or self.figures["key_events"] or self.figures["leads"]


def content_lines(
    rows: list[Any], names: dict[int, str], labels: dict[str, str]
) -> list[ContentLine]:
    """Rows summed per (source, name, detail), most conversions first."""
    out = []
    for r in rows:
        cid = r.get("campaign_id")
        campaign_id = int(cid) if isinstance(cid, int) else None
        out.append(
            ContentLine(
                source=str(r["source"]),
                source_label=labels.get(str(r["source"]), str(r["source"])),
                name=str(r["campaign_name"] or ""),
                detail=str(r["detail"] or ""),
                campaign_id=campaign_id,
                campaign=names.get(campaign_id, "") if campaign_id else "",
                figures={m: Decimal(str(r.get(m) or 0)) for m in CONTENT_SUMMED},
                currency=str(r.get("currency") or ""),
            )
        )
    out.sort(
        key=lambda c: (-c.conversions, -c.figures["email_clicks"], -c.figures["clicks"], c.name)
    )
    return out


def month_lines(sums: dict[object, list[Sums]]) -> list[Line]:
    """One line per month (keys are the months' first days), oldest first; leads from the
    CRM in a month that has CRM rows, as for a single month."""
    out = []
    for month in sorted(sums, key=str):
        items = sums[month]
        crm = any(s.source == "hubspot_contacts" for s in items)
        line = Line(str(month), str(month))
        for s in items:
            _add(line, s, crm)
        out.append(line)
    return out
