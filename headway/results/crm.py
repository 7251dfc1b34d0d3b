"""CRM touch data from HubSpot exports: each contact's original and latest source (with their
drill-downs), converting campaigns and lifecycle stage dates, and each deal with its contact.

HubSpot exports no touchpoint table, so the touches are read from the contact's properties:
the original source is the first touch, at the contact's creation; the latest source, when it
differs, is the most recent touch, dated by the export's latest-source date if it has one,
otherwise by the latest lifecycle stage the contact entered after its creation (a contact
that moved no further is only known to have come back after it was created). The campaign of
a touch is its drill-down 2 (where HubSpot keeps the UTM campaign) or, failing that, the first
or last touch converting campaign. Storing a file replaces the contacts or deals it names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from headway.core.errors import DomainError
from headway.results.bulk import insert_rows
from headway.results.crm_models import CrmContact, CrmDeal, Touch, TouchKind
from headway.results.models import Import, Source
from headway.results.sources.base import (
    Cells,
    ImportFormatError,
    cell,
    find_column,
    guess_number_format,
    is_blank,
    is_xlsx,
    norm,
    number_samples,
    parse_day,
    peek,
    slash_day_first,
    text_cells,
    xlsx_cells,
)
from headway.results.sources.hubspot import (
    CREATED_COLUMNS,
    DEAL_STAGE_COLUMNS,
    ID_COLUMNS,
    STAGE_COLUMNS,
    amount_columns,
    channel_of,
    deal_won,
    is_contacts_header,
    is_deals_header,
)

_TIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%d.%m.%Y %H:%M",
)
_DAY_FIRST_TIME_FORMATS = tuple(f.replace("%m/%d/%Y", "%d/%m/%Y") for f in _TIME_FORMATS)
_STAGE_DATE = re.compile(r'^date entered "?(.+?)(?: \(.*\))?"?$')
_BECAME = re.compile(r"^became an? (.+) date$")
_LATE = dt.timedelta(seconds=1)
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_AMOUNT_LIMIT = Decimal("1e14")


def parse_moment(
    text: str, *, line: int, column: int, label: str, day_first: bool = False
) -> dt.datetime | None:
    """A date-time as HubSpot writes it (or a bare day, at midnight), in UTC; None if empty.
    `day_first`: the file writes `a/b/yyyy` days day first (see `slash_day_first`)."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and len(text) == 13:  # epoch milliseconds (older exports)
        return dt.datetime.fromtimestamp(int(text) / 1000, tz=dt.UTC)
    iso = text.removesuffix("Z").split(".")[0] if "T" in text else text
    formats = _DAY_FIRST_TIME_FORMATS if day_first else _TIME_FORMATS
    for fmt in formats:
        try:
            return dt.datetime.strptime(iso, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    day = parse_day(text, line=line, column=column, label=label, day_first=day_first)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@dataclass
class ContactRecord:
    line: int
    record_id: str
    email: str
    created: dt.datetime
    lifecycle_stage: str
    original: tuple[str, str, str]  # source, drill-down 1, drill-down 2
    latest: tuple[str, str, str]
    latest_at: dt.datetime | None
    first_converting: str
    last_converting: str
    stage_dates: dict[str, dt.datetime] = field(default_factory=dict)

    def touches(self) -> list[tuple[str, dt.datetime, str, str]]:
        """(kind, at, source, campaign name) of the touches the export tells of."""
        first = (
            TouchKind.ORIGINAL.value,
            self.created,
            self.original[0],
            self.original[2].strip() or self.first_converting,
        )
        found = [first]
        latest_campaign = self.latest[2].strip() or self.last_converting
        if self.latest[0].strip() and (
            norm(self.latest[0]) != norm(self.original[0]) or latest_campaign != first[3]
        ):
            found.append(
                (TouchKind.LATEST.value, self.latest_moment(), self.latest[0], latest_campaign)
            )
        return found

    def latest_moment(self) -> dt.datetime:
        if self.latest_at is not None and self.latest_at >= self.created:
            return self.latest_at
        later = [d for d in self.stage_dates.values() if d > self.created]
        return max(later) if later else self.created + _LATE


@dataclass
class DealRecord:
    line: int
    record_id: str
    name: str
    stage: str
    won: bool
    amount: Decimal
    currency: str
    created: dt.datetime | None
    close_date: dt.datetime | None
    contact_email: str
    original_source: str
    original_drill_down_2: str


def _cells(data: bytes) -> Iterator[Cells]:
    return xlsx_cells(data) if is_xlsx(data) else text_cells(data)


def _header(cells: Iterator[Cells], test: Callable[[list[str]], bool], what: str) -> list[str]:
    """The header row: the first row the importer's own test takes for a HubSpot header."""
    for _, row in cells:
        if test(row):
            return row
    raise ImportFormatError(f"no HubSpot {what} header row found.", line=1)


def _stage_columns(header: list[str]) -> dict[int, str]:
    """Columns holding the date a contact entered a lifecycle stage, by stage name."""
    found = {}
    for index, label in enumerate(header):
        text = norm(label).replace('""', '"')
        match = _STAGE_DATE.match(text) or _BECAME.match(text)
        if match:
            found[index] = match.group(1).strip().strip('"')
    return found


def read_contacts(data: bytes) -> list[ContactRecord]:
    """Every contact of a HubSpot contacts export, in file order."""
    cells = _cells(data)
    header = _header(cells, is_contacts_header, "contacts")
    col = {
        "id": find_column(header, *ID_COLUMNS),
        "email": find_column(header, "email", "e-mail"),
        "created": find_column(header, *CREATED_COLUMNS),
        "stage": find_column(header, *STAGE_COLUMNS),
        "orig": find_column(header, "original traffic source", "original source"),
        "orig1": find_column(
            header, "original traffic source drill-down 1", "original source drill-down 1"
        ),
        "orig2": find_column(
            header, "original traffic source drill-down 2", "original source drill-down 2"
        ),
        "latest": find_column(header, "latest traffic source", "latest source"),
        "latest1": find_column(
            header, "latest traffic source drill-down 1", "latest source drill-down 1"
        ),
        "latest2": find_column(
            header, "latest traffic source drill-down 2", "latest source drill-down 2"
        ),
        "latest_at": find_column(
            header,
            "latest traffic source date",
            "latest traffic source timestamp",
            "latest source date",
            "latest source timestamp",
        ),
        "first_conv": find_column(header, "first touch converting campaign"),
        "last_conv": find_column(header, "last touch converting campaign"),
    }
    if col["created"] is None:
        raise ImportFormatError("the contacts export has no 'Create Date' column.", line=1)
    stages = _stage_columns(header)
    buffered, rows = peek(cells, 200)
    dated = [i for i in (col["created"], col["latest_at"], *stages) if i is not None]
    day_first = slash_day_first(cell(r, i) for _, r in buffered for i in dated)
    records = []
    for line, row in rows:
        if is_blank(row):
            continue
        records.append(_contact(line, row, header, col, stages, day_first))
    return records


def _moment(
    row: list[str], header: list[str], index: int | None, line: int, day_first: bool
) -> dt.datetime | None:
    if index is None:
        return None
    return parse_moment(
        cell(row, index), line=line, column=index + 1, label=header[index], day_first=day_first
    )


def _contact(
    line: int,
    row: list[str],
    header: list[str],
    col: dict[str, int | None],
    stages: dict[int, str],
    day_first: bool,
) -> ContactRecord:
    def text(name: str) -> str:
        return cell(row, col[name]).strip()

    created = _moment(row, header, col["created"], line, day_first)
    if created is None:
        raise ImportFormatError("the contact has no create date.", line=line)
    stage_dates = {}
    for index, stage in stages.items():
        moment = _moment(row, header, index, line, day_first)
        if moment is not None:
            stage_dates[stage] = moment
    return ContactRecord(
        line=line,
        record_id=text("id") or text("email"),
        email=text("email").lower(),
        created=created,
        lifecycle_stage=text("stage"),
        original=(text("orig"), text("orig1"), text("orig2")),
        latest=(text("latest"), text("latest1"), text("latest2")),
        latest_at=_moment(row, header, col["latest_at"], line, day_first),
        first_converting=text("first_conv"),
        last_converting=text("last_conv"),
        stage_dates=stage_dates,
    )


def read_deals(data: bytes) -> list[DealRecord]:
    """Every deal of a HubSpot deals export, in file order."""
    cells = _cells(data)
    header = _header(cells, is_deals_header, "deals")
    amount, currency, _ = amount_columns(header)
    col = {
        "id": find_column(header, *ID_COLUMNS),
        "name": find_column(header, "deal name", "dealname"),
        "stage": find_column(header, *DEAL_STAGE_COLUMNS),
        "currency": currency,
        "is_won": find_column(header, "is closed won", "hs_is_closed_won"),
        "probability": find_column(header, "deal probability", "hs_deal_stage_probability"),
        "created": find_column(header, *CREATED_COLUMNS),
        "closed": find_column(header, "close date", "closedate"),
        "contact": find_column(
            header,
            "associated contact",
            "associated contacts",
            "associated contact email",
            "contact email",
        ),
        "orig": find_column(header, "original traffic source", "original source"),
        "orig2": find_column(
            header, "original traffic source drill-down 2", "original source drill-down 2"
        ),
    }
    assert amount is not None
    buffered, rows = peek(cells, 200)
    fmt = guess_number_format(number_samples(buffered, [amount]))
    dated = [i for i in (col["created"], col["closed"]) if i is not None]
    day_first = slash_day_first(cell(r, i) for _, r in buffered for i in dated)
    records = []
    for line, row in rows:
        if is_blank(row):
            continue

        def text(name: str, row: list[str] = row) -> str:
            return cell(row, col[name]).strip()

        value = fmt.parse(row[amount], line=line, column=amount + 1, label=header[amount])
        if value is not None and abs(value) >= _AMOUNT_LIMIT:
            raise ImportFormatError(
                f"the amount {value} is larger than Headway can store.",
                line=line,
                column=amount + 1,
            )
        records.append(
            DealRecord(
                line=line,
                record_id=text("id") or f"line-{line}",
                name=text("name"),
                stage=text("stage"),
                won=deal_won(text("stage"), text("is_won"), text("probability")),
                amount=(value or Decimal(0)).quantize(Decimal("0.01")),
                currency=text("currency").upper()[:3],
                created=_moment(row, header, col["created"], line, day_first),
                close_date=_moment(row, header, col["closed"], line, day_first),
                contact_email=_first_email(text("contact")),
                original_source=text("orig"),
                original_drill_down_2=text("orig2"),
            )
        )
    return records


def _first_email(text: str) -> str:
    """The first e-mail address of the cell (several contacts can share one cell, and a name
    can surround the address); the cell itself when it holds none (a contact's name)."""
    found = _EMAIL.search(text)
    return (found.group(0) if found else text.strip()).lower()


# -- storing ----------------------------------------------------------------------------------


def crm_store(imp: Import, data: bytes) -> None:
    """Store the contacts (with their touches) or deals of a HubSpot file just imported,
    replacing what an earlier import said about the same records."""
    try:
        if imp.source == Source.HUBSPOT_CONTACTS:
            _store_contacts(imp, read_contacts(data))
        elif imp.source == Source.HUBSPOT_DEALS:
            _store_deals(imp, read_deals(data))
    except ImportFormatError as exc:
        raise DomainError(str(exc), field="file", code="invalid_file") from exc


def _clip(text: str, limit: int) -> str:
    return text.replace("\x00", "")[:limit]


def _store_contacts(imp: Import, records: list[ContactRecord]) -> None:
    latest = {r.record_id[:64]: r for r in records if r.record_id}
    ws = imp.workspace_id
    CrmContact.objects.filter(workspace_id=ws, record_id__in=list(latest)).delete()
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    insert_rows(
        CrmContact,
        (
            "created_at",
            "updated_at",
            "workspace_id",
            "source_import_id",
            "record_id",
            "email",
            "created",
            "lifecycle_stage",
            "original_source",
            "original_drill_down_1",
            "original_drill_down_2",
            "latest_source",
            "latest_drill_down_1",
            "latest_drill_down_2",
            "first_converting_campaign",
            "last_converting_campaign",
            "stage_dates",
        ),
        (
            (
                now,
                now,
                ws,
                imp.pk,
                record_id,
                _clip(r.email, 254),
                ops.adapt_datetimefield_value(r.created),
                _clip(r.lifecycle_stage, 100),
                *(_clip(t, 255 if i else 100) for i, t in enumerate(r.original)),
                *(_clip(t, 255 if i else 100) for i, t in enumerate(r.latest)),
                _clip(r.first_converting, 255),
                _clip(r.last_converting, 255),
                ops.adapt_json_value(
                    {stage: at.isoformat() for stage, at in r.stage_dates.items()}, None
                ),
            )
            for record_id, r in latest.items()
        ),
    )
    ids = dict(
        CrmContact.objects.filter(workspace_id=ws, source_import=imp).values_list("record_id", "pk")
    )
    insert_rows(
        Touch,
        (
            "created_at",
            "updated_at",
            "workspace_id",
            "contact_id",
            "kind",
            "at",
            "source",
            "channel",
            "campaign_name",
        ),
        (
            (
                now,
                now,
                ws,
                ids[record_id],
                kind,
                ops.adapt_datetimefield_value(at),
                _clip(source, 100),
                channel_of(source),
                _clip(campaign, 255),
            )
            for record_id, r in latest.items()
            for kind, at, source, campaign in r.touches()
        ),
    )


def _store_deals(imp: Import, records: list[DealRecord]) -> None:
    latest = {r.record_id[:64]: r for r in records}
    CrmDeal.objects.filter(workspace_id=imp.workspace_id, record_id__in=list(latest)).delete()
    CrmDeal.objects.bulk_create(
        [
            CrmDeal(
                workspace_id=imp.workspace_id,
                source_import=imp,
                record_id=record_id,
                name=_clip(r.name, 255),
                stage=_clip(r.stage, 100),
                won=r.won,
                amount=r.amount,
                currency=r.currency,
                created=r.created,
                close_date=r.close_date,
                contact_email=_clip(r.contact_email, 254),
                original_source=_clip(r.original_source, 100),
                original_drill_down_2=_clip(r.original_drill_down_2, 255),
            )
            for record_id, r in latest.items()
        ],
        batch_size=1000,
    )
