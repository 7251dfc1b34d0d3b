"""The results report over the API: a month by campaign, channel, content and month, the
underperformers explained by their execution, and the UTM audit."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ninja import Router, Schema

from headway.core.errors import DomainError
from headway.core.http import WorkspaceRequest
from headway.results import selectors
from headway.results.access import require_importer
from headway.results.execution import ExecutionFacts
from headway.results.report import Line, Underperformer

router = Router(tags=["results"])
MONTH = re.compile(r"^(19[7-9]\d|20\d\d|2100)-(0[1-9]|1[0-2])$")


class ResultsLineOut(Schema):
    key: str
    label: str
    campaign_id: int | None
    channel: str
    #: of its money (spend, revenue, costs per lead, budget): the report currency unless
    #: none of its money could be converted to it
    currency: str
    spend: float
    impressions: int
    clicks: int
    leads: int
    qualified_leads: int
    deals: int
    revenue: float
    sessions: int
    cost_per_lead: float | None
    cost_per_qualified_lead: float | None
    roas: float | None
    budget: float | None
    roi: float | None
    currency_notes: list[str] = []  # "converted from EUR at 1.08, March 2026"
    #: money in a currency the month has no rate for, kept apart: {currency: {metric: sum}}
    not_converted: dict[str, dict[str, float]] = {}


class ResultsContentOut(Schema):
    source: str
    name: str
    detail: str
    campaign_id: int | None
    impressions: int
    clicks: int
    spend: float
    conversions: float
    conversion_value: float
    key_events: float
    leads: int
    email_clicks: int
    sessions: int
    #: of spend and conversion value: the report currency unless they could not be converted
    currency: str
    currency_note: str = ""  # "converted from EUR at 1.08, March 2026", or why not


class ApproverWaitOut(Schema):
    person_id: int
    person: str
    working_days: float
    work: str


class ExecutionFactsOut(Schema):
    planned_launch: dt.date | None
    launched_on: dt.date | None
    late_working_days: int
    approvals: list[ApproverWaitOut]
    revision_rounds: int
    blocked_working_days: float
    tasks_done: int
    tasks_in_final_window: int


class UnderperformerOut(Schema):
    campaign_id: int
    campaign: str
    channel: str
    results: list[str]
    execution: list[str]
    sentence: str
    facts: ExecutionFactsOut | None


class SpendWithoutSessionsOut(Schema):
    campaign_id: int
    campaign: str
    spend: float
    currency: str


class UntaggedSessionsOut(Schema):
    utm_campaign: str
    source_medium: str
    sessions: int


class UtmAuditOut(Schema):
    month: str
    has_analytics: bool
    spend_without_sessions: list[SpendWithoutSessionsOut]
    sessions_without_campaign: list[UntaggedSessionsOut]


class ResultsReportOut(Schema):
    month: str
    #: the report currency: every line's money is in it unless the line names another
    currency: str
    leads_from_crm: bool
    campaigns: list[ResultsLineOut]
    channels: list[ResultsLineOut]
    content: list[ResultsContentOut]
    content_total: int
    months: list[ResultsLineOut]
    underperformers: list[UnderperformerOut]
    utm_audit: UtmAuditOut


def _month(request: WorkspaceRequest, month: str | None) -> dt.date:
    if not month:
        fp = selectors.results_fingerprint(request.workspace)
        return selectors.latest_month(request.workspace, fp) or request.workspace.today().replace(
            day=1
        )
    if not MONTH.match(month):
        raise DomainError("Give the month as YYYY-MM, e.g. 2026-03.", field="month")
    return dt.date(int(month[:4]), int(month[5:]), 1)


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _line(line: Line, report_currency: str) -> ResultsLineOut:
    f = line.figures
    return ResultsLineOut(
        key=line.key,
        label=line.label,
        campaign_id=line.campaign_id,
        channel=line.channel,
        currency=line.currency or report_currency,  # as the page and the CSV name it
        spend=float(f["spend"]),
        impressions=int(f["impressions"]),
        clicks=int(f["clicks"]),
        leads=int(f["leads"]),
        qualified_leads=int(f["qualified_leads"]),
        deals=int(f["deals"]),
        revenue=float(f["revenue"]),
        sessions=int(f["sessions"]),
        cost_per_lead=_f(line.cpl),
        cost_per_qualified_lead=_f(line.cost_per_qualified),
        roas=_f(line.roas),
        budget=_f(line.budget),
        roi=_f(line.roi),
        currency_notes=[*line.notes, *([line.budget_note] if line.budget_note else [])],
        not_converted={
            code: {m: float(v) for m, v in kept.items()} for code, kept in line.apart.items()
        },
    )


def _underperformer(u: Underperformer) -> UnderperformerOut:
    facts = u.facts
    out = None
    if isinstance(facts, ExecutionFacts):
        out = ExecutionFactsOut(
            planned_launch=facts.planned_launch,
            launched_on=facts.launched_on,
            late_working_days=facts.late_days,
            approvals=[
                ApproverWaitOut(
                    person_id=a.person_id,
                    person=a.person,
                    working_days=a.working_days,
                    work=a.work,
                )
                for a in facts.approvals
            ],
            revision_rounds=facts.revision_rounds,
            blocked_working_days=facts.blocked_days,
            tasks_done=facts.tasks_done,
            tasks_in_final_window=facts.tasks_in_final_window,
        )
    return UnderperformerOut(
        campaign_id=u.campaign_id,
        campaign=u.label,
        channel=u.channel,
        results=list(u.results),
        execution=list(u.execution),
        sentence=u.sentence,
        facts=out,
    )


def _audit(month: dt.date, audit: selectors.UtmAudit, report_currency: str) -> UtmAuditOut:
    return UtmAuditOut(
        month=f"{month:%Y-%m}",
        has_analytics=audit.has_analytics,
        spend_without_sessions=[
            SpendWithoutSessionsOut(
                campaign_id=c.campaign_id,
                campaign=c.campaign,
                spend=float(c.spend),
                currency=c.currency or report_currency,
            )
            for c in audit.spend_without_sessions
        ],
        sessions_without_campaign=[
            UntaggedSessionsOut(utm_campaign=s.name, source_medium=s.detail, sessions=s.sessions)
            for s in audit.sessions_without_campaign
        ],
    )


@router.get(
    "/workspaces/{ws}/results",
    response=ResultsReportOut,
    summary="A month's results by campaign, channel, content and month, the underperformers "
    "explained by their execution, and the UTM audit (`month` as YYYY-MM, default the latest "
    "month with results; the `content` lines with the most conversions, 100 unless asked)",
)
def results_report(
    request: WorkspaceRequest,
    ws: str,
    month: str | None = None,
    content: int = selectors.CONTENT_API,
) -> ResultsReportOut:
    require_importer(request.membership)
    if not 1 <= content <= 100_000:
        raise DomainError("Ask for 1 to 100,000 content lines.", field="content")
    report = selectors.results_report(
        request.workspace, _month(request, month), content_limit=content
    )
    currency = report.currency
    return ResultsReportOut(
        month=f"{report.start:%Y-%m}",
        currency=currency,
        leads_from_crm=report.leads_from_crm,
        campaigns=[_line(x, currency) for x in report.by_campaign],
        channels=[_line(x, currency) for x in report.by_channel],
        content=[
            ResultsContentOut(
                source=c.source,
                name=c.name,
                detail=c.detail,
                campaign_id=c.campaign_id,
                impressions=int(c.figures["impressions"]),
                clicks=int(c.figures["clicks"]),
                spend=float(c.figures["spend"]),
                conversions=float(c.figures["conversions"]),
                conversion_value=float(c.figures["conversion_value"]),
                key_events=float(c.figures["key_events"]),
                leads=int(c.figures["leads"]),
                email_clicks=int(c.figures["email_clicks"]),
                sessions=int(c.figures["sessions"]),
                currency=c.currency or currency,
                currency_note=c.note,
            )
            for c in report.by_content
        ],
        content_total=report.content_total,
        months=[_line(x, currency) for x in report.by_month],
        underperformers=[_underperformer(u) for u in report.underperformers],
        utm_audit=_audit(report.start, report.audit or selectors.UtmAudit(False, [], []), currency),
    )


@router.get(
    "/workspaces/{ws}/results/underperformers",
    response=list[UnderperformerOut],
    summary="The month's underperformers, worst first, each with its execution facts",
)
def results_underperformers(
    request: WorkspaceRequest, ws: str, month: str | None = None
) -> list[UnderperformerOut]:
    require_importer(request.membership)
    return [
        _underperformer(u)
        for u in selectors.underperformers(request.workspace, _month(request, month))
    ]


@router.get(
    "/workspaces/{ws}/results/utm-audit",
    response=UtmAuditOut,
    summary="Campaigns with spend but no tagged sessions, and tagged sessions matching no "
    "campaign, for a month",
)
def results_utm_audit(request: WorkspaceRequest, ws: str, month: str | None = None) -> UtmAuditOut:
    require_importer(request.membership)
    start, end = selectors.month_bounds(_month(request, month))
    currency = selectors.report_money(request.workspace)[1]
    return _audit(start, selectors.utm_audit(request.workspace, start, end), currency)
