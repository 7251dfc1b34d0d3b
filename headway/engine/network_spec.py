"""The JSON shape of a task network, as pydantic models: tasks with an id, a duration or a
three-point estimate, an owner and links to the tasks they follow, and a working calendar.

The PLAN file (`headway plan analyze`, /plans/analyze) is `PlanSpec`; a campaign template
(planning.template_spec) extends `NetworkTask` with titles, roles and go-live conditions.
A refusal names where it happened: `task C.after[1].lag`, `tasks[3]`, `calendar.holidays[0]`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from annotated_types import MaxLen
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from headway.engine.calendar import WEEKDAYS
from headway.engine.network import Link, LinkType, Network, Task
from headway.engine.three_point import pert_mean

# What a plan can hold: generous for real plans, small enough that date arithmetic stays within
# the calendar and one request's scheduling stays fast. core/bounds takes the same numbers.
DURATION_DAYS_MAX = 3650
LAG_DAYS_MAX = 365
DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2200, 12, 31)
NAME_MAX_CHARS = 200
TASKS_MAX = 20_000
LINKS_MAX = 1_000
HOLIDAYS_MAX = 5_000


class PlanError(ValueError):
    """A plan that cannot be read; the message names the task, link or field at fault."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.where = where


def refuse(message: str) -> PydanticCustomError:
    """A validation error whose message is shown as written (no pydantic prefix)."""
    return PydanticCustomError("refused", message)


def _text(value: Any) -> Any:
    # Ids and names may be written as numbers in hand-made files; they are names all the same.
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _name(value: str) -> str:
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise PydanticCustomError(
            "refused_name", "names cannot hold NUL or unpaired surrogate characters"
        )
    return value


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise refuse(f"{value!r} is not a date like 2026-03-02") from None
    if not DATE_MIN <= value <= DATE_MAX:
        raise refuse(
            f"{value.isoformat()} is outside {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}"
        )
    return value


Number = Annotated[float, Strict()]  # an int or a float; never a bool or a numeric string
# Durations are checked for sign by the task (with its own words); the ceiling is here.
Days = Annotated[Number, Field(le=DURATION_DAYS_MAX, allow_inf_nan=False)]
Lag = Annotated[Number, Field(ge=-LAG_DAYS_MAX, le=LAG_DAYS_MAX, allow_inf_nan=False)]
Name = Annotated[str, BeforeValidator(_text), MaxLen(NAME_MAX_CHARS), AfterValidator(_name)]
Date = Annotated[dt.date | None, BeforeValidator(_date)]


def _link(value: Any) -> Any:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return {"task": str(value)}
    if not isinstance(value, dict) or "task" not in value:
        raise refuse("a link is a task id or {'task': ..., 'type': 'FS', 'lag': 0}")
    return value


def _three(value: Any) -> Any:
    if value is not None and (not isinstance(value, list | tuple) or len(value) != 3):
        raise refuse("'estimate' is [optimistic, most likely, pessimistic]")
    return value


class LinkSpec(BaseModel):
    """One "after" entry: the task followed, the link type and the lag in working days."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    task: Name
    type: LinkType = LinkType.FS
    lag: Lag = 0.0

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> LinkType:
        kind = str(value).upper()
        if kind not in LinkType.__members__:
            raise refuse(f"link type {kind!r} is not one of FS, SS, FF, SF")
        return LinkType(kind)


class NetworkTask(BaseModel):
    """What every network task has: a duration (or a three-point estimate, whose PERT mean is
    the duration) and the tasks it follows. Unknown fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    duration: Days = 0.0
    estimate: Annotated[tuple[Days, Days, Days] | None, BeforeValidator(_three)] = None
    after: Annotated[list[Annotated[LinkSpec, BeforeValidator(_link)]], MaxLen(LINKS_MAX)] = []

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: float) -> float:
        if value < 0:
            raise refuse(f"the duration {value:g} is negative")
        return value

    @field_validator("estimate")
    @classmethod
    def _estimate(
        cls, value: tuple[float, float, float] | None
    ) -> tuple[float, float, float] | None:
        if value is not None and not 0 <= value[0] <= value[1] <= value[2]:
            a, m, b = value
            raise refuse(f"'estimate' must satisfy 0 <= {a:g} <= {m:g} <= {b:g}")
        return value

    @property
    def expected(self) -> float:
        """The duration to schedule with: the PERT mean when there is an estimate."""
        return pert_mean(*self.estimate) if self.estimate else self.duration

    def engine_task(self, tid: str, kind: str = "") -> tuple[Task, list[Link]]:
        """The engine's task and the links into it."""
        links = [Link(link.task, tid, link.type, link.lag) for link in self.after]
        return Task(id=tid, duration=self.expected, estimate=self.estimate, kind=kind), links


class PlanTask(NetworkTask):
    id: Name
    kind: Name = ""  # groups tasks for resampling historical durations
    owner: Name = ""


def _weekday(value: Any) -> str:
    key = str(value).strip().lower()[:3]
    if key not in WEEKDAYS:
        raise refuse(f"{value!r} is not a day name")
    return key


class CalendarSpec(BaseModel):
    """Weekend day names, holidays and per-person days off."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    weekend: Annotated[list[Annotated[str, BeforeValidator(_weekday)]], MaxLen(7)] = ["sat", "sun"]
    holidays: Annotated[list[Annotated[dt.date, BeforeValidator(_date)]], MaxLen(HOLIDAYS_MAX)] = []
    days_off: dict[Name, list[Annotated[dt.date, BeforeValidator(_date)]]] = {}

    @field_validator("weekend")
    @classmethod
    def _some_working_day(cls, value: list[str]) -> list[str]:
        if len(set(value)) >= 7:
            raise refuse("the weekend leaves no working day")
        return value


class PlanSpec(BaseModel):
    """A PLAN file: the network, an optional deadline in working days, start and launch dates
    and the working calendar."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    tasks: Annotated[list[PlanTask], MaxLen(TASKS_MAX)]
    finish_by: Days | None = None
    start: Date = None
    launch: Date = None
    calendar: CalendarSpec | None = None

    def network(self) -> Network:
        return network_of((t.id, t, t.kind) for t in self.tasks)


def network_of(tasks: Iterable[tuple[str, NetworkTask, str]]) -> Network:
    """The engine's network from (id, task, kind) triples."""
    out, links = [], []
    for tid, task, kind in tasks:
        engine_task, into = task.engine_task(tid, kind)
        out.append(engine_task)
        links.extend(into)
    return Network(tasks=tuple(out), links=tuple(links))


# What a field holds, said when its value has the wrong shape.
SHAPES = {
    "tasks": "a list of task objects",
    "after": "'after' is a list of task ids or link objects",
    "calendar": "an object with 'weekend', 'holidays' and 'days_off'",
    "weekend": "a list of day names such as ['sat', 'sun']",
    "holidays": "a list of dates like 2026-04-03",
    "days_off": "a map of person to a list of dates",
    "conditions": "a list of condition objects",
}
# Refusals of a task's name that name it by position (it has no usable name).
NAMING = {"refused_name", "too_long"}
NUMBER_ERRORS = {"float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"}


def where_of(loc: tuple[int | str, ...], raw: Any, key: str) -> str:
    """`task C.after[1]` from ("tasks", 2, "after", 1): a task is named by its `key` field
    when it has one, else by its position."""
    where = ""
    for n, part in enumerate(loc):
        if isinstance(part, int):
            where += f"[{part}]"
            if n == 1 and loc[0] == "tasks":
                name = _task_name(raw, part, key)
                where = f"task {name}" if name else where
        else:
            where += f".{part}" if where else part
    return where


def _task_name(raw: Any, k: int, key: str) -> str:
    try:
        return str(raw["tasks"][k][key]).strip()
    except (KeyError, IndexError, TypeError):
        return ""


def message_of(error: ErrorDetails) -> str:
    """The refusal in words: a validator's own message, or what the field holds."""
    kind, loc, value = error["type"], error["loc"], error.get("input")
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind in ("refused", "refused_name"):
        return error["msg"]
    if kind == "missing":
        return f"'{field}' is required"
    if kind == "too_long" and isinstance(value, str):
        return f"at most {error.get('ctx', {}).get('max_length')} characters"
    if kind in NUMBER_ERRORS:
        return f"expected a number, got {value!r}"
    if field in SHAPES and loc[-1] == field:
        return SHAPES[field]
    if "days_off" in loc and kind == "list_type":
        return "a list of dates like 2026-03-03"
    if kind in ("model_type", "dict_type"):
        return "expected an object"
    if kind == "list_type":
        return "expected a list"
    if kind == "string_type":
        return f"expected text, got {value!r}"
    return str(error["msg"])


def plan_error(exc: ValidationError, raw: Any, key: str = "id") -> PlanError:
    """The first refusal of a validation, named by where it happened."""
    error = exc.errors()[0]
    loc = tuple(error["loc"])
    article = "an" if key[0] in "aeiou" else "a"
    if loc[:1] == ("tasks",) and len(loc) == 3 and loc[2] == key and error["type"] in NAMING:
        # The name itself is at fault: say what is wrong with it, where it is.
        return PlanError(message_of(error), f"{where_of(loc[:2], {}, key)}.{key}")
    if loc[:1] == ("tasks",) and (len(loc) == 2 or (len(loc) == 3 and loc[2] == key)):
        # A task without its name is named by its position.
        where = where_of(loc[:2], {}, key)
        return PlanError(f"each task is an object with {article} '{key}'", where)
    return PlanError(message_of(error), where_of(loc, raw, key))
