"""What the database can hold and the calendar can schedule, declared once.

Form fields (headway.core.forms) and API schema types (headway.api.schemas) both check input
against these limits, so a value is refused with its field named before anything is stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from headway.core.errors import DomainError
from headway.engine import network_spec as plan_limits

# Plans are dated in working days; far-off years overflow date arithmetic and mean a typo.
# The plan limits are the engine's (engine/network_spec.py), so a PLAN file, a template, the
# API and the forms refuse the same values.
DATE_MIN = plan_limits.DATE_MIN
DATE_MAX = plan_limits.DATE_MAX
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

# Domain limits: generous for real plans, small enough that scheduling stays fast.
LAG_DAYS_MAX = plan_limits.LAG_DAYS_MAX
DURATION_DAYS_MAX = Decimal(plan_limits.DURATION_DAYS_MAX)
STEP_LIMIT_DAYS_MAX = 365
STEP_LIMIT_HOURS_MAX = 365 * 24
ROUND_CAP_MAX = 50
REMIND_BEFORE_HOURS_MAX = 24 * 30
COMMENT_MAX_CHARS = 5000
# Free text (briefs, descriptions) has no column limit; this keeps one request's text sane.
LONG_TEXT_MAX_CHARS = 20_000
PER_PERIOD_MAX = 1000
# The calendar API answers at most a year at once.
CALENDAR_RANGE_DAYS_MAX = 366

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class OutOfBounds(ValueError):
    """A value the database cannot hold or the calendar cannot schedule; says which limit."""


T = TypeVar("T")


def within(field: str, check: Callable[..., T], value: T, **limits: Any) -> T:
    """`check(value, **limits)` for a service: a value out of bounds is refused as a
    DomainError on `field`, so the API and the pages refuse what the forms refuse."""
    try:
        return check(value, **limits)
    except OutOfBounds as exc:
        raise DomainError(str(exc), field=field) from None


@contextmanager
def schedulable(field: str) -> Iterator[None]:
    """Date arithmetic that runs past the calendar's last day is refused on `field`: a value
    that slipped past the checks answers a DomainError, never a 500."""
    try:
        yield
    except OverflowError:
        raise DomainError(
            f"This date cannot be scheduled; use dates between {DATE_MIN.isoformat()} and "
            f"{DATE_MAX.isoformat()}.",
            field=field,
        ) from None


def check_text(value: str, *, max_length: int | None = None) -> str:
    """Text without NUL or lone surrogates, within `max_length` characters."""
    if "\x00" in value:
        raise OutOfBounds("Text may not contain NUL (\\x00) characters.")
    if _LONE_SURROGATE.search(value):
        raise OutOfBounds("Text contains an invalid character (a lone UTF-16 surrogate).")
    if max_length is not None and len(value) > max_length:
        raise OutOfBounds(
            f"At most {max_length:,} characters are allowed; this has {len(value):,}."
        )
    return value


def check_date(value: dt.date) -> dt.date:
    """A date the calendar can schedule: between 1990 and 2200."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise OutOfBounds(
            f"Dates must fall between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}."
        )
    return value


def check_int(value: int, *, minimum: int = INT64_MIN, maximum: int = INT64_MAX) -> int:
    """An integer within [minimum, maximum] (64 bits by default)."""
    if value < minimum:
        raise OutOfBounds(f"Must be at least {minimum:,}.")
    if value > maximum:
        raise OutOfBounds(f"Must be at most {maximum:,}.")
    return value


def check_decimal(
    value: Decimal, *, max_digits: int, decimal_places: int, minimum: Decimal | None = None
) -> Decimal:
    """A finite decimal that fits a column of `max_digits` with `decimal_places`."""
    try:
        if not value.is_finite():
            raise OutOfBounds("Must be a finite number.")
        quantized = value.quantize(Decimal(1).scaleb(-decimal_places))
    except InvalidOperation as exc:
        raise OutOfBounds(_too_large(max_digits, decimal_places)) from exc
    if quantized != value:
        raise OutOfBounds(f"At most {decimal_places} decimal places are allowed.")
    if abs(quantized) >= Decimal(10) ** (max_digits - decimal_places):
        raise OutOfBounds(_too_large(max_digits, decimal_places))
    if minimum is not None and quantized < minimum:
        raise OutOfBounds(f"Must be at least {minimum}.")
    return quantized


def _too_large(max_digits: int, decimal_places: int) -> str:
    whole = max_digits - decimal_places
    return f"Too large: at most {whole} digits before the decimal point."
