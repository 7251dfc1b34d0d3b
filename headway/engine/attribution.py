"""Multi-touch attribution: five rules that share each conversion's value among the touches a
contact had before it (first touch, last touch, linear, time decay, position-based).

Each conversion is split in integer sub-units (a millionth of a cent) so that its parts add
up to it exactly; the sums per key are rounded once, with the largest-remainder method, so a
model's credits always add up to the converted total to the last unit (cent, or hundredth of
a lead).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

DEFAULT_HALF_LIFE_DAYS = 7.0
#: Credits are rounded to hundredths: cents for revenue, hundredths of a lead or deal.
PLACES = 2


class Model(enum.StrEnum):
    FIRST_TOUCH = "first_touch"
    LAST_TOUCH = "last_touch"
    LINEAR = "linear"
    TIME_DECAY = "time_decay"
    POSITION_BASED = "position_based"


RULES = {
    Model.FIRST_TOUCH: "All the credit goes to the contact's first touch before the conversion.",
    Model.LAST_TOUCH: "All the credit goes to the contact's last touch before the conversion.",
    Model.LINEAR: "The credit is shared equally among every touch before the conversion.",
    Model.TIME_DECAY: (
        "Each touch's share halves with every half-life it happened before the conversion "
        "(weight 2^(-age / half-life)), so recent touches count most."
    ),
    Model.POSITION_BASED: (
        "The first and last touches get 40% each and the touches between share 20%; "
        "a single touch gets all of it, two touches half each."
    ),
}
LABELS = {
    Model.FIRST_TOUCH: "First touch",
    Model.LAST_TOUCH: "Last touch",
    Model.LINEAR: "Linear",
    Model.TIME_DECAY: "Time decay",
    Model.POSITION_BASED: "Position-based (40/20/40)",
}


@dataclass(frozen=True)
class Touch:
    """A contact met a campaign or channel (named by `key`) at a moment."""

    contact: str
    at: dt.datetime
    key: Hashable


@dataclass(frozen=True)
class Conversion:
    """A contact converted at a moment, worth `value` (1 for a lead or a deal, an amount)."""

    contact: str
    at: dt.datetime
    value: Decimal


@dataclass(frozen=True)
class Attribution:
    """Credits per key, plus what no touch preceded; together they equal `total`."""

    model: Model
    credits: dict[Hashable, Decimal]
    untouched: Decimal
    total: Decimal
    conversions: int
    #: The credits before the final rounding (to a millionth of a unit).
    exact: dict[Hashable, Fraction] = field(default_factory=dict, repr=False)
    exact_untouched: Fraction = Fraction(0)
    places: int = PLACES

    @property
    def credited(self) -> Decimal:
        return sum(self.credits.values(), Decimal(0))


#: Each conversion is first shared in units of 10^-(places + 6) (integers, exactly), then
#: the sums per key are rounded once to `places` decimals.
SUB_DIGITS = 6
_DECAY_SCALE = 2**48


def integer_weights(model: Model, ages_days: Sequence[float], half_life_days: float) -> list[int]:
    """Each touch's weight in one conversion, in time order (oldest first), as integers whose
    ratios are the model's shares. `ages_days` are how long before the conversion each touch
    happened; time decay weighs them against the most recent touch, at 2^-48 precision."""
    n = len(ages_days)
    if n == 0:
        return []
    if model is Model.FIRST_TOUCH:
        return [1] + [0] * (n - 1)
    if model is Model.LAST_TOUCH:
        return [0] * (n - 1) + [1]
    if model is Model.LINEAR:
        return [1] * n
    if model is Model.TIME_DECAY:
        newest = min(ages_days)
        return [
            round(2.0 ** (-(age - newest) / half_life_days) * _DECAY_SCALE) for age in ages_days
        ]
    if n <= 2:
        return [1] * n
    # 40% each to the ends, 20% shared by the n - 2 between: 2(n-2) : 1 : ... : 1 : 2(n-2)
    return [2 * (n - 2)] + [1] * (n - 2) + [2 * (n - 2)]


def weights(model: Model, ages_days: Sequence[float], half_life_days: float) -> list[Fraction]:
    """Each touch's share of one conversion, in time order (oldest first); they sum to 1."""
    ints = integer_weights(model, ages_days, half_life_days)
    whole = sum(ints)
    return [Fraction(w, whole) for w in ints]


def apportion(units: int, ints: Sequence[int]) -> list[int]:
    """Split whole units in proportion to integer weights, exactly: floors first, then the
    units left over to the largest remainders (ties to the earlier touch)."""
    whole = sum(ints)
    products = [units * w for w in ints]
    shares = [p // whole for p in products]
    spare = units - sum(shares)
    order = sorted(range(len(ints)), key=lambda i: products[i] % whole, reverse=True)
    for i in order[:spare]:
        shares[i] += 1
    return shares


def attribute(
    model: Model,
    touches: Iterable[Touch],
    conversions: Iterable[Conversion],
    *,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    places: int = PLACES,
) -> Attribution:
    """Share every conversion among the touches its contact had at or before it."""
    return attribute_models(
        [model], touches, conversions, half_life_days=half_life_days, places=places
    )[model]


def attribute_models(
    models: Sequence[Model],
    touches: Iterable[Touch],
    conversions: Iterable[Conversion],
    *,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    places: int = PLACES,
) -> dict[Model, Attribution]:
    """`attribute` for several models at once: each contact's path is read once."""
    if not half_life_days > 0:
        raise ValueError("The half-life must be a positive number of days.")
    by_contact: dict[str, list[Touch]] = {}
    for touch in touches:
        by_contact.setdefault(touch.contact, []).append(touch)
    for path in by_contact.values():
        path.sort(key=lambda t: t.at)  # stable: touches at the same moment keep their order
    scale = 10 ** (places + SUB_DIGITS)
    sums: dict[Model, dict[Hashable, int]] = {m: {} for m in models}
    untouched = 0
    total = Decimal(0)
    count = 0
    for conversion in conversions:
        if conversion.value < 0:
            raise ValueError(f"A conversion's value cannot be negative ({conversion.value}).")
        count += 1
        total += conversion.value
        units = int((conversion.value * scale).to_integral_value())
        before = [t for t in by_contact.get(conversion.contact, ()) if t.at <= conversion.at]
        if not before:
            untouched += units
            continue
        ages = [(conversion.at - t.at).total_seconds() / 86400 for t in before]
        for model in models:
            into = sums[model]
            shares = apportion(units, integer_weights(model, ages, half_life_days))
            for touch, share in zip(before, shares, strict=True):
                if share:
                    into[touch.key] = into.get(touch.key, 0) + share
    left = Fraction(untouched, scale)
    return {
        m: _rounded(
            m, {k: Fraction(u, scale) for k, u in sums[m].items()}, left, total, count, places
        )
        for m in models
    }


def _rounded(
    model: Model,
    exact: dict[Hashable, Fraction],
    untouched: Fraction,
    total: Decimal,
    count: int,
    places: int,
) -> Attribution:
    rounded = largest_remainder({**exact, _UNTOUCHED: untouched}, places)
    left = rounded.pop(_UNTOUCHED)
    return Attribution(model, rounded, left, total, count, exact, untouched, places)


def regroup(result: Attribution, group: Callable[[Any], Hashable]) -> Attribution:
    """The same attribution with its keys merged by `group` (touches keyed by campaign and
    channel together, read by channel alone), rounded again so that it still reconciles."""
    merged: dict[Hashable, Fraction] = {}
    for key, share in result.exact.items():
        name = group(key)
        merged[name] = merged.get(name, Fraction(0)) + share
    return _rounded(
        result.model,
        merged,
        result.exact_untouched,
        result.total,
        result.conversions,
        result.places,
    )


class _Untouched:
    """The key of the value no touch preceded (kept apart from every caller's keys)."""

    def __repr__(self) -> str:
        return "<untouched>"


_UNTOUCHED = _Untouched()


def largest_remainder(shares: dict[Hashable, Fraction], places: int) -> dict[Hashable, Decimal]:
    """Round exact shares to `places` decimals so that they add up to their rounded sum:
    each share is cut down to the unit, and the units left over go to the largest remainders
    (ties to the earlier key)."""
    unit = 10**places
    scaled = {key: share * unit for key, share in shares.items()}
    floors = {key: value.numerator // value.denominator for key, value in scaled.items()}
    target = round(sum(scaled.values(), Fraction(0)))
    spare = target - sum(floors.values())
    order = sorted(scaled, key=lambda k: scaled[k] - floors[k], reverse=True)
    for key in order[:spare]:
        floors[key] += 1
    quantum = Decimal(1).scaleb(-places)
    return {key: (Decimal(units) / unit).quantize(quantum) for key, units in floors.items()}
