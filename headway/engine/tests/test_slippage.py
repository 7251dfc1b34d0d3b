import datetime as dt

from headway.engine.slippage import CampaignDates, Slip, SlipKind, Snapshot, TaskDates, slippage

D = dt.date


def snap(campaigns=None, tasks=None):
    return Snapshot(campaigns=campaigns or {}, tasks=tasks or {})


def test_a_task_due_later_slipped_by_its_days():
    before = snap(tasks={7: TaskDates("Write copy", 1, D(2026, 11, 20))})
    after = snap(tasks={7: TaskDates("Write copy", 1, D(2026, 11, 25))})
    assert slippage(before, after) == [
        Slip(SlipKind.TASK, 7, 1, "Write copy", D(2026, 11, 20), D(2026, 11, 25))
    ]
    assert slippage(before, after)[0].days == 5


def test_earlier_or_unchanged_dates_are_not_slippage():
    before = snap(
        tasks={1: TaskDates("a", 1, D(2026, 11, 20)), 2: TaskDates("b", 1, D(2026, 11, 20))}
    )
    after = snap(
        tasks={1: TaskDates("a", 1, D(2026, 11, 18)), 2: TaskDates("b", 1, D(2026, 11, 20))}
    )
    assert slippage(before, after) == []


def test_new_tasks_and_missing_dates_have_no_baseline():
    before = snap(tasks={1: TaskDates("a", 1, None)})
    after = snap(tasks={1: TaskDates("a", 1, D(2026, 12, 1)), 2: TaskDates("b", 1, D(2026, 12, 9))})
    assert slippage(before, after) == []


def test_launch_moved_is_named_before_projection_and_launches_come_first():
    before = snap(
        campaigns={
            1: CampaignDates("Spring", D(2026, 12, 1), D(2026, 12, 1)),
            2: CampaignDates("Webinar", D(2026, 12, 10), D(2026, 12, 8)),
        },
        tasks={5: TaskDates("Deck", 2, D(2026, 11, 1))},
    )
    after = snap(
        campaigns={
            1: CampaignDates("Spring", D(2026, 12, 4), D(2026, 12, 9)),
            2: CampaignDates("Webinar", D(2026, 12, 10), D(2026, 12, 15)),
        },
        tasks={5: TaskDates("Deck", 2, D(2026, 11, 30))},
    )
    slips = slippage(before, after)
    assert [(s.kind, s.object_id, s.days) for s in slips] == [
        (SlipKind.PROJECTED, 2, 7),
        (SlipKind.LAUNCH, 1, 3),
        (SlipKind.TASK, 5, 29),
    ]


def test_snapshot_round_trips_through_json():
    s = snap(
        campaigns={3: CampaignDates("Spring", D(2026, 12, 1), None)},
        tasks={9: TaskDates("Deck", 3, D(2026, 11, 30))},
    )
    assert Snapshot.from_json(s.to_json()) == s
    assert Snapshot.from_json(None) == Snapshot()
