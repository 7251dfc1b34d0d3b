"""Harbor & Pine's capacity: everyone's hours and kind of work, Alex the freelancer on
Tuesday to Thursday, and everyone's open work within their hours but Priya's: the designer is
booked over her hours in two weeks' time. Sam's time off is left for the visitor to enter, so
the cover preview (J3) can be tried: Maya, the founder, is the only other person who does
social work, so she is proposed, and the proposal says why (the founder is otherwise proposed
only as a last resort). Chris, the freelancer, runs the paid ads: every step of the "Paid
social burst" template has someone to do it. Nobody else could take the social tag without
leaving a template's kind of work with nobody (Jordan is the only strategist)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

from headway.accounts.models import User
from headway.capacity.demo_scenarios import demo_scenarios
from headway.capacity.levelled import level_inputs
from headway.capacity.models import Capacity
from headway.capacity.selectors import hours_per_day, load_view
from headway.capacity.services import capacity_set
from headway.engine.calendar import WorkCalendar
from headway.engine.load import Person
from headway.planning.models import Campaign, Task
from headway.planning.services.links import dependency_add
from headway.planning.services.tasks import task_create, task_update
from headway.workspaces.models import Workspace

# email name: (weekly hours, weekdays, kind of work, day rate)
HARBOR_CAPACITY: dict[str, tuple[int, list[int], str, Decimal | None]] = {
    # Maya ran the social accounts before Sam joined, and still covers them.
    "maya": (16, [0, 1, 2, 3, 4], "social", None),
    "jordan": (24, [0, 1, 2, 3, 4], "strategist", None),
    "priya": (32, [0, 1, 2, 3, 4], "designer", None),
    "tom": (32, [0, 1, 2, 3, 4], "copywriter", None),
    "lena": (32, [0, 1, 2, 3, 4], "web", None),
    "sam": (32, [0, 1, 2, 3, 4], "social", None),
    "alex": (18, [1, 2, 3], "designer", Decimal("480.00")),
    # Chris runs the paid social ads (audiences, setup, optimisation).
    "chris": (16, [0, 1, 2, 3, 4], "paid_ads", Decimal("520.00")),
}


def demo_capacity(workspace: Workspace) -> None:
    """Adds the capacity once; running it again changes nothing."""
    if Capacity.objects.filter(workspace=workspace).exists():
        return
    people = {
        u.email.split("@")[0]: u for u in User.objects.filter(memberships__workspace=workspace)
    }
    jordan = people["jordan"]
    today = workspace.today()
    for key, (hours, days, skill, rate) in HARBOR_CAPACITY.items():
        freelance = rate is not None
        capacity_set(
            actor=jordan,
            workspace=workspace,
            user_id=people[key].pk,
            weekly_hours=hours,
            weekdays=days,
            skill=skill,
            first_day=today - dt.timedelta(days=60) if freelance else None,
            last_day=today + dt.timedelta(days=180) if freelance else None,
            day_rate=rate,
        )
    _plans_within_hours(workspace, jordan, keep_over={people["priya"].pk})
    _priya_overbooked(workspace, jordan, people["priya"], today)
    demo_scenarios(workspace)


# The share of their hours the demo books people's open work at (Priya aside): the rest is
# meetings, approvals, and room for a new campaign in the what-if.
BOOKED_SHARE = 0.7
WEEKS_CHECKED = 26


def _working_days(person: Person, calendar: WorkCalendar, start: dt.date, n: int) -> list[dt.date]:
    """The first `n` days from `start` that `person` works (their weekdays, less holidays and
    days off)."""
    out: list[dt.date] = []
    day = start
    for _ in range(n * 7 + 30):
        if len(out) >= n:
            break
        if (
            day.weekday() in person.weekdays
            and day.weekday() not in calendar.weekend
            and day not in calendar.holidays
            and day not in person.days_off
        ):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _plans_within_hours(workspace: Workspace, jordan: User, keep_over: set[int]) -> None:
    """Each person's open work asks no more than BOOKED_SHARE of their hours a day, earliest
    work first, with its effort set through the task service (the templates give each task a
    full-timer's effort, which booked the part-timers, Alex, Chris and Jordan, at up to
    twice their hours and made most running launches late once levelled). The people in
    `keep_over` keep their bookings: Priya is the load page's story."""
    inputs = level_inputs(workspace)
    persons = {p.id: p for p in inputs.people}
    booked: dict[tuple[int, dt.date], float] = defaultdict(float)
    for t in sorted(inputs.tasks, key=lambda x: (x.start, x.id)):
        person = persons.get(t.owner_id) if t.owner_id is not None else None
        if person is None or t.duration <= 0 or t.hours_per_day <= 0 or not person.weekdays:
            continue
        days = _working_days(person, inputs.calendar, t.start, t.duration)
        if not days:
            continue
        per_day = t.hours_per_day
        if person.id not in keep_over:
            daily = BOOKED_SHARE * person.weekly_hours / len(person.weekdays)
            free = min(daily - booked[(person.id, d)] for d in days)
            if per_day > free + 1e-9:
                effort = max(math.floor(max(free, 1.0) * len(days)), 1)
                task = Task.objects.get(pk=t.id)
                task_update(actor=jordan, task=task, version=task.version, effort_hours=effort)
                per_day = effort / len(days)
        for d in days:
            booked[(person.id, d)] += per_day
    _weeks_within_hours(workspace, jordan, keep_over)


def _weeks_within_hours(workspace: Workspace, jordan: User, keep_over: set[int]) -> None:
    """The same by the load page's weeks, which spread a task's effort over its scheduled
    working days rather than its owner's: the tasks of a week still over have their effort
    cut by the share it is over (a few rounds: a cut only lowers other weeks)."""
    per_day = float(hours_per_day(workspace))
    for _ in range(4):
        view = load_view(workspace, weeks=WEEKS_CHECKED)
        cells = [
            c for row in view.rows if row.user_id not in keep_over for c in row.cells if c.over
        ]
        if not cells:
            return
        for cell in cells:
            share = BOOKED_SHARE * cell.available / cell.booked if cell.booked else 1.0
            for item in cell.tasks:
                task = Task.objects.get(pk=item.id)
                total = (
                    float(task.effort_hours)
                    if task.effort_hours is not None
                    else float(task.expected_days) * per_day
                )
                effort = max(math.floor(total * share), 1)
                if effort < total:
                    task_update(actor=jordan, task=task, version=task.version, effort_hours=effort)


def _priya_overbooked(workspace: Workspace, jordan: User, priya: User, today: dt.date) -> None:
    """Two design jobs land on Priya in the week two weeks from now, far over her 32 hours
    (56 to 72 h, by how the shoe's plan falls around the holidays)."""
    shoe = Campaign.objects.filter(workspace=workspace, name="Trail shoe launch").first()
    if shoe is None:
        return
    week = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=2)
    retouch = task_create(
        actor=jordan,
        campaign=shoe,
        title="Retouch the product photography",
        duration_days=4,
        effort_hours=32,
        owner=priya.pk,
        role_needed="designer",
        not_before=week,
    )
    # the landing page shows the retouched photographs, and Priya designs it too
    page = Task.objects.filter(campaign=shoe, title="Landing page design").first()
    if page is not None:
        dependency_add(actor=jordan, predecessor=retouch, successor=page)
        page.refresh_from_db()
        task_update(actor=jordan, task=page, version=page.version, owner=priya.pk)
    # a second design job the same week, also shown on the landing page: the shop window
    # display (Creative concepts is already with Maya for approval, so it stays as planned)
    display = task_create(
        actor=jordan,
        campaign=shoe,
        title="Design the shop window display",
        duration_days=5,
        effort_hours=40,
        owner=priya.pk,
        role_needed="designer",
        not_before=week,
    )
    if page is not None:
        dependency_add(actor=jordan, predecessor=display, successor=page)
