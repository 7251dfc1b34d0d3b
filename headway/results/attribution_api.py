"""Attribution over the API: each model's credit for a period's leads, deals and revenue."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from annotated_types import Ge, Le
from ninja import Query, Router, Schema

from headway.api.schemas import BoundedDate
from headway.core.errors import DomainError
from headway.core.http import WorkspaceRequest
from headway.engine.attribution import DEFAULT_HALF_LIFE_DAYS, LABELS, RULES, Model
from headway.results.access import require_importer
from headway.results.attribution import (
    MAX_HALF_LIFE,
    MIN_HALF_LIFE,
    Line,
    Report,
    attribution_report,
)
from headway.results.attribution_views import period_of
from headway.results.currency import report_currency

router = Router(tags=["results"])

ModelName = Literal["first_touch", "last_touch", "linear", "time_decay", "position_based"]
HalfLife = Annotated[float, Ge(MIN_HALF_LIFE), Le(MAX_HALF_LIFE)]


class AttributionFigures(Schema):
    leads: float
    deals: float
    revenue: float


class AttributionCampaignOut(Schema):
    name: str
    campaign_id: int | None
    credit: AttributionFigures


class AttributionChannelOut(Schema):
    channel: str
    credit: AttributionFigures


class AttributionModelOut(Schema):
    model: str
    label: str
    rule: str
    total: AttributionFigures  # credited plus untouched: the same for every model
    by_campaign: list[AttributionCampaignOut]
    by_channel: list[AttributionChannelOut]


class AttributionPeriodOut(Schema):
    start: dt.date
    end: dt.date


class AttributionOut(Schema):
    period: AttributionPeriodOut
    half_life_days: float
    currency: str  # of every revenue figure
    totals: AttributionFigures
    conversions: dict[str, int]
    untouched: AttributionFigures  # conversions no touch preceded, left out of every model
    models: list[AttributionModelOut]
    notes: list[str]


@router.get(
    "/workspaces/{ws}/results/attribution",
    response=AttributionOut,
    summary="Leads, deals and revenue credited to campaigns and channels by each attribution "
    "model (`from`/`to` default to the latest month with results)",
)
def attribution_get(
    request: WorkspaceRequest,
    ws: str,
    start: BoundedDate | None = Query(None, alias="from"),  # noqa: B008
    end: BoundedDate | None = Query(None, alias="to"),  # noqa: B008
    model: ModelName | None = None,
    half_life: HalfLife = DEFAULT_HALF_LIFE_DAYS,
) -> AttributionOut:
    require_importer(request.membership)
    start, end = period_of(start, end, request.workspace)
    if end < start:
        raise DomainError("The end of the period comes before its start.", field="to")
    if (end - start).days > 3660:
        raise DomainError("Choose a period of at most ten years.", field="to")
    models = [Model(model)] if model else None
    report = attribution_report(
        request.workspace, start, end, half_life_days=half_life, models=models
    )
    # revenue is in the won deals' currency; without any, the figures are in no currency of
    # their own and the answer names the report's, as the results answers do
    return _out(report, report.currency or report_currency(request.workspace))


def _figures(values: dict[str, object]) -> AttributionFigures:
    return AttributionFigures(**{k: float(v) for k, v in values.items()})  # type: ignore[arg-type]


def _credit(report: Report, dimension: int, model: Model) -> dict[tuple[str, int | None], dict]:
    found: dict[tuple[str, int | None], dict] = {}
    for measure, table in report.tables.items():
        lines: list[Line] = table.dimensions[dimension][1]
        for line in lines:
            found.setdefault((line.label, line.campaign_id), {m: 0 for m in report.tables})[
                measure
            ] = line.credits[model]
    return found


def _out(report: Report, currency: str) -> AttributionOut:
    tables = report.tables
    models = []
    for index, m in enumerate(report.models):
        models.append(
            AttributionModelOut(
                model=m.value,
                label=LABELS[m],
                rule=RULES[m],
                total=_figures({k: t.totals[index] for k, t in tables.items()}),
                by_campaign=[
                    AttributionCampaignOut(name=name, campaign_id=cid, credit=_figures(v))
                    for (name, cid), v in _credit(report, 0, m).items()
                ],
                by_channel=[
                    AttributionChannelOut(channel=name, credit=_figures(v))
                    for (name, _), v in _credit(report, 1, m).items()
                ],
            )
        )
    return AttributionOut(
        period=AttributionPeriodOut(start=report.start, end=report.end),
        half_life_days=report.half_life_days,
        currency=currency,
        totals=_figures({k: t.total for k, t in tables.items()}),
        conversions={k: t.conversions for k, t in tables.items()},
        untouched=_figures({k: t.untouched for k, t in tables.items()}),
        models=models,
        notes=report.notes,
    )
