"""HubSpot CRM exports: contacts (leads, qualified leads) and deals (deals, revenue).

Current exports use display labels (`Marketing Qualified Lead`, `Closed Won`) and `Record ID`;
older ones use internal values (`marketingqualifiedlead`, `closedwon`), `Contact ID` and
`Original Source`. A qualified lead is a contact at Marketing Qualified Lead or a later stage,
or with a date of entering one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from headway.results.sources.base import (
    Cells,
    FileInfo,
    ImportFormatError,
    Row,
    TotalsRow,
    cell,
    check_width,
    find_column,
    guess_number_format,
    is_blank,
    norm,
    number_samples,
    parse_day,
    peek,
    slash_day_first,
)

CONTACTS = "hubspot_contacts"
DEALS = "hubspot_deals"

_QUALIFIED_STAGES = frozenset(
    {
        "marketing qualified lead",
        "marketingqualifiedlead",
        "sales qualified lead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
        "evangelist",
    }
)
_QUALIFIED_DATE_PREFIXES = (
    'date entered "marketing qualified lead',
    'date entered "sales qualified lead',
    'date entered "opportunity',
    'date entered "customer',
    "became a marketing qualified lead date",
    "became a sales qualified lead date",
    "became an opportunity date",
    "became a customer date",
    "hs_lifecyclestage_marketingqualifiedlead_date",
    "hs_lifecyclestage_salesqualifiedlead_date",
    "hs_lifecyclestage_opportunity_date",
    "hs_lifecyclestage_customer_date",
)
_SOURCE_CHANNEL = {
    "paid search": "paid_search",
    "paid_search": "paid_search",
    "paid social": "paid_social",
    "paid_social": "paid_social",
    "email marketing": "email",
    "email_marketing": "email",
    "organic search": "organic_search",
    "organic_search": "organic_search",
    "organic social": "organic_social",
    "social media": "organic_social",
    "social_media": "organic_social",
    "direct traffic": "direct",
    "direct_traffic": "direct",
    "referrals": "referral",
}
_ORIGINAL_SOURCE = ("original traffic source", "original source", "hs_analytics_source")
_DRILL_2 = (
    "original traffic source drill-down 2",
    "original source drill-down 2",
    "hs_analytics_source_data_2",
)
ID_COLUMNS = ("record id", "contact id", "deal id", "hs_object_id", "vid")
STAGE_COLUMNS = ("lifecycle stage", "lifecyclestage")
CREATED_COLUMNS = ("create date", "createdate")
DEAL_STAGE_COLUMNS = ("deal stage", "dealstage")
#: A won stage in a custom pipeline's own words (`Won - wholesale`, not `Won't buy`).
_WON = re.compile(
    r"(?<![a-z])(closed ?won|won|gewonnen|gagn[ée]e?|ganad[ao]|ganho|vinto)(?![a-z'\u2019])"
)
_TRUE = frozenset({"true", "yes", "1", "ja", "oui", "sí", "si", "sim"})


def is_contacts_header(cells: list[str]) -> bool:
    """A record id with a lifecycle stage, or (a selection of properties without the stage)
    with an email and a create date; never a deals export."""
    if (
        find_column(cells, *ID_COLUMNS) is None
        or find_column(cells, *DEAL_STAGE_COLUMNS) is not None
    ):
        return False
    return find_column(cells, *STAGE_COLUMNS) is not None or (
        find_column(cells, "email") is not None and find_column(cells, *CREATED_COLUMNS) is not None
    )


def is_deals_header(cells: list[str]) -> bool:
    return (
        find_column(cells, *DEAL_STAGE_COLUMNS) is not None
        and find_column(cells, "amount", "amount in company currency") is not None
    )


def deal_won(stage: str, is_closed_won: str = "", probability: str = "") -> bool:
    """Whether a deal is won: HubSpot's `Is Closed Won` when exported, else the stage's words
    (`Closed Won`, `closedwon`, a custom `Won - wholesale`), else a deal probability of 100%."""
    flag = norm(is_closed_won)
    if flag:
        return flag in _TRUE
    if _WON.search(norm(stage)):
        return True
    text = probability.strip().rstrip("%").strip().replace(",", ".")
    if not text:
        return False
    try:
        value = Decimal(text)
    except InvalidOperation:
        return False
    return value == (100 if probability.strip().endswith("%") or value > 1 else 1)


def amount_columns(header: list[str]) -> tuple[int | None, int | None, bool]:
    """The amount column, the column naming its currency, and whether the currency column is
    the company's: a deal's own `Amount` with its `Currency` when the export has both, else
    `Amount in company currency` (in the company's currency, `Company currency` if exported),
    else `Amount` alone (in the workspace's currency)."""
    amount = find_column(header, "amount")
    in_company = find_column(header, "amount in company currency")
    currency = find_column(header, "currency", "deal currency code", "currency code")
    if amount is not None and (currency is not None or in_company is None):
        return amount, currency, False
    return in_company, find_column(header, "company currency"), True


def channel_of(source: str) -> str:
    return _SOURCE_CHANNEL.get(norm(source), "other" if source.strip() else "")


def _header(cells: Iterator[Cells], test: object, what: str) -> list[str]:
    for _, row in cells:
        if test(row):  # type: ignore[operator]
            return row
    raise ImportFormatError(f"no HubSpot {what} header row found.", line=1)


def _campaign(row: list[str], drill: int | None, first_touch: int | None) -> str:
    return cell(row, drill).strip() or cell(row, first_touch).strip()


class Contacts:
    SOURCE = CONTACTS
    LABEL = "HubSpot contacts"

    @staticmethod
    def detect(head: list[Cells]) -> bool:
        return any(is_contacts_header(cells) for _, cells in head[:3])

    @staticmethod
    def parse(cells: Iterator[Cells]) -> Iterator[FileInfo | Row | TotalsRow]:
        header = _header(cells, is_contacts_header, "contacts")
        created = find_column(header, *CREATED_COLUMNS)
        stage = find_column(header, *STAGE_COLUMNS)
        if created is None:
            raise ImportFormatError("the contacts export has no 'Create Date' column.", line=1)
        qualified_dates = [
            i for i, label in enumerate(header) if norm(label).startswith(_QUALIFIED_DATE_PREFIXES)
        ]
        source = find_column(header, *_ORIGINAL_SOURCE)
        drill = find_column(header, *_DRILL_2)
        first_touch = find_column(header, "first touch converting campaign")
        buffered, rows = peek(cells, 200)
        day_first = slash_day_first(cell(r, created) for _, r in buffered)
        yield FileInfo(CONTACTS, Contacts.LABEL)
        one, zero = Decimal(1), Decimal(0)
        for line, row in rows:
            if is_blank(row):
                continue
            check_width(row, len(header), line)
            day = parse_day(
                row[created],
                line=line,
                column=created + 1,
                label=header[created],
                day_first=day_first,
            )
            qualified = norm(cell(row, stage)) in _QUALIFIED_STAGES or any(
                cell(row, i).strip() for i in qualified_dates
            )
            yield Row(
                line,
                day,
                _campaign(row, drill, first_touch),
                channel_of(cell(row, source)),
                "",
                (("leads", one), ("qualified_leads", one if qualified else zero)),
            )


class Deals:
    SOURCE = DEALS
    LABEL = "HubSpot deals"

    @staticmethod
    def detect(head: list[Cells]) -> bool:
        return any(is_deals_header(cells) for _, cells in head[:3])

    @staticmethod
    def parse(cells: Iterator[Cells]) -> Iterator[FileInfo | Row | TotalsRow]:
        header = _header(cells, is_deals_header, "deals")
        stage = find_column(header, *DEAL_STAGE_COLUMNS)
        amount, currency_col, _ = amount_columns(header)
        closed = find_column(header, "close date", "closedate")
        created = find_column(header, *CREATED_COLUMNS)
        is_won = find_column(header, "is closed won", "hs_is_closed_won")
        probability = find_column(header, "deal probability", "hs_deal_stage_probability")
        source = find_column(header, *_ORIGINAL_SOURCE)
        drill = find_column(header, *_DRILL_2)
        assert stage is not None and amount is not None
        if closed is None and created is None:
            raise ImportFormatError(
                "the deals export has no 'Close Date' or 'Create Date' column.", line=1
            )
        buffered, rows = peek(cells, 200)
        fmt = guess_number_format(number_samples(buffered, [amount]))
        day_first = slash_day_first(
            cell(r, i) for _, r in buffered for i in (closed, created) if i is not None
        )
        yield FileInfo(DEALS, Deals.LABEL)
        for line, row in rows:
            if is_blank(row):
                continue
            check_width(row, len(header), line)
            won = deal_won(row[stage], cell(row, is_won), cell(row, probability))
            value = fmt.parse(
                row[amount], line=line, column=amount + 1, label=header[amount]
            ) or Decimal(0)
            when = closed if (won and closed is not None) or created is None else created
            assert when is not None
            day = parse_day(
                row[when], line=line, column=when + 1, label=header[when], day_first=day_first
            )
            yield Row(
                line,
                day,
                _campaign(row, drill, None),
                channel_of(cell(row, source)),
                cell(row, currency_col).strip().upper(),
                (("deals", Decimal(1)), ("revenue", value if won else Decimal(0))),
            )
