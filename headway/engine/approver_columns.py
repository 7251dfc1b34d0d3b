"""Where work waits on approvers, over decisions given as columns: the same answer as
headway.engine.waiting's approver_waits (and step_waits) without a Python object or loop per
decision (a year of a large workspace holds tens of thousands of decisions). Tested against
approver_waits on random histories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from headway.engine.waiting import (
    ApproverWait,
    DecisionRow,
    PendingStep,
    approver_waits,
    working_days_between,
)

_STEP_BITS = 12  # steps and rounds below 4096, request ids below 2**39: one int64 key each


@dataclass(frozen=True)
class DecisionColumns:
    """Decisions in their order (as approver_waits reads its list): request, round, step,
    approver, moment (days, see engine.waiting) and the step's limit in working days (inf:
    none)."""

    request: npt.NDArray[np.int64]
    round: npt.NDArray[np.int64]
    step: npt.NDArray[np.int64]
    approver: npt.NDArray[np.int64]
    at: npt.NDArray[np.float64]
    limit: npt.NDArray[np.float64]


@dataclass(frozen=True)
class RoundStarts:
    """Rounds' starts in event order (the first start of a round counts): request, round,
    moment (days)."""

    request: npt.NDArray[np.int64]
    round: npt.NDArray[np.int64]
    at: npt.NDArray[np.float64]


def _fits(*columns: npt.NDArray[np.int64]) -> bool:
    """Whether requests, rounds and steps pack into one int64 key (see _STEP_BITS)."""
    request, *small = columns
    if request.size and (int(request.min()) < 0 or int(request.max()) >= 2**39):
        return False
    return all(not c.size or (int(c.min()) >= 0 and int(c.max()) < 2**_STEP_BITS) for c in small)


def _rows(d: DecisionColumns) -> list[DecisionRow]:
    return [
        DecisionRow(*row)
        for row in zip(
            d.request.tolist(),
            d.round.tolist(),
            d.step.tolist(),
            d.approver.tolist(),
            d.at.tolist(),
            strict=True,
        )
    ]


def approver_waits_columns(
    starts: RoundStarts,
    decisions: DecisionColumns,
    pending: Sequence[PendingStep],
    rounds: dict[int, int],
    as_of: float,
    calendar: np.busdaycalendar,
) -> list[ApproverWait]:
    """approver_waits for decisions and rounds' starts given as columns (same values to the
    bit: totals are summed in the same order)."""
    d = decisions
    if not _fits(d.request, d.round, d.step) or not _fits(starts.request, starts.round):
        first: dict[tuple[int, int], float] = {}
        for req, rnd, at in zip(
            starts.request.tolist(), starts.round.tolist(), starts.at.tolist(), strict=True
        ):
            first.setdefault((req, rnd), at)
        limits = dict(
            zip(
                zip(d.request.tolist(), d.step.tolist(), strict=True), d.limit.tolist(), strict=True
            )
        )
        return approver_waits(first, _rows(d), limits, pending, rounds, as_of, calendar)
    b = _STEP_BITS
    # each step's end: its last decision (step_waits' step_end)
    key = (d.request << (2 * b)) | (d.round << b) | d.step
    steps, slot = np.unique(key, return_inverse=True)
    step_end = np.full(steps.size, -np.inf)
    np.maximum.at(step_end, slot, d.at)
    # each decision's start: its round's first start (step 0) or the previous step's end
    begin = np.full(d.at.size, np.nan)
    later = d.step > 0
    prev = key[later] - 1
    at = np.minimum(np.searchsorted(steps, prev), max(steps.size - 1, 0))
    hit = steps[at] == prev if steps.size else np.zeros(prev.size, dtype=bool)
    begin_later = np.full(prev.size, np.nan)
    begin_later[hit] = step_end[at[hit]]
    begin[later] = begin_later
    round_key = (starts.request << b) | starts.round
    known, first_at = np.unique(round_key, return_index=True)
    zero = ~later
    want = (d.request[zero] << b) | d.round[zero]
    at = np.minimum(np.searchsorted(known, want), max(known.size - 1, 0))
    hit = known[at] == want if known.size else np.zeros(want.size, dtype=bool)
    begin_zero = np.full(want.size, np.nan)
    begin_zero[hit] = starts.at[first_at[at[hit]]]
    begin[zero] = begin_zero
    counted = ~np.isnan(begin)  # the log says when the step began
    waited = working_days_between(begin[counted], d.at[counted], calendar)
    past = waited > d.limit[counted]
    who, request = d.approver[counted], d.request[counted]
    # then the steps still waiting, shared among the people they name
    open_waits = working_days_between([p.since for p in pending], [as_of] * len(pending), calendar)
    p_who = [a for p in pending for a in p.approvers]
    p_share = [
        float(w) / len(p.approvers)
        for p, w in zip(pending, open_waits, strict=True)
        for _ in p.approvers
    ]
    p_late = [
        (a, p.request)
        for p, w in zip(pending, open_waits, strict=True)
        if w > p.limit
        for a in p.approvers
    ]
    all_who = np.concatenate([who, np.asarray(p_who, dtype=np.int64)])
    all_waits = np.concatenate([waited, np.asarray(p_share, dtype=np.float64)])
    people, person = np.unique(all_who, return_inverse=True)
    totals = np.bincount(person, weights=all_waits, minlength=people.size)  # in order
    counts = np.bincount(person, minlength=people.size)
    n_decided = who.size
    out = []
    for k, approver in enumerate(people.tolist()):
        mine = person == k
        decided = mine[:n_decided]
        seen = set(request[decided].tolist())
        late = set(request[decided & past].tolist())
        late |= {r for a, r in p_late if a == approver}
        out.append(
            ApproverWait(
                approver=approver,
                waited=float(totals[k]),
                median=float(np.median(all_waits[mine])),
                steps=int(counts[k]),
                past_limit=len(late),
                rounds_per_request=(
                    float(np.mean([rounds.get(r, 1) for r in seen])) if seen else 0.0
                ),
                requests=tuple(sorted(late)),
                steps_past_limit=int(np.count_nonzero(past[decided])),
                held_past_limit=sum(1 for a, _ in p_late if a == approver),
            )
        )
    return sorted(out, key=lambda x: (-x.waited, x.approver))
