"""The plan rows, the Gantt chart and the board cards are drawn by templates: text typed by
people (task titles, campaign and person names) reaches the page escaped wherever it shows."""

from __future__ import annotations

import pytest

from headway.accounts.models import User
from headway.conftest import Team, client_for
from headway.planning.models import Campaign, Task
from headway.planning.tests.factories import chain

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quote'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quote&#x27;"


def _between(page: str, start: str, end: str) -> str:
    assert start in page, start
    return page.split(start, 1)[1].split(end, 1)[0]


def _hostile_plan(team: Team) -> tuple[Campaign, list[Task]]:
    campaign, tasks = chain(team)
    Task.objects.filter(pk=tasks[0].pk).update(title=HOSTILE, owner=team.member)
    Campaign.objects.filter(pk=campaign.pk).update(name=HOSTILE)
    User.objects.filter(pk=team.member.pk).update(name='Bo <b>"Bold"</b>')
    return campaign, tasks


def test_plan_rows_and_gantt_escape_titles_and_names(team: Team) -> None:
    # given: a task titled with markup and quotes, in a campaign named the same, owned by a
    # person whose name holds markup
    campaign, tasks = _hostile_plan(team)
    # when
    page = client_for(team.manager).get(f"/w/{team.workspace.slug}/campaigns/{campaign.pk}/")
    html = page.content.decode()
    # then: no markup from the data reaches the page unescaped
    assert "<script>" not in html and "<b>" not in html
    row = _between(html, f'<tr id="task-{tasks[0].pk}"', "</tr>")
    assert f">{ESCAPED}</a>" in row
    assert f"Owner of {ESCAPED}</label>" in row
    assert ">Bo &lt;b&gt;&quot;Bold&quot;&lt;/b&gt;</option>" in row
    assert f'<option value="{team.member.pk}" selected>' in row
    chart = _between(html, '<svg class="gantt"', "</svg>")
    assert f'aria-label="Timeline of {ESCAPED}"' in chart
    # the bar's label is cut to 30 characters, its tooltip keeps the whole title
    assert ">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;…</text>" in chart
    assert f"<title>{ESCAPED}: " in chart


def test_the_row_htmx_answers_after_assigning_is_escaped(team: Team) -> None:
    _, tasks = _hostile_plan(team)
    client = client_for(team.manager)
    response = client.post(
        f"/w/{team.workspace.slug}/tasks/{tasks[0].pk}/assign/",
        {"owner": str(team.manager.pk), "version": str(Task.objects.get(pk=tasks[0].pk).version)},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.startswith(f'<tr id="task-{tasks[0].pk}"') and html.endswith("</tr>")
    assert "<script>" not in html and "<b>" not in html
    assert f">{ESCAPED}</a>" in html and 'role="status">Saved</span>' in html
    assert f'<option value="{team.manager.pk}" selected>' in html


def test_board_cards_escape_titles_and_names(team: Team) -> None:
    _, tasks = _hostile_plan(team)
    html = client_for(team.manager).get(f"/w/{team.workspace.slug}/board/").content.decode()
    assert "<script>" not in html and "<b>" not in html
    card = _between(html, f'data-task="{tasks[0].pk}"', "</li>")
    assert f">{ESCAPED}</a>" in card
    assert f'<small class="muted">{ESCAPED} · Bo &lt;b&gt;&quot;Bold&quot;&lt;/b&gt;' in card
    assert f"Move {ESCAPED} to</label>" in card
    assert '<option value="not_started" selected>' in card


def test_a_problem_badge_is_the_same_on_the_plan_the_board_and_the_task_page(team: Team) -> None:
    campaign, tasks = chain(team)  # the chain's tasks have no owner
    client = client_for(team.manager)
    ws = team.workspace.slug
    badge = '<span class="badge badge-warn">unowned</span>'
    plan = client.get(f"/w/{ws}/campaigns/{campaign.pk}/").content.decode()
    board = client.get(f"/w/{ws}/board/").content.decode()
    task = client.get(f"/w/{ws}/tasks/{tasks[0].pk}/").content.decode()
    assert badge in _between(plan, f'<tr id="task-{tasks[0].pk}"', "</tr>")
    assert badge in _between(board, f'data-task="{tasks[0].pk}"', "</li>")
    assert badge in task
