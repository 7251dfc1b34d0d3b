"""Task networks: tasks with durations in working days, and links of four types with lag."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from headway.engine.three_point import pert_mean


class LinkType(StrEnum):
    FS = "FS"  # the successor starts after the predecessor finishes
    SS = "SS"  # the successor starts after the predecessor starts
    FF = "FF"  # the successor finishes after the predecessor finishes
    SF = "SF"  # the successor finishes after the predecessor starts

    @property
    def from_finish(self) -> bool:
        """Whether the constraint is measured from the predecessor's finish."""
        return self in (LinkType.FS, LinkType.FF)

    @property
    def to_finish(self) -> bool:
        """Whether the constraint binds the successor's finish."""
        return self in (LinkType.FF, LinkType.SF)


class NetworkError(ValueError):
    """A network that cannot be scheduled; `tasks` names the tasks at fault."""

    def __init__(self, message: str, tasks: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.tasks = tasks


@dataclass(frozen=True)
class Task:
    id: str
    duration: float = 0.0
    estimate: tuple[float, float, float] | None = None  # optimistic, most likely, pessimistic
    kind: str = ""  # groups tasks for resampling historical durations

    @property
    def expected(self) -> float:
        """The duration to schedule with: the PERT mean when there is an estimate."""
        if self.estimate is None:
            return self.duration
        return pert_mean(*self.estimate)


@dataclass(frozen=True)
class Link:
    predecessor: str
    successor: str
    type: LinkType = LinkType.FS
    lag: float = 0.0


@dataclass(frozen=True)
class Network:
    tasks: tuple[Task, ...]
    links: tuple[Link, ...] = ()


# One link as a successor or predecessor sees it: (other task, from_finish, to_finish, lag).
Arc = tuple[int, bool, bool, float]


@dataclass
class Compiled:
    """A validated network as index arrays and per-task link lists in topological order."""

    ids: list[str]
    index: dict[str, int]
    order: list[int]  # a topological order
    pred: npt.NDArray[np.int64]
    succ: npt.NDArray[np.int64]
    lag: npt.NDArray[np.float64]
    from_finish: npt.NDArray[np.bool_]
    to_finish: npt.NDArray[np.bool_]
    types: list[LinkType]
    incoming: list[list[Arc]] = field(default_factory=list)  # per task: (predecessor, ...)
    outgoing: list[list[Arc]] = field(default_factory=list)  # per task: (successor, ...)


def _check(network: Network) -> dict[str, int]:
    index: dict[str, int] = {}
    for t in network.tasks:
        if t.id in index:
            raise NetworkError(f"task {t.id!r} appears twice", (t.id,))
        if t.estimate is not None:
            a, m, b = t.estimate
            if not (0 <= a <= m <= b):
                raise NetworkError(
                    f"task {t.id!r}: the estimate must be optimistic <= most likely <= "
                    "pessimistic, "
                    f"all >= 0 (got {a}, {m}, {b})",
                    (t.id,),
                )
        elif t.duration < 0:
            raise NetworkError(f"task {t.id!r}: the duration {t.duration} is negative", (t.id,))
        index[t.id] = len(index)
    return index


def _bad_link(link: Link, index: dict[str, int]) -> NetworkError:
    for end in (link.predecessor, link.successor):
        if end not in index:
            return NetworkError(
                f"link {link.predecessor} -> {link.successor}: unknown task {end!r}", (end,)
            )
    return NetworkError(f"task {link.predecessor!r} depends on itself", (link.predecessor,))


def _find_cycle(n: int, edges: list[tuple[int, int]], ids: list[str]) -> tuple[str, ...]:
    out: list[list[int]] = [[] for _ in range(n)]
    for p, s in edges:
        out[p].append(s)
    state = [0] * n  # 0 unseen, 1 on the stack, 2 done
    for root in range(n):
        if state[root]:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        path: list[int] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                path.append(node)
            if i < len(out[node]):
                stack.append((node, i + 1))
                nxt = out[node][i]
                if state[nxt] == 1:
                    cycle = path[path.index(nxt) :]
                    return tuple(ids[c] for c in cycle)
                if state[nxt] == 0:
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
    return ()


# Per link type: (measured from the predecessor's finish, binds the successor's finish).
_ENDS = {LinkType.FS: (True, False), LinkType.SS: (False, False), LinkType.FF: (True, True)}
_ENDS[LinkType.SF] = (False, True)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pauses the cyclic garbage collector: compiling and scheduling allocate many small
    objects and keep them all, and the collections it triggers meanwhile free nothing but
    cost up to half the time on large networks."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compile_network(network: Network) -> Compiled:
    """Validates the network and prepares it for scheduling; a cycle is named task by task."""
    with gc_paused():
        return _compile(network)


def _compile(network: Network) -> Compiled:
    index = _check(network)
    ids = [t.id for t in network.tasks]
    n = len(ids)
    incoming: list[list[Arc]] = [[] for _ in range(n)]
    outgoing: list[list[Arc]] = [[] for _ in range(n)]
    pred: list[int] = []
    succ: list[int] = []
    for lk in network.links:
        p, s = index.get(lk.predecessor, -1), index.get(lk.successor, -1)
        if p < 0 or s < 0 or p == s:
            raise _bad_link(lk, index)
        fin, to_fin = _ENDS[lk.type]
        lag = float(lk.lag)
        incoming[s].append((p, fin, to_fin, lag))
        outgoing[p].append((s, fin, to_fin, lag))
        pred.append(p)
        succ.append(s)
    indegree = [len(arcs) for arcs in incoming]
    order = [i for i in range(n) if indegree[i] == 0]
    for i in order:  # the list grows while it is walked: Kahn's algorithm
        for arc in outgoing[i]:
            s = arc[0]
            indegree[s] -= 1
            if indegree[s] == 0:
                order.append(s)
    if len(order) < n:
        cycle = _find_cycle(n, list(zip(pred, succ, strict=True)), ids)
        raise NetworkError("the links form a cycle: " + " -> ".join([*cycle, cycle[0]]), cycle)
    types = [lk.type for lk in network.links]
    ends = np.array([_ENDS[t] for t in types], dtype=bool).reshape(len(types), 2)
    return Compiled(
        ids=ids,
        index=index,
        order=order,
        pred=np.array(pred, dtype=np.int64),
        succ=np.array(succ, dtype=np.int64),
        lag=np.array([lk.lag for lk in network.links], dtype=np.float64),
        from_finish=ends[:, 0].copy(),
        to_finish=ends[:, 1].copy(),
        types=types,
        incoming=incoming,
        outgoing=outgoing,
    )
