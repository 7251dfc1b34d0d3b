"""The diagnostic scorecard: the five structural gaps behind stalled marketing growth, each
scored 0-100 from shares of the work (None when the month gives nothing to measure it by).
Each score is a weighted mean of shares; the weights say which part matters most."""

from __future__ import annotations

from dataclasses import dataclass


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def weighted(parts: list[tuple[float | None, float]]) -> int | None:
    """The weighted mean of the shares that could be measured, as 0-100."""
    known = [(s, w) for s, w in parts if s is not None]
    if not known:
        return None
    total = sum(w for _, w in known)
    return round(100 * sum(s * w for s, w in known) / total)


@dataclass(frozen=True)
class MonthFigures:
    campaigns: int
    templated: int
    channels_used: int
    channels_with_cadence: int
    tasks: int
    owned: int
    linked: int
    launches_with_conditions: int
    conditions_early: int  # launches whose conditions were all recorded 14+ days ahead
    reviews: int
    reviews_through_chains: int
    steps_decided: int
    steps_within_limit: int
    rounds_per_request: float | None
    # connected reporting: the month's launches with imported results, reviews held
    launches: int = 0
    launches_with_results: int = 0
    reviews_due: int = 0
    reviews_completed: int = 0


def rounds_share(rounds: float | None) -> float | None:
    """One round per request scores 1; three or more score 0."""
    if rounds is None:
        return None
    return max(0.0, min(1.0, (3.0 - rounds) / 2.0))


def scores(f: MonthFigures) -> dict[str, int | None]:
    return {
        "workflows": weighted(
            [
                (share(f.templated, f.campaigns), 0.7),
                (share(f.channels_with_cadence, f.channels_used), 0.3),
            ]
        ),
        "coordination": weighted([(share(f.owned, f.tasks), 1.0)]),
        "dependencies": weighted(
            [
                (share(f.linked, f.tasks), 0.7),
                (share(f.conditions_early, f.launches_with_conditions), 0.3),
            ]
        ),
        "approvals": weighted(
            [
                (share(f.reviews_through_chains, f.reviews), 0.4),
                (share(f.steps_within_limit, f.steps_decided), 0.4),
                (rounds_share(f.rounds_per_request), 0.2),
            ]
        ),
        "reporting": weighted(
            [
                (share(f.launches_with_results, f.launches), 0.5),
                (share(f.reviews_completed, f.reviews_due), 0.5),
            ]
        ),
    }
