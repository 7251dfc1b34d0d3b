"""A plain-Python critical path schedule, one link at a time.

It is the straightforward version of `headway.engine.cpm`: the tests check the vectorised
scheduler against it and the benchmarks measure the speed-up over it.
"""

from __future__ import annotations

from headway.engine.network import Network


def plain_schedule(network: Network) -> dict[str, tuple[float, float, float, float]]:
    """{task: (ES, EF, LS, LF)} by repeated relaxation in topological order."""
    dur = {t.id: t.expected for t in network.tasks}
    incoming: dict[str, list] = {t.id: [] for t in network.tasks}
    outgoing: dict[str, list] = {t.id: [] for t in network.tasks}
    for link in network.links:
        incoming[link.successor].append(link)
        outgoing[link.predecessor].append(link)
    order, seen = [], set()
    indeg = {t: len(v) for t, v in incoming.items()}
    ready = [t for t, d in indeg.items() if d == 0]
    while ready:
        t = ready.pop()
        order.append(t)
        seen.add(t)
        for link in outgoing[t]:
            indeg[link.successor] -= 1
            if indeg[link.successor] == 0:
                ready.append(link.successor)
    es: dict[str, float] = {}
    ef: dict[str, float] = {}
    for t in order:
        start = 0.0
        for link in incoming[t]:
            p = link.predecessor
            kind = link.type.value
            if kind == "FS":
                start = max(start, ef[p] + link.lag)
            elif kind == "SS":
                start = max(start, es[p] + link.lag)
            elif kind == "FF":
                start = max(start, ef[p] + link.lag - dur[t])
            else:
                start = max(start, es[p] + link.lag - dur[t])
        es[t], ef[t] = start, start + dur[t]
    finish = max(ef.values(), default=0.0)
    ls: dict[str, float] = {}
    lf: dict[str, float] = {}
    for t in reversed(order):
        late = finish
        for link in outgoing[t]:
            s = link.successor
            kind = link.type.value
            if kind == "FS":
                late = min(late, ls[s] - link.lag)
            elif kind == "SS":
                late = min(late, ls[s] - link.lag + dur[t])
            elif kind == "FF":
                late = min(late, lf[s] - link.lag)
            else:
                late = min(late, lf[s] - link.lag + dur[t])
        lf[t], ls[t] = late, late - dur[t]
    return {t: (es[t], ef[t], ls[t], lf[t]) for t in order}
