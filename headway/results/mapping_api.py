"""Column mappings and currency rates over the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from annotated_types import MaxLen
from ninja import Router, Schema

from headway.api.schemas import ChoiceStr, Id, SafeStr
from headway.core.http import WorkspaceRequest
from headway.results import currency
from headway.results.access import require_importer
from headway.results.currency_models import CurrencyRate
from headway.results.mapping import mapping_delete, mapping_get, mapping_save, source_key
from headway.results.mapping_models import ColumnMapping

router = Router(tags=["results"])


class MappingIn(Schema):
    name: Annotated[SafeStr, MaxLen(60)]
    columns: Annotated[list[tuple[Annotated[SafeStr, MaxLen(255)], ChoiceStr]], MaxLen(200)]
    channel: ChoiceStr = "other"


class MappingOut(Schema):
    id: int
    name: str
    source: str
    channel: str
    columns: list[tuple[str, str]]


def _mapping_out(m: ColumnMapping) -> MappingOut:
    return MappingOut(
        id=m.pk,
        name=m.name,
        source=source_key(m.name),
        channel=m.channel,
        columns=[(str(h), str(t)) for h, t in m.columns],
    )


@router.get("/workspaces/{ws}/mappings", response=list[MappingOut], summary="Column mappings")
def mappings_list(request: WorkspaceRequest, ws: str) -> list[MappingOut]:
    require_importer(request.membership)
    return [_mapping_out(m) for m in ColumnMapping.objects.filter(workspace=request.workspace)]


@router.post(
    "/workspaces/{ws}/mappings",
    response={201: MappingOut},
    summary="Save a column mapping: `columns` is [[column name, target], ...] for every column",
)
def mappings_create(
    request: WorkspaceRequest, ws: str, payload: MappingIn
) -> tuple[int, MappingOut]:
    require_importer(request.membership)
    saved = mapping_save(
        actor=request.user,
        workspace=request.workspace,
        name=payload.name,
        columns=[list(pair) for pair in payload.columns],
        channel=payload.channel,
    )
    return 201, _mapping_out(saved)


@router.delete(
    "/workspaces/{ws}/mappings/{mapping_id}", response={204: None}, summary="Forget a mapping"
)
def mappings_delete(request: WorkspaceRequest, ws: str, mapping_id: Id) -> tuple[int, None]:
    require_importer(request.membership)
    mapping_delete(actor=request.user, mapping=mapping_get(request.workspace, mapping_id))
    return 204, None


class RateIn(Schema):
    month: Annotated[SafeStr, MaxLen(10)]
    currency: Annotated[SafeStr, MaxLen(3)]
    rate: Annotated[SafeStr, MaxLen(30)]


class RateOut(Schema):
    id: int
    month: str
    currency: str
    to: str
    rate: Decimal


class RatesOut(Schema):
    report_currency: str
    rates: list[RateOut]


def _rate_out(r: CurrencyRate, to: str) -> RateOut:
    return RateOut(id=r.pk, month=f"{r.month:%Y-%m}", currency=r.currency, to=to, rate=r.rate)


@router.get(
    "/workspaces/{ws}/currency-rates",
    response=RatesOut,
    summary="The report currency and the rates entered per month",
)
def rates_list(request: WorkspaceRequest, ws: str) -> RatesOut:
    require_importer(request.membership)
    to = currency.report_currency(request.workspace)
    rates = CurrencyRate.objects.filter(workspace=request.workspace)
    return RatesOut(report_currency=to, rates=[_rate_out(r, to) for r in rates])


@router.post(
    "/workspaces/{ws}/currency-rates",
    response={201: RateOut},
    summary="Enter a month's rate: one unit of `currency` is `rate` units of the report currency",
)
def rates_create(request: WorkspaceRequest, ws: str, payload: RateIn) -> tuple[int, RateOut]:
    require_importer(request.membership)
    saved = currency.rate_set(
        actor=request.user,
        workspace=request.workspace,
        month=payload.month,
        currency=payload.currency,
        rate=payload.rate,
    )
    return 201, _rate_out(saved, currency.report_currency(request.workspace))


@router.delete(
    "/workspaces/{ws}/currency-rates/{rate_id}", response={204: None}, summary="Remove a rate"
)
def rates_delete(request: WorkspaceRequest, ws: str, rate_id: Id) -> tuple[int, None]:
    require_importer(request.membership)
    rate = CurrencyRate.objects.get(workspace=request.workspace, pk=rate_id)
    currency.rate_delete(actor=request.user, rate=rate)
    return 204, None
