from __future__ import annotations

from headway.engine.scorecard import MonthFigures, rounds_share, scores, weighted


def test_weighted_mean_leaves_out_what_cannot_be_measured() -> None:
    assert weighted([(0.5, 0.7), (None, 0.3)]) == 50
    assert weighted([(1.0, 0.7), (0.0, 0.3)]) == 70
    assert weighted([(None, 1.0)]) is None


def test_rounds_score_one_round_full_three_none() -> None:
    assert rounds_share(1.0) == 1.0 and rounds_share(2.0) == 0.5 and rounds_share(4.0) == 0.0


def test_month_scores_by_hand() -> None:
    f = MonthFigures(
        campaigns=10,
        templated=1,
        channels_used=4,
        channels_with_cadence=2,
        tasks=50,
        owned=45,
        linked=40,
        launches_with_conditions=0,
        conditions_early=0,
        reviews=20,
        reviews_through_chains=20,
        steps_decided=20,
        steps_within_limit=5,
        rounds_per_request=1.5,
    )
    s = scores(f)
    assert s["workflows"] == round(100 * (0.1 * 0.7 + 0.5 * 0.3))  # 22
    assert s["coordination"] == 90
    assert s["dependencies"] == 80  # no launch recorded conditions: the links alone
    assert s["approvals"] == round(100 * (0.4 * 1.0 + 0.4 * 0.25 + 0.2 * 0.75))  # 65
    assert s["reporting"] is None  # no launch, no review due


def test_reporting_scores_results_and_reviews_by_hand() -> None:
    base = dict(
        campaigns=0,
        templated=0,
        channels_used=0,
        channels_with_cadence=0,
        tasks=0,
        owned=0,
        linked=0,
        launches_with_conditions=0,
        conditions_early=0,
        reviews=0,
        reviews_through_chains=0,
        steps_decided=0,
        steps_within_limit=0,
        rounds_per_request=None,
    )
    both = MonthFigures(
        **base, launches=4, launches_with_results=3, reviews_due=2, reviews_completed=1
    )
    assert scores(both)["reporting"] == round(100 * (0.75 * 0.5 + 0.5 * 0.5))  # 62
    only_results = MonthFigures(**base, launches=2, launches_with_results=2)
    assert scores(only_results)["reporting"] == 100
