"""Replays a demo campaign made from a template as it ran, through the services with the clock
moved (time-machine), so its activity log reads like work done over weeks rather than on the
day the demo was built: each task is started by its owner on its planned day (or when the work
it waits on was finished, if later), written and designed work goes to the founder's approval
when it is finished and is done when she approves it, other work is done on its planned last
day; the go-live conditions are met before the launch, and the campaign launches on its day.
Nothing finishes after the launch moment unless it was planned after the launch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import time_machine

from headway.accounts.models import User
from headway.approvals.models import ApprovalChain, ApprovalRequest
from headway.approvals.services import approval_decide, approval_start
from headway.planning.models import (
    Campaign,
    Dependency,
    LinkType,
    Task,
    TaskKind,
    TaskStatus,
)
from headway.planning.services.campaigns import campaign_set_status
from headway.planning.services.links import condition_set_met
from headway.planning.services.tasks import task_set_status
from headway.workspaces.models import Workspace

CAL = np.busdaycalendar(weekmask="1111100")
#: kinds of work the founder approves before they count as done
REVIEWED_ROLES = {"copywriter", "designer", "video"}
#: working days each successive approval waited on the founder (her limit is two)
WAITS = (3, 1, 2, 3)


def work_day(day: dt.date, n: int = 0) -> dt.date:
    """The working day n working days after `day` (rolled forward to a working day first)."""
    found = np.busday_offset(np.datetime64(day, "D"), n, roll="forward", busdaycal=CAL)
    return dt.date.fromisoformat(str(found))


def working_days(first: dt.date, last: dt.date) -> int:
    """Working days from `first` to `last`, both counted (at least 1)."""
    count = int(np.busday_count(np.datetime64(first), np.datetime64(last), busdaycal=CAL)) + 1
    return max(count, 1)


@dataclass(order=True)
class _Act:
    at: dt.datetime
    seq: int
    run: Callable[[], object] = field(compare=False)


@dataclass
class Replay:
    """One campaign's past: build the moves with `plan`, then `run` them in time order."""

    workspace: Workspace
    campaign: Campaign
    manager: User
    approver: User
    chain: ApprovalChain | None
    acts: list[_Act] = field(default_factory=list)

    def moment(self, day: dt.date, hour: float) -> dt.datetime:
        start = dt.datetime.combine(day, dt.time(), self.workspace.tzinfo)
        return start + dt.timedelta(hours=hour)

    def add(self, at: dt.datetime, run: Callable[[], object]) -> None:
        self.acts.append(_Act(at, len(self.acts), run))

    def plan(
        self,
        *,
        launched: dt.date,
        until: dt.date,
        waits: dict[str, int] | None = None,
    ) -> None:
        """Plans every task's moves: the work planned to start by `until` is started, and
        finished when it ends by then; the campaign launches on `launched` at ten."""
        launch_at = self.moment(launched, 10)
        tasks = list(
            Task.objects.filter(campaign=self.campaign, kind=TaskKind.TASK).order_by(
                "start_date", "position", "id"
            )
        )
        preds: dict[int, list[int]] = {}
        # a task is ready when the work it follows (finish to start) is done
        links = Dependency.objects.filter(successor__in=tasks, type=LinkType.FS.value)
        for pred, succ in links.values_list("predecessor_id", "successor_id"):
            preds.setdefault(succ, []).append(pred)
        done: dict[int, dt.datetime] = {}
        reviewed = 0
        if self.campaign.status != "in_progress" and tasks and tasks[0].start_date:
            self.add(self.moment(tasks[0].start_date, 9), self._under_way)
        for task in tasks:
            if task.start_date is None or task.due_date is None or task.start_date > until:
                continue
            before_launch = task.due_date <= launched
            start = self.moment(task.start_date, 9.5)
            ready = [done[p] for p in preds.get(task.pk, []) if p in done]
            if ready and max(ready) + dt.timedelta(hours=1) > start:
                start = max(ready) + dt.timedelta(hours=1)
                if start.hour >= 16:
                    start = self.moment(work_day(start.date(), 1), 9.5)
            length = working_days(task.start_date, task.due_date)
            finish = self.moment(work_day(start.date(), length - 1), 16)
            finish = max(finish, start + dt.timedelta(hours=2))
            if task.due_date >= until or finish.date() > until:
                self.add(start, self._mover(task.pk, TaskStatus.IN_PROGRESS))
                continue  # still under way
            # work planned before the launch is finished by it: each step an hour before the
            # next (a late step squeezes the ones after it into the launch morning)
            last = launch_at if before_launch else dt.datetime.max.replace(tzinfo=dt.UTC)
            hour = dt.timedelta(hours=1)
            if task.role_needed in REVIEWED_ROLES and self.chain is not None:
                wait = (waits or {}).get(task.title, WAITS[reviewed % len(WAITS)])
                reviewed += 1
                decided = min(self.moment(work_day(finish.date(), wait), 11), last - hour)
                finish = min(finish, decided - hour)
                self.add(finish, self._sender(task.pk))
                self.add(decided, self._approval(task.pk))
                done[task.pk] = decided
            else:
                finish = min(finish, last - hour)
                self.add(finish, self._mover(task.pk, TaskStatus.DONE))
                done[task.pk] = finish
            self.add(min(start, finish - hour), self._mover(task.pk, TaskStatus.IN_PROGRESS))
        # a milestone after the launch (the results review) is reached on its day
        milestones = Task.objects.filter(
            campaign=self.campaign, kind=TaskKind.MILESTONE, due_date__lt=until
        )
        for milestone in milestones.exclude(due_date__lte=launched):
            assert milestone.due_date is not None
            self.add(self.moment(milestone.due_date, 16), self._mover(milestone.pk, "done"))
        for condition in self.campaign.conditions.all():
            met = self.moment(work_day(min(condition.due_date or launched, launched), -1), 12)
            self.add(met, self._condition(condition.pk))
        self.add(launch_at, self._launch)

    def _mover(self, task_id: int, status: str) -> Callable[[], object]:
        def move() -> object:
            task = Task.objects.get(pk=task_id)
            actor = task.owner or self.manager
            return task_set_status(actor=actor, task=task, status=status, force=True)

        return move

    def _sender(self, task_id: int) -> Callable[[], object]:
        def send() -> object:
            assert self.chain is not None
            task = Task.objects.get(pk=task_id)
            return approval_start(actor=self.manager, task=task, chain=self.chain, force=True)

        return send

    def _approval(self, task_id: int) -> Callable[[], object]:
        def approve() -> object:
            request = ApprovalRequest.objects.filter(task_id=task_id).latest("pk")
            return approval_decide(
                actor=self.approver, request=request, verdict="approve", force=True
            )

        return approve

    def _condition(self, condition_id: int) -> Callable[[], object]:
        def meet() -> object:
            condition = self.campaign.conditions.get(pk=condition_id)
            return condition_set_met(actor=self.manager, condition=condition, met=True)

        return meet

    def _under_way(self) -> object:
        self.campaign.refresh_from_db()
        return campaign_set_status(actor=self.manager, campaign=self.campaign, status="in_progress")

    def _launch(self) -> object:
        self.campaign.refresh_from_db()
        return campaign_set_status(actor=self.manager, campaign=self.campaign, status="launched")

    def run(self) -> Campaign:
        """Runs the planned moves in time order, each at its moment."""
        for act in sorted(self.acts):
            with time_machine.travel(act.at, tick=False):
                act.run()
        self.campaign.refresh_from_db()
        return self.campaign


def replay_campaign(
    workspace: Workspace,
    campaign: Campaign,
    *,
    manager: User,
    approver: User,
    launched: dt.date,
    until: dt.date,
    waits: dict[str, int] | None = None,
) -> Campaign:
    """Replays `campaign`'s plan up to its launch on `launched` and its later work up to
    `until` (see the module docstring); the content approval chain is the workspace's."""
    chain = ApprovalChain.objects.filter(workspace=workspace, kind="content_draft").first()
    replay = Replay(workspace, campaign, manager, approver, chain)
    replay.plan(launched=launched, until=until, waits=waits)
    return replay.run()
