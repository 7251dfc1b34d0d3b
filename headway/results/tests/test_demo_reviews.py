"""The demo's reviews: two completed with learnings that the Paid social burst template shows,
the spring launch's review due, and loading again adds nothing."""

from __future__ import annotations

import pytest

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
    completed = Review.objects.filter(workspace=harbor, status=ReviewStatus.COMPLETED)
    assert sorted(r.campaign.name for r in completed) == [
        "Rain shell paid social burst",
        "Winter layering paid social burst",
    ]
    template = CampaignTemplate.objects.get(workspace=harbor, name="Paid social burst")
    shown = learnings_for_template(harbor, template.pk)
    assert len(shown) == 3 and {learning.review for learning in shown} == set(completed)
    spring = Review.objects.get(workspace=harbor, campaign__name="Spring collection launch")
    assert spring.status == ReviewStatus.DUE and spring.due_date >= harbor.today()
    winter = completed.get(campaign__name__startswith="Winter")
    line = selectors.review_results(winter)
    assert line is not None and [t.met for t in line.targets] == [False, False]
    facts = selectors.review_execution(winter)
    assert facts is not None and facts.late_days == 2
    # loading again adds nothing
    demo_load()
    assert Learning.objects.filter(workspace=harbor).count() == 3
    assert Review.objects.filter(workspace=harbor, status=ReviewStatus.COMPLETED).count() == 2
