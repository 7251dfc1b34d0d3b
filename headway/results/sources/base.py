"""What every export parser shares: the parsed-file shape, decoding, cell reading and numbers.

Parsers are pure: bytes in, a ParsedFile out, no Django. Rows stream through the parser and
only what the preview and the store need is kept (compact rows and running totals), so a
million-row export fits in memory.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import charset_normalizer
from babel import dates as babel_dates
from babel import numbers as babel_numbers

#: Headway's metric names, in the order reports show them.
METRICS = (
    "impressions",
    "clicks",
    "spend",
    "conversions",
    "conversion_value",
    "leads",
    "qualified_leads",
    "deals",
    "revenue",
    "sessions",
    "key_events",
    "recipients",
    "opens",
    "email_clicks",
    "unsubscribes",
)
MONEY_METRICS = frozenset({"spend", "conversion_value", "revenue"})

csv.field_size_limit(10_000_000)


class ImportFormatError(Exception):
    """A file that cannot be read: says what was wrong and where (line and column, 1-based)."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        where = ""
        if line is not None:
            where = f"Line {line}" + (f", column {column}" if column is not None else "") + ": "
        super().__init__(where + message)
        self.message = message
        self.line = line
        self.column = column


class Row(NamedTuple):
    """One data row: a campaign's figures for a day (or for the whole period when day is None).

    A named tuple, not a frozen dataclass: a million-row import builds a million of them, and
    a frozen dataclass's __init__ sets each field through object.__setattr__ (three times the
    cost)."""

    line: int
    day: date | None
    campaign: str
    channel: str
    currency: str
    metrics: tuple[tuple[str, Decimal], ...]
    detail: str = ""  # what the file calls the row below the campaign (ad group, source/medium)


@dataclass(frozen=True, slots=True)
class TotalsRow:
    """A totals line the tool adds (`Total: Account`, `Grand total`); kept apart, never summed."""

    line: int
    label: str
    metrics: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class FileInfo:
    """What a parser learns before the rows: the source, and the period and currency if stated."""

    source: str  # google_ads, meta_ads, linkedin, mailchimp, ga4, hubspot_contacts, hubspot_deals
    label: str
    period_start: date | None = None
    period_end: date | None = None
    currency: str = ""  # "" when the file names none (the workspace's currency applies)
    #: A single-campaign report replaces only that campaign's rows in its period.
    scope_campaigns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: The metrics the file's rows can carry, when its reader knows them from the header (the
    #: store writes the others as 0 once, not per row); empty: any of METRICS.
    metrics: tuple[str, ...] = ()


@dataclass
class CampaignSummary:
    campaign: str
    channel: str
    currency: str
    rows: int = 0
    first_line: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class ParsedFile:
    """A whole file read once: rows counted, totals summed, the first rows kept for a preview."""

    info: FileInfo
    rows_count: int = 0
    sample_rows: list[Row] = field(default_factory=list)
    totals_rows: list[TotalsRow] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)
    campaigns: dict[tuple[str, str, str], CampaignSummary] = field(default_factory=dict)
    first_day: date | None = None
    last_day: date | None = None

    @property
    def source(self) -> str:
        return self.info.source

    @property
    def period_start(self) -> date | None:
        return self.info.period_start or self.first_day

    @property
    def period_end(self) -> date | None:
        return self.info.period_end or self.last_day

    @property
    def currencies(self) -> list[str]:
        return sorted({key[2] for key in self.campaigns})

    def add(self, row: Row, keep: int) -> None:
        self.rows_count += 1
        if keep and len(self.sample_rows) < keep:
            self.sample_rows.append(row)
        key = (row.campaign, row.channel, row.currency)
        summary = self.campaigns.get(key)
        if summary is None:
            summary = self.campaigns[key] = CampaignSummary(*key, first_line=row.line)
        summary.rows += 1
        totals = summary.totals
        for name, value in row.metrics:
            total = totals.get(name)
            totals[name] = value if total is None else total + value
        day = row.day
        if day is not None:
            if self.first_day is None or day < self.first_day:
                self.first_day = day
            if self.last_day is None or day > self.last_day:
                self.last_day = day

    def ordered_totals(self) -> dict[str, Decimal]:
        """The file's totals, summed over its campaigns, in Headway's metric order."""
        sums: dict[str, Decimal] = {}
        for summary in self.campaigns.values():
            for name, value in summary.totals.items():
                sums[name] = sums.get(name, Decimal(0)) + value
        return {m: sums[m] for m in METRICS if m in sums}


# -- reading cells ----------------------------------------------------------------------------

Cells = tuple[int, list[str]]  # (1-based line, cells)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 saved without its BOM: the zero high bytes of ASCII characters (digits,
    separators, Latin labels) sit at every other byte. (Such bytes are valid UTF-8 too.)"""
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even, odd = sample[0 : pairs * 2 : 2].count(0), sample[1 : pairs * 2 : 2].count(0)
    if odd > 0.3 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.3 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


#: Single-byte encodings charset-normalizer cannot tell apart on Western text (`Coût` reads
#: as cp1250's `Coűt` or hp_roman8's just as well): the Western European one wins a tie.
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


def detect_encoding(data: bytes) -> str:
    """The file's text encoding: a BOM decides, else charset-normalizer on the first 64 KB."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    sample = data[:65536]
    wide = _utf16_without_bom(sample)
    if wide is not None:
        return wide
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut by the sample's end
            return "utf-8"
    found = charset_normalizer.from_bytes(sample)
    best = found.best()
    if best is not None and best.encoding not in _WESTERN:
        for match in found:
            if (
                match.encoding in _WESTERN
                and match.chaos <= best.chaos
                and match.coherence >= best.coherence - 0.1  # hp_roman8 can score higher
            ):
                return match.encoding
    if best is None:
        line, column = _first_bad_line(sample, "utf-8")
        raise ImportFormatError(
            "the file is not text (no encoding reads it; the first byte that is not UTF-8 "
            "text is here); export it as CSV.",
            line=line or None,
            column=column or None,
        )
    return best.encoding


def _first_bad_line(data: bytes, encoding: str) -> tuple[int, int]:
    """Line and column of the first bytes the encoding cannot read (error path only)."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode(encoding, errors="replace")
        before = good.split("\n")
        return len(before), len(before[-1]) + 1
    return 0, 0


def _unquoted(line: str, delim: str) -> int:
    """How often a delimiter occurs in a line outside double quotes (a HubSpot cell can
    hold `a@x.example;b@x.example`, a header `"CPM (cost per 1,000 impressions)"`)."""
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delim and not quoted:
            count += 1
    return count


def _sniff_delimiter(lines: list[str]) -> str:
    best, best_count = ",", 0
    for delim in ("\t", ";", ","):
        count = max((_unquoted(line, delim) for line in lines), default=0)
        if count > best_count:
            best, best_count = delim, count
    return best


def text_cells(data: bytes) -> Iterator[Cells]:
    """Stream the rows of a delimited text file as (line, cells); the delimiter is sniffed."""
    encoding = detect_encoding(data)
    head = data[:16384].decode(encoding, errors="ignore").splitlines()[:40]
    delimiter = _sniff_delimiter(head)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except UnicodeDecodeError as exc:
        line, column = _first_bad_line(data, encoding)
        raise ImportFormatError(
            f"characters that are not {encoding} text (the file mixes encodings); "
            "save it as UTF-8 and import it again.",
            line=line,
            column=column,
        ) from exc
    except csv.Error as exc:
        raise ImportFormatError(
            f"the file is cut or malformed ({exc}).", line=reader.line_num
        ) from exc


class SheetNumber(str):
    """A workbook cell that holds a number, not text: written plainly (`1204.5`) and read as
    such whatever the locale of the labels around it."""

    __slots__ = ()


def _cell_text(value: object) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return SheetNumber(str(int(value)) if value.is_integer() else repr(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return SheetNumber(str(value))
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if (value.hour or value.minute)
            else value.date().isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def xlsx_cells(data: bytes) -> Iterator[Cells]:
    """The first sheet of an XLSX workbook as (line, cells) with numbers written plainly."""
    import python_calamine

    try:
        book = python_calamine.load_workbook(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.iter_rows()
        for index, values in enumerate(rows, start=1):
            yield index, [_cell_text(v) for v in values]
    except ImportFormatError:
        raise
    except Exception as exc:  # calamine raises its own types for every broken workbook
        raise ImportFormatError(f"the workbook cannot be read ({exc}).") from exc


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


# -- numbers ----------------------------------------------------------------------------------

#: Locales whose translated labels the parsers know; numbers follow the detected one.
LOCALES = ("en", "de", "fr", "es", "it", "nl", "pt")
_EMPTY = frozenset({"", "--", "-", "n/a", "N/A", "\u2014", "\u2013"})
_SPACES = "\u202f\u00a0 '"
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
_MEMO_SIZE = 100_000
_UNREAD = object()


@dataclass(frozen=True)
class NumberFormat:
    """Decimal and grouping symbols of a locale, read from babel's CLDR data."""

    locale: str
    decimal: str
    group: str
    _grouped: re.Pattern[str] = field(init=False, repr=False, compare=False)
    #: cells read before (counts, budgets and empty cells repeat a lot in a large export)
    _memo: dict[str, Decimal | None] = field(init=False, repr=False, compare=False)
    _ungrouped: dict[int, None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        groups = re.escape(self.group + _SPACES)
        pattern = rf"-?\d{{1,3}}(?:[{groups}]\d{{3}})*(?:{re.escape(self.decimal)}\d+)?"
        object.__setattr__(self, "_grouped", re.compile(pattern))
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "_ungrouped", str.maketrans("", "", self.group + _SPACES))

    def _to_plain(self, text: str) -> str:
        """`1,032.50` -> `1032.50`: grouping symbols and spaces removed, then the decimal
        symbol made a point."""
        return text.translate(self._ungrouped).replace(self.decimal, ".")

    @classmethod
    def for_locale(cls, locale: str) -> NumberFormat:
        return cls(
            locale,
            babel_numbers.get_decimal_symbol(locale),
            babel_numbers.get_group_symbol(locale),
        )

    def parse(self, cell: str, *, line: int, column: int, label: str) -> Decimal | None:
        """The cell's number; None for an empty cell (` --`, `n/a`); a clear error otherwise."""
        if type(cell) is SheetNumber:  # a workbook's number: no locale to apply
            return Decimal(cell)
        memo = self._memo
        value = memo.get(cell, _UNREAD)
        if value is not _UNREAD:
            return value  # type: ignore[return-value]
        value = self._parse(cell, line=line, column=column, label=label)
        if len(memo) < _MEMO_SIZE:
            memo[cell] = value
        return value

    def metrics_reader(
        self, columns: Iterable[tuple[str, int, str]]
    ) -> Callable[[list[str], int], tuple[tuple[str, Decimal], ...]]:
        """A row's metrics from its cells, for (metric, 0-based index, header label) columns
        decided once per file: a cell read before (counts, budgets, empty cells repeat a lot
        in a large export) is one look-up, any other goes through `parse` (same value, same
        errors). The row must be as wide as the columns (the parsers check it first)."""
        wanted = tuple(columns)
        memo = self._memo
        known = memo.get
        parse, unseen = self.parse, self._parse

        def read(cells: list[str], line: int) -> tuple[tuple[str, Decimal], ...]:
            out: list[tuple[str, Decimal]] = []
            for name, index, label in wanted:
                text = cells[index]
                if type(text) is str:
                    value = known(text, _UNREAD)
                    if value is _UNREAD:
                        value = unseen(text, line=line, column=index + 1, label=label)
                        if len(memo) < _MEMO_SIZE:
                            memo[text] = value
                else:  # a workbook's number is never looked up: `1.204` is not the text
                    value = parse(text, line=line, column=index + 1, label=label)
                if value is not None:
                    out.append((name, value))  # type: ignore[arg-type]
            return tuple(out)

        return read

    def _parse(self, cell: str, *, line: int, column: int, label: str) -> Decimal | None:
        text = cell.strip()
        if _PLAIN.fullmatch(text):  # most cells: digits, perhaps a decimal point
            if self.decimal == "." or "." not in text:
                return Decimal(text)
        elif self._grouped.fullmatch(text):  # `1,032.50`, `1.032`, `30,72`
            return Decimal(self._to_plain(text))
        if text in _EMPTY:
            return None
        text = text.rstrip("%").strip()
        groups = self.group + _SPACES
        whole, _, fraction = text.partition(self.decimal)
        parts = re.split("[" + re.escape(groups) + "]", whole)
        if (
            any(sym in fraction for sym in groups + self.decimal)
            or ("." in whole and "." not in groups + self.decimal)
            or any(len(p) != 3 for p in parts[1:])
            or not parts[0].lstrip("-")
        ):
            raise ImportFormatError(
                f"'{cell}' in {label} is not a number in this file's format "
                f"(decimal '{self.decimal}', thousands '{self.group}').",
                line=line,
                column=column,
            )
        text = "".join(parts) + ("." + fraction if fraction else "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise ImportFormatError(
                f"'{cell}' in {label} is not a number.", line=line, column=column
            )
        return value


def guess_number_format(samples: Iterable[str], locale: str | None = None) -> NumberFormat:
    """The number format of a file: its labels' locale when known, else what its numbers show.

    `30,72` or `4,84%` (not three digits after the comma) means a decimal comma; `1,032.50`,
    `0.48` means a decimal point; files where every number is ambiguous read as English.
    """
    if locale and locale != "en":
        return NumberFormat.for_locale(locale)
    for sample in samples:
        text = sample.strip().rstrip("%")
        if re.fullmatch(r"-?\d+,\d{1,2}|-?\d+,\d{4,}|-?\d{1,3}(\.\d{3})+,\d+", text):
            return NumberFormat.for_locale(locale if locale and locale != "en" else "de")
        if re.fullmatch(r"-?\d+\.\d{1,2}|-?\d+\.\d{4,}|-?\d{1,3}(,\d{3})+\.\d+", text):
            return NumberFormat.for_locale("en")
    return NumberFormat.for_locale(locale or "en")


def metrics_tuple(values: dict[str, Decimal | None]) -> tuple[tuple[str, Decimal], ...]:
    return tuple((k, v) for k, v in values.items() if v is not None)


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


# -- dates ------------------------------------------------------------------------------------


def _month_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for loc in LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                names = babel_dates.get_month_names(width, context, locale=loc)
                for number, name in names.items():
                    words.setdefault(name.lower().rstrip("."), number)
    return words


_MONTHS = _month_words()
_TOKEN = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日"
    r"|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\.\d{1,2}\.\d{4}|(?<!\d)\d{8}(?!\d)|\d+|[^\W\d_]+",
    re.UNICODE,
)
#: Words between a day, its month and its year: `1 de marzo de 2026`, `1er mars 2026`.
_DATE_FILLERS = frozenset({"de", "del", "di", "er", "th", "st", "nd", "rd"})


def dates_in_text(text: str, *, day_first: bool = False) -> list[date]:
    """Dates written in a line, in order: ISO, YYYYMMDD, `March 1, 2026`, `1. März 2026`,
    `1 de marzo de 2026`, `2026年3月1日`; `1/3/2026` is US order unless `day_first`."""
    tokens = [t for t in _TOKEN.findall(text.lower()) if t not in _DATE_FILLERS]
    found: list[date] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", tok):
                found.append(date.fromisoformat(tok))
            elif "年" in tok:
                year_, rest = tok.split("年")
                month_, day_ = rest.rstrip("日").split("月")
                found.append(date(int(year_), int(month_), int(day_)))
            elif re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", tok):
                year_, month_, day_ = tok.split("/")
                found.append(date(int(year_), int(month_), int(day_)))
            elif "/" in tok:  # US order, as LinkedIn's English preamble writes it
                month_, day_, year_ = tok.split("/")
                if day_first:
                    month_, day_ = day_, month_
                found.append(date(int(year_), int(month_), int(day_)))
            elif "." in tok:
                day_, month_, year_ = tok.split(".")
                found.append(date(int(year_), int(month_), int(day_)))
            elif re.fullmatch(r"\d{8}", tok) and tok[:2] in ("19", "20"):
                found.append(date(int(tok[:4]), int(tok[4:6]), int(tok[6:])))
            elif tok in _MONTHS and i + 2 < len(tokens) and tokens[i + 1].isdigit():
                if len(tokens[i + 2]) == 4 and tokens[i + 2].isdigit():  # March 1, 2026
                    found.append(date(int(tokens[i + 2]), _MONTHS[tok], int(tokens[i + 1])))
                    i += 3
                    continue
            elif tok.isdigit() and len(tok) <= 2 and i + 2 < len(tokens):
                month, year = tokens[i + 1], tokens[i + 2]
                if month in _MONTHS and year.isdigit() and len(year) == 4:  # 1 mars 2026
                    found.append(date(int(year), _MONTHS[month], int(tok)))
                    i += 3
                    continue
        except ValueError:
            pass
        i += 1
    return found


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y%m%d",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M",
    "%m/%d/%Y",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y",
    "%d-%m-%Y %H:%M",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y",
)


_SLASHED = re.compile(r"\s*(\d{1,2})/(\d{1,2})/\d{4}")


def slash_day_first(samples: Iterable[str], default: bool = False) -> bool:
    """Whether a column's `a/b/yyyy` dates put the day first: a first number above 12 says
    so (`15/03/2026`), a second above 12 says the month comes first (`03/15/2026`); when no
    date tells, the default (the UI language's order)."""
    for text in samples:
        match = _SLASHED.match(text)
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return default


def parse_day(cell: str, *, line: int, column: int, label: str, day_first: bool = False) -> date:
    """A day from the common export formats (ISO with or without time, US or European)."""
    day = _day_of(cell.strip(), day_first)
    if day is None:
        raise ImportFormatError(f"'{cell}' in {label} is not a date.", line=line, column=column)
    return day


@functools.lru_cache(maxsize=8192)
def _day_of(text: str, day_first: bool) -> date | None:
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    if "T" in text and text[:4].isdigit():
        text = text.split("T")[0]
    formats: tuple[str, ...] = _DATE_FORMATS
    if day_first:
        formats = tuple(f.replace("%m/%d/%Y", "%d/%m/%Y") for f in formats)
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if text.isdigit() and len(text) == 13:  # epoch milliseconds (older HubSpot exports)
        return datetime.utcfromtimestamp(int(text) / 1000).date()
    found = dates_in_text(text)
    return found[0] if found else None


def norm(label: str) -> str:
    """A header label compared loosely: lower case, single spaces, no surrounding quotes."""
    return " ".join(label.replace("\ufeff", "").strip().strip('"').lower().split())


def find_column(header: list[str], *names: str) -> int | None:
    wanted = {norm(n) for n in names}
    for index, label in enumerate(header):
        if norm(label) in wanted:
            return index
    return None


def find_column_prefix(header: list[str], *prefixes: str) -> int | None:
    for index, label in enumerate(header):
        if any(norm(label).startswith(norm(p)) for p in prefixes):
            return index
    return None


def cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def peek(cells: Iterator[Cells], count: int) -> tuple[list[Cells], Iterator[Cells]]:
    """The next rows (to guess formats from) and an iterator that still yields them."""
    import itertools

    head = list(itertools.islice(cells, count))
    return head, itertools.chain(head, cells)


def is_blank(cells: list[str]) -> bool:
    return not "".join(cells).strip()


def check_width(cells: list[str], width: int, line: int) -> None:
    """A data row shorter than its header: the file was cut, or a cell holds a stray separator."""
    if len(cells) < width:
        raise ImportFormatError(
            f"this row has {len(cells)} of the header's {width} columns; the file looks cut "
            "off or damaged. Download it again.",
            line=line,
            column=len(cells) + 1,
        )


def number_samples(rows: list[Cells], columns: Iterable[int]) -> Iterator[str]:
    cols = list(columns)
    for _, cells in rows:
        for c in cols:
            if c < len(cells):
                yield cells[c]


CHANNEL_BY_MEDIUM = {
    "cpc": "paid_search",
    "ppc": "paid_search",
    "paidsearch": "paid_search",
    "paid_search": "paid_search",
    "paid_social": "paid_social",
    "paidsocial": "paid_social",
    "cpm": "paid_social",
    "email": "email",
    "e-mail": "email",
    "newsletter": "email",
    "organic": "organic_search",
    "social": "organic_social",
    "referral": "referral",
    "(none)": "direct",
}
