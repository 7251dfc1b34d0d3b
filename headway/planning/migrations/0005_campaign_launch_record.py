"""Each campaign's launch record (planning/launches.py): its planned launch, when it launched
and how many working days late, stored from now on by the status change that fixes them and
replayed here from the activity log for the campaigns that started or launched before."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from typing import Any

from django.db import migrations, models

from headway.engine.calendar import WorkCalendar
from headway.planning.launches import STARTED, launch_from_log, late_working_days


def _tz(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def launch_records(apps: Any, schema_editor: Any) -> None:
    Campaign = apps.get_model("planning", "Campaign")
    Holiday = apps.get_model("planning", "Holiday")
    Event = apps.get_model("activity", "Event")
    Workspace = apps.get_model("workspaces", "Workspace")
    for workspace in Workspace.objects.all():
        campaigns = list(Campaign.objects.filter(workspace=workspace))
        if not campaigns:
            continue
        tz = _tz(workspace.time_zone)
        cal = WorkCalendar(
            holidays=frozenset(
                Holiday.objects.filter(workspace=workspace).values_list("date", flat=True)
            )
        )
        logged = defaultdict(list)
        for object_id, changes, at in (
            Event.objects.filter(workspace=workspace, object_type="planning.campaign")
            .order_by("created_at", "id")
            .values_list("object_id", "changes", "created_at")
        ):
            if changes and ("status" in changes or "launch_date" in changes):
                logged[object_id].append((changes, at))
        changed = []
        for c in campaigns:
            found = launch_from_log(logged.get(str(c.pk), []), c.launch_date, c.status, tz)
            if found.planned is None and found.launched_at is None and c.status not in STARTED:
                continue
            c.planned_launch = found.planned
            c.launched_at = found.launched_at
            c.launched_on = found.launched_at.astimezone(tz).date() if found.launched_at else None
            c.launch_late_days = (
                late_working_days(cal, c.planned_launch, c.launched_on)
                if c.planned_launch and c.launched_on
                else None
            )
            changed.append(c)
        Campaign.objects.bulk_update(
            changed,
            ["planned_launch", "launched_at", "launched_on", "launch_late_days"],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0004_task_campaign_position"),
        ("activity", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="launch_late_days",
            field=models.IntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="campaign",
            name="launched_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="campaign",
            name="launched_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="campaign",
            name="planned_launch",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(launch_records, migrations.RunPython.noop),
    ]
