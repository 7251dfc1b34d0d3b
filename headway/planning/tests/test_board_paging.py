"""The board at real size: each column's first page of cards with its full count, "show more"
through htmx (or a plain link), filters kept across pages, every card reachable, the Done
column most recent first, and a query count that does not grow with the tasks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from headway.conftest import Team, client_for
from headway.planning.models import Campaign, Task, TaskStatus
from headway.planning.selectors import BOARD_PAGE
from headway.planning.services.campaigns import campaign_create

pytestmark = pytest.mark.django_db

DAY0 = dt.date(2026, 3, 2)


def _fill(
    team: Team,
    campaign: Campaign,
    n: int,
    status: str = TaskStatus.NOT_STARTED,
    *,
    owner: object = None,
    start: int = 0,
) -> list[Task]:
    """`n` tasks in `status`, due one day apart from DAY0 + `start` days, created in reverse
    so that creation order is not the board's order."""
    now = timezone.now()
    made = Task.objects.bulk_create(
        Task(
            workspace=team.workspace,
            campaign=campaign,
            title=f"{status} {start + k:04d}",
            position=start + k,
            status=status,
            owner=owner,  # type: ignore[misc]
            due_date=DAY0 + dt.timedelta(days=start + k),
            done_at=now - dt.timedelta(hours=start + k) if status == TaskStatus.DONE else None,
            blocked_reason="Waiting" if status == TaskStatus.BLOCKED else "",
        )
        for k in reversed(range(n))
    )
    return sorted(made, key=lambda t: t.position)


def _campaign(team: Team, name: str = "Big launch") -> Campaign:
    return campaign_create(actor=team.manager, workspace=team.workspace, name=name)


def _column(html: str, status: str) -> str:
    return html.split(f'data-status="{status}"')[1].split("</section>")[0]


def _cards(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-task="(\d+)"', html)]


def _show_more(html: str) -> str | None:
    found = re.search(r'hx-get="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _htmx(client: Client, url: str) -> str:
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_a_column_shows_its_first_page_its_full_count_and_show_more(team: Team) -> None:
    campaign = _campaign(team)
    tasks = _fill(team, campaign, 120)
    html = client_for(team.manager).get(f"/w/{team.workspace.slug}/board/").content.decode()
    column = _column(html, TaskStatus.NOT_STARTED)
    assert _cards(column) == [t.pk for t in tasks[:BOARD_PAGE]]  # soonest due first
    assert '<span class="muted" title="120 cards">120</span>' in column
    assert 'Show more <span class="muted">(70 more)</span>' in column
    # an empty column says so, with its count and no button
    empty = _column(html, TaskStatus.IN_REVIEW)
    assert "Nothing here." in empty and ">0</span>" in empty and "Show more" not in empty


def test_show_more_pages_through_every_card_once_in_order(team: Team) -> None:
    campaign = _campaign(team)
    tasks = _fill(team, campaign, 2 * BOARD_PAGE + 7)
    client = client_for(team.manager)
    html = client.get(f"/w/{team.workspace.slug}/board/").content.decode()
    seen = _cards(_column(html, TaskStatus.NOT_STARTED))
    url = _show_more(_column(html, TaskStatus.NOT_STARTED))
    pages = 0
    while url:
        page = _htmx(client, url)
        assert 'id="board"' not in page  # only the next cards, not the board
        seen += _cards(page)
        url = _show_more(page)
        pages += 1
    assert pages == 2
    assert seen == [t.pk for t in tasks]
    assert "(7 more)" in _htmx(
        client, f"/w/{team.workspace.slug}/board/?column=not_started&offset=50"
    )


def test_done_shows_the_most_recently_done_first(team: Team) -> None:
    campaign = _campaign(team)
    done = _fill(team, campaign, 60, TaskStatus.DONE)  # done_at: the first is the newest
    Task.objects.filter(pk=done[-1].pk).update(done_at=timezone.now() + dt.timedelta(hours=1))
    html = client_for(team.manager).get(f"/w/{team.workspace.slug}/board/").content.decode()
    cards = _cards(_column(html, TaskStatus.DONE))
    assert cards[:3] == [done[-1].pk, done[0].pk, done[1].pk]
    assert len(cards) == BOARD_PAGE


def test_filters_apply_to_counts_and_to_every_page(team: Team) -> None:
    campaign = _campaign(team)
    mine = _fill(team, campaign, 70, owner=team.member)
    _fill(team, campaign, 70, start=70)
    other = _campaign(team, "Other launch")
    _fill(team, other, 5, owner=team.member, start=200)
    client = client_for(team.manager)
    ws = team.workspace.slug
    html = client.get(f"/w/{ws}/board/?person={team.member.pk}&campaign={campaign.pk}")
    column = _column(html.content.decode(), TaskStatus.NOT_STARTED)
    assert 'title="70 cards"' in column and "(20 more)" in column
    url = _show_more(column)
    assert (
        url is not None and f"person={team.member.pk}" in url and f"campaign={campaign.pk}" in url
    )
    rest = _htmx(client, url)
    assert _cards(column) + _cards(rest) == [t.pk for t in mine]
    assert _show_more(rest) is None


def test_show_more_without_javascript_widens_the_column(team: Team) -> None:
    campaign = _campaign(team)
    tasks = _fill(team, campaign, 130)
    client = client_for(team.manager)
    html = client.get(f"/w/{team.workspace.slug}/board/?column=not_started&offset=50")
    column = _column(html.content.decode(), TaskStatus.NOT_STARTED)
    assert _cards(column) == [t.pk for t in tasks[:100]]
    assert "(30 more)" in column and "offset=100" in column


@pytest.mark.parametrize(
    "query",
    [
        "column=not_started&offset=abc",
        "column=nope&offset=50",
        "column=done&offset=%C2%B2",
        "column=done&offset=99999999999999999999999",
        "person=%C2%B2&column=done&offset=-1",
    ],
)
def test_malformed_paging_is_ignored(team: Team, query: str) -> None:
    campaign = _campaign(team)
    _fill(team, campaign, 60)
    client = client_for(team.manager)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(f"/w/{team.workspace.slug}/board/?{query}", **headers)
        assert response.status_code == 200
        assert 'id="board"' in response.content.decode()


def test_a_card_moved_from_a_later_page_shows_at_the_head_of_its_new_column(team: Team) -> None:
    campaign = _campaign(team)
    _fill(team, campaign, 60, TaskStatus.IN_REVIEW)
    waiting = _fill(team, campaign, 80, owner=team.member, start=100)
    card = waiting[70]  # on the second page of Not started, due after every card in review
    client = client_for(team.manager)
    ws = team.workspace.slug
    response = client.post(
        f"/w/{ws}/tasks/{card.pk}/status/",
        {"status": TaskStatus.IN_REVIEW, "from": "board", "version": card.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    column = _column(response.content.decode(), TaskStatus.IN_REVIEW)
    cards = _cards(column)
    assert cards[0] == card.pk and len(cards) == BOARD_PAGE + 1
    assert 'title="61 cards"' in column and "(10 more)" in column
    rest = _htmx(client, _show_more(column) or "")
    assert card.pk not in _cards(rest) and len(_cards(rest)) == 10
    assert Task.objects.get(pk=card.pk).status == TaskStatus.IN_REVIEW


def test_the_api_board_still_lists_every_task(client: Client, team: Team) -> None:
    from headway.accounts.services import token_create

    campaign = _campaign(team)
    _fill(team, campaign, 70)
    _, secret = token_create(actor=team.manager, name="t")
    board = client.get(
        f"/api/v1/workspaces/{team.workspace.slug}/board",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    ).json()
    assert len(board["not_started"]) == 70


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/board/", "/board/?column=done&offset=50"])
def test_board_queries_do_not_grow_from_100_to_1000_tasks(team: Team, url: str) -> None:
    campaign = _campaign(team)
    client = client_for(team.manager)
    statuses = list(TaskStatus.values)
    for k, status in enumerate(statuses):
        _fill(team, campaign, 20, status, owner=team.member, start=k * 1000)
    path = f"/w/{team.workspace.slug}{url}"
    client.get(path)
    small = _queries(client, path)
    for k, status in enumerate(statuses):
        _fill(team, campaign, 180, status, start=k * 1000 + 20)
    assert Task.objects.filter(campaign=campaign).count() == 1000
    assert _queries(client, path) == small
