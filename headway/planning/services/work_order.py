"""Work order: a task moved on while what it waits on is unfinished needs a confirmation."""

from __future__ import annotations

from headway.core.errors import Conflict
from headway.engine.network import LinkType
from headway.planning.models import Dependency, Task, TaskStatus

# How far along a status is: moving forward into work is what the links constrain; moving
# back (done to in progress, a review sent back) or sideways into blocked never asks.
PROGRESS = {
    TaskStatus.NOT_STARTED: 0,
    TaskStatus.BLOCKED: 0,
    TaskStatus.IN_PROGRESS: 1,
    TaskStatus.IN_REVIEW: 2,
    TaskStatus.DONE: 3,
}
PHRASES = {
    TaskStatus.IN_PROGRESS: "would start",
    TaskStatus.IN_REVIEW: "would go to review",
    TaskStatus.DONE: "would be done",
}


class PredecessorsNotDone(Conflict):
    """Refuses a move the links say is early; the caller may repeat it confirmed."""

    code = "predecessors_not_done"

    def __init__(self, task: Task, status: str, waiting: list[Task]) -> None:
        titles = ", ".join(f"“{p.title}”" for p in waiting)
        phrase = PHRASES.get(TaskStatus(status), "would move on")
        super().__init__(
            f"“{task.title}” {phrase} before the tasks it follows are done. It waits on: {titles}.",
            field="status",
        )
        self.task = task
        self.target = status  # not `status`: that is the HTTP status of the error
        self.waiting = waiting


def _moves_forward(task: Task, status: str) -> bool:
    return PROGRESS.get(TaskStatus(status), 0) > PROGRESS.get(TaskStatus(task.status), 0)


def _violated(link: Dependency, status: str) -> bool:
    """Whether moving the successor to `status` breaks `link`. Finish-to-start with a lead
    (negative lag) plans the overlap, so only a link without one asks."""
    pred = link.predecessor.status
    if link.type == LinkType.FS.value:
        return link.lag >= 0 and pred != TaskStatus.DONE
    if link.type == LinkType.SS.value:
        return pred == TaskStatus.NOT_STARTED
    if link.type == LinkType.FF.value:
        return status == TaskStatus.DONE and pred != TaskStatus.DONE
    return False


def predecessors_not_done(task: Task, status: str) -> list[Task]:
    """The predecessors `task` still waits on if it moved to `status` now: unfinished
    finish-to-start predecessors (and unstarted start-to-start, unfinished finish-to-finish
    for done); empty when the move goes back or nothing is outstanding."""
    if status not in PHRASES or not _moves_forward(task, status):
        return []
    links = Dependency.objects.filter(successor=task).select_related("predecessor__owner")
    ordered = links.order_by("predecessor__position", "id")
    return [k.predecessor for k in ordered if _violated(k, status)]


def work_order_check(task: Task, status: str, *, force: bool) -> None:
    """Raises PredecessorsNotDone for an early move unless the person confirmed it."""
    if force:
        return
    waiting = predecessors_not_done(task, status)
    if waiting:
        raise PredecessorsNotDone(task, status, waiting)
