"""iCal feeds (RFC 5545, built with the icalendar package): tasks as all-day events over
their dates, approvals due as timed events, and publish slots in the workspace time zone."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F

from headway.approvals.models import RequestStatus
from headway.approvals.selectors import queue_requests
from headway.core.tokens import token_digest
from headway.planning.models import TaskStatus
from headway.publishing.models import CalendarFeed
from headway.workspaces import visibility
from headway.workspaces.models import Membership

PRODID = "-//Headway//Headway calendar//EN"


def feed_for_token(raw: str) -> CalendarFeed | None:
    """The live feed behind a secret address; None when unknown or revoked."""
    return (
        CalendarFeed.objects.select_related("workspace", "user")
        .filter(token_digest=token_digest(raw or ""), revoked_at__isnull=True)
        # a person who left the workspace takes their feeds with them
        .filter(user__memberships__workspace=F("workspace"))
        .first()
    )


def _uid(kind: str, pk: int) -> str:
    host = settings.BASE_URL.split("://", 1)[-1].split("/", 1)[0] or "headway"
    return f"{kind}-{pk}@{host}"


def feed_ics(feed: CalendarFeed, now: dt.datetime) -> bytes:
    """The feed's calendar: everything of the workspace, or one person's tasks, approvals
    waiting on them and the pieces they own."""
    import icalendar  # ~0.15 s to import: loaded by the feed, not by every server start

    ws = feed.workspace
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add(
        "x-wr-calname", f"Headway · {ws.name}" + (f" · {feed.user.name}" if feed.personal else "")
    )
    cal.add("x-wr-timezone", ws.time_zone)
    # what the person may see now, whatever they could when the feed was made
    membership = Membership.objects.get(workspace=ws, user=feed.user)
    tasks = (
        visibility.visible_tasks(membership)
        .filter(start_date__isnull=False)
        .exclude(status=TaskStatus.DONE)
        .select_related("campaign")
    )
    pieces = (
        visibility.visible_pieces(membership)
        .filter(publish_at__isnull=False)
        .select_related("channel")
    )
    approvals = (
        visibility.visible_approval_requests(membership)
        .filter(status=RequestStatus.PENDING)
        .select_related("task", "piece", "chain")
    )
    if feed.personal or not visibility.can_share_workspace_calendar(membership):
        tasks = tasks.filter(owner=feed.user)
        pieces = pieces.filter(owner=feed.user)
        # the steps waiting on them now, as their queue shows them
        approvals = queue_requests(ws, feed.user).select_related("piece")
    for t in tasks:
        event = icalendar.Event()
        event.add("uid", _uid("task", t.pk))
        event.add("summary", f"{t.title} ({t.campaign.name})")
        start_day = t.start_date
        assert start_day is not None
        event.add("dtstart", start_day)
        event.add("dtend", (t.due_date or start_day) + dt.timedelta(days=1))
        event.add("dtstamp", now)
        cal.add_component(event)
    for p in pieces:
        assert p.publish_at is not None
        event = icalendar.Event()
        event.add("uid", _uid("piece", p.pk))
        event.add("summary", f"Publish: {p.title} ({p.channel.name})")
        start = p.publish_at.astimezone(ws.tzinfo)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=30))
        event.add("dtstamp", now)
        cal.add_component(event)
    for a in approvals:
        event = icalendar.Event()
        event.add("uid", _uid("approval", a.pk))
        event.add("summary", f"Approval due: {a.subject_title} ({a.chain.name})")
        due = a.due_at.astimezone(ws.tzinfo)
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(minutes=15))
        event.add("dtstamp", now)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
