"""Attribution of a period's leads, deals and revenue to campaigns and channels, by each of the
five models, from the touches and deals the HubSpot imports stored.

Conversions are dated as the results report dates them, so the totals agree with it: a lead
when its contact was created, a deal when it closed if won (otherwise when it was created),
revenue when a won deal closed. A deal whose contact is not among the imported contacts is
credited to its own original source, dated when the deal was created.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q

from headway.engine.attribution import (
    DEFAULT_HALF_LIFE_DAYS,
    LABELS,
    RULES,
    Attribution,
    Conversion,
    Model,
    Touch,
    attribute_models,
    regroup,
)
from headway.planning.models import Campaign
from headway.results import selectors
from headway.results.answers import inputs_digest, stored_answer
from headway.results.crm_models import CrmContact, CrmDeal
from headway.results.crm_models import Touch as TouchRow
from headway.results.rollup_models import AnswerKind
from headway.results.sources.hubspot import channel_of
from headway.workspaces.models import Workspace

MEASURES = ("revenue", "leads", "deals")
MEASURE_LABELS = {"leads": "Leads", "deals": "Deals", "revenue": "Revenue"}
NO_CAMPAIGN = "No campaign (direct, organic or untagged)"
CHANNEL_LABELS = {
    "paid_search": "Paid search",
    "paid_social": "Paid social",
    "email": "Email",
    "organic_search": "Organic search",
    "organic_social": "Organic social",
    "direct": "Direct",
    "referral": "Referrals",
    "other": "Other",
    "": "Unknown source",
}
MIN_HALF_LIFE, MAX_HALF_LIFE = 0.5, 365.0


@dataclass(frozen=True)
class CampaignKey:
    campaign_id: int | None
    name: str  # the file's campaign name when no Headway campaign matches it


@dataclass
class Line:
    """One campaign's or channel's credit under each model."""

    label: str
    campaign_id: int | None
    credits: dict[Model, Decimal]

    @property
    def values(self) -> list[Decimal]:
        """The credits in the report's model order."""
        return list(self.credits.values())


@dataclass
class Table:
    """One measure attributed by every model, by campaign and by channel."""

    measure: str
    total: Decimal
    conversions: int
    by_campaign: list[Line]
    by_channel: list[Line]
    untouched: Decimal  # the same under every model: conversions no touch preceded
    credited: dict[Model, Decimal]

    @property
    def label(self) -> str:
        return MEASURE_LABELS[self.measure]

    @property
    def totals(self) -> list[Decimal]:
        """Each model's credits plus the untouched part, in model order: all equal the total."""
        return [c + self.untouched for c in self.credited.values()]

    @property
    def dimensions(self) -> list[tuple[str, list[Line]]]:
        return [("campaign", self.by_campaign), ("channel", self.by_channel)]

    @property
    def is_money(self) -> bool:
        return self.measure == "revenue"

    @property
    def reconciles(self) -> bool:
        return all(c + self.untouched == self.total for c in self.credited.values())


@dataclass
class Report:
    start: dt.date
    end: dt.date
    half_life_days: float
    currency: str
    models: list[Model]
    tables: dict[str, Table]
    contacts: int
    touches: int
    returned: int  # contacts whose latest source differs from the original
    notes: list[str] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.contacts > 0 or any(t.conversions for t in self.tables.values())


def check_half_life(value: float) -> float:
    if not MIN_HALF_LIFE <= value <= MAX_HALF_LIFE:
        raise ValueError(
            f"The half-life must be between {MIN_HALF_LIFE:g} and {MAX_HALF_LIFE:g} days."
        )
    return value


@dataclass
class _Inputs:
    contacts: int = 0
    returned: int = 0
    touches: list[tuple[str, dt.datetime, CampaignKey, str]] = field(default_factory=list)
    conversions: dict[str, list[Conversion]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    currency: str = ""


def crm_fingerprint(workspace: Workspace) -> str:
    """What an attribution report depends on besides its parameters: the CRM imports stored
    (every CRM row comes with one; storing or removing an import changes the count or the
    latest id), what matching and the labels read of the campaigns (names, UTM values,
    platform names, currency) and the rules. Three small queries."""
    from headway.results.models import Import, MatchRule, Source

    imports = Import.objects.filter(
        workspace=workspace, source__in=(Source.HUBSPOT_CONTACTS, Source.HUBSPOT_DEALS)
    ).aggregate(n=Count("id"), top=Max("id"))
    # what matching and the labels read of the campaigns, not their updated_at: rescheduling
    # a plan touches every campaign without changing an attribution
    campaigns = list(
        Campaign.objects.filter(workspace=workspace)
        .values_list("pk", "name", "utm_campaign", "platform_names", "currency")
        .order_by("pk")
    )
    rules = MatchRule.objects.filter(workspace=workspace).aggregate(
        n=Count("id"), top=Max("updated_at")
    )
    digest = hashlib.sha256(repr(campaigns).encode()).hexdigest()[:24]
    parts = [
        f"i{imports['n']}:{imports['top']}",
        f"c{len(campaigns)}:{digest}",
        f"r{rules['n']}:{rules['top'].isoformat() if rules['top'] else '-'}",
    ]
    return "|".join(parts)


def attribution_report(
    workspace: Workspace,
    start: dt.date,
    end: dt.date,
    *,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    models: list[Model] | None = None,
) -> Report:
    """Each model's credits for the period's leads, deals and revenue: worked out once for
    the CRM data and matching in force (crm_fingerprint) and the parameters, stored
    (headway.results.answers), then read from there (four queries) until an import, a
    campaign's name, UTM value, platform names or currency, or a rule changes."""
    check_half_life(half_life_days)
    chosen = models or list(Model)
    params = f"{start}:{end}:{float(half_life_days)}:{','.join(m.value for m in chosen)}"
    return stored_answer(
        workspace.pk,
        AnswerKind.ATTRIBUTION,
        params,
        inputs_digest(crm_fingerprint(workspace)),
        lambda: _report(workspace, start, end, half_life_days, chosen),
    )


def _report(
    workspace: Workspace, start: dt.date, end: dt.date, half_life_days: float, chosen: list[Model]
) -> Report:
    """The report worked out from the stored touches and deals (four queries)."""
    inputs = _inputs(workspace, start, end)
    names = _campaign_names(workspace, inputs.touches)
    touches = [Touch(contact, at, (key, channel)) for contact, at, key, channel in inputs.touches]
    tables = {
        measure: _table(
            measure, touches, chosen, half_life_days, names, inputs.conversions[measure]
        )
        for measure in MEASURES
    }
    return Report(
        start=start,
        end=end,
        half_life_days=half_life_days,
        currency=_currency(workspace, inputs.currency),
        models=chosen,
        tables=tables,
        contacts=inputs.contacts,
        touches=len(inputs.touches),
        returned=inputs.returned,
        notes=inputs.notes,
    )


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC),
    )


def _inputs(workspace: Workspace, start: dt.date, end: dt.date) -> _Inputs:
    """The period's conversions and the touches of the contacts behind them (three queries
    besides the matcher's, whatever the size of the CRM outside the period)."""
    low, high = _bounds(start, end)
    matcher = selectors.matcher_for(workspace)
    found = _Inputs(conversions={m: [] for m in MEASURES})

    def key(name: str) -> CampaignKey:
        match = matcher.match(name)
        return CampaignKey(match.campaign_id, "" if match.campaign_id else name.strip())

    deals = _period_deals(workspace, low, high)
    contacts = CrmContact.objects.filter(workspace=workspace).filter(
        Q(created__gte=low, created__lt=high)
        | Q(email__in={d.contact_email for d in deals if d.contact_email})
    )
    rows = TouchRow.objects.filter(workspace=workspace, at__lt=high, contact__in=contacts)
    kinds: dict[str, set[str]] = {}
    for contact_id, at, campaign_name, channel, kind in rows.values_list(
        "contact_id", "at", "campaign_name", "channel", "kind"
    ).order_by():
        found.touches.append((str(contact_id), at, key(campaign_name), channel))
        kinds.setdefault(str(contact_id), set()).add(kind)
    by_email: dict[str, str] = {}
    for pk, email, created in contacts.values_list("pk", "email", "created").order_by(
        "created", "pk"
    ):
        if email:
            by_email.setdefault(email, str(pk))
        if low <= created < high:
            found.contacts += 1
            found.returned += len(kinds.get(str(pk), ())) > 1
            found.conversions["leads"].append(Conversion(str(pk), created, Decimal(1)))
    _deal_conversions(deals, by_email, key, found)
    return found


def _period_deals(workspace: Workspace, low: dt.datetime, high: dt.datetime) -> list[CrmDeal]:
    """Deals converting in the period: won ones when they closed, the others when created."""
    candidates = CrmDeal.objects.filter(workspace=workspace).filter(
        Q(close_date__gte=low, close_date__lt=high) | Q(created__gte=low, created__lt=high)
    )
    found = []
    for deal in candidates.order_by("close_date", "record_id"):
        when = _deal_moment(deal)
        if when is not None and low <= when < high:
            found.append(deal)
    return found


def _deal_moment(deal: CrmDeal) -> dt.datetime | None:
    return deal.close_date if deal.won else (deal.created or deal.close_date)


def _deal_conversions(
    deals: list[CrmDeal],
    by_email: dict[str, str],
    key: Callable[[str], CampaignKey],
    found: _Inputs,
) -> None:
    revenue: dict[str, list[Conversion]] = {}
    for deal in deals:
        when = _deal_moment(deal)
        assert when is not None
        contact = by_email.get(deal.contact_email)
        if contact is None:
            contact = f"deal:{deal.pk}"
            source = (key(deal.original_drill_down_2), channel_of(deal.original_source))
            found.touches.append((contact, deal.created or when, *source))
        found.conversions["deals"].append(Conversion(contact, when, Decimal(1)))
        if deal.won and deal.amount:
            revenue.setdefault(deal.currency, []).append(Conversion(contact, when, deal.amount))
    if not revenue:
        return
    found.currency = max(revenue, key=lambda c: (len(revenue[c]), c))
    found.conversions["revenue"] = revenue.pop(found.currency)
    if revenue:
        left = sum(len(v) for v in revenue.values())
        found.notes.append(
            f"{left} won deal(s) in another currency ({', '.join(sorted(revenue))}) are "
            "counted as deals but left out of the revenue."
        )


def _currency(workspace: Workspace, found: str) -> str:
    """The deals' currency, or (when the export names none) the campaigns' usual one."""
    if found:
        return found
    usual = (
        Campaign.objects.filter(workspace=workspace)
        .values("currency")
        .annotate(n=Count("pk"))
        .order_by("-n", "currency")
        .first()
    )
    return usual["currency"] if usual else ""


def _campaign_names(
    workspace: Workspace, touches: list[tuple[str, dt.datetime, CampaignKey, str]]
) -> dict[int, str]:
    ids = {k.campaign_id for _, _, k, _ in touches if k.campaign_id is not None}
    return dict(Campaign.objects.filter(workspace=workspace, pk__in=ids).values_list("pk", "name"))


def _table(
    measure: str,
    touches: list[Touch],
    models: list[Model],
    half_life_days: float,
    names: dict[int, str],
    conversions: list[Conversion],
) -> Table:
    """Touches are keyed by (campaign, channel): one engine pass per model, read both ways."""
    both = attribute_models(models, touches, conversions, half_life_days=half_life_days)
    campaign_results = {m: regroup(r, lambda k: k[0]) for m, r in both.items()}
    channel_results = {m: regroup(r, lambda k: k[1]) for m, r in both.items()}
    first = next(iter(campaign_results.values()))
    return Table(
        measure=measure,
        total=first.total,
        conversions=first.conversions,
        by_campaign=_lines(campaign_results, lambda k: _campaign_label(k, names)),
        by_channel=_lines(channel_results, lambda k: (CHANNEL_LABELS.get(k, k), None)),
        untouched=first.untouched,
        credited={m: r.credited for m, r in campaign_results.items()},
    )


def _campaign_label(key: CampaignKey, names: dict[int, str]) -> tuple[str, int | None]:
    if key.campaign_id is not None:
        return names.get(key.campaign_id, key.name), key.campaign_id
    if key.name:
        return f"{key.name} (not matched to a campaign)", None
    return NO_CAMPAIGN, None


def _lines(
    results: dict[Model, Attribution], label: Callable[[Any], tuple[str, int | None]]
) -> list[Line]:
    keys = {k for r in results.values() for k, v in r.credits.items()}
    lines = []
    for k in keys:
        text, campaign_id = label(k)
        lines.append(
            Line(
                text,
                campaign_id,
                {m: r.credits.get(k, Decimal(0)) for m, r in results.items()},
            )
        )
    lines.sort(key=lambda line: (-max(line.credits.values(), default=Decimal(0)), line.label))
    return [line for line in lines if any(line.credits.values())]


def latest_crm_day(workspace: Workspace) -> dt.date | None:
    """The day of the latest conversion the CRM imports hold (a contact created, a deal won at
    its close, an open or lost deal at its creation)."""
    found = [
        CrmContact.objects.filter(workspace=workspace).aggregate(m=Max("created"))["m"],
        CrmDeal.objects.filter(workspace=workspace, won=True).aggregate(m=Max("close_date"))["m"],
        CrmDeal.objects.filter(workspace=workspace, won=False).aggregate(m=Max("created"))["m"],
    ]
    days = [moment.date() for moment in found if moment is not None]
    return max(days) if days else None


def model_infos(models: list[Model]) -> list[tuple[Model, str, str]]:
    return [(m, LABELS[m], RULES[m]) for m in models]
