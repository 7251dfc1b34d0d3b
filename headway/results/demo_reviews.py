"""Demo reviews: two paid social bursts made from the "Paid social burst" template and run
weeks ago through the services with the clock moved (planning.demo_past), their Meta Ads
results imported through the importer, their reviews completed with learnings tagged with the
template and the channel. The six months of history and the March campaigns launched through
the same service, so each opened a review: all but the latest few were reviewed at the time
(completed through the service on their due date, or, for a campaign with March's imported
results, the day after March ended, answered from those results), so a newcomer finds a
handful due, not thirty."""

from __future__ import annotations

import datetime as dt

import time_machine

from headway.accounts.models import User
from headway.planning.demo_past import replay_campaign
from headway.planning.models import Campaign, CampaignTemplate, Channel
from headway.planning.services.templates import campaign_from_template
from headway.results.demo import EXPORTS_END
from headway.results.models import ResultRow
from headway.results.reviews import selectors
from headway.results.reviews.models import Review, ReviewStatus
from headway.results.reviews.services import learning_add, review_complete
from headway.results.services import import_store
from headway.workspaces.models import Membership, Workspace

#: name, weeks ago it was to launch, days it launched late, platform name,
#: daily (spend, leads, cost per thousand impressions, click-through rate), the review's
#: answers, learnings (text, kind of work, audience). Prospecting buys cheap, wide reach that
#: few click; retargeting dearer impressions to visitors who click far more often.
BURSTS = [
    (
        "Winter layering paid social burst",
        10,
        2,
        "Winter Layering Burst - Prospecting",
        (62.0, 2, 8.6, 0.011),
        (
            "no",
            "25 leads against a target of 40, at about 26 USD a lead against 15: the burst "
            "launched two days late and spent its first week on product-only creative.",
            "Cold audiences on Instagram ignored product-only creative; lifestyle video of "
            "people on the trail got three times the click-through.",
            "Brief the creative two days earlier and test two video variants before launch.",
        ),
        [
            (
                "Ad creative variants took six days, not four: the founder's approval of the "
                "video cut needs two more days in the plan.",
                "designer",
                "cold prospecting audiences",
            ),
            (
                "Lifestyle video beat product stills three to one on click-through with cold "
                "audiences; plan a video variant in every paid social burst.",
                "video",
                "cold prospecting audiences",
            ),
        ],
    ),
    (
        "Rain shell paid social burst",
        5,
        0,
        "Rain Shell Burst - Retargeting",
        (38.0, 4, 13.9, 0.024),
        (
            "yes",
            "45 leads against a target of 40, at about 9 USD a lead against 15: both targets "
            "met, almost all of it from visitors of the last two weeks.",
            "Site visitors from the last 14 days converted far better than the 30-day pool.",
            "Narrow retargeting to 14 days and move budget from the wider pool after week one.",
        ),
        [
            (
                "Retargeting windows of 14 days beat 30 days on cost per lead; set the audience "
                "split accordingly in the burst's first step.",
                "paid_ads",
                "site visitors (retargeting)",
            ),
        ],
    ),
]
DAYS_OF_RESULTS = 10
# Reviews left open for the visitor: the latest history ones.
OPEN_REVIEWS = 4
# How an older history campaign's review was answered at the time (no results were imported
# for these launches).
PAST_REVIEW = (
    "partly",
    "Reviewed at the weekly check-in: it went out and sold about as the season's other small "
    "launches did; no results were imported for it, so there are no figures to judge by.",
    "Nothing new about the audience: the same customers and channels as the other small "
    "launches this season.",
    "Import the results before the review, so the next one is judged on figures.",
)


def _meta_export(
    platform_name: str, start: dt.date, spend: float, leads: int, cpm: float, ctr: float
) -> bytes:
    """A Meta Ads Manager export of the burst's first days, as the ad account downloads it:
    impressions bought at the burst's cost per thousand, clicked at its click-through rate."""
    lines = [
        "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Ad set budget,"
        "Ad set budget type,Attribution setting,Results,Result indicator,Reach,Impressions,"
        "Link clicks,Cost per results,Amount spent (USD),Ends"
    ]
    budget = round(spend * 1.2)  # the ad set's daily budget, above what it spends
    for n in range(DAYS_OF_RESULTS):
        day = start + dt.timedelta(days=n)
        day_spend = spend + (n % 3) * 4.5
        day_leads = leads + (n % 2)
        impressions = round(day_spend / cpm * 1000)
        clicks = round(impressions * ctr * (1 + ((n * 7) % 5 - 2) / 20))
        reach = round(impressions * 0.68)
        lines.append(
            f"{day},{day},{platform_name},active,{budget},Daily,7-day click or 1-day view,"
            f"{day_leads},actions:offsite_conversion.fb_pixel_lead,{reach},"
            f"{impressions},{clicks},{day_spend / day_leads:.3f},{day_spend:.2f},Ongoing"
        )
    return ("\n".join(lines) + "\n").encode()


def _moment(workspace: Workspace, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), workspace.tzinfo)


def _weekday(day: dt.date, step: int = -1) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    return day


def _burst(
    workspace: Workspace, jordan: User, template: CampaignTemplate, channel: Channel, spec: tuple
) -> Campaign:
    name, weeks, late_days, platform_name, (spend, leads, cpm, ctr), _, _ = spec
    launch = _weekday(workspace.today() - dt.timedelta(weeks=weeks))
    with time_machine.travel(_moment(workspace, launch - dt.timedelta(days=21), 9), tick=False):
        campaign = campaign_from_template(
            actor=jordan,
            workspace=workspace,
            template=template,
            name=name,
            launch_date=launch,
            channels=[channel],
            platform_names=[platform_name],
            assign_suggested=True,
            metrics=[
                {"name": "Leads", "target": 40, "unit": "leads"},
                {"name": "Cost per lead", "target": 15, "unit": "USD", "comparison": "at_most"},
            ],
        )
    launched = _weekday(launch + dt.timedelta(days=late_days), step=1)
    maya = User.objects.get(memberships__workspace=workspace, email="maya@harborpine.example")
    # each task started, sent for Maya's approval where it is copy or creative, and done in
    # its weeks; a late burst's creative waited on her approval until the day it launched
    replay_campaign(
        workspace,
        campaign,
        manager=jordan,
        approver=maya,
        launched=launched,
        until=workspace.today(),
        waits={"Ad creative variants": 2 + late_days} if late_days else None,
    )
    import_store(
        actor=jordan,
        workspace=workspace,
        data=_meta_export(platform_name, launched, spend, leads, cpm, ctr),
        file_name=f"{platform_name}.csv",
    )
    return campaign


def demo_reviews(workspace: Workspace) -> None:
    """Adds the two reviewed bursts once; running it again changes nothing."""
    if Review.objects.filter(workspace=workspace, status=ReviewStatus.COMPLETED).exists():
        return
    template = CampaignTemplate.objects.filter(
        workspace=workspace, name="Paid social burst"
    ).first()
    channel = Channel.objects.filter(workspace=workspace, key="paid_social").first()
    if template is None or channel is None:
        return
    jordan = (
        Membership.objects.select_related("user")
        .get(workspace=workspace, user__email="jordan@harborpine.example")
        .user
    )
    _past_reviews(workspace, jordan)
    for spec in BURSTS:
        campaign = _burst(workspace, jordan, template, channel, spec)
        review = Review.objects.get(campaign=campaign)
        verdict, delivered, learned, differently = spec[5]
        with time_machine.travel(_moment(workspace, review.due_date, 15), tick=False):
            review_complete(
                actor=jordan,
                review=review,
                verdict=verdict,
                delivered=delivered,
                learned=learned,
                differently=differently,
            )
            for text, work_kind, audience in spec[6]:
                learning_add(
                    actor=jordan,
                    workspace=workspace,
                    review=review,
                    text=text,
                    channel_id=channel.pk,
                    template_id=template.pk,
                    audience=audience,
                    work_kind=work_kind,
                )


def _past_reviews(workspace: Workspace, jordan: User) -> None:
    """Completes the open reviews but the OPEN_REVIEWS due last, each on its due date, as the
    team did at the time (the history's launches each opened one)."""
    due = list(
        Review.objects.filter(workspace=workspace, status=ReviewStatus.DUE).order_by(
            "-due_date", "-id"
        )
    )
    for review in due[OPEN_REVIEWS:]:
        answers = _with_results(review)
        day = max(review.due_date, _weekday(EXPORTS_END + dt.timedelta(days=1), step=1))
        if answers is None:
            answers, day = PAST_REVIEW, review.due_date
        verdict, delivered, learned, differently = answers
        with time_machine.travel(_moment(workspace, _weekday(day), 15), tick=False):
            review_complete(
                actor=jordan,
                review=review,
                verdict=verdict,
                delivered=delivered,
                learned=learned,
                differently=differently,
            )


def _with_results(review: Review) -> tuple[str, str, str, str] | None:
    """A review of a campaign with March's imported results, answered from them once the
    month's exports were in (the day after the month ended): the verdict and the figures are
    the review page's own targets against actuals. None: no results were imported for it."""
    if not ResultRow.objects.filter(campaign_id=review.campaign_id).exists():
        return None
    line = selectors.review_results(review)
    targets = [t for t in (line.targets if line else []) if t.actual is not None]
    if not targets:
        return (
            "partly",
            "Judged on March's imported results: its brief set no target they measure, so "
            "there is nothing to hold them against.",
            "The figures on this page are the first to show how this kind of campaign does.",
            "Put a measurable target in the brief, so the next review can say yes or no.",
        )
    met = [t.met for t in targets]
    verdict = "yes" if all(met) else ("no" if not any(met) else "partly")
    figures = "; ".join(
        f"{t.name} {t.actual:,.0f} against a target of {'at least' if t.at_least else 'at most'}"
        f" {t.target:,.0f}{' ' + t.unit if t.unit else ''}"
        for t in targets
    )
    return (
        verdict,
        f"From March's imported results: {figures}.",
        "The channel lines on this page show where the month's results came from; the "
        "brief's targets were the yardstick.",
        "Review the figures weekly through the month, not only at the end.",
    )
