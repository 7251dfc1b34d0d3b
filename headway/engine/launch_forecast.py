"""Launch forecasts: Monte Carlo over the remaining network of one campaign, in working days
from today.

Each remaining task's duration is drawn from its three-point estimate (PERT-beta) where it
has one; otherwise its planned duration times a ratio drawn from this team's history of
actual/planned durations for the task's role (when there are enough samples), else from all of
the team's finished tasks (when there are enough of those: work planned without a role has only
these); otherwise its planned duration times a stated default spread (triangular). Work that
still needs an approval waits a time drawn from past decisions of that kind. A task cannot
start before its release (a start-no-earlier-than date). The draws are seeded, so an unchanged
plan gets the same forecast on every request.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from headway.engine.montecarlo import _pert_beta, _triangular
from headway.engine.network import Link, LinkType, Network, Task, compile_network
from headway.engine.passes import backward, forward

MIN_SAMPLES = 20
# Without an estimate or history: the planned duration is the most likely, 20% quicker at
# best and 60% slower at worst (work overruns more often than it finishes early).
DEFAULT_SPREAD = (0.8, 1.0, 1.6)
MAX_CRITICAL = 5
MIN_APPROVAL_SAMPLES = 5
CRITICALITY_TRIALS = 2000


@dataclass(frozen=True)
class RemainingTask:
    id: int
    planned: float  # working days still to do
    estimate: tuple[float, float, float] | None = None  # for the remaining work
    role: str = ""
    release: float = 0.0  # working days from today before which it cannot start
    approval: str = ""  # the kind of approval the work still needs after it is done


@dataclass(frozen=True)
class RemainingLink:
    predecessor: int
    successor: int
    type: str = "FS"
    lag: float = 0.0


@dataclass(frozen=True)
class ForecastInput:
    tasks: tuple[RemainingTask, ...]
    links: tuple[RemainingLink, ...]
    launch_days: (
        float | None
    )  # working days the remaining work may take (it ends before the launch day)
    ratios: Mapping[str, Sequence[float]]  # role -> actual/planned of finished tasks
    trials: int = 10_000
    seed: int = 0
    # approval kind -> past waits (working days from sending to the decision)
    approval_waits: Mapping[str, Sequence[float]] = field(default_factory=dict)


@dataclass(frozen=True)
class LaunchForecast:
    trials: int
    p_on_time: float | None
    p50_days: float  # working days from today until the work ends, 50% of trials
    p85_days: float
    critical_ids: tuple[int, ...]  # most often critical first
    from_estimates: int  # tasks drawn from three-point estimates
    from_history: int  # tasks drawn from the history of their role
    history_samples: int  # finished tasks behind those draws
    from_default: int  # tasks drawn from the default spread
    approval_tasks: int = 0  # tasks whose approval wait was drawn from past decisions
    approval_samples: int = 0  # past decisions behind those draws
    from_team: int = 0  # tasks drawn from all of the team's finished tasks
    team_samples: int = 0  # the team's finished tasks behind those draws
    history_roles: int = 0  # roles whose history was drawn from

    @property
    def basis(self) -> str:
        """Where the durations came from, in words."""
        parts = []
        if self.from_history:
            roles = "role" if self.history_roles == 1 else "roles"
            parts.append(f"from {self.history_samples} finished tasks in the same {roles}")
        if self.from_team:
            parts.append(
                f"{'from ' if not parts else ''}the team's {self.team_samples} finished tasks"
            )
        if self.from_estimates:
            parts.append(f"{'from ' if not parts else ''}three-point estimates")
        if self.from_default:
            lo, _, hi = DEFAULT_SPREAD
            parts.append(
                f"{'from ' if not parts else ''}a default spread "
                f"({round((1 - lo) * 100)}% quicker to {round((hi - 1) * 100)}% slower)"
            )
        if not parts:
            return "no work left"
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        if self.approval_tasks:
            text += f"; approval waits from {self.approval_samples} past decisions"
        return text


def work_leading_to(
    launch: Collection[int], ids: Sequence[int], links: Sequence[RemainingLink]
) -> frozenset[int]:
    """The launch milestones `launch` and their predecessors, all the way back; all of `ids`
    without a launch milestone."""
    if not launch:
        return frozenset(ids)
    preds: dict[int, list[int]] = {}
    for k in links:
        preds.setdefault(k.successor, []).append(k.predecessor)
    seen = set(launch)
    stack = list(launch)
    while stack:
        for p in preds.get(stack.pop(), ()):
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return frozenset(seen)


def to_launch(f: ForecastInput, launch_ids: Collection[int]) -> ForecastInput:
    """The forecast of a launch: its launch milestones still to come and the work leading to
    them. Work after the launch (a results review) does not decide whether it launches on
    time. Without a launch milestone left, all of the remaining work."""
    remaining = [t.id for t in f.tasks]
    keep = work_leading_to(frozenset(launch_ids) & set(remaining), remaining, f.links)
    if len(keep) == len(f.tasks):
        return f
    return replace(
        f,
        tasks=tuple(t for t in f.tasks if t.id in keep),
        links=tuple(k for k in f.links if k.predecessor in keep and k.successor in keep),
    )


def forecast_launch(f: ForecastInput) -> LaunchForecast:
    """P(the remaining work ends by the launch date), the 50% and 85% finish in working days
    from today, and the tasks most often on the critical path."""
    if not f.tasks:
        p = None if f.launch_days is None else 1.0
        return LaunchForecast(f.trials, p, 0.0, 0.0, (), 0, 0, 0, 0)
    rng = np.random.default_rng(f.seed)
    network, n_real = _network(f)
    c = compile_network(network)
    # one row per network task, in network order: the remaining tasks, then the releases
    d = np.empty((len(network.tasks), f.trials))
    counts = _durations(f, rng, d[:n_real])
    d[n_real:] = np.array([[t.release] for t in f.tasks if t.release > 0]).reshape(-1, 1)
    waits = _approval_waits(f, rng, d[:n_real])
    from_estimates, from_history, history_samples, from_default, team, roles = counts
    es, ef = forward(c, d)
    finish = ef.max(axis=0)
    # Which tasks are critical needs far fewer trials than the launch percentiles do.
    k = min(f.trials, CRITICALITY_TRIALS)
    es_k, d_k = np.ascontiguousarray(es[:, :k]), np.ascontiguousarray(d[:, :k])
    ls, _ = backward(c, d_k, finish[:k])
    critical = ((ls - es_k) <= 1e-7 * np.maximum(1.0, finish[None, :k])).mean(axis=1)
    real = [(critical[c.index[str(t.id)]], t.id) for t in f.tasks if t.planned > 0]
    top = tuple(tid for share, tid in sorted(real, key=lambda x: -x[0]) if share >= 0.5)
    p = None if f.launch_days is None else float((finish <= f.launch_days + 1e-9).mean())
    return LaunchForecast(
        f.trials,
        p,
        math.ceil(float(np.percentile(finish, 50)) - 1e-9),
        math.ceil(float(np.percentile(finish, 85)) - 1e-9),
        top[:MAX_CRITICAL],
        from_estimates,
        from_history,
        history_samples,
        from_default,
        *waits,
        from_team=team[0],
        team_samples=team[1],
        history_roles=roles,
    )


def _durations(
    f: ForecastInput, rng: np.random.Generator, out: np.ndarray
) -> tuple[int, int, int, int, tuple[int, int], int]:
    """Fills `out` (tasks, trials) with drawn durations; returns how many tasks came from
    estimates, from their role's history (and the samples behind them), from the default
    spread, (tasks, samples) from the whole team's history, and the roles drawn from."""
    n = len(f.tasks)
    lo, mid, hi = (np.empty(n) for _ in range(3))
    est_rows, default_rows, team_rows, zero_rows = [], [], [], []
    team = [r for past in f.ratios.values() for r in past]
    by_role: dict[str, list[int]] = {}
    for i, t in enumerate(f.tasks):
        if t.estimate is not None:
            lo[i], mid[i], hi[i] = t.estimate
            est_rows.append(i)
        elif t.planned <= 0:
            lo[i] = mid[i] = hi[i] = 0.0  # a milestone takes no time, whatever the history
            zero_rows.append(i)
        elif t.role and len(f.ratios.get(t.role, ())) >= MIN_SAMPLES:
            by_role.setdefault(t.role, []).append(i)
        elif len(team) >= MIN_SAMPLES:
            team_rows.append(i)
        else:
            lo[i], mid[i], hi[i] = (t.planned * k for k in DEFAULT_SPREAD)
            default_rows.append(i)
    if est_rows:
        e = np.array(est_rows)
        out[e] = _pert_beta(rng, lo[e], mid[e], hi[e], f.trials)
    out[zero_rows] = 0.0
    if default_rows:
        e = np.array(default_rows)
        out[e] = _triangular(rng, lo[e], mid[e], hi[e], f.trials)
    for role, rows in by_role.items():
        _draw_ratios(f, rng, out, rows, f.ratios[role])
    if team_rows:
        _draw_ratios(f, rng, out, team_rows, team)
    samples = sum(len(f.ratios[r]) for r in by_role)
    history = sum(len(rows) for rows in by_role.values())
    team_used = (len(team_rows), len(team) if team_rows else 0)
    return len(est_rows), history, samples, len(default_rows), team_used, len(by_role)


def _draw_ratios(
    f: ForecastInput,
    rng: np.random.Generator,
    out: np.ndarray,
    rows: list[int],
    ratios: Sequence[float],
) -> None:
    """Each of `rows` takes its planned duration times a ratio drawn from `ratios`."""
    past = np.asarray(ratios, dtype=np.float64)
    picks = past[rng.integers(0, past.size, size=(len(rows), f.trials))]
    planned = np.array([f.tasks[i].planned for i in rows])
    out[rows] = picks * planned[:, None]


def _approval_waits(f: ForecastInput, rng: np.random.Generator, out: np.ndarray) -> tuple[int, int]:
    """Adds to each task that still needs an approval a wait drawn from that kind's past
    decisions (when there are enough of them); returns (tasks, past decisions used)."""
    tasks, kinds = 0, set()
    for i, t in enumerate(f.tasks):
        past = f.approval_waits.get(t.approval, ()) if t.approval else ()
        if len(past) < MIN_APPROVAL_SAMPLES:
            continue
        arr = np.asarray(past, dtype=np.float64)
        out[i] += arr[rng.integers(0, arr.size, size=f.trials)]
        tasks += 1
        kinds.add(t.approval)
    return tasks, sum(len(f.approval_waits[k]) for k in kinds)


def _network(f: ForecastInput) -> tuple[Network, int]:
    """The remaining tasks, plus one release task ahead of each task that cannot start yet."""
    ids = {t.id for t in f.tasks}
    tasks = [Task(str(t.id), t.planned) for t in f.tasks]
    links = [
        Link(str(k.predecessor), str(k.successor), LinkType(k.type), k.lag)
        for k in f.links
        if k.predecessor in ids and k.successor in ids
    ]
    for t in f.tasks:
        if t.release > 0:
            tasks.append(Task(f"release-{t.id}", t.release))
            links.append(Link(f"release-{t.id}", str(t.id)))
    return Network(tuple(tasks), tuple(links)), len(f.tasks)
