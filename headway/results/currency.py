"""Currency rates per month, entered by the workspace, and figures converted with them.

A figure in another currency is converted with the rate of its own month and says so; a
figure whose month has no rate stays in its currency and is flagged, never summed with
figures in the workspace's currency.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count

from headway.accounts.models import User
from headway.activity.models import Verb
from headway.activity.services import event_record
from headway.core.errors import DomainError
from headway.planning.models import Campaign
from headway.results.currency_models import CurrencyRate, ReportCurrency
from headway.results.report import MONEY, ContentLine, Line, Sums
from headway.workspaces.models import Workspace

DEFAULT_CURRENCY = "USD"
_CODE = re.compile(r"^[A-Z]{3}$")
_RATE_LIMIT = Decimal("100000000")

Rates = dict[tuple[dt.date, str], Decimal]


def report_currency(workspace: Workspace) -> str:
    """The currency set on the rates page; else the one most of the campaigns budget in."""
    found = ReportCurrency.objects.filter(workspace=workspace).values_list("currency", flat=True)
    saved = next(iter(found), None)
    if saved:
        return saved
    common = (
        Campaign.objects.filter(workspace=workspace)
        .values("currency")
        .annotate(n=Count("pk"))
        .order_by("-n", "currency")
        .values_list("currency", flat=True)
    )
    return next(iter(common[:1]), DEFAULT_CURRENCY) or DEFAULT_CURRENCY


def _code(value: str, field: str) -> str:
    code = str(value).strip().upper()
    if not _CODE.match(code):
        raise DomainError("A currency is three letters (ISO 4217), e.g. EUR.", field=field)
    return code


@transaction.atomic
def report_currency_set(*, actor: User | None, workspace: Workspace, currency: str) -> str:
    code = _code(currency, "report_currency")
    before = report_currency(workspace)
    obj, _ = ReportCurrency.objects.update_or_create(
        workspace=workspace, defaults={"currency": code}
    )
    if before != code:
        event_record(
            actor=actor,
            verb=Verb.UPDATED,
            obj=obj,
            workspace=workspace,
            changes={"currency": [before, code]},
        )
    return code


def month_of(value: str | dt.date) -> dt.date:
    """The first day of a month given as `YYYY-MM` (or any day of it)."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value).strip()
    try:
        year, month = text[:7].split("-")
        day = dt.date(int(year), int(month), 1)
    except ValueError:
        raise DomainError("Give the month as YYYY-MM, e.g. 2026-03.", field="month") from None
    if not 1970 <= day.year <= 2100:
        raise DomainError("Give a month between 1970 and 2100.", field="month")
    return day


def _rate(value: str | Decimal) -> Decimal:
    try:
        rate = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(f"“{value}” is not a number; write e.g. 1.08.", field="rate") from None
    if not rate.is_finite() or rate <= 0 or rate >= _RATE_LIMIT:
        raise DomainError("A rate is a positive number below 100,000,000.", field="rate")
    if rate != rate.quantize(Decimal("0.000001")):
        raise DomainError("A rate has at most six decimals.", field="rate")
    return rate


@transaction.atomic
def rate_set(
    *,
    actor: User | None,
    workspace: Workspace,
    month: str | dt.date,
    currency: str,
    rate: str | Decimal,
) -> CurrencyRate:
    """One unit of `currency` is `rate` units of the report currency in `month` (replacing
    the month's earlier rate for that currency)."""
    code = _code(currency, "currency")
    if code == report_currency(workspace):
        raise DomainError(f"{code} is the report currency; it needs no rate.", field="currency")
    first, value = month_of(month), _rate(rate)
    obj, created = CurrencyRate.objects.update_or_create(
        workspace=workspace, month=first, currency=code, defaults={"rate": value}
    )
    event_record(
        actor=actor,
        verb=Verb.CREATED if created else Verb.UPDATED,
        obj=obj,
        workspace=workspace,
        changes={"rate": [None, str(value)]},
    )
    return obj


@transaction.atomic
def rate_delete(*, actor: User | None, rate: CurrencyRate) -> None:
    event_record(
        actor=actor,
        verb=Verb.DELETED,
        obj=rate,
        workspace=rate.workspace,
        changes={"rate": [str(rate.rate), None]},
    )
    rate.delete()


def rates_for(workspace: Workspace) -> Rates:
    return {
        (month, currency): rate
        for month, currency, rate in CurrencyRate.objects.filter(workspace=workspace).values_list(
            "month", "currency", "rate"
        )
    }


@dataclass(frozen=True)
class Converted:
    """A figure in the report currency, or left in its own when its month has no rate."""

    value: Decimal
    currency: str
    converted: bool
    note: str  # "converted from EUR at 1.08, March 2026", or why it was not

    @property
    def flagged(self) -> bool:
        return bool(self.note) and not self.converted


def convert(
    value: Decimal, currency: str, month: dt.date, *, rates: Rates, target: str
) -> Converted:
    """`value` in `currency` during `month`, stated in `target` with the month's rate."""
    if not currency or currency == target:
        return Converted(value, target, False, "")
    rate = rates.get((month.replace(day=1), currency))
    when = f"{month:%B %Y}"
    if rate is None:
        return Converted(
            value, currency, False, f"in {currency}: no {currency} rate for {when}, not converted"
        )
    return Converted(
        (value * rate).quantize(Decimal("0.01")),
        target,
        True,
        f"converted from {currency} at {rate.normalize():f}, {when}",
    )


CONTENT_MONEY = ("spend", "conversion_value")


def convert_content(
    lines: list[ContentLine], month: dt.date, *, rates: Rates, target: str
) -> list[ContentLine]:
    """The month's content lines with their money (spend, conversion value) in the report
    currency, each stating its rate; a line whose month has no rate keeps its currency and
    says so (content lines are never summed with each other, so nothing is kept apart)."""
    for line in lines:
        if not line.currency or line.currency == target:
            continue
        if not any(line.figures.get(m) for m in CONTENT_MONEY):
            continue
        note = ""
        converted = False
        for metric in CONTENT_MONEY:
            if line.figures.get(metric):
                c = convert(line.figures[metric], line.currency, month, rates=rates, target=target)
                line.figures[metric], converted, note = c.value, c.converted, c.note
        line.note = note
        if converted:
            line.currency = target
    return lines


def convert_budget(line: Line, month: dt.date, *, rates: Rates, target: str) -> None:
    """A campaign line's brief budget in the report currency with the month's rate, stated
    in line.budget_note ("budget converted from EUR at 1.08, March 2026"); without a rate
    the budget stays in its currency and the note says why (no ROI is worked out then)."""
    if line.budget is None or not line.budget_currency or line.budget_currency == target:
        return
    c = convert(line.budget, line.budget_currency, month, rates=rates, target=target)
    line.budget_note = f"budget {c.note}"
    if c.converted:
        line.budget, line.budget_currency = c.value, target


def convert_sums(sums: list[Sums], month: dt.date, *, rates: Rates, target: str) -> list[Sums]:
    """A month's sums with money in the report currency: converted with the month's rate
    (noted), or kept apart and flagged when the month has no rate for its currency."""
    out: list[Sums] = []
    for s in sums:
        if not s.currency or s.currency == target or not any(s.values.get(m) for m in MONEY):
            out.append(s)
            continue
        values = dict(s.values)
        notes = []
        converted = True
        for metric in MONEY:
            if values.get(metric):
                c = convert(values[metric], s.currency, month, rates=rates, target=target)
                values[metric], converted = c.value, c.converted
                notes.append(c.note)
        currency = target if converted else s.currency
        out.append(replace(s, values=values, currency=currency, note=notes[0], apart=not converted))
    return out
