"""Six months of Harbor & Pine history, created through the services with the clock moved
(time-machine), so flow, where work waits, the crunch and the scorecard have a story to tell:
about thirty small launched campaigns; the founder's approvals are the main wait (usually
past their two-day limit); Alex, the freelance designer, often delivers after the due date;
the organic-social launches are planned late and pile their work into the final two days.
Few campaigns start from a template: the scorecard's weak point."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import numpy as np
import time_machine
from django.conf import settings

from headway.accounts.models import User
from headway.approvals.models import ApprovalChain, ApprovalRequest
from headway.approvals.services import StepSpec, approval_decide, approval_resubmit, approval_start
from headway.approvals.services import chain_create as approval_chain_create
from headway.planning.models import Campaign, Channel, Task, TaskStatus
from headway.planning.services.campaigns import (
    campaign_create,
    campaign_set_start,
    campaign_set_status,
)
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_create, task_set_status, task_update
from headway.workspaces.models import Workspace

HISTORY_MARK = "(history)"  # in every history campaign's objective: loading twice adds nothing
THEMES = [
    "Weekend trail sale",
    "New colourway drop",
    "Customer stories",
    "Rain gear week",
    "Members' evening",
    "Repair service push",
]
CAL = np.busdaycalendar(weekmask="1111100")


@dataclass(frozen=True)
class Step:
    title: str
    owner: str
    days: int
    review: bool = False


PLAN = [
    Step("Brief and audience", "jordan", 1),
    Step("Write the copy", "tom", 2, review=True),
    Step("Design the visuals", "priya", 2, review=True),
    Step("Build the landing page", "lena", 2),
    Step("Schedule the posts", "sam", 1),
    Step("Final check", "jordan", 1),
]


def _work_day(day: dt.date, n: int) -> dt.date:
    found = np.busday_offset(np.datetime64(day, "D"), n, roll="forward", busdaycal=CAL)
    return dt.date.fromisoformat(str(found))


class Clock:
    """The moment the history has reached; every service call runs at it."""

    def __init__(self, tz: dt.tzinfo, day: dt.date, hour: float = 9.5) -> None:
        self.tz, self.day, self.hour = tz, _work_day(day, 0), hour

    @property
    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(), self.tz) + dt.timedelta(hours=self.hour)

    def advance(self, days: float) -> None:
        """Moves on `days` working days (whole days at the same hour, then hours)."""
        whole = int(days)
        self.day = _work_day(self.day, whole)
        self.hour += (days - whole) * 8
        while self.hour >= 17:
            self.hour -= 8
            self.day = _work_day(self.day, 1)

    def next_morning(self) -> None:
        self.day, self.hour = _work_day(self.day, 1), 9.5


class History:
    def __init__(self, workspace: Workspace, rng: random.Random) -> None:
        self.ws = workspace
        self.rng = rng
        self.people = {
            u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)
        }
        self.channels = {c.key: c for c in Channel.objects.filter(workspace=workspace)}
        self.chain = self._chain()

    def _chain(self) -> ApprovalChain:
        chain = ApprovalChain.objects.filter(workspace=self.ws, kind="content_draft").first()
        if chain is None:
            maya, jordan = self.people["maya"], self.people["jordan"]
            chain = approval_chain_create(
                actor=jordan,
                workspace=self.ws,
                name="Content approval",
                kind="content_draft",
                steps=[StepSpec("Founder", approvers=[maya.pk], backup=jordan.pk, limit=2)],
            )
        return chain

    def at(self, clock: Clock) -> time_machine.travel:
        return time_machine.travel(clock.now, tick=False)

    def campaign(self, n: int, launch: dt.date) -> None:
        """One campaign from brief to launch; social launches are planned late."""
        social = n % 3 == 1 and n >= 6  # the last months' social launches crunch
        jordan = self.people["jordan"]
        channel = self.channels["organic_social" if n % 3 == 1 else ("email", "website")[n % 2]]
        name = f"{THEMES[n % len(THEMES)]} · {launch:%b %-d}"
        lead = 4 if social else 24
        clock = Clock(self.ws.tzinfo, _work_day(launch, -lead - 4), 10)
        with self.at(clock):
            campaign = self._create(n, name, launch, channel)
            tasks = self._tasks(campaign, freelancer=not social)
        clock.day = _work_day(launch, -lead)
        clock.hour = 9.5
        with self.at(clock):
            campaign = campaign_set_start(actor=jordan, campaign=campaign, start=clock.day)
            campaign_set_status(actor=jordan, campaign=campaign, status="in_progress")
        for k, (step, task) in enumerate(zip(PLAN, tasks, strict=True)):
            self._run(step, task, clock, social=social)
            if social and k == 3:
                self._plan_change(task, clock)
        # it launches on its day, or, when its work ran past that day (the founder's approvals,
        # the freelancer), late: an hour after its last task was done
        on_time = Clock(self.ws.tzinfo, launch, 11)
        if clock.now < on_time.now:
            clock = on_time
        else:
            clock.advance(0.125)
        with self.at(clock):
            campaign.refresh_from_db()
            campaign_set_status(actor=jordan, campaign=campaign, status="launched")

    def _create(self, n: int, name: str, launch: dt.date, channel: Channel) -> Campaign:
        # Written from scratch each time, never from a template: the scorecard's weak point.
        return campaign_create(
            actor=self.people["jordan"],
            workspace=self.ws,
            name=name,
            launch_date=launch,
            channels=[channel],
            objective=f"Sell through the season's stock. {HISTORY_MARK}",
            status="planned",
        )

    def _tasks(self, campaign: Campaign, *, freelancer: bool) -> list[Task]:
        jordan = self.people["jordan"]
        tasks = []
        for step in PLAN:
            owner = self.people[
                "alex"
                if step.owner == "priya" and freelancer and campaign.pk % 2 == 0
                else step.owner
            ]
            tasks.append(
                task_create(
                    actor=jordan,
                    campaign=campaign,
                    title=step.title,
                    owner=owner.pk,
                    duration_days=step.days,
                    reschedule=False,
                )
            )
        launch = task_create(
            actor=jordan, campaign=campaign, title="Launch", kind="launch", reschedule=False
        )
        pairs = list(zip(tasks, [*tasks[1:], launch], strict=True))
        for k, (a, b) in enumerate(pairs):
            last = k == len(pairs) - 1
            dependency_add(actor=jordan, predecessor=a, successor=b, reschedule=last)
        return [Task.objects.get(pk=t.pk) for t in tasks]

    def _run(self, step: Step, task: Task, clock: Clock, *, social: bool) -> None:
        rng = self.rng
        owner = task.owner
        assert owner is not None
        with self.at(clock):
            task_set_status(actor=owner, task=task, status=TaskStatus.IN_PROGRESS, force=True)
        if step.owner == "lena" and not social and rng.random() < 0.3:
            clock.advance(0.5)
            with self.at(clock):
                task = Task.objects.get(pk=task.pk)
                task_set_status(
                    actor=owner,
                    task=task,
                    status=TaskStatus.BLOCKED,
                    blocked_reason="Waiting for the budget sign-off",
                    blocked_on=self.people["maya"].pk,
                )
            clock.advance(rng.choice([1.0, 1.5, 2.0]))
            with self.at(clock):
                task = Task.objects.get(pk=task.pk)
                task_set_status(actor=owner, task=task, status=TaskStatus.IN_PROGRESS)
        work = step.days * (0.4 if social else 1.0)
        clock.advance(work)
        task = Task.objects.get(pk=task.pk)
        if owner.email.startswith("alex@") and task.due_date and rng.random() < 0.8:
            # the freelancer usually delivers a day or three after the due date
            late = _work_day(task.due_date, rng.choice([1, 2, 3]))
            if late > clock.day:
                clock.day, clock.hour = late, 15
        if step.review and not social:
            self._review(task, clock)
        else:
            with self.at(clock):
                task_set_status(actor=owner, task=task, status=TaskStatus.DONE, force=True)
        clock.advance(0.1 if social else rng.choice([0.25, 0.5, 1.0]))  # the hand-off

    def _review(self, task: Task, clock: Clock) -> None:
        maya, jordan = self.people["maya"], self.people["jordan"]
        with self.at(clock):
            request = approval_start(actor=jordan, task=task, chain=self.chain, force=True)
        if self.rng.random() < 0.3:
            clock.advance(self.rng.choice([2.0, 3.0]))
            with self.at(clock):
                approval_decide(
                    actor=maya, request=request, verdict="changes", comment="Warmer, please."
                )
            clock.advance(0.5)
            with self.at(clock):
                approval_resubmit(actor=jordan, request=ApprovalRequest.objects.get(pk=request.pk))
        clock.advance(self.rng.choice([1.5, 2.5, 3.0, 3.5, 4.0]))  # the limit is 2 days
        with self.at(clock):
            approval_decide(
                actor=maya,
                request=ApprovalRequest.objects.get(pk=request.pk),
                verdict="approve",
                force=True,
            )

    def _plan_change(self, task: Task, clock: Clock) -> None:
        """A late social launch keeps changing its plan in the final days."""
        jordan = self.people["jordan"]
        with self.at(clock):
            later = Task.objects.get(pk=task.pk)
            task_update(
                actor=jordan,
                task=later,
                version=later.version,
                title=later.title + " (reworked)",
            )


def demo_history(workspace: Workspace, campaigns: int | None = None, months: int = 6) -> None:
    """Adds the history once (settings.DEMO_HISTORY_CAMPAIGNS launches, 30 unless set);
    running it again changes nothing."""
    if Campaign.objects.filter(workspace=workspace, objective__contains=HISTORY_MARK).exists():
        return
    if campaigns is None:
        campaigns = int(getattr(settings, "DEMO_HISTORY_CAMPAIGNS", 30))
    history = History(workspace, random.Random(13))
    today = workspace.today()
    first = today - dt.timedelta(days=30 * months - 30)
    span = (today - dt.timedelta(days=7) - first).days
    for n in range(campaigns):
        launch = _work_day(first + dt.timedelta(days=span * n // max(campaigns - 1, 1)), 0)
        history.campaign(n, launch)
