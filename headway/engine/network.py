"""Task networks: tasks with durations in working days, and links of four types with lag."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt


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
        a, m, b = self.estimate
        return (a + 4 * m + b) / 6


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


@dataclass
class Compiled:
    """A validated network as index arrays, grouped by level for vectorised passes."""

    ids: list[str]
    index: dict[str, int]
    order: list[int]  # a topological order
    pred: npt.NDArray[np.int64]
    succ: npt.NDArray[np.int64]
    lag: npt.NDArray[np.float64]
    from_finish: npt.NDArray[np.bool_]
    to_finish: npt.NDArray[np.bool_]
    types: list[LinkType]
    forward_groups: list[
        tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]
    ] = field(default_factory=list)
    backward_groups: list[
        tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]
    ] = field(default_factory=list)


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
    for link in network.links:
        for end in (link.predecessor, link.successor):
            if end not in index:
                raise NetworkError(
                    f"link {link.predecessor} -> {link.successor}: unknown task {end!r}", (end,)
                )
        if link.predecessor == link.successor:
            raise NetworkError(f"task {link.predecessor!r} depends on itself", (link.predecessor,))
    return index


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


def _groups(
    level: npt.NDArray[np.int64], key: npt.NDArray[np.int64], levels: range
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Per level: the links whose `key` end is at that level, sorted by it, with segment starts."""
    groups = []
    link_level = level[key]
    for lv in levels:
        chosen = np.flatnonzero(link_level == lv)
        if chosen.size == 0:
            continue
        chosen = chosen[np.argsort(key[chosen], kind="stable")]
        keys = key[chosen]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        groups.append((chosen, starts, keys[starts]))
    return groups


def compile_network(network: Network) -> Compiled:
    """Validates the network and prepares it for scheduling; a cycle is named task by task."""
    index = _check(network)
    ids = [t.id for t in network.tasks]
    n = len(ids)
    edges = [(index[lk.predecessor], index[lk.successor]) for lk in network.links]
    indegree = [0] * n
    out: list[list[int]] = [[] for _ in range(n)]
    for p, s in edges:
        indegree[s] += 1
        out[p].append(s)
    queue = deque(i for i in range(n) if indegree[i] == 0)
    order: list[int] = []
    while queue:
        i = queue.popleft()
        order.append(i)
        for s in out[i]:
            indegree[s] -= 1
            if indegree[s] == 0:
                queue.append(s)
    if len(order) < n:
        cycle = _find_cycle(n, edges, ids)
        raise NetworkError("the links form a cycle: " + " -> ".join([*cycle, cycle[0]]), cycle)
    pred = np.array([e[0] for e in edges], dtype=np.int64)
    succ = np.array([e[1] for e in edges], dtype=np.int64)
    # Longest chain from a source (forward) and to a sink (backward), in links.
    fwd = np.zeros(n, dtype=np.int64)
    for i in order:
        for s in out[i]:
            fwd[s] = max(fwd[s], fwd[i] + 1)
    bwd = np.zeros(n, dtype=np.int64)
    for i in reversed(order):
        for s in out[i]:
            bwd[i] = max(bwd[i], bwd[s] + 1)
    types = [lk.type for lk in network.links]
    compiled = Compiled(
        ids=ids,
        index=index,
        order=order,
        pred=pred,
        succ=succ,
        lag=np.array([lk.lag for lk in network.links], dtype=np.float64),
        from_finish=np.array([t.from_finish for t in types], dtype=bool),
        to_finish=np.array([t.to_finish for t in types], dtype=bool),
        types=types,
    )
    top = int(fwd.max(initial=0))
    compiled.forward_groups = _groups(fwd, succ, range(1, top + 1))
    top_b = int(bwd.max(initial=0))
    compiled.backward_groups = _groups(bwd, pred, range(1, top_b + 1))
    return compiled
