"""Multi-touch attribution: five rules that share each conversion's value among the touches a
contact had before it (first touch, last touch, linear, time decay, position-based).

Shares are computed exactly (fractions) and summed per key over all conversions; only the
totals are rounded, with the largest-remainder method, so a model's credits always add up to
the converted total to the last unit (cent, or hundredth of a lead).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

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
    exact: dict[Hashable, Fraction] = field(default_factory=dict, repr=False)

    @property
    def credited(self) -> Decimal:
        return sum(self.credits.values(), Decimal(0))


def weights(model: Model, ages_days: Sequence[float], half_life_days: float) -> list[Fraction]:
    """Each touch's share of one conversion, in time order (oldest first); they sum to 1.

    `ages_days` are how long before the conversion each touch happened."""
    n = len(ages_days)
    if n == 0:
        return []
    if model is Model.FIRST_TOUCH:
        return [Fraction(1)] + [Fraction(0)] * (n - 1)
    if model is Model.LAST_TOUCH:
        return [Fraction(0)] * (n - 1) + [Fraction(1)]
    if model is Model.LINEAR:
        return [Fraction(1, n)] * n
    if model is Model.TIME_DECAY:
        raw = [Fraction(2.0 ** (-age / half_life_days)) for age in ages_days]
        whole = sum(raw, Fraction(0))
        return [w / whole for w in raw]
    return _position_based(n)


def _position_based(n: int) -> list[Fraction]:
    if n == 1:
        return [Fraction(1)]
    if n == 2:
        return [Fraction(1, 2), Fraction(1, 2)]
    middle = Fraction(1, 5) / (n - 2)
    return [Fraction(2, 5)] + [middle] * (n - 2) + [Fraction(2, 5)]


def attribute(
    model: Model,
    touches: Iterable[Touch],
    conversions: Iterable[Conversion],
    *,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    places: int = PLACES,
) -> Attribution:
    """Share every conversion among the touches its contact had at or before it."""
    if not half_life_days > 0:
        raise ValueError("The half-life must be a positive number of days.")
    by_contact: dict[str, list[Touch]] = {}
    for touch in touches:
        by_contact.setdefault(touch.contact, []).append(touch)
    for path in by_contact.values():
        path.sort(key=lambda t: t.at)  # stable: touches at the same moment keep their order
    exact: dict[Hashable, Fraction] = {}
    untouched = Fraction(0)
    total = Decimal(0)
    count = 0
    for conversion in conversions:
        if conversion.value < 0:
            raise ValueError(f"A conversion's value cannot be negative ({conversion.value}).")
        count += 1
        total += conversion.value
        value = Fraction(conversion.value)
        before = [t for t in by_contact.get(conversion.contact, []) if t.at <= conversion.at]
        if not before:
            untouched += value
            continue
        ages = [(conversion.at - t.at).total_seconds() / 86400 for t in before]
        for touch, share in zip(before, weights(model, ages, half_life_days), strict=True):
            if share:
                exact[touch.key] = exact.get(touch.key, Fraction(0)) + value * share
    rounded = largest_remainder({**exact, _UNTOUCHED: untouched}, places)
    left = rounded.pop(_UNTOUCHED)
    return Attribution(model, rounded, left, total, count, exact)


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
