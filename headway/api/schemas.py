"""Schema types that refuse, with 422 and the field named, what the database cannot hold or the
calendar cannot schedule. The limits themselves live in headway.core.bounds.

Text columns: `Annotated[SafeStr, MaxLen(n)]` with the column's max_length, so a long value is
refused rather than cut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Annotated, Any, TypeVar

from annotated_types import MaxLen
from ninja import Schema
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from headway.core import bounds

T = TypeVar("T")


def _refusing(check: Callable[[T], T]) -> Callable[[T], T]:
    """Turns a bounds check into a pydantic validator whose message is the check's own."""

    def validate(value: T) -> T:
        try:
            return check(value)
        except bounds.OutOfBounds as exc:
            raise PydanticCustomError("out_of_bounds", str(exc)) from None

    return validate


def _decimal(
    max_digits: int, decimal_places: int, minimum: Decimal | None = None
) -> AfterValidator:
    check = partial(
        bounds.check_decimal,
        max_digits=max_digits,
        decimal_places=decimal_places,
        minimum=minimum,
    )
    return AfterValidator(_refusing(check))


def _json_texts(value: Any) -> Any:
    """Every string and integer inside free-form JSON within bounds (keys included)."""
    if isinstance(value, str):
        bounds.check_text(value, max_length=bounds.LONG_TEXT_MAX_CHARS)
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        bounds.check_int(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _json_texts(key)
            _json_texts(item)
    elif isinstance(value, list):
        for item in value:
            _json_texts(item)
    return value


SafeStr = Annotated[str, AfterValidator(_refusing(bounds.check_text))]
LongText = Annotated[SafeStr, MaxLen(bounds.LONG_TEXT_MAX_CHARS)]
ChoiceStr = Annotated[SafeStr, MaxLen(20)]
SafeJson = Annotated[dict[str, Any], AfterValidator(_refusing(_json_texts))]

BoundedDate = Annotated[dt.date, AfterValidator(_refusing(bounds.check_date))]
BoundedDateTime = Annotated[dt.datetime, AfterValidator(_refusing(bounds.check_date))]


def _local_time(value: dt.time) -> dt.time:
    """A wall-clock time of day; the workspace's time zone applies, so none may be given."""
    if value.tzinfo is not None:
        raise PydanticCustomError("out_of_bounds", "Give the time without a time zone, e.g. 09:00.")
    return value


TimeOfDay = Annotated[dt.time, AfterValidator(_local_time)]
WorkWeekday = Annotated[int, Field(ge=0, le=4, description="0 = Monday .. 4 = Friday")]

Int64 = Annotated[int, Field(ge=bounds.INT64_MIN, le=bounds.INT64_MAX)]
Id = Annotated[int, Field(ge=1, le=bounds.INT64_MAX)]
Version = Annotated[int, Field(ge=0, le=bounds.INT64_MAX)]
LagDays = Annotated[int, Field(ge=-bounds.LAG_DAYS_MAX, le=bounds.LAG_DAYS_MAX)]
LeadDays = Annotated[int, Field(ge=0, le=bounds.LAG_DAYS_MAX)]
StepLimit = Annotated[int, Field(ge=1, le=bounds.STEP_LIMIT_HOURS_MAX)]
RoundCap = Annotated[int, Field(ge=1, le=bounds.ROUND_CAP_MAX)]
RemindHours = Annotated[int, Field(ge=0, le=bounds.REMIND_BEFORE_HOURS_MAX)]
PerPeriod = Annotated[int, Field(ge=1, le=bounds.PER_PERIOD_MAX)]

Budget = Annotated[Decimal, _decimal(12, 2, Decimal(0))]
MetricTarget = Annotated[Decimal, _decimal(14, 2)]
EffortHours = Annotated[Decimal, _decimal(7, 1, Decimal(0))]
DurationDays = Annotated[Decimal, _decimal(6, 1, Decimal(0)), Field(le=bounds.DURATION_DAYS_MAX)]
# The plan-file engine takes floats; the same limits as a task's duration and lag.
PlanDays = Annotated[float, Field(ge=0, le=float(bounds.DURATION_DAYS_MAX), allow_inf_nan=False)]
PlanLag = Annotated[
    float, Field(ge=-bounds.LAG_DAYS_MAX, le=bounds.LAG_DAYS_MAX, allow_inf_nan=False)
]


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
