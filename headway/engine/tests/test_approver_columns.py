"""approver_waits over columns gives approver_waits' answer, to the bit, on random decisions:
several rounds and steps, decisions whose step start the log does not know, several people
on a step, steps still waiting, and ids too large to pack (the fallback)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from headway.engine.approver_columns import (
    DecisionColumns,
    RoundStarts,
    approver_waits_columns,
)
from headway.engine.waiting import DecisionRow, PendingStep, approver_waits

CAL = np.busdaycalendar(weekmask="1111100", holidays=[np.datetime64("2026-03-04")])
DAY0 = 20_500.0  # days since 1970 (2026-02-16)


def _history(
    rng: random.Random, big: bool
) -> tuple[RoundStarts, DecisionColumns, list[PendingStep], dict[int, int]]:
    base = 2**40 if big else 1
    starts: list[tuple[int, int, float]] = []
    rows: list[tuple[int, int, int, int, float, float]] = []
    rounds: dict[int, int] = {}
    limits: dict[tuple[int, int], float] = {}
    for request in range(base, base + rng.randrange(5, 60)):
        n_rounds = rng.randrange(1, 4)
        rounds[request] = n_rounds
        at = DAY0 + rng.uniform(0, 60)
        for rnd in range(1, n_rounds + 1):
            at += rng.uniform(0, 5)
            if rng.random() < 0.9:  # sometimes the log does not say when a round began
                starts.append((request, rnd, at))
                if rng.random() < 0.2:  # started twice: the first counts
                    starts.append((request, rnd, at + rng.uniform(0, 2)))
            for step in range(rng.randrange(1, 4)):
                # a step's limit is its chain's: the same in every round
                limit = limits.setdefault((request, step), rng.choice([1.0, 2.0, 0.5, np.inf]))
                for approver in rng.sample([7, 8, 9, 11], rng.randrange(1, 3)):
                    at += rng.choice([0.0, rng.uniform(0, 4)])
                    rows.append((request, rnd, step, approver, at, limit))
    rng.shuffle(starts)
    rng.shuffle(rows)
    pending = [
        PendingStep(
            request,
            DAY0 + rng.uniform(0, 70),
            tuple(rng.sample([7, 8, 12], rng.randrange(1, 3))),
            rng.choice([1.0, 3.0, np.inf]),
        )
        for request in range(base + 500, base + 500 + rng.randrange(0, 6))
    ]
    ints = [np.array([r[k] for r in rows], dtype=np.int64) for k in range(4)]
    columns = DecisionColumns(
        ints[0],
        ints[1],
        ints[2],
        ints[3],
        np.array([r[4] for r in rows], dtype=np.float64),
        np.array([r[5] for r in rows], dtype=np.float64),
    )
    started = RoundStarts(
        np.array([s[0] for s in starts], dtype=np.int64),
        np.array([s[1] for s in starts], dtype=np.int64),
        np.array([s[2] for s in starts], dtype=np.float64),
    )
    return started, columns, pending, rounds


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("big", [False, True])
def test_columns_give_approver_waits_answer(seed: int, big: bool) -> None:
    rng = random.Random(seed)
    starts, d, pending, rounds = _history(rng, big)
    first: dict[tuple[int, int], float] = {}
    for req, rnd, at in zip(
        starts.request.tolist(), starts.round.tolist(), starts.at.tolist(), strict=True
    ):
        first.setdefault((req, rnd), at)
    rows = [
        DecisionRow(*r)
        for r in zip(
            d.request.tolist(),
            d.round.tolist(),
            d.step.tolist(),
            d.approver.tolist(),
            d.at.tolist(),
            strict=True,
        )
    ]
    limits = dict(
        zip(zip(d.request.tolist(), d.step.tolist(), strict=True), d.limit.tolist(), strict=True)
    )
    as_of = DAY0 + 75.3
    expected = approver_waits(first, rows, limits, pending, rounds, as_of, CAL)
    got = approver_waits_columns(starts, d, pending, rounds, as_of, CAL)
    assert got == expected
    assert expected and any(w.past_limit for w in expected)  # worth comparing


def test_no_decisions_and_nothing_waiting() -> None:
    empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0, np.float64)
    d = DecisionColumns(empty_i, empty_i, empty_i, empty_i, empty_f, empty_f)
    assert (
        approver_waits_columns(RoundStarts(empty_i, empty_i, empty_f), d, [], {}, DAY0, CAL) == []
    )
