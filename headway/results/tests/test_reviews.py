"""Reviews and learnings: opened at launch, completed with three answers, learnings searched
in full text (FTS5 on SQLite, text search on PostgreSQL), a learning changing a template."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from headway.activity.models import Event
from headway.conftest import Team
from headway.core.errors import DomainError, Forbidden
from headway.planning.models import Campaign, CampaignTemplate, Channel
from headway.planning.services.campaigns import campaign_create, campaign_set_status
from headway.planning.services.templates import template_step_lengthen
from headway.results.learnings import LearningFilters, learnings_for_template, learnings_search
from headway.results.models import ResultRow
from headway.results.reviews import selectors
from headway.results.reviews.models import Learning, Review, ReviewStatus
from headway.results.reviews.services import (
    learning_add,
    learning_apply_to_template,
    review_complete,
    review_settings_set,
)
from headway.results.services import import_store

pytestmark = pytest.mark.django_db
ANSWERS = {
    "verdict": "no",
    "delivered": "25 leads against 40.",
    "learned": "Cold audiences ignore product stills.",
    "differently": "Brief the creative earlier.",
}


def launched(team: Team, name: str = "Burst", **brief: object) -> Campaign:
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name=name, **brief)
    return campaign_set_status(actor=team.manager, campaign=campaign, status="launched")


def template(team: Team, name: str = "Paid social burst") -> CampaignTemplate:
    return CampaignTemplate.objects.get(workspace=team.workspace, name=name)


def channel(team: Team, key: str = "paid_social") -> Channel:
    return Channel.objects.get(workspace=team.workspace, key=key)


# -- opened at launch ---------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False)
def test_launch_opens_a_review_due_fourteen_days_later(team: Team) -> None:
    # when
    campaign = launched(team)
    # then
    review = Review.objects.get(campaign=campaign)
    assert review.launched_on == dt.date(2026, 3, 10)
    assert review.due_date == dt.date(2026, 3, 24)
    assert review.status == ReviewStatus.DUE and review.workspace == team.workspace
    assert str(review) == "Review of Burst"
    assert Event.objects.filter(object_type="results.review", verb="created").count() == 1


@time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False)
def test_the_workspace_sets_when_reviews_fall_due(team: Team) -> None:
    review_settings_set(actor=team.admin, workspace=team.workspace, review_after_days="30")
    review = Review.objects.get(campaign=launched(team))
    assert review.due_date == dt.date(2026, 4, 9)


@pytest.mark.parametrize("days", ["0", "366", "soon", None, "1e3"])
def test_review_setting_refuses_bad_values(team: Team, days: object) -> None:
    with pytest.raises(DomainError) as caught:
        review_settings_set(actor=team.owner, workspace=team.workspace, review_after_days=days)
    assert caught.value.field == "review_after_days"


def test_only_planners_set_when_reviews_fall_due(team: Team) -> None:
    with pytest.raises(Forbidden):
        review_settings_set(actor=team.member, workspace=team.workspace, review_after_days=7)


def test_other_status_changes_open_no_review_and_relaunch_keeps_the_first(team: Team) -> None:
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Webinar")
    campaign_set_status(actor=team.manager, campaign=campaign, status="in_progress")
    assert not Review.objects.exists()
    campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    first = Review.objects.get(campaign=campaign)
    campaign_set_status(actor=team.manager, campaign=campaign, status="in_progress")
    campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    assert list(Review.objects.all()) == [first]


@pytest.mark.parametrize("status", ["in_review", "closed"])
def test_a_campaign_moved_past_launch_without_it_gets_its_review(team: Team, status: str) -> None:
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Quiet")
    campaign_set_status(actor=team.manager, campaign=campaign, status="in_progress")
    campaign_set_status(actor=team.manager, campaign=campaign, status=status)
    assert Review.objects.filter(campaign=campaign).count() == 1


def test_cancelling_opens_no_review(team: Team) -> None:
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Dropped")
    campaign_set_status(actor=team.manager, campaign=campaign, status="cancelled")
    assert not Review.objects.exists()


def test_a_refused_launch_opens_no_review(team: Team) -> None:
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Event")
    from headway.planning.services.links import condition_create

    condition_create(
        actor=team.manager,
        campaign=campaign,
        title="Venue signed",
        kind="partner",
        owner=team.manager.pk,
    )
    with pytest.raises(DomainError):
        campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    assert not Review.objects.exists()


# -- completing ---------------------------------------------------------------------------


def test_complete_records_the_three_answers_and_who(team: Team) -> None:
    # A member completes the review of a campaign they own.
    review = Review.objects.get(campaign=launched(team, owner=team.member.pk))
    review_complete(actor=team.member, review=review, **ANSWERS)
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPLETED and review.completed_by == team.member
    assert review.completed_at is not None
    assert (review.learned, review.differently) == (ANSWERS["learned"], ANSWERS["differently"])
    assert Event.objects.filter(object_type="results.review", verb="updated").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"verdict": "maybe"}, "verdict"),
        ({"delivered": "   "}, "delivered"),
        ({"learned": ""}, "learned"),
        ({"differently": "bad\x00text"}, "differently"),
    ],
)
def test_complete_refuses_missing_or_bad_answers(team: Team, change: dict, field: str) -> None:
    review = Review.objects.get(campaign=launched(team))
    with pytest.raises(DomainError) as caught:
        review_complete(actor=team.owner, review=review, **(ANSWERS | change))
    assert caught.value.field == field
    review.refresh_from_db()
    assert review.status == ReviewStatus.DUE and review.learned == ""


def test_a_member_cannot_answer_the_review_of_a_campaign_they_do_not_own(team: Team) -> None:
    review = Review.objects.get(campaign=launched(team))  # the manager owns it
    with pytest.raises(Forbidden):
        review_complete(actor=team.member, review=review, **ANSWERS)
    review_complete(actor=team.manager, review=review, **ANSWERS)
    with pytest.raises(Forbidden):
        review_complete(actor=team.member, review=review, **(ANSWERS | {"verdict": "yes"}))
    review.refresh_from_db()
    assert review.verdict == ANSWERS["verdict"] and review.edited_by is None


@pytest.mark.parametrize("role", ["freelancer", "client"])
def test_freelancers_and_clients_cannot_complete_or_add(team: Team, role: str) -> None:
    review = Review.objects.get(campaign=launched(team))
    with pytest.raises(Forbidden):
        review_complete(actor=getattr(team, role), review=review, **ANSWERS)
    with pytest.raises(Forbidden):
        learning_add(actor=getattr(team, role), workspace=team.workspace, text="Leak")
    assert not Learning.objects.exists()


# -- lists and targets --------------------------------------------------------------------


def test_reviews_by_state_splits_overdue_due_and_completed(team: Team) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        old = Review.objects.get(campaign=launched(team, "Old"))
        done = Review.objects.get(campaign=launched(team, "Done"))
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        soon = Review.objects.get(campaign=launched(team, "Soon"))
        review_complete(actor=team.owner, review=done, **ANSWERS)
    lists = selectors.reviews_by_state(team.workspace, dt.date(2026, 3, 25))
    assert lists.overdue == [old] and lists.due == [soon] and lists.completed == [done]
    assert selectors.reviews_list(team.workspace, "overdue", dt.date(2026, 3, 25)) == [old]


META = (
    "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Ad set budget,"
    "Ad set budget type,Attribution setting,Results,Result indicator,Reach,Impressions,"
    "Link clicks,Cost per results,Amount spent (USD),Ends\n"
    "2026-03-10,2026-03-10,Burst - Prospecting,active,60,Daily,7-day click or 1-day view,"
    "10,actions:offsite_conversion.fb_pixel_lead,2000,3000,60,20.0,200.00,Ongoing\n"
    "2026-03-11,2026-03-11,Burst - Prospecting,active,60,Daily,7-day click or 1-day view,"
    "15,actions:offsite_conversion.fb_pixel_lead,2000,3000,60,20.0,300.00,Ongoing\n"
)


def test_review_results_are_the_briefs_targets_against_imported_actuals(team: Team) -> None:
    campaign = launched(
        team,
        platform_names=["Burst - Prospecting"],
        metrics=[
            {"name": "Leads", "target": 40, "unit": "leads"},
            {"name": "Cost per lead", "target": 15, "comparison": "at_most"},
            {"name": "Brand lift", "target": 5},
        ],
    )
    import_store(actor=team.owner, workspace=team.workspace, data=META.encode(), file_name="m.csv")
    line = selectors.review_results(Review.objects.get(campaign=campaign))
    assert line is not None
    checks = {t.name: (t.actual, t.met, t.gap_percent) for t in line.targets}
    assert checks["Leads"] == (Decimal(25), False, -38)
    assert checks["Cost per lead"] == (Decimal("20.00"), False, 33)
    assert checks["Brand lift"] == (None, None, None)
    assert line.figures["spend"] == Decimal("500.00")


def test_review_results_without_rows_show_targets_unmeasured(team: Team) -> None:
    campaign = launched(team, metrics=[{"name": "Qualified leads", "target": 10}])
    line = selectors.review_results(Review.objects.get(campaign=campaign))
    assert line is not None and [(t.name, t.actual) for t in line.targets] == [
        ("Qualified leads", Decimal(0))
    ]
    bare = launched(team, "Bare")
    assert selectors.review_results(Review.objects.get(campaign=bare)) is None
    assert not ResultRow.objects.exists()


# -- learnings and their search -----------------------------------------------------------


def _library(team: Team) -> dict[str, Learning]:
    review = Review.objects.get(campaign=launched(team))
    add = {"actor": team.member, "workspace": team.workspace, "review": review}
    return {
        "creative": learning_add(
            **add,
            text="Ad creative variants took six days; approvals of video cuts are slow.",
            template_id=template(team).pk,
            channel_id=channel(team).pk,
            work_kind="designer",
            audience="cold prospecting",
        ),
        "retarget": learning_add(
            **add,
            text="Retargeting windows of 14 days beat 30 days on cost per lead.",
            channel_id=channel(team).pk,
            work_kind="paid_ads",
        ),
        "email": learning_add(
            **add,
            text="Subject lines with a question were opened more often.",
            channel_id=channel(team, "email").pk,
        ),
    }


def test_full_text_search_finds_words_and_prefixes(team: Team) -> None:
    made = _library(team)
    ws = team.workspace
    assert learnings_search(ws, LearningFilters(query="creative")) == [made["creative"]]
    # every word must match; a word's beginning finds the longer word
    assert learnings_search(ws, LearningFilters(query="retarget windows")) == [made["retarget"]]
    assert learnings_search(ws, LearningFilters(query="approv video")) == [made["creative"]]
    assert learnings_search(ws, LearningFilters(query="creative subject")) == []
    # the audience tag is searched too
    assert learnings_search(ws, LearningFilters(query="prospecting")) == [made["creative"]]


def test_search_follows_edits_and_deletes(team: Team) -> None:
    made = _library(team)
    ws = team.workspace
    Learning.objects.filter(pk=made["email"].pk).update(text="Preheaders matter on mobile.")
    assert learnings_search(ws, LearningFilters(query="subject")) == []
    assert learnings_search(ws, LearningFilters(query="preheaders")) == [made["email"]]
    made["creative"].delete()
    assert learnings_search(ws, LearningFilters(query="creative")) == []


@pytest.mark.parametrize(
    "query", ['"', "OR", "NEAR(a b)", "a AND", "*", "col:umn", "(((", "'); DROP TABLE x; --"]
)
def test_search_takes_any_text_without_error(team: Team, query: str) -> None:
    _library(team)
    found = learnings_search(team.workspace, LearningFilters(query=query))
    assert isinstance(found, list)


def test_search_stays_in_its_workspace(team: Team, other_team: Team) -> None:
    _library(team)
    learning_add(actor=other_team.owner, workspace=other_team.workspace, text="Creative secret")
    found = learnings_search(team.workspace, LearningFilters(query="creative"))
    assert [learning.workspace_id for learning in found] == [team.workspace.pk]
    assert learnings_search(other_team.workspace, LearningFilters(query="variants")) == []


def test_filters_by_tags_and_words_together(team: Team) -> None:
    made = _library(team)
    ws = team.workspace
    social = LearningFilters(channel_id=channel(team).pk)
    assert set(learnings_search(ws, social)) == {made["creative"], made["retarget"]}
    assert learnings_search(ws, LearningFilters(work_kind="paid_ads")) == [made["retarget"]]
    assert learnings_search(ws, LearningFilters(template_id=template(team).pk)) == [
        made["creative"]
    ]
    words = LearningFilters(query="days", channel_id=channel(team, "email").pk)
    assert learnings_search(ws, words) == []
    assert learnings_for_template(ws, template(team).pk) == [made["creative"]]


def test_full_text_search_uses_the_databases_own_index(team: Team) -> None:
    _library(team)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM results_learning_fts")
            assert cursor.fetchone()[0] == 3
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('results_learning_fts')")
            assert cursor.fetchone()[0] is None  # the SQLite-only migration did nothing here


@pytest.mark.parametrize(
    ("tags", "field"),
    [
        ({"text": "  "}, "text"),
        ({"channel_id": "999999"}, "channel"),
        ({"channel_id": "abc"}, "channel"),
        ({"template_id": 2**70}, "template"),
        ({"work_kind": "juggling"}, "work_kind"),
        ({"audience": "x" * 81}, "audience"),
    ],
)
def test_learning_add_refuses_bad_tags(team: Team, tags: dict, field: str) -> None:
    with pytest.raises(DomainError) as caught:
        learning_add(actor=team.owner, workspace=team.workspace, **({"text": "ok"} | tags))
    assert caught.value.field == field
    assert not Learning.objects.exists()


def test_learning_cannot_be_tagged_with_another_workspaces_template(
    team: Team, other_team: Team
) -> None:
    with pytest.raises(DomainError):
        learning_add(
            actor=team.owner,
            workspace=team.workspace,
            text="x",
            template_id=template(other_team).pk,
        )


# -- a learning changes its template ------------------------------------------------------


def _step(tpl: CampaignTemplate, key: str) -> dict:
    tpl.refresh_from_db()
    return next(t for t in tpl.spec["tasks"] if t["key"] == key)


def test_learning_adds_two_days_to_a_template_step(team: Team) -> None:
    tpl = template(team)
    learning = learning_add(
        actor=team.member, workspace=team.workspace, text="Creative took 6 days", template_id=tpl.pk
    )
    learning_apply_to_template(actor=team.manager, learning=learning, step_key="creative", days=2)
    assert _step(tpl, "creative")["duration"] == 6
    learning.refresh_from_db()
    assert learning.applied_change == "Paid social burst: Ad creative variants 4 → 6 days"
    event = Event.objects.get(object_type="planning.campaigntemplate")
    assert event.changes == {"step Ad creative variants duration": [4.0, 6.0]}


@pytest.mark.parametrize(
    ("step", "days", "field"),
    [
        ("launch", 2, "step"),  # a milestone takes no time
        ("nope", 2, "step"),
        ("creative", 0, "days"),
        ("creative", 61, "days"),
        ("creative", -4, "days"),  # 4 days cannot lose 4
    ],
)
def test_template_change_refuses_bad_steps_and_days(
    team: Team, step: str, days: int, field: str
) -> None:
    tpl = template(team)
    with pytest.raises(DomainError) as caught:
        template_step_lengthen(actor=team.owner, template=tpl, step_key=step, days=days)
    assert caught.value.field == field
    assert _step(tpl, "creative")["duration"] == 4


def test_members_cannot_change_templates(team: Team) -> None:
    learning = learning_add(
        actor=team.member, workspace=team.workspace, text="x", template_id=template(team).pk
    )
    with pytest.raises(Forbidden):
        learning_apply_to_template(actor=team.member, learning=learning, step_key="copy", days=1)
    learning.refresh_from_db()
    assert learning.applied_change == ""


def test_a_learning_without_template_changes_nothing(team: Team) -> None:
    learning = learning_add(actor=team.member, workspace=team.workspace, text="x")
    with pytest.raises(DomainError) as caught:
        learning_apply_to_template(actor=team.owner, learning=learning, step_key="copy", days=1)
    assert caught.value.field == "template"
