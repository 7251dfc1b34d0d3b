"""The plan's rows and the board's cards: hundreds per page, so built with
headway.core.markup rather than a template loop (bench/pages.py measured the loop at half the
page again). The pieces with their own look, the badges and the owner and status menus, are
template partials rendered once per distinct value and reused here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from headway.accounts.models import User
from headway.core.markup import fragment, joined
from headway.planning.models import RoleNeeded, TaskStatus
from headway.planning.selectors import BoardColumn, MilestoneGroup, TaskRow

ROLE_LABELS = dict(RoleNeeded.choices)
STATUS_LABELS = dict(TaskStatus.choices)
DASH = "\N{EN DASH}"


class Badges:
    """The problem and critical badges of planning/badges.html, each rendered once."""

    def __init__(self) -> None:
        self._problems: dict[str, SafeString] = {}
        self.critical = SafeString(render_to_string("planning/badges.html#critical"))

    def problems(self, problems: list[str]) -> SafeString:
        for p in problems:
            if p not in self._problems:
                self._problems[p] = SafeString(
                    render_to_string("planning/badges.html#problem", {"p": p})
                )
        return joined(self._problems[p] for p in problems)


@dataclass(frozen=True)
class RowContext:
    task_base: str  # "/w/<ws>/tasks/"
    csrf_token: str
    can_plan: bool
    owner_menus: dict[int | None, SafeString]  # the owner <option>s, by selected owner
    badges: Badges


def owner_menus(rows: list[TaskRow], people: list[User]) -> dict[int | None, SafeString]:
    """The owner <option>s for each owner the rows have, rendered once per owner: a 300-row
    plan has a handful of distinct owners, and the menu is the same for each of them."""
    owners = {r.task.owner_id for r in rows}
    return {
        owner: SafeString(
            render_to_string(
                "planning/campaign.html#owner-options", {"people": people, "owner_id": owner}
            )
        )
        for owner in owners
    }


def _day(day: dt.date | None, fmt: str) -> str:
    return format(day, fmt) if day else ""


def _number(value: float) -> str:
    """Like floatformat:"-1": a whole number without decimals, else one decimal."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


GROUP_ROWS = 10  # rows a long milestone group shows before "show all"
ALWAYS_SHOWN = {"late", "blocked"}  # problems whose rows stay visible in a collapsed group


@dataclass(frozen=True)
class PlanGroup:
    """A milestone group's table: the rows drawn, and how many more a "show all" adds."""

    group: MilestoneGroup
    rows: list[SafeString]
    hidden: int

    @property
    def key(self) -> str:
        """The group's name in URLs: its milestone's id, or "none" for loose tasks."""
        return str(self.group.milestone.pk) if self.group.milestone else "none"


def _visible(rows: list[TaskRow]) -> list[TaskRow]:
    """The first GROUP_ROWS rows and every critical, late or blocked one after them; the
    whole group when collapsing would hide only a few."""
    shown = [
        r
        for n, r in enumerate(rows)
        if n < GROUP_ROWS or r.task.critical or ALWAYS_SHOWN.intersection(r.problems)
    ]
    return shown if len(rows) - len(shown) >= 5 else rows


def plan_groups(
    groups: list[MilestoneGroup], ctx: RowContext, expand: frozenset[str] = frozenset()
) -> list[PlanGroup]:
    """Each milestone group with the rows of its plan table: a long group collapsed to its
    first rows and its critical and late work, unless its key is in `expand`."""
    out = []
    for g in groups:
        key = str(g.milestone.pk) if g.milestone else "none"
        rows = g.rows if key in expand else _visible(g.rows)
        out.append(PlanGroup(g, [plan_row(r, ctx) for r in rows], len(g.rows) - len(rows)))
    return out


def _owner_cell(r: TaskRow, ctx: RowContext, error: str, saved: bool) -> SafeString:
    t = r.task
    if t.is_milestone:
        return SafeString("—")
    if not ctx.can_plan:
        return fragment("{}", t.owner.name if t.owner else "Unowned")
    note = SafeString("")
    if error:
        note = fragment('<span class="error" role="alert">{}</span>', error)
    elif saved:
        note = SafeString('<span class="saved" role="status">Saved</span>')
    suggestion = SafeString("")
    if t.owner_id is None and r.suggested is not None:
        suggestion = fragment(
            '<small class="muted">Suggested for {}: {}</small>',
            ROLE_LABELS.get(t.role_needed, "").lower(),
            r.suggested.name,
        )
    return fragment(
        '<form method="post" action="{0}" hx-post="{0}" hx-target="#task-{1}" '
        'hx-swap="outerHTML" class="row-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{2}">'
        '<input type="hidden" name="version" value="{3}">'
        '<label class="visually-hidden" for="owner-{1}">Owner of {4}</label>'
        '<select id="owner-{1}" name="owner"><option value="">Unowned</option>{5}</select> '
        '<button class="button small secondary" type="submit">Assign</button>{6}</form>{7}',
        f"{ctx.task_base}{t.pk}/assign/",
        t.pk,
        ctx.csrf_token,
        t.version,
        t.title,
        ctx.owner_menus[t.owner_id],
        note,
        suggestion,
    )


def plan_row(r: TaskRow, ctx: RowContext, *, error: str = "", saved: bool = False) -> SafeString:
    """One task's row of the plan table: title with its badges and why its dates are what
    they are, owner (a form for planners), role, dates, days, float and status."""
    t = r.task
    classes = ("is-critical" if t.critical else "") + (" is-milestone" if t.is_milestone else "")
    if t.is_milestone:
        dates, days = _day(t.start_date, "%a %-d %b"), "—"
    else:
        dates = f"{_day(t.start_date, '%-d %b')} {DASH} {_day(t.due_date, '%-d %b')}"
        days = _number(t.expected_days)
    return fragment(
        '<tr id="task-{0}" class="{1}"><td><a href="{2}{0}/">{3}</a>{4}{5}'
        '<br><small class="muted">{6}</small></td><td>{7}</td>'
        "<td>{8}</td><td>{9}</td><td>{10}</td><td>{11}</td>"
        '<td><span class="badge status-{12}">{13}</span></td></tr>',
        t.pk,
        classes,
        ctx.task_base,
        t.title,
        ctx.badges.critical if t.critical else "",
        ctx.badges.problems(r.problems),
        t.explanation,
        _owner_cell(r, ctx, error, saved),
        ROLE_LABELS.get(t.role_needed, ""),
        dates,
        days,
        _number(t.total_float),
        t.status,
        STATUS_LABELS.get(t.status, t.status),
    )


@dataclass(frozen=True)
class CardContext:
    task_base: str
    csrf_token: str
    query: str  # the board's filters (person=..&channel=..), kept when htmx answers the board
    here: str  # where the form returns without JavaScript
    moved: int | None  # the card just moved, highlighted
    badges: Badges


def board_cards(
    columns: list[BoardColumn], ctx: CardContext
) -> list[tuple[BoardColumn, list[SafeString]]]:
    """The board's columns as cards, each Move menu preselecting the card's status."""
    menus = _status_menus()
    return [(c, [board_card(r, ctx, menus) for r in c.rows]) for c in columns]


def _status_menus() -> dict[str, SafeString]:
    return {
        status: SafeString(
            render_to_string(
                "planning/board.html#status-options",
                {"statuses": TaskStatus.choices, "status": status},
            )
        )
        for status in TaskStatus.values
    }


def board_card(r: TaskRow, ctx: CardContext, menus: dict[str, SafeString]) -> SafeString:
    """One card of the board: title, campaign, owner, due date, problems, and a Move form
    that both the keyboard and dragging submit."""
    t = r.task
    classes = "task-card" + (" is-critical" if t.critical else "")
    classes += " just-moved" if t.pk == ctx.moved else ""
    return fragment(
        '<li class="{0}" draggable="true" data-task="{1}"><a href="{2}{1}/">{3}</a>'
        '<small class="muted">{4} · {5}{6}</small>{7}'
        '<form method="post" action="{2}{1}/status/" hx-post="{2}{1}/status/?{8}" '
        'hx-target="#board" hx-swap="outerHTML" class="row-form move-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{9}">'
        '<input type="hidden" name="from" value="board">'
        '<input type="hidden" name="version" value="{10}">'
        '<input type="hidden" name="next" value="{11}">'
        '<label class="visually-hidden" for="move-{1}">Move {3} to</label>'
        '<select id="move-{1}" name="status">{12}</select> '
        '<button class="button small secondary" type="submit">Move</button></form></li>',
        classes,
        t.pk,
        ctx.task_base,
        t.title,
        t.campaign.name,
        t.owner.name if t.owner else "unowned",
        f" · due {_day(t.due_date, '%-d %b')}" if t.due_date else "",
        ctx.badges.problems(r.problems),
        ctx.query,
        ctx.csrf_token,
        t.version,
        ctx.here,
        menus[t.status],
    )
