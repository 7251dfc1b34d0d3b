"""Imports over the API: preview or store a file (multipart), list imports, add rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import MaxLen
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from headway.api.schemas import ChoiceStr, Id, SafeStr
from headway.core.http import WorkspaceRequest
from headway.results import selectors, services
from headway.results.access import require_importer
from headway.results.mapping import mapping_from_field

router = Router(tags=["results"])

Figures = dict[str, int | float]


class PeriodOut(Schema):
    start: dt.date | None
    end: dt.date | None


class CampaignRefOut(Schema):
    id: int
    name: str


class RowGroupOut(Schema):
    name: str
    channel: str
    currency: str | None
    rows: int
    first_line: int
    totals: Figures
    campaign: CampaignRefOut | None = None
    reason: str | None = None


class TotalsRowOut(Schema):
    line: int
    label: str
    totals: Figures


class MappingUsedOut(Schema):
    id: int
    name: str
    remembered: bool


class ImportOut(Schema):
    source: str
    source_label: str
    rows: int
    period: PeriodOut
    currency: str | None
    totals: Figures
    totals_rows: list[TotalsRowOut]
    matched: list[RowGroupOut]
    unmatched: list[RowGroupOut]
    unattributed_rows: int
    already_imported: bool
    replaces_rows: int
    notes: list[str]
    problems: list[str]
    mapping: MappingUsedOut | None = None
    stored: bool
    import_id: int | None


class ImportListOut(Schema):
    id: int
    source: str
    file_name: str
    period: PeriodOut
    rows: int
    replaced_rows: int
    created_at: dt.datetime


class RuleIn(Schema):
    campaign: Id
    kind: ChoiceStr = "starts_with"
    pattern: Annotated[SafeStr, MaxLen(255)]


class RuleOut(Schema):
    id: int
    campaign: int
    kind: str
    pattern: str


@router.post(
    "/workspaces/{ws}/imports",
    response={200: ImportOut, 201: ImportOut},
    summary="Import an export file (multipart field `file`); `?preview=true` stores nothing; "
    "a layout Headway does not know is read with the form field `mapping` (a saved mapping's "
    'id, or JSON {"name", "columns": [[column, target], ...], "channel"}) or with the mapping '
    "remembered for its header",
)
def imports_create(
    request: WorkspaceRequest,
    ws: str,
    file: File[UploadedFile],
    preview: bool = False,
    mapping: Form[Annotated[SafeStr, MaxLen(20000)] | None] = None,
) -> tuple[int, ImportOut]:
    require_importer(request.membership)
    data = file.read()
    name = file.name or ""
    given = mapping_from_field(request.workspace, mapping) if mapping else None
    shown = services.import_preview(
        workspace=request.workspace, data=data, file_name=name, mapping=given
    )
    body = shown.as_json()
    if preview:
        return 200, ImportOut(**body, stored=False, import_id=None)
    stored = services.import_store(
        actor=request.user, workspace=request.workspace, data=data, file_name=name, mapping=given
    )
    body["already_imported"] = not stored.created
    return (201 if stored.created else 200), ImportOut(
        **body, stored=stored.created, import_id=stored.import_.pk
    )


@router.get(
    "/workspaces/{ws}/imports",
    response=list[ImportListOut],
    summary="The latest imports, newest first",
)
def imports_list(request: WorkspaceRequest, ws: str) -> list[ImportListOut]:
    require_importer(request.membership)
    return [
        ImportListOut(
            id=i.pk,
            source=i.source,
            file_name=i.file_name,
            period=PeriodOut(start=i.period_start, end=i.period_end),
            rows=i.rows_count,
            replaced_rows=i.replaced_rows,
            created_at=i.created_at,
        )
        for i in selectors.recent_imports(request.workspace)
    ]


@router.post(
    "/workspaces/{ws}/match-rules",
    response={201: RuleOut},
    summary="A matching rule: names that are, start with or contain `pattern` go to `campaign`",
)
def match_rules_create(request: WorkspaceRequest, ws: str, payload: RuleIn) -> tuple[int, RuleOut]:
    require_importer(request.membership)
    rule = services.match_rule_create(
        actor=request.user,
        workspace=request.workspace,
        campaign_id=payload.campaign,
        kind=payload.kind,
        pattern=payload.pattern,
    )
    return 201, RuleOut(id=rule.pk, campaign=rule.campaign_id, kind=rule.kind, pattern=rule.pattern)


# Reviews and learnings have their own router, mounted under this app's.
from headway.results.reviews.api import router as reviews_router  # noqa: E402

router.add_router("", reviews_router)

# The results report (by campaign, channel, content and month; underperformers; UTM audit).
from headway.results.report_api import router as report_router  # noqa: E402

router.add_router("", report_router)

# Column mappings and currency rates.
from headway.results.mapping_api import router as mapping_router  # noqa: E402

router.add_router("", mapping_router)
