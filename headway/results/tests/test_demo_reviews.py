"""The demo's reviews: two completed with learnings that the Paid social burst template shows,
the spring launch's review due, and loading again adds nothing."""

from __future__ import annotations

import pytest

from headway.activity.models import Event, Verb
from headway.core.demo import HARBOR_AND_PINE, demo_load
from headway.planning.models import CampaignTemplate
from headway.results.learnings import learnings_for_template
from headway.results.reviews import selectors
from headway.results.reviews.models import Learning, Review, ReviewStatus
from headway.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def test_demo_has_two_completed_reviews_with_template_learnings_and_one_due() -> None:
    demo_load()
    harbor = Workspace.objects.get(name=HARBOR_AND_PINE)
    completed = Review.objects.filter(
        workspace=harbor, status=ReviewStatus.COMPLETED, campaign__name__contains="burst"
    )
    assert sorted(r.campaign.name for r in completed) == [
        "Rain shell paid social burst",
        "Winter layering paid social burst",
    ]
    template = CampaignTemplate.objects.get(workspace=harbor, name="Paid social burst")
    shown = learnings_for_template(harbor, template.pk)
    assert len(shown) == 3 and {learning.review for learning in shown} == set(completed)
    spring = Review.objects.get(workspace=harbor, campaign__name="Spring collection launch")
    assert spring.status == ReviewStatus.DUE and spring.due_date >= harbor.today()
    # the history's older reviews were completed at the time, through the service: a
    # newcomer finds a handful open (the spring launch's and the latest history ones)
    open_ = Review.objects.filter(workspace=harbor, status=ReviewStatus.DUE)
    assert 2 <= open_.count() <= 4 and spring in open_
    assert max(r.due_date for r in open_) == spring.due_date
    past = Review.objects.filter(workspace=harbor, status=ReviewStatus.COMPLETED).exclude(
        pk__in=completed.filter(campaign__name__contains="burst")
    )
    assert past.exists()
    assert all(r.due_date <= min(o.due_date for o in open_) for r in past)
    assert all(r.completed_by is not None and r.completed_at is not None for r in past)
    completions = Event.objects.filter(
        object_type=Review._meta.label_lower,
        object_id__in=[str(r.pk) for r in past],
        verb=Verb.UPDATED,
    )
    assert completions.count() == past.count()
    winter = completed.get(campaign__name__startswith="Winter")
    line = selectors.review_results(winter)
    assert line is not None and [t.met for t in line.targets] == [False, False]
    facts = selectors.review_execution(winter)
    assert facts is not None and facts.late_days == 2
    # loading again adds nothing
    before_again = past.count()
    demo_load()
    assert Learning.objects.filter(workspace=harbor).count() == 3
    assert completed.count() == 2 and past.count() == before_again


def test_demo_results_go_to_campaigns_that_ran_in_their_month() -> None:
    """March's exports are not attached to the spring collection, which launches today: the
    campaigns credited with March results launched by then, so results, reviews and the crunch
    page agree on each launch."""
    import datetime as dt

    from headway.planning.models import Campaign
    from headway.results.models import ResultRow
    from headway.results.selectors import results_report, underperformers

    demo_load()
    harbor = Workspace.objects.get(name=HARBOR_AND_PINE)
    march = dt.date(2026, 3, 1)
    spring = Campaign.objects.get(workspace=harbor, name="Spring collection launch")
    assert not ResultRow.objects.filter(campaign=spring).exists()
    assert spring.launch_date is not None and spring.launch_date > dt.date(2026, 3, 31)
    early = Campaign.objects.get(workspace=harbor, name="Early spring launch")
    assert early.utm_campaign == "spring-launch-2026"
    assert Review.objects.get(campaign=early).launched_on == dt.date(2026, 3, 2)
    flagged = underperformers(harbor, march)
    assert [u.label for u in flagged] == ["Mother's Day promo"]
    report = results_report(harbor, march)
    credited = {line.campaign_id for line in report.by_campaign if line.campaign_id}
    assert early.pk in credited
    for campaign in Campaign.objects.filter(pk__in=credited).exclude(name="Monthly newsletter"):
        launched = Review.objects.get(campaign=campaign).launched_on
        assert launched <= dt.date(2026, 3, 31), campaign.name


def test_demo_bursts_have_their_own_plausible_figures_and_their_leads_show_as_content() -> None:
    """The two bursts bought different audiences: their impressions and clicks differ (they
    were the same numbers), a click-through and a lead rate a paid social burst can have; the
    leads Meta reports are the content's conversions, so the content table and chart agree
    with the campaign table instead of saying no content converted."""
    from django.db.models import Min, Sum

    from headway.planning.models import Campaign
    from headway.results.models import ResultRow
    from headway.results.selectors import results_report

    demo_load()
    harbor = Workspace.objects.get(name=HARBOR_AND_PINE)
    figures = {}
    for name in ("Winter layering paid social burst", "Rain shell paid social burst"):
        campaign = Campaign.objects.get(workspace=harbor, name=name)
        rows = ResultRow.objects.filter(campaign=campaign)
        figures[name] = rows.aggregate(
            impressions=Sum("impressions"),
            clicks=Sum("clicks"),
            leads=Sum("leads"),
            first=Min("day"),
        )
    winter, rain = figures.values()
    assert winter["impressions"] != rain["impressions"] and winter["clicks"] != rain["clicks"]
    for burst in (winter, rain):
        assert 0.005 < burst["clicks"] / burst["impressions"] < 0.05
        assert 0.01 < burst["leads"] / burst["clicks"] < 0.15
    assert (winter["leads"], rain["leads"]) == (25, 45)  # as their reviews say
    report = results_report(harbor, rain["first"].replace(day=1))
    content = {c.name: c for c in report.by_content}
    assert content["Rain Shell Burst - Retargeting"].conversions > 0
