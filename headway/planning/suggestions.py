"""Who could own a task: one suggestion, used where a campaign is planned from a template
("assign suggested") and beside each unowned task on the campaign page.

A task goes to the person whose recorded kind of work is the task's, with the most free
hours in the task's weeks (Monday to Sunday: their hours less their other open work and what
earlier tasks of the same batch were given), earliest task first; ties by name. A task whose
kind of work nobody has recorded, or that has no dates yet, falls back to the title rule: the
first member whose title suggests its role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from headway.accounts.models import User
from headway.capacity.selectors import capacity_people, days_off_between, hours_per_day, open_work
from headway.engine.load import Work, free_hours, monday
from headway.planning.models import RoleNeeded, Task, TaskKind, TaskStatus
from headway.planning.scheduling import calendar_for
from headway.workspaces.models import Membership, Workspace

# Words in people's titles that suggest the role they can take.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    RoleNeeded.STRATEGIST: ("strateg", "marketing manager", "lead", "manager"),
    RoleNeeded.COPYWRITER: ("copy", "writer", "content"),
    RoleNeeded.DESIGNER: ("design",),
    RoleNeeded.WEB: ("web", "developer"),
    RoleNeeded.EMAIL: ("email", "crm", "web manager"),
    RoleNeeded.SOCIAL: ("social",),
    RoleNeeded.PAID_ADS: ("paid", "ads", "ppc"),
    RoleNeeded.VIDEO: ("video", "design"),
    RoleNeeded.PR: ("pr", "press", "communications"),
    RoleNeeded.EVENTS: ("event", "marketing manager"),
    RoleNeeded.APPROVER: ("founder", "director", "head"),
}


class _Dated(NamedTuple):
    id: int
    role: str
    start: dt.date
    due: dt.date
    effort: float | None
    duration: Decimal


def _title_rule(members: Sequence[Membership]) -> dict[str, list[User]]:
    out: dict[str, list[User]] = {}
    for role, words in ROLE_WORDS.items():
        ranked = []
        for m in members:
            title = m.title.lower()
            hits = [i for i, w in enumerate(words) if w in title]
            if hits:
                ranked.append((min(hits), m.user.name, m.user))
        out[role] = [u for _, _, u in sorted(ranked, key=lambda r: (r[0], r[1]))]
    return out


def owner_suggestions(workspace: Workspace) -> dict[str, list[User]]:
    """The title rule alone: per role, the members whose title suggests it, best match first."""
    return _title_rule(list(Membership.objects.filter(workspace=workspace).select_related("user")))


def suggested_owners(workspace: Workspace, task_ids: Sequence[int]) -> dict[int, User]:
    """The suggested owner of each of `task_ids` (tasks needing a role; done work and
    milestones get none), by task id. Each task is booked to its suggestion before the next
    is weighed, so a batch does not pile onto one person; the tasks' current owners are not
    counted as their work."""
    rows = list(
        Task.objects.filter(workspace=workspace, pk__in=list(task_ids), kind=TaskKind.TASK)
        .exclude(status=TaskStatus.DONE)
        .exclude(role_needed="")
        .order_by("start_date", "position", "id")
        .values_list("pk", "role_needed", "start_date", "due_date", "effort_hours", "duration_days")
    )
    if not rows:
        return {}
    members = list(Membership.objects.filter(workspace=workspace).select_related("user"))
    users = {m.user_id: m.user for m in members}
    titled = _title_rule(members)
    people = [
        p for p in capacity_people(workspace) if not p.is_default and p.skill and p.user_id in users
    ]
    skills = {p.skill for p in people}
    by_capacity = [
        _Dated(pk, role, start, due, float(effort) if effort is not None else None, duration)
        for pk, role, start, due, effort, duration in rows
        if role in skills and start is not None and due is not None
    ]
    out = {pk: titled[role][0] for pk, role, *_ in rows if titled.get(role)}
    if not by_capacity:
        return out
    first = monday(min(t.start for t in by_capacity))
    last = monday(max(t.due for t in by_capacity)) + dt.timedelta(days=6)
    per_day = hours_per_day(workspace)
    ids = {r[0] for r in rows}
    work, _ = open_work(workspace, first, last, per_day, details=False)
    work = [w for w in work if w.id not in ids]
    off = days_off_between(workspace, first, last)
    cal = calendar_for(workspace.pk)
    persons = {p.user_id: p.as_person(off.get(p.user_id)) for p in people}
    for t in by_capacity:
        a, b = monday(t.start), monday(t.due) + dt.timedelta(days=6)
        fits = [p for p in people if p.skill == t.role]
        free = {p.user_id: free_hours(persons[p.user_id], work, cal, a, b) for p in fits}
        best = min(fits, key=lambda p: (-free[p.user_id], p.name, p.user_id))
        hours = t.effort if t.effort is not None else float(t.duration) * float(per_day)
        work.append(Work(t.id, best.user_id, t.start, t.due, hours))
        out[t.id] = users[best.user_id]
    return out


def campaign_suggested_owners(workspace: Workspace, campaign_id: int) -> dict[int, User]:
    """The suggestions the campaign page gives: each unowned task weighed with the campaign's
    other unowned work."""
    unowned = Task.objects.filter(
        workspace=workspace, campaign_id=campaign_id, owner__isnull=True
    ).values_list("pk", flat=True)
    return suggested_owners(workspace, list(unowned))
