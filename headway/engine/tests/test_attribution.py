import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.engine.attribution import (
    Conversion,
    Model,
    Touch,
    attribute,
    attribute_models,
    largest_remainder,
    regroup,
    weights,
)

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def path(contact: str, *steps: tuple[float, str]) -> list[Touch]:
    return [Touch(contact, day(n), key) for n, key in steps]


# A journey of three touches and a 100.00 sale on day 14:
#   day 0 paid social, day 7 email, day 14 paid search (the day of the sale).
JOURNEY = path("ana", (0, "social"), (7, "email"), (14, "search"))
SALE = [Conversion("ana", day(14), Decimal("100.00"))]


def credits(model: Model, touches=JOURNEY, conversions=SALE, **kw) -> dict:
    return attribute(model, touches, conversions, **kw).credits


def test_first_touch_gives_everything_to_the_oldest_touch():
    assert credits(Model.FIRST_TOUCH) == {"social": Decimal("100.00")}


def test_last_touch_gives_everything_to_the_latest_touch_at_or_before_the_conversion():
    late = [*JOURNEY, Touch("ana", day(15), "display")]  # after the sale: not counted
    assert credits(Model.LAST_TOUCH, late) == {"search": Decimal("100.00")}


def test_linear_shares_equally_and_the_odd_cent_goes_to_the_earliest_key():
    # 100 / 3 = 33.333...: each gets 33.33 and the cent left over goes to the first key.
    assert credits(Model.LINEAR) == {
        "social": Decimal("33.34"),
        "email": Decimal("33.33"),
        "search": Decimal("33.33"),
    }


def test_time_decay_halves_the_weight_each_half_life():
    # Ages 14, 7 and 0 days with a 7-day half-life: weights 1/4, 1/2, 1 -> 1/7, 2/7, 4/7 of 70.
    sale = [Conversion("ana", day(14), Decimal("70.00"))]
    assert credits(Model.TIME_DECAY, conversions=sale) == {
        "social": Decimal("10.00"),
        "email": Decimal("20.00"),
        "search": Decimal("40.00"),
    }


def test_time_decay_half_life_is_configurable():
    # A 14-day half-life: ages 14, 7, 0 weigh 1/2, 2^(-1/2), 1 (sum 2.2071...).
    got = credits(Model.TIME_DECAY, half_life_days=14)
    assert got == {
        "social": Decimal("22.65"),  # 0.5 / 2.2071 = 22.654 %
        "email": Decimal("32.04"),  # 0.7071 / 2.2071 = 32.037 %
        "search": Decimal("45.31"),  # 1 / 2.2071 = 45.308 %
    }
    assert sum(got.values()) == Decimal("100.00")


def test_position_based_40_20_40_over_four_touches():
    four = path("ana", (0, "social"), (3, "email"), (7, "webinar"), (14, "search"))
    assert credits(Model.POSITION_BASED, four) == {
        "social": Decimal("40.00"),
        "email": Decimal("10.00"),
        "webinar": Decimal("10.00"),
        "search": Decimal("40.00"),
    }


def test_position_based_one_touch_takes_all_two_touches_half_each():
    one = path("ana", (14, "search"))
    two = path("ana", (0, "social"), (14, "search"))
    assert credits(Model.POSITION_BASED, one) == {"search": Decimal("100.00")}
    assert credits(Model.POSITION_BASED, two) == {
        "social": Decimal("50.00"),
        "search": Decimal("50.00"),
    }


def test_touches_of_one_key_add_up():
    again = path("ana", (0, "email"), (7, "social"), (14, "email"))
    assert credits(Model.LINEAR, again) == {"email": Decimal("66.67"), "social": Decimal("33.33")}


def test_conversion_without_a_touch_before_it_is_kept_apart_and_still_counted():
    result = attribute(
        Model.LINEAR,
        path("ana", (20, "search")),  # after the sale
        [*SALE, Conversion("bo", day(3), Decimal("5.50"))],
    )
    assert result.credits == {}
    assert result.untouched == Decimal("105.50")
    assert result.total == Decimal("105.50")
    assert result.conversions == 2


def test_each_conversion_uses_only_its_own_contacts_touches():
    touches = path("ana", (0, "social")) + path("bo", (1, "email"))
    conversions = [Conversion("ana", day(2), Decimal(1)), Conversion("bo", day(2), Decimal(3))]
    assert credits(Model.FIRST_TOUCH, touches, conversions) == {
        "social": Decimal("1.00"),
        "email": Decimal("3.00"),
    }


def test_bad_half_life_and_negative_values_are_refused():
    with pytest.raises(ValueError, match="half-life"):
        attribute(Model.TIME_DECAY, JOURNEY, SALE, half_life_days=0)
    with pytest.raises(ValueError, match="negative"):
        attribute(Model.LINEAR, JOURNEY, [Conversion("ana", day(14), Decimal("-1"))])


def test_largest_remainder_hands_out_the_spare_units_to_the_largest_remainders():
    shares = {"a": Fraction(1001, 300), "b": Fraction(1001, 300), "c": Fraction(1001, 300)}
    # 3.3366.. each, 10.01 in all: 3.33 * 3 = 9.99, two spare cents to the first two.
    assert largest_remainder(shares, 2) == {
        "a": Decimal("3.34"),
        "b": Decimal("3.34"),
        "c": Decimal("3.33"),
    }


def test_published_position_based_example_golden_digital_glossary():
    """Golden Digital Tools' glossary, "Position-Based Attribution", practical example: a
    5-touchpoint journey (YouTube ad -> blog post -> email -> Instagram -> Google Shopping)
    and a $100 purchase under 40/40/20 gives YouTube $40, Blog $6.67, Email $6.67,
    Instagram $6.67, Google $40. Those published figures add up to $100.01; with the
    largest remainder the middle three get 6.67, 6.67 and 6.66 and the total stays $100.00."""
    journey = path(
        "buyer",
        (0, "YouTube ad"),
        (1, "blog post"),
        (2, "email"),
        (3, "Instagram"),
        (4, "Google Shopping"),
    )
    sale = [Conversion("buyer", day(4), Decimal("100"))]
    got = credits(Model.POSITION_BASED, journey, sale)
    published = {
        "YouTube ad": Decimal("40"),
        "blog post": Decimal("6.67"),
        "email": Decimal("6.67"),
        "Instagram": Decimal("6.67"),
        "Google Shopping": Decimal("40"),
    }
    assert sum(published.values()) == Decimal("100.01")
    for key, figure in published.items():
        assert abs(got[key] - figure) <= Decimal("0.01")
    assert got == {
        "YouTube ad": Decimal("40.00"),
        "blog post": Decimal("6.67"),
        "email": Decimal("6.67"),
        "Instagram": Decimal("6.66"),
        "Google Shopping": Decimal("40.00"),
    }
    assert sum(got.values()) == Decimal("100.00")


def test_published_time_decay_rule_google_ads_one_week_half_life():
    """Google Ads' AttributionModel reference: time decay gives "exponentially more credit ...
    to its more recent clicks (half-life is 1 week)". A click 7 days before the conversion is
    worth half of one on the day: with clicks at 7 days and 0 days before a 30.00 conversion,
    they weigh 1/2 and 1, so 10.00 and 20.00."""
    clicks = path("c", (0, "week-old click"), (7, "same-day click"))
    sale = [Conversion("c", day(7), Decimal("30.00"))]
    assert credits(Model.TIME_DECAY, clicks, sale) == {
        "week-old click": Decimal("10.00"),
        "same-day click": Decimal("20.00"),
    }


@pytest.mark.parametrize("model", list(Model))
def test_weights_sum_to_one(model):
    for n in range(1, 7):
        assert sum(weights(model, [float(n - i) for i in range(n)], 7.0)) == 1


# -- reconciliation properties ----------------------------------------------------------------

contacts = st.sampled_from(["a", "b", "c", "d"])
keys = st.sampled_from(["search", "social", "email", "direct", "webinar"])
moments = st.floats(min_value=0, max_value=60, allow_nan=False).map(day)
touch_lists = st.lists(st.builds(Touch, contacts, moments, keys), max_size=25)
cents = st.integers(min_value=0, max_value=10**9).map(lambda c: Decimal(c).scaleb(-2))
conversion_lists = st.lists(st.builds(Conversion, contacts, moments, cents), max_size=15)


@settings(max_examples=150, deadline=None)
@given(touch_lists, conversion_lists, st.sampled_from(list(Model)), st.floats(0.1, 60))
def test_every_model_reconciles_to_the_cent(touches, conversions, model, half_life):
    result = attribute(model, touches, conversions, half_life_days=half_life)
    total = sum((c.value for c in conversions), Decimal(0))
    assert result.credited + result.untouched == total
    assert all(v >= 0 for v in result.credits.values())
    # Rounding moves no key by a cent or more from its exact share.
    for key, credit in result.credits.items():
        assert abs(Fraction(credit) - result.exact.get(key, Fraction(0))) < Fraction(1, 100)


def test_regroup_merges_keys_and_still_reconciles():
    journey = path(
        "ana", (0, ("spring", "search")), (7, ("webinar", "social")), (14, ("spring", "email"))
    )
    sale = [Conversion("ana", day(14), Decimal("100.00"))]
    both = attribute(Model.LINEAR, journey, sale)
    assert regroup(both, lambda k: k[0]).credits == {
        "spring": Decimal("66.67"),
        "webinar": Decimal("33.33"),
    }
    assert regroup(both, lambda k: k[1]).credits == {
        "search": Decimal("33.34"),
        "social": Decimal("33.33"),
        "email": Decimal("33.33"),
    }


@settings(max_examples=100, deadline=None)
@given(touch_lists, conversion_lists, st.sampled_from(list(Model)))
def test_regrouped_credits_reconcile(touches, conversions, model):
    result = regroup(attribute(model, touches, conversions), lambda k: len(k) % 3)
    assert result.credited + result.untouched == result.total


@settings(max_examples=50, deadline=None)
@given(touch_lists, conversion_lists, st.floats(0.5, 30))
def test_several_models_at_once_equal_one_at_a_time(touches, conversions, half_life):
    together = attribute_models(list(Model), touches, conversions, half_life_days=half_life)
    for model in Model:
        alone = attribute(model, touches, conversions, half_life_days=half_life)
        assert together[model].credits == alone.credits
        assert together[model].untouched == alone.untouched


@settings(max_examples=100, deadline=None)
@given(touch_lists, conversion_lists)
def test_all_models_credit_the_same_touched_total(touches, conversions):
    results = [attribute(m, touches, conversions) for m in Model]
    assert len({r.credited + r.untouched for r in results}) == 1
    assert len({r.untouched for r in results}) == 1
