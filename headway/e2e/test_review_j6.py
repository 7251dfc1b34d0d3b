"""Journey J6 (learn): a launched paid social burst's review shows the brief's targets against
the imported actuals; the manager answers the three questions, records a learning, and the
learning appears when the next campaign is created from the same template."""

from __future__ import annotations

import datetime as dt

import pytest

from headway.conftest import make_team
from headway.e2e.conftest import log_in
from headway.planning.models import CampaignTemplate, Channel
from headway.planning.services.campaigns import campaign_set_status
from headway.planning.services.links import condition_set_met
from headway.planning.services.templates import campaign_from_template
from headway.results.reviews.models import Learning, Review
from headway.results.services import import_store

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

META = (
    "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Ad set budget,"
    "Ad set budget type,Attribution setting,Results,Result indicator,Reach,Impressions,"
    "Link clicks,Cost per results,Amount spent (USD),Ends\n"
    "{day},{day},Autumn Burst - Prospecting,active,60,Daily,7-day click or 1-day view,"
    "25,actions:offsite_conversion.fb_pixel_lead,2000,3000,60,20.0,500.00,Ongoing\n"
)


def test_j6_complete_a_review_and_meet_its_learning_on_the_next_campaign(page) -> None:  # type: ignore[no-untyped-def]
    # given a burst made from the template, launched, with a day of Meta results imported
    team = make_team("j6", "Juniper Outdoor")
    template = CampaignTemplate.objects.get(workspace=team.workspace, name="Paid social burst")
    burst = campaign_from_template(
        actor=team.manager,
        workspace=team.workspace,
        template=template,
        name="Autumn burst",
        launch_date=team.workspace.today() + dt.timedelta(days=14),
        channels=[Channel.objects.get(workspace=team.workspace, key="paid_social")],
        platform_names=["Autumn Burst - Prospecting"],
        metrics=[
            {"name": "Leads", "target": 40, "unit": "leads"},
            {"name": "Cost per lead", "target": 15, "comparison": "at_most"},
        ],
    )
    for condition in burst.conditions.all():
        condition_set_met(actor=team.manager, condition=condition, met=True)
    burst.refresh_from_db()
    campaign_set_status(actor=team.manager, campaign=burst, status="launched")
    day = team.workspace.today().isoformat()
    import_store(
        actor=team.manager,
        workspace=team.workspace,
        data=META.format(day=day).encode(),
        file_name="meta.csv",
    )
    log_in(page, team.manager.email)

    # when the manager opens the review from the reviews list
    page.get_by_role("link", name="Reviews").click()
    page.get_by_role("link", name="Autumn burst").click()
    page.get_by_role("heading", name="Review · Autumn burst").wait_for()

    # then the brief's targets stand against the actuals
    targets = page.get_by_role("table", name="The brief's targets against the imported results")
    leads = targets.get_by_role("row").filter(has_text="Leads").first
    assert "at least 40" in leads.inner_text() and "25" in leads.inner_text()
    assert "short by 38%" in leads.inner_text()
    assert "over by 33%" in targets.get_by_role("row").filter(has_text="Cost per lead").inner_text()
    assert page.get_by_role("heading", name="How it was executed").is_visible()

    # when the three questions are answered
    page.get_by_label("No, it fell short").check()
    page.get_by_label("What it delivered against the targets").fill("25 leads of 40 at 20 USD.")
    page.get_by_label("What did we learn about the audience or channel?").fill(
        "Cold audiences ignore product stills."
    )
    page.get_by_label("What would we do differently?").fill("Brief the creative earlier.")
    page.get_by_role("button", name="Complete the review").click()
    page.get_by_text("Review completed.").wait_for()

    # and a learning is recorded, tagged with the template it was made from
    assert page.get_by_role("combobox", name="Template").input_value() == str(template.pk)
    page.get_by_label("What we learned").fill("Ad creative variants took six days, not four.")
    page.get_by_role("combobox", name="Channel").select_option(label="Paid social")
    page.get_by_role("button", name="Add learning").click()
    page.get_by_text("Learning added to the library.").wait_for()
    review = Review.objects.get(campaign=burst)
    assert review.status == "completed" and review.verdict == "no"
    assert Learning.objects.get().template == template

    # then creating the next campaign from the template shows the learning
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="New campaign").first.click()
    page.get_by_label("Template", exact=True).select_option(label="Paid social burst")
    hint = page.locator(".learnings-hint").first
    hint.get_by_text("Ad creative variants took six days, not four.").wait_for()
    assert "Learnings from earlier campaigns" in hint.inner_text()
    # and another template shows none of it
    page.get_by_label("Template", exact=True).select_option(label="Event")
    hint.get_by_text("Ad creative variants took six days").wait_for(state="detached")
    assert page.csp_problems == []
