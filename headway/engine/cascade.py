"""Cascade impact: which tasks' early dates a change moves, by how much, and the launch."""

from __future__ import annotations

from dataclasses import dataclass, replace

from headway.engine.cpm import Schedule, schedule
from headway.engine.network import Link, Network, Task


@dataclass(frozen=True)
class Change:
    """One change: a task slips (its start is pushed), a duration changes, or a link is added."""

    task: str = ""
    slip: float = 0.0
    duration: float | None = None
    add_link: Link | None = None


@dataclass(frozen=True)
class CascadeResult:
    moved: dict[str, float]  # task -> working days its early start moves (later is positive)
    finish_before: float
    finish_after: float

    @property
    def launch_moves(self) -> float:
        return self.finish_after - self.finish_before

    def summary(self) -> str:
        n = len(self.moved)
        text = f"moves {n} task{'s' if n != 1 else ''}"
        delta = self.launch_moves
        if abs(delta) < 1e-9:
            return text + "; the launch does not move"
        word = "later" if delta > 0 else "earlier"
        days = f"{abs(delta):g} working day{'s' if abs(delta) != 1 else ''}"
        return f"{text}; the launch moves {days} {word}"


def _apply(network: Network, before: Schedule, change: Change) -> Network:
    tasks = list(network.tasks)
    links = list(network.links)
    ids = [t.id for t in tasks]
    if change.task and change.task not in ids:
        raise ValueError(f"unknown task {change.task!r}")
    if change.duration is not None:
        i = ids.index(change.task)
        tasks[i] = replace(tasks[i], duration=change.duration, estimate=None)
    if change.slip:
        # A slip is a start-no-earlier-than: an anchor from the project start that ends
        # where the slipped task may start at the earliest.
        anchor = f"__slip__{change.task}"
        start = before.tasks[change.task].early_start
        tasks.append(Task(id=anchor, duration=start + change.slip))
        links.append(Link(anchor, change.task))
    if change.add_link is not None:
        links.append(change.add_link)
    return Network(tasks=tuple(tasks), links=tuple(links))


def cascade(network: Network, change: Change) -> CascadeResult:
    """The early-date moves a change causes; a change that would create a cycle is refused."""
    before = schedule(network)
    after = schedule(_apply(network, before, change))
    moved = {}
    for tid, old in before.tasks.items():
        delta = after.tasks[tid].early_start - old.early_start
        if abs(delta) > 1e-9:
            moved[tid] = delta
    return CascadeResult(moved=moved, finish_before=before.duration, finish_after=after.duration)
