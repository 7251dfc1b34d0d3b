from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
import time_machine
from django.test import Client

from headway.conftest import Team, client_for
from headway.core.errors import Conflict, DomainError
from headway.planning.models import Channel
from headway.planning.services.campaigns import channels_ensure
from headway.planning.tests.factories import chain
from headway.publishing.selectors import coverage, month_grid
from headway.publishing.services import (
    cadence_set,
    feed_create,
    feed_revoke,
    piece_create,
    piece_update,
)

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")


def _channels(team: Team) -> dict[str, Channel]:
    return {c.key: c for c in channels_ensure(team.workspace)}


def _piece(team: Team, channel: Channel, when: dt.datetime | None, stage: str = "drafting", **kw):  # type: ignore[no-untyped-def]
    return piece_create(
        actor=team.manager,
        workspace=team.workspace,
        title=kw.pop("title", "Post"),
        kind=kw.pop("kind", "social_post"),
        channel=channel.pk,
        stage=stage,
        owner=team.member.pk if stage != "idea" else None,
        publish_at=when,
        **kw,
    )


def test_a_piece_past_idea_needs_an_owner_and_scheduled_needs_a_slot(team: Team) -> None:
    ch = _channels(team)
    with pytest.raises(DomainError, match="one owner"):
        piece_create(
            actor=team.manager,
            workspace=team.workspace,
            title="X",
            kind="email",
            channel=ch["email"].pk,
            stage="drafting",
        )
    piece = _piece(team, ch["email"], None)
    with pytest.raises(DomainError, match="needs a publish slot"):
        piece_update(actor=team.manager, piece=piece, version=piece.version, stage="scheduled")
    piece_update(actor=team.manager, piece=piece, version=1, title="New title")
    with pytest.raises(Conflict, match="changed"):
        piece_update(actor=team.manager, piece=piece, version=1, title="Stale")


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_coverage_finds_the_weeks_that_fall_short(team: Team) -> None:
    ch = _channels(team)
    cadence_set(
        actor=team.manager,
        workspace=team.workspace,
        channel=ch["organic_social"],
        per_period=3,
        period="week",
    )
    cadence_set(
        actor=team.manager,
        workspace=team.workspace,
        channel=ch["email"],
        per_period=1,
        period="month",
    )
    monday = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    for day in (0, 2, 4, 8):
        _piece(team, ch["organic_social"], monday + dt.timedelta(days=day))
    _piece(team, ch["organic_social"], monday + dt.timedelta(days=9), stage="idea")
    rows = {c.channel: c for c in coverage(team.workspace, dt.date(2026, 3, 2))}
    social = rows["Organic social"]
    assert (social.have, social.want) == (4, 6)
    assert [(g.label, g.have, g.want) for g in social.gaps] == [("week of 9 Mar", 1, 3)]
    email = rows["Email"]
    assert (email.have, email.want, len(email.gaps)) == (0, 1, 1)


def test_the_month_grid_places_pieces_and_launches_by_local_day(team: Team) -> None:
    team.workspace.time_zone = "America/New_York"
    team.workspace.save()
    ch = _channels(team)
    # 02:00 UTC on 11 March is still 10 March in New York
    _piece(team, ch["blog"], dt.datetime(2026, 3, 11, 2, tzinfo=dt.UTC), title="Late post")
    weeks = month_grid(team.workspace, 2026, 3)
    assert weeks[0][0].date == dt.date(2026, 2, 23)  # Monday first
    day = next(d for w in weeks for d in w if d.date == dt.date(2026, 3, 10))
    assert [p.title for p in day.pieces] == ["Late post"]


def test_the_ical_feed_parses_and_holds_the_events_in_the_right_zone(team: Team) -> None:
    team.workspace.time_zone = "America/New_York"
    team.workspace.save()
    _, tasks = chain(team)
    from headway.planning.models import Task

    Task.objects.filter(pk=tasks[0].pk).update(owner=team.member)
    ch = _channels(team)
    _piece(team, ch["blog"], dt.datetime(2026, 3, 11, 14, tzinfo=dt.UTC), title="Care guide")
    feed, raw = feed_create(actor=team.member, workspace=team.workspace, personal=True)
    response = Client().get(f"/feeds/{raw}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Step 1 (Spring launch)", "Publish: Care guide (Blog)"}
    publish = events["Publish: Care guide (Blog)"].decoded("dtstart")
    assert publish.tzinfo is not None and publish.utcoffset() == dt.timedelta(hours=-4)
    assert publish.hour == 10  # 14:00 UTC is 10:00 in New York in daylight time
    assert isinstance(events["Step 1 (Spring launch)"].decoded("dtstart"), dt.date)
    assert cal.walk("VTIMEZONE")  # the zone is described for subscribers
    feed_revoke(actor=team.member, feed=feed)
    assert Client().get(f"/feeds/{raw}.ics").status_code == 404


def test_calendar_and_pipeline_pages(team: Team) -> None:
    ch = _channels(team)
    _piece(team, ch["blog"], dt.datetime.now(dt.UTC) + dt.timedelta(days=1), title="Soon")
    client = client_for(team.manager)
    cal = client.get(f"/w/{team.workspace.slug}/calendar/").content.decode()
    assert "Soon" in cal and "Next 14 days" in cal
    assert client.get(f"/w/{team.workspace.slug}/calendar/?month=bogus").status_code == 200
    page = client.post(
        f"/w/{team.workspace.slug}/content/",
        {"title": "Draft", "kind": "email", "channel": ch["email"].pk, "stage": "drafting"},
    )
    assert page.status_code == 400 and "one owner" in page.content.decode()
    assert client_for(team.freelancer).get(f"/w/{team.workspace.slug}/calendar/").status_code == 403


def test_publishing_over_the_api(client, team: Team) -> None:
    from headway.accounts.services import token_create

    ch = _channels(team)
    _, raw = token_create(actor=team.manager, name="api")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    ws = team.workspace.slug
    r = client.post(
        f"/api/v1/workspaces/{ws}/cadences",
        {"channel": ch["blog"].pk, "per_period": 1},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 204
    r = client.post(
        f"/api/v1/workspaces/{ws}/content",
        {
            "title": "Guide",
            "kind": "blog_post",
            "channel": ch["blog"].pk,
            "stage": "scheduled",
            "owner": team.member.pk,
            "publish_at": "2030-01-02T09:00:00Z",
        },
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201
    piece = r.json()
    r = client.patch(
        f"/api/v1/workspaces/{ws}/content/{piece['id']}",
        {"version": 99, "title": "x"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 409
    cov = client.get(f"/api/v1/workspaces/{ws}/coverage", **auth).json()
    assert cov[0]["channel"] == "Blog"
    feed = client.post(
        f"/api/v1/workspaces/{ws}/feeds",
        {"personal": False},
        content_type="application/json",
        **auth,
    ).json()
    assert feed["url"].endswith(".ics") and client.get(feed["url"]).status_code == 200


def test_moving_a_piece_keeps_its_time_of_day_and_refuses_stale_moves(team: Team) -> None:
    ch = _channels(team)
    piece = _piece(team, ch["blog"], dt.datetime(2030, 1, 7, 9, 30, tzinfo=dt.UTC))
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/content/{piece.pk}/move/"
    client.post(url, {"day": "2030-01-10", "version": piece.version})
    piece.refresh_from_db()
    assert piece.publish_at == dt.datetime(2030, 1, 10, 9, 30, tzinfo=dt.UTC)
    page = client.post(url, {"day": "2030-01-11", "version": 1}, follow=True).content.decode()
    assert "changed" in page
    piece.refresh_from_db()
    assert piece.publish_at.date() == dt.date(2030, 1, 10)  # type: ignore[union-attr]
    week = client.get(f"/w/{team.workspace.slug}/calendar/?view=week&week=2030-01-09")
    assert "Week of 7 January 2030" in week.content.decode()


@time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
def test_moving_a_launch_from_the_calendar_shows_what_moves_first(team: Team) -> None:
    from headway.planning.models import Campaign, Task

    campaign, tasks = chain(team, launch=dt.date(2026, 3, 20))
    client = client_for(team.manager)
    url = f"/w/{team.workspace.slug}/campaigns/{campaign.pk}/launch/move/"
    data = {"day": "2026-03-27", "version": campaign.version}
    page = client.post(url, data).content.decode()
    assert "Move the launch of Spring launch?" in page
    assert "moves 4 tasks; the launch moves 5 working days later" in page
    assert Campaign.objects.get(pk=campaign.pk).launch_date == dt.date(2026, 3, 20)
    client.post(url, data | {"confirm": "on"})
    assert Campaign.objects.get(pk=campaign.pk).launch_date == dt.date(2026, 3, 27)
    assert Task.objects.get(pk=tasks[-1].pk).start_date == dt.date(2026, 3, 27)


def test_a_personal_feed_holds_the_approvals_waiting_on_that_person_now(team: Team) -> None:
    from headway.approvals.services import StepSpec, approval_start, chain_create

    _, tasks = chain(team)
    two_steps = chain_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Two steps",
        kind="legal",
        steps=[
            StepSpec("First", approvers=[team.owner.pk]),
            StepSpec("Second", approvers=[team.admin.pk]),
        ],
    )
    approval_start(actor=team.manager, task=tasks[0], chain=two_steps)
    _, mine = feed_create(actor=team.owner, workspace=team.workspace, personal=True)
    _, later = feed_create(actor=team.admin, workspace=team.workspace, personal=True)

    def summaries(raw: str) -> list[str]:
        cal = icalendar.Calendar.from_ical(Client().get(f"/feeds/{raw}.ics").content)
        return [str(e["summary"]) for e in cal.walk("VEVENT")]

    assert "Approval due: Step 1 (Two steps)" in summaries(mine)
    assert not any(s.startswith("Approval due") for s in summaries(later))
