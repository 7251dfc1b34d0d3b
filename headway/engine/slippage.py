"""Slippage: what moved later between two snapshots of a workspace's dates.

A snapshot holds, for each open campaign, its launch date and projected launch, and for each
task its due date. Comparing the snapshot kept at the last check-in with today's says which
launches and tasks slipped and by how many days; an earlier date is progress, not slippage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class SlipKind(StrEnum):
    LAUNCH = "launch"  # the launch date itself was moved later
    PROJECTED = "projected"  # the plan now projects a later launch
    TASK = "task"  # a task is due later


@dataclass(frozen=True)
class CampaignDates:
    name: str
    launch: dt.date | None
    projected: dt.date | None


@dataclass(frozen=True)
class TaskDates:
    title: str
    campaign_id: int
    due: dt.date | None


@dataclass(frozen=True)
class Snapshot:
    campaigns: Mapping[int, CampaignDates] = field(default_factory=dict)
    tasks: Mapping[int, TaskDates] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "campaigns": {
                str(k): {"name": c.name, "launch": _iso(c.launch), "projected": _iso(c.projected)}
                for k, c in self.campaigns.items()
            },
            "tasks": {
                str(k): {"title": t.title, "campaign": t.campaign_id, "due": _iso(t.due)}
                for k, t in self.tasks.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Snapshot:
        """Reads what `to_json` wrote; a missing or empty snapshot reads as empty."""
        data = data or {}
        campaigns = {
            int(k): CampaignDates(
                v.get("name", ""), _day(v.get("launch")), _day(v.get("projected"))
            )
            for k, v in (data.get("campaigns") or {}).items()
        }
        tasks = {
            int(k): TaskDates(v.get("title", ""), int(v.get("campaign") or 0), _day(v.get("due")))
            for k, v in (data.get("tasks") or {}).items()
        }
        return cls(campaigns=campaigns, tasks=tasks)


@dataclass(frozen=True)
class Slip:
    kind: SlipKind
    object_id: int  # the campaign's id for launches, the task's for tasks
    campaign_id: int
    label: str
    before: dt.date
    after: dt.date

    @property
    def days(self) -> int:
        return (self.after - self.before).days


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _slip(
    kind: SlipKind, oid: int, cid: int, label: str, then: dt.date | None, now: dt.date | None
) -> Slip | None:
    if then is None or now is None or now <= then:
        return None
    return Slip(kind, oid, cid, label, then, now)


def slippage(before: Snapshot, after: Snapshot) -> list[Slip]:
    """Every launch and task present in both snapshots whose date moved later, launches
    first, then by days slipped (most first). Items new since `before`, or without a date on
    either side, have no baseline and are not slippage. A launch date moved later is named
    as such; otherwise a later projected launch is."""
    launches: list[Slip] = []
    for cid, now in after.campaigns.items():
        then = before.campaigns.get(cid)
        if then is None:
            continue
        slip = _slip(SlipKind.LAUNCH, cid, cid, now.name, then.launch, now.launch) or _slip(
            SlipKind.PROJECTED, cid, cid, now.name, then.projected, now.projected
        )
        if slip:
            launches.append(slip)
    tasks: list[Slip] = []
    for tid, task in after.tasks.items():
        was = before.tasks.get(tid)
        if was is not None and (
            slip := _slip(SlipKind.TASK, tid, task.campaign_id, task.title, was.due, task.due)
        ):
            tasks.append(slip)
    return sorted(launches, key=_order) + sorted(tasks, key=_order)


def _order(s: Slip) -> tuple[int, str, int]:
    return (-s.days, s.label, s.object_id)
