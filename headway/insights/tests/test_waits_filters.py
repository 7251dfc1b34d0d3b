"""Where work waits filtered by person and channel, as the flow is: the approvers' waits and
the revision rounds count only the approvals of the work the filters select."""

from __future__ import annotations

import datetime as dt

import pytest

from headway.conftest import Team
from headway.insights.selectors.bottlenecks import bottlenecks_for
from headway.insights.selectors.flow import Period, period_for
from headway.insights.tests.test_flow import NOW, history
from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_update, channel_create

pytestmark = pytest.mark.django_db


def _period(team: Team, **filters: int | None) -> Period:
    return period_for(team.workspace, dt.date(2026, 2, 1), dt.date(2026, 3, 20), **filters)


def test_person_filter_keeps_the_approvals_of_that_persons_work(team: Team) -> None:
    # given: each launch's "Write" (the member's) went to the founder; "Build" (the
    # freelancer's) went through no approval
    history(team, n=2)
    # when
    members = bottlenecks_for(team.workspace, _period(team, person=team.member.pk), now=NOW)
    freelancers = bottlenecks_for(team.workspace, _period(team, person=team.freelancer.pk), now=NOW)
    # then
    assert [(a.person_id, a.steps, a.past_limit) for a in members.approvers] == [
        (team.owner.pk, 2, 2)
    ]
    assert sum(r.requests for r in members.rounds) == 2
    assert freelancers.approvers == [] and freelancers.rounds == []
    # the stages and contributors were already the filtered tasks': the freelancer's two
    # builds, blocked on the manager; nothing of the member's
    by_person = {c.person_id: c for c in freelancers.contributors}
    assert by_person[team.freelancer.pk].finished == 2
    assert by_person[team.manager.pk].blocking == pytest.approx(2.0)
    assert team.member.pk not in by_person


def test_channel_filter_keeps_the_approvals_of_campaigns_on_that_channel(team: Team) -> None:
    # given: only the first launch runs on social
    tasks = history(team, n=2)
    social = channel_create(actor=team.manager, workspace=team.workspace, name="Social")
    first = Campaign.objects.get(pk=tasks[0].campaign_id)
    campaign_update(actor=team.manager, campaign=first, version=first.version, channels=[social])
    # when
    on_social = bottlenecks_for(team.workspace, _period(team, channel=social.pk), now=NOW)
    # then: one request, one step, waited three working days
    assert [(a.steps, a.waited) for a in on_social.approvers] == [(1, pytest.approx(3.0))]
    assert sum(r.requests for r in on_social.rounds) == 1
