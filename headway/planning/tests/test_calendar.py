from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from headway.conftest import Team, client_for
from headway.core.errors import DomainError, Forbidden
from headway.planning.models import Task, TimeOff
from headway.planning.services.calendar import holiday_add, timeoff_add, timeoff_remove
from headway.planning.services.tasks import task_update
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_time_off_and_holidays_redate_the_plans_they_touch(team: Team) -> None:
    _, tasks = chain(team)
    task_update(actor=team.manager, task=tasks[1], version=tasks[1].version, owner=team.member.pk)
    # Step 2 runs Wed 4 - Fri 6 March; the member records Wednesday and Thursday off.
    off = timeoff_add(
        actor=team.member,
        workspace=team.workspace,
        user_id=team.member.pk,
        first_day=dt.date(2026, 3, 4),
        last_day=dt.date(2026, 3, 5),
    )
    second = Task.objects.get(pk=tasks[1].pk)
    assert second.start_date == dt.date(2026, 3, 6)
    assert second.explanation == "Alpha off 4-5 March"
    timeoff_remove(actor=team.member, timeoff=off)
    assert Task.objects.get(pk=tasks[1].pk).start_date == dt.date(2026, 3, 4)
    # A holiday on Monday 9 March pushes Step 3 to Tuesday.
    holiday_add(
        actor=team.manager, workspace=team.workspace, date=dt.date(2026, 3, 9), name="Local"
    )
    assert Task.objects.get(pk=tasks[2].pk).start_date == dt.date(2026, 3, 10)


def test_time_off_rules(team: Team) -> None:
    with pytest.raises(Forbidden):
        timeoff_add(
            actor=team.member,
            workspace=team.workspace,
            user_id=team.admin.pk,
            first_day=dt.date(2026, 3, 4),
            last_day=dt.date(2026, 3, 5),
        )
    with pytest.raises(DomainError, match="last day comes before"):
        timeoff_add(
            actor=team.member,
            workspace=team.workspace,
            user_id=team.member.pk,
            first_day=dt.date(2026, 3, 5),
            last_day=dt.date(2026, 3, 4),
        )
    with pytest.raises(Forbidden):
        holiday_add(actor=team.member, workspace=team.workspace, date=dt.date(2026, 3, 9), name="X")
    assert not TimeOff.objects.exists()


def test_the_time_off_page(team: Team) -> None:
    client = client_for(team.member)
    url = f"/w/{team.workspace.slug}/time-off/"
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "form": "off",
            "user": team.member.pk,
            "first_day": "2030-01-09",
            "last_day": "2030-01-02",
        },
    )
    assert bad.status_code == 400 and "last day comes before" in bad.content.decode()
    ok = client.post(
        url,
        {
            "form": "off",
            "user": team.member.pk,
            "first_day": "2030-01-02",
            "last_day": "2030-01-09",
            "note": "Skiing",
        },
    )
    assert ok.status_code == 302 and ok["Location"] == url
    assert "Skiing" in client.get(url).content.decode()
