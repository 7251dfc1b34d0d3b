"""Review pages, the learnings library, the hint on campaign forms, a learning applied to its
template: what each role sees, bad input answered on the form, queries not growing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.activity.models import Event
from headway.conftest import Team, client_for
from headway.planning.models import CampaignTemplate, Channel
from headway.planning.services.campaigns import campaign_create, campaign_set_status
from headway.results.reviews.models import Learning, Review, ReviewSettings, ReviewStatus
from headway.results.reviews.services import learning_add

pytestmark = pytest.mark.django_db


def _review(team: Team, name: str = "Burst", **brief: object) -> Review:
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name=name, **brief)
    campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    return Review.objects.get(campaign=campaign)


def _url(team: Team, tail: str) -> str:
    return f"/w/{team.workspace.slug}/{tail}"


def _template(team: Team) -> CampaignTemplate:
    return CampaignTemplate.objects.get(workspace=team.workspace, name="Paid social burst")


def test_reviews_page_lists_due_reviews_for_members(team: Team) -> None:
    review = _review(team)
    page = client_for(team.member).get(_url(team, "reviews/"))
    assert page.status_code == 200
    assert b"Burst" in page.content and f"reviews/{review.pk}/".encode() in page.content
    assert b"When reviews fall due" not in page.content  # members do not set it


def test_planners_set_when_reviews_fall_due_on_the_page(team: Team) -> None:
    client = client_for(team.manager)
    bad = client.post(_url(team, "reviews/"), {"review_after_days": "400"})
    assert bad.status_code == 400 and b"less than or equal to 365" in bad.content
    assert not ReviewSettings.objects.exists()
    ok = client.post(_url(team, "reviews/"), {"review_after_days": "21"})
    assert ok.status_code == 302
    assert ReviewSettings.objects.get(workspace=team.workspace).review_after_days == 21
    assert (
        client_for(team.member).post(_url(team, "reviews/"), {"review_after_days": "3"}).status_code
        == 403
    )


def test_complete_a_review_on_its_page(team: Team) -> None:
    # The member owns the campaign: its owner completes its review.
    review = _review(team, metrics=[{"name": "Leads", "target": 40}], owner=team.member.pk)
    client = client_for(team.member)
    page = client.get(_url(team, f"reviews/{review.pk}/"))
    assert page.status_code == 200
    assert b"How it was executed" in page.content
    assert b"at least 40" not in page.content  # results are the planners'
    planner = client_for(team.owner).get(_url(team, f"reviews/{review.pk}/"))
    assert b"Targets against actuals" in planner.content and b"at least 40" in planner.content
    answers = {
        "verdict": "partly",
        "delivered": "Leads on target, cost above.",
        "learned": "Retargeting works.",
        "differently": "Start earlier.",
    }
    done = client.post(_url(team, f"reviews/{review.pk}/"), {"action": "complete", **answers})
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPLETED and review.verdict == "partly"


def test_review_form_errors_name_the_field_and_store_nothing(team: Team) -> None:
    review = _review(team)
    page = client_for(team.owner).post(
        _url(team, f"reviews/{review.pk}/"),
        {
            "action": "complete",
            "verdict": "partly",
            "delivered": "x",
            "learned": "",
            "differently": "y",
        },
    )
    assert page.status_code == 400
    assert b"This field is required" in page.content
    review.refresh_from_db()
    assert review.status == ReviewStatus.DUE


def test_add_a_learning_from_the_review_page(team: Team) -> None:
    review = _review(team)
    channel = Channel.objects.get(workspace=team.workspace, key="paid_social")
    client = client_for(team.member)
    added = client.post(
        _url(team, f"reviews/{review.pk}/"),
        {
            "action": "learning",
            "text": "Creative needs six days.",
            "channel": channel.pk,
            "template": _template(team).pk,
            "work_kind": "designer",
        },
    )
    assert added.status_code == 302
    learning = Learning.objects.get()
    assert (learning.review, learning.channel, learning.template) == (
        review,
        channel,
        _template(team),
    )
    bad = client.post(
        _url(team, f"reviews/{review.pk}/"),
        {"action": "learning", "text": "x", "channel": "999999"},
    )
    assert bad.status_code == 400 and Learning.objects.count() == 1


def test_library_searches_and_filters(team: Team) -> None:
    learning_add(actor=team.member, workspace=team.workspace, text="Creative needs six days.")
    learning_add(actor=team.member, workspace=team.workspace, text="Subject lines with questions.")
    client = client_for(team.member)
    page = client.get(_url(team, "learnings/?q=creative"))
    assert page.status_code == 200
    assert b"Creative needs six days." in page.content and b"Subject lines" not in page.content
    assert b"1 learning found" in page.content
    odd = client.get(_url(team, 'learnings/?q="OR(*&channel=abc'))
    assert odd.status_code == 400  # a channel that is not one is named on the form, never a 500


def test_hint_shows_learnings_for_the_template_and_channels(team: Team) -> None:
    tpl = _template(team)
    email = Channel.objects.get(workspace=team.workspace, key="email")
    learning_add(
        actor=team.member,
        workspace=team.workspace,
        text="Six days of creative.",
        template_id=tpl.pk,
    )
    learning_add(
        actor=team.member, workspace=team.workspace, text="Questions open.", channel_id=email.pk
    )
    client = client_for(team.manager)
    by_template = client.get(_url(team, f"learnings/hint/?template={tpl.pk}"))
    assert b"Six days of creative." in by_template.content
    assert b"Questions open." not in by_template.content
    by_channel = client.get(_url(team, f"learnings/hint/?channels={email.pk}&channels=x"))
    assert b"Questions open." in by_channel.content
    nothing = client.get(_url(team, "learnings/hint/?template=99999999999999999999999"))
    assert nothing.status_code == 200 and b"callout" not in nothing.content


def test_new_campaign_page_carries_the_hint(team: Team) -> None:
    page = client_for(team.manager).get(_url(team, "campaigns/new/"))
    assert page.content.count(b"/learnings/hint/") == 2  # the template form and the blank brief


def test_apply_a_learning_after_confirmation(team: Team) -> None:
    tpl = _template(team)
    learning = learning_add(
        actor=team.member, workspace=team.workspace, text="Six days.", template_id=tpl.pk
    )
    client = client_for(team.manager)
    confirm = client.get(_url(team, f"learnings/{learning.pk}/apply/"))
    assert confirm.status_code == 200 and b"Ad creative variants (4 days)" in confirm.content
    tpl.refresh_from_db()
    assert next(t for t in tpl.spec["tasks"] if t["key"] == "creative")["duration"] == 4
    bad = client.post(_url(team, f"learnings/{learning.pk}/apply/"), {"step": "launch", "days": 2})
    assert bad.status_code == 400
    done = client.post(
        _url(team, f"learnings/{learning.pk}/apply/"), {"step": "creative", "days": 2}
    )
    assert done.status_code == 302
    tpl.refresh_from_db()
    assert next(t for t in tpl.spec["tasks"] if t["key"] == "creative")["duration"] == 6
    assert Event.objects.filter(object_type="planning.campaigntemplate").count() == 1
    member = client_for(team.member).post(
        _url(team, f"learnings/{learning.pk}/apply/"), {"step": "creative", "days": 2}
    )
    assert member.status_code == 403


@pytest.mark.parametrize("role", ["freelancer", "client"])
def test_freelancers_and_clients_see_no_review_or_learning(team: Team, role: str) -> None:
    review = _review(team)
    learning = learning_add(actor=team.member, workspace=team.workspace, text="Secret lesson")
    client = client_for(getattr(team, role))
    for tail in (
        "reviews/",
        f"reviews/{review.pk}/",
        "learnings/",
        "learnings/hint/",
        f"learnings/{learning.pk}/apply/",
    ):
        answer = client.get(_url(team, tail))
        assert answer.status_code in (403, 404), tail
        assert b"Secret lesson" not in answer.content and b"Burst" not in answer.content
    dashboard = client.get(_url(team, ""))
    assert b"/reviews/" not in dashboard.content  # no link in their navigation


def test_another_workspaces_review_is_not_found(team: Team, other_team: Team) -> None:
    theirs = _review(other_team)
    assert client_for(team.owner).get(_url(team, f"reviews/{theirs.pk}/")).status_code == 404


def test_reviews_page_queries_do_not_grow_with_reviews(team: Team) -> None:
    client: Client = client_for(team.manager)
    _review(team, "One")
    client.get(
        _url(team, "reviews/")
    )  # the first page of a visit stores the workspace in the session
    with CaptureQueriesContext(connection) as few:
        client.get(_url(team, "reviews/"))
    for n in range(6):
        review = _review(team, f"More {n}")
        if n % 2:
            review.status = ReviewStatus.COMPLETED
            review.completed_by = team.owner
            review.save()
    with CaptureQueriesContext(connection) as many:
        client.get(_url(team, "reviews/"))
    assert len(many) == len(few)


def test_apply_page_offers_the_step_of_the_learnings_kind_of_work(team: Team) -> None:
    learning = learning_add(
        actor=team.member,
        workspace=team.workspace,
        text="Creative took six days.",
        template_id=_template(team).pk,
        work_kind="designer",
    )
    page = client_for(team.owner).get(_url(team, f"learnings/{learning.pk}/apply/"))
    assert b'<option value="creative" selected>' in page.content


def test_brief_edit_page_carries_the_channel_hint(team: Team) -> None:
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Blog series")
    page = client_for(team.manager).get(_url(team, f"campaigns/{campaign.pk}/edit/"))
    assert page.status_code == 200
    assert page.content.count(b"/learnings/hint/") == 1
    assert b'hx-params="template,channels"' in page.content  # never the CSRF token in a URL


def test_campaign_page_links_its_review_once_launched(team: Team) -> None:
    campaign = campaign_create(actor=team.manager, workspace=team.workspace, name="Webinar")
    client = client_for(team.member)
    url = _url(team, f"campaigns/{campaign.pk}/")
    assert b"Post-campaign review" not in client.get(url).content
    campaign_set_status(actor=team.manager, campaign=campaign, status="launched")
    review = Review.objects.get(campaign=campaign)
    page = client.get(url).content
    assert b"Post-campaign review due" in page and f"reviews/{review.pk}/".encode() in page


META = (
    "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Ad set budget,"
    "Ad set budget type,Attribution setting,Results,Result indicator,Reach,Impressions,"
    "Link clicks,Cost per results,Amount spent (USD),Ends\n"
    "2026-03-10,2026-03-10,Burst - Prospecting,active,60,Daily,7-day click or 1-day view,"
    "25,actions:offsite_conversion.fb_pixel_lead,2000,3000,60,20.0,1234.00,Ongoing\n"
)


@pytest.mark.parametrize("role", ["member", "freelancer", "client"])
def test_only_planners_see_results_figures_on_a_review(team: Team, role: str) -> None:
    """Results are for owners, admins and managers (as on the results page): a member sees the
    execution facts and the questions but no spend, revenue or leads; others not even the page."""
    from headway.results.services import import_store

    review = _review(
        team, platform_names=["Burst - Prospecting"], metrics=[{"name": "Leads", "target": 40}]
    )
    import_store(actor=team.owner, workspace=team.workspace, data=META.encode(), file_name="m.csv")
    url = _url(team, f"reviews/{review.pk}/")
    planner = client_for(team.manager).get(url)
    assert b"1,234" in planner.content or b"1234" in planner.content
    assert b"short by" in planner.content
    page = client_for(getattr(team, role)).get(url)
    assert b"1,234" not in page.content and b"1234" not in page.content
    assert b"short by" not in page.content and b"Imported so far" not in page.content
    if role == "member":
        assert page.status_code == 200
        assert b"How it was executed" in page.content and b"The three questions" in page.content
        assert b"shown to owners, admins and managers" in page.content
    else:
        assert page.status_code in (403, 404)


def test_review_page_names_the_final_window_in_working_days(team: Team) -> None:
    """As the results page and the underperformers' sentence: 'the final 2 working days'."""
    from pathlib import Path

    from headway.results.tests.test_execution import run_late_campaign

    campaign = run_late_campaign(team)
    review = Review.objects.get(campaign=campaign)
    page = client_for(team.manager).get(_url(team, f"reviews/{review.pk}/")).content.decode()
    assert "1 of 2 tasks finished in the final 2 working days before launch" in page
    assert "48 hours" not in page
    templates = Path(__file__).resolve().parents[2] / "templates" / "results"
    assert not [p.name for p in templates.glob("*.html") if "48 hours" in p.read_text()]


def test_a_review_of_a_campaign_without_approvals_says_none_was_requested(team: Team) -> None:
    review = _review(team, name="Quiet launch")
    page = client_for(team.member).get(_url(team, f"reviews/{review.pk}/"))
    assert page.status_code == 200
    assert b"No approval was requested" in page.content
    assert b"over 0 approval requests" not in page.content
    assert b"Approvals waited 0 working days" not in page.content


ANSWERS = {
    "action": "complete",
    "verdict": "yes",
    "delivered": "Sold as the season's other launches did.",
    "learned": "Gift buyers read on Sunday.",
    "differently": "Start the copy a week earlier.",
}


def test_a_member_reads_a_completed_review_and_cannot_change_it(team: Team) -> None:
    review = _review(team)  # owned by the manager who created it
    url = _url(team, f"reviews/{review.pk}/")
    assert client_for(team.manager).post(url, ANSWERS).status_code == 302
    member = client_for(team.member)
    page = member.get(url)
    assert page.status_code == 200
    assert b"Save answers" not in page.content and b'name="verdict"' not in page.content
    assert b"Gift buyers read on Sunday." in page.content  # the answers, read-only
    events = Event.objects.filter(object_type="results.review", object_id=str(review.pk))
    logged = events.count()
    refused = member.post(url, ANSWERS | {"verdict": "no", "learned": "Overwritten."})
    assert refused.status_code == 403
    review.refresh_from_db()
    assert review.verdict == "yes" and review.learned == "Gift buyers read on Sunday."
    assert review.edited_by is None and events.count() == logged


def test_a_member_cannot_complete_a_due_review_of_someone_elses_campaign(team: Team) -> None:
    review = _review(team)
    url = _url(team, f"reviews/{review.pk}/")
    page = client_for(team.member).get(url)
    assert b"Complete the review" not in page.content and b"Not answered yet" in page.content
    assert client_for(team.member).post(url, ANSWERS).status_code == 403
    review.refresh_from_db()
    assert review.status == ReviewStatus.DUE


def test_editing_a_completed_review_records_who_changed_it(team: Team) -> None:
    review = _review(team, owner=team.member.pk)
    url = _url(team, f"reviews/{review.pk}/")
    assert client_for(team.manager).post(url, ANSWERS).status_code == 302
    # The campaign's owner (a member) changes the verdict: noted apart from who completed it.
    changed = client_for(team.member).post(url, ANSWERS | {"verdict": "partly"})
    assert changed.status_code == 302
    review.refresh_from_db()
    assert review.verdict == "partly" and review.completed_by == team.manager
    assert review.edited_by == team.member and review.edited_at is not None
    event = Event.objects.filter(object_type="results.review", object_id=str(review.pk)).latest(
        "id"
    )
    assert event.actor_id == team.member.pk
    assert event.changes["verdict"] == ["yes", "partly"] and "learned" not in event.changes
    page = client_for(team.owner).get(url)
    assert b"answers last changed by " + team.member.name.encode() in page.content
    listed = client_for(team.owner).get(_url(team, "reviews/"))
    assert b"changed by " + team.member.name.encode() in listed.content
    # Saving the same answers again changes nothing and logs nothing.
    logged = Event.objects.count()
    assert client_for(team.owner).post(url, ANSWERS | {"verdict": "partly"}).status_code == 302
    review.refresh_from_db()
    assert review.edited_by == team.member and Event.objects.count() == logged
