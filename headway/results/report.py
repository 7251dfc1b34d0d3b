"""Results of a period by campaign and by channel, with the brief's targets against actuals.

Pure computation over sums per (campaign, channel, source, currency). Leads come from the CRM
(HubSpot contacts created) when the period has CRM rows, else from what the ad platforms
report, never both (the same person would count twice). Spend is ad-platform spend.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

CRM_SOURCES = frozenset({"hubspot_contacts", "hubspot_deals"})
AD_SOURCES = frozenset({"google_ads", "meta_ads", "linkedin"})
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


@dataclass(frozen=True)
class TargetCheck:
    name: str
    target: Decimal
    at_least: bool
    unit: str
    actual: Decimal | None  # None: no imported figure measures it
    metric: str

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
) -> tuple[list[Line], list[Line], bool]:
    """(lines by campaign, lines by channel, whether leads came from the CRM)."""
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
        channel.key = s.channel or "other"
        channel.label = CHANNEL_LABELS.get(channel.key, channel.key.replace("_", " ").capitalize())
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


def _add(line: Line, s: Sums, crm: bool) -> None:
    if s.source in AD_SOURCES or s.source in CRM_SOURCES:
        line.currencies.add(s.currency)
    for metric in SUMMED:
        value = s.values.get(metric) or ZERO
        if metric == "leads" and (s.source in CRM_SOURCES) != crm:
            continue
        if metric == "spend" and s.source not in AD_SOURCES:
            continue
        line.figures[metric] += value
