"""The rows of a campaign's plan as HTML, built in Python: a plan has hundreds of rows, and
the template engine's per-variable cost made them most of the page's time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from headway.planning.fast_html import format_html
from headway.planning.models import RoleNeeded, TaskStatus
from headway.planning.selectors import TaskRow

ROLE_LABELS = dict(RoleNeeded.choices)
STATUS_LABELS = dict(TaskStatus.choices)
DASH = "\N{EN DASH}"
CRITICAL_BADGE = (
    '<span class="badge badge-crit" title="On the critical path: any slip moves the launch">'
    "critical</span>"
)


@dataclass(frozen=True)
class RowContext:
    task_base: str  # "/w/<ws>/tasks/"
    csrf_input: str  # the hidden CSRF field, rendered once
    can_plan: bool


def _day(day: dt.date | None, fmt: str) -> str:
    return format(day, fmt) if day else ""


def _number(value: float) -> str:
    """Like floatformat:"-1": a whole number without decimals, else one decimal."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _owner_cell(r: TaskRow, ctx: RowContext, error: str, saved: bool) -> str:
    t = r.task
    if t.is_milestone:
        return "—"
    if not ctx.can_plan:
        return escape(t.owner.name if t.owner else "Unowned")
    url = f"{ctx.task_base}{t.pk}/assign/"
    note = ""
    if error:
        note = format_html('<span class="error" role="alert">{}</span>', error)
    elif saved:
        note = '<span class="saved" role="status">Saved</span>'
    suggestion = ""
    if t.owner_id is None and r.suggested is not None:
        suggestion = format_html(
            '<small class="muted">Suggested for {}: {}</small>',
            ROLE_LABELS.get(t.role_needed, "").lower(),
            r.suggested.name,
        )
    return (
        format_html(
            '<form method="post" action="{0}" hx-post="{0}" hx-target="#task-{1}" '
            'hx-swap="outerHTML" class="row-form">',
            url,
            t.pk,
        )
        + ctx.csrf_input
        + f'<input type="hidden" name="version" value="{t.version}">'
        + format_html(
            '<label class="visually-hidden" for="owner-{0}">Owner of {1}</label>'
            '<select id="owner-{0}" name="owner"><option value="">Unowned</option>',
            t.pk,
            t.title,
        )
        + r.owner_options
        + '</select> <button class="button small secondary" type="submit">Assign</button>'
        + note
        + "</form>"
        + suggestion
    )


def plan_row(r: TaskRow, ctx: RowContext, *, error: str = "", saved: bool = False) -> SafeString:
    """One task's row of the plan table: title with its badges and why its dates are what
    they are, owner (a form for planners), role, dates, days, float and status."""
    t = r.task
    classes = ("is-critical" if t.critical else "") + (" is-milestone" if t.is_milestone else "")
    badges = CRITICAL_BADGE if t.critical else ""
    for p in r.problems:
        badges += (
            f'<span class="badge {"badge-warn" if p == "unowned" else "badge-bad"}">{p}</span>'
        )
    if t.is_milestone:
        dates, days = _day(t.start_date, "%a %-d %b"), "—"
    else:
        dates = f"{_day(t.start_date, '%-d %b')} {DASH} {_day(t.due_date, '%-d %b')}"
        days = _number(t.expected_days)
    return mark_safe(
        format_html(
            '<tr id="task-{}" class="{}"><td><a href="{}{}/">{}</a>',
            t.pk,
            classes,
            ctx.task_base,
            t.pk,
            t.title,
        )
        + badges
        + format_html('<br><small class="muted">{}</small></td>', t.explanation)
        + f"<td>{_owner_cell(r, ctx, error, saved)}</td>"
        + format_html(
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            '<td><span class="badge status-{}">{}</span></td></tr>',
            ROLE_LABELS.get(t.role_needed, ""),
            dates,
            days,
            _number(t.total_float),
            t.status,
            STATUS_LABELS.get(t.status, t.status),
        )
    )


@dataclass(frozen=True)
class CardContext:
    task_base: str
    csrf_input: str
    query: str  # the board's filters, kept when htmx answers with the board
    here: str  # where the form returns without JavaScript
    moved: int | None  # the card just moved, highlighted


def board_card(r: TaskRow, ctx: CardContext) -> SafeString:
    """One card of the board: title, campaign, owner, due date, problems, and a Move form
    that both the keyboard and dragging submit."""
    t = r.task
    classes = "task-card" + (" is-critical" if t.critical else "")
    classes += " just-moved" if t.pk == ctx.moved else ""
    due = f" · due {_day(t.due_date, '%-d %b')}" if t.due_date else ""
    badges = "".join(
        f'<span class="badge {"badge-warn" if p == "unowned" else "badge-bad"}">{p}</span>'
        for p in r.problems
    )
    options = "".join(
        f'<option value="{value}"{" selected" if value == t.status else ""}>{label}</option>'
        for value, label in STATUS_LABELS.items()
    )
    url = f"{ctx.task_base}{t.pk}/status/"
    return mark_safe(
        format_html(
            '<li class="{}" draggable="true" data-task="{}"><a href="{}{}/">{}</a>'
            '<small class="muted">{} · {}{}</small>',
            classes,
            t.pk,
            ctx.task_base,
            t.pk,
            t.title,
            t.campaign.name,
            t.owner.name if t.owner else "unowned",
            due,
        )
        + badges
        + format_html(
            '<form method="post" action="{}" hx-post="{}?{}" hx-target="#board" '
            'hx-swap="outerHTML" class="row-form move-form">',
            url,
            url,
            ctx.query,
        )
        + ctx.csrf_input
        + format_html(
            '<input type="hidden" name="from" value="board">'
            '<input type="hidden" name="version" value="{}">'
            '<input type="hidden" name="next" value="{}">'
            '<label class="visually-hidden" for="move-{}">Move {} to</label>'
            '<select id="move-{}" name="status">',
            t.version,
            ctx.here,
            t.pk,
            t.title,
            t.pk,
        )
        + options
        + '</select> <button class="button small secondary" type="submit">Move</button>'
        "</form></li>"
    )
