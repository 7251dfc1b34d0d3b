"""Stored answers of the results pages: an import queues the job that computes them, pages
read them while their inputs are unchanged and compute them again otherwise."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from headway.conftest import Team, client_for
from headway.planning.models import Campaign, SuccessMetric
from headway.results import attribution, selectors
from headway.results.answers import inputs_digest, stored_answer
from headway.results.rollup_models import AnswerKind, StoredAnswer
from headway.results.services import import_store
from headway.results.tests.test_underperformers import (  # noqa: F401
    EXPECTED,
    FILES,
    GOOGLE,
    _url,
    march,
)
from headway.results.warm_jobs import results_answers_job

pytestmark = pytest.mark.django_db


def _expected(team: Team) -> str:
    return EXPECTED.format(owner=team.owner.name).replace("'", "&#x27;")


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("computed inside the request")


def test_an_import_queues_one_answers_job_once_committed(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    # given a workspace with nothing queued
    assert not DBTaskResult.objects.filter(task_path=results_answers_job.module_path).exists()
    # when a file is stored (its import is saved twice, each rebuilding the rollups)
    with django_capture_on_commit_callbacks(execute=True):
        import_store(actor=team.owner, workspace=team.workspace, data=(FILES / GOOGLE).read_bytes())
    # then one job waits for the workspace
    queued = DBTaskResult.objects.filter(task_path=results_answers_job.module_path)
    assert [r.args_kwargs["kwargs"] for r in queued] == [{"workspace_id": team.workspace.pk}]
    # and a second import while it waits queues no other
    with django_capture_on_commit_callbacks(execute=True):
        import_store(
            actor=team.owner,
            workspace=team.workspace,
            data=(FILES / GOOGLE).read_bytes().replace(b"2026", b"2025"),
        )
    assert queued.count() == 1


def test_the_job_stores_what_the_pages_open_on_and_they_read_it(
    march: Team,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given the job ran after March's imports
    done = results_answers_job.call(workspace_id=march.workspace.pk)
    assert done == (
        "stored: month links, results of 2026-03, attribution of 2026-03, attribution of 2026-02"
    )
    models = "first_touch,last_touch,linear,time_decay,position_based"
    stored = sorted(StoredAnswer.objects.values_list("kind", "params"))
    assert stored == [
        (AnswerKind.ATTRIBUTION, f"2026-02-01:2026-02-28:7.0:{models}"),
        (AnswerKind.ATTRIBUTION, f"2026-03-01:2026-03-31:7.0:{models}"),
        (AnswerKind.HEADLINES, "12"),
        (AnswerKind.REPORT, "2026-03:100"),
        (AnswerKind.REPORT, "2026-03:50"),
    ]
    # when nothing may be computed inside a request
    monkeypatch.setattr(selectors, "build", _boom)
    monkeypatch.setattr(attribution, "_report", _boom)
    client = client_for(march.manager)
    page = client.get(_url(march)).content.decode()
    # then the pages show the stored answers, and the execution facts of today
    assert "Results · March 2026" in page
    assert _expected(march) in page
    url = reverse("results:attribution", kwargs={"ws": march.workspace.slug})
    assert "Attribution · 1 Mar \u2013 31 Mar 2026" in client.get(url).content.decode()
    # and the API's answer without parameters
    from headway.accounts.services import token_create

    _, raw = token_create(actor=march.manager, name="api")
    answer = client.get(
        f"/api/v1/workspaces/{march.workspace.slug}/results", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert answer.status_code == 200 and answer.json()["month"] == "2026-03"


def test_a_page_computes_again_when_an_input_changed(march: Team) -> None:  # noqa: F811
    results_answers_job.call(workspace_id=march.workspace.pk)
    before = StoredAnswer.objects.get(kind=AnswerKind.REPORT, params="2026-03:50")
    client = client_for(march.manager)
    assert "Missed its qualified leads target by 65%" in client.get(_url(march)).content.decode()
    # the target is met now, and a campaign was renamed: neither is an import
    SuccessMetric.objects.filter(campaign__workspace=march.workspace).update(target=1)
    Campaign.objects.filter(workspace=march.workspace, name="Mother's Day").update(
        name="Mothers' Day"
    )
    page = client.get(_url(march)).content.decode()
    assert "Missed its qualified leads target" not in page
    assert "Mothers&#x27; Day" in page and "Mother&#x27;s Day" not in page
    after = StoredAnswer.objects.get(kind=AnswerKind.REPORT, params="2026-03:50")
    assert after.inputs != before.inputs and after.computed_at >= before.computed_at
    headlines = pickle.loads(bytes(StoredAnswer.objects.get(kind=AnswerKind.HEADLINES).value))
    assert [h.underperformers for h in headlines] == [0]


def test_an_unreadable_stored_answer_is_computed_again(march: Team) -> None:  # noqa: F811
    results_answers_job.call(workspace_id=march.workspace.pk)
    StoredAnswer.objects.update(value=b"written by other code")
    page = client_for(march.manager).get(_url(march)).content.decode()
    assert _expected(march) in page
    report = pickle.loads(
        bytes(StoredAnswer.objects.get(kind=AnswerKind.REPORT, params="2026-03:50").value)
    )
    assert report.start == dt.date(2026, 3, 1) and report.by_campaign


def test_stored_answer_reads_only_an_answer_of_the_same_inputs(team: Team) -> None:
    ws = team.workspace.pk
    calls: list[str] = []

    def compute(value: str) -> Any:
        def run() -> str:
            calls.append(value)
            return value

        return run

    one, two = inputs_digest("a"), inputs_digest("b")
    assert stored_answer(ws, AnswerKind.REPORT, "2026-03:50", one, compute("first")) == "first"
    assert stored_answer(ws, AnswerKind.REPORT, "2026-03:50", one, compute("again")) == "first"
    assert stored_answer(ws, AnswerKind.REPORT, "2026-03:50", two, compute("second")) == "second"
    assert stored_answer(ws, AnswerKind.REPORT, "2026-04:50", two, compute("april")) == "april"
    assert calls == ["first", "second", "april"]
    assert StoredAnswer.objects.filter(workspace_id=ws).count() == 2


def test_rescheduling_a_plan_keeps_the_attribution_stored(team: Team) -> None:
    from headway.planning.services.campaigns import campaign_create

    campaign = campaign_create(
        actor=team.owner, workspace=team.workspace, name="Webinar", utm_campaign="webinar"
    )
    before = attribution.crm_fingerprint(team.workspace)
    # the scheduler moves every campaign's updated_at, not what attribution reads
    Campaign.objects.filter(pk=campaign.pk).update(
        updated_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert attribution.crm_fingerprint(team.workspace) == before
    Campaign.objects.filter(pk=campaign.pk).update(utm_campaign="webinar-2026")
    assert attribution.crm_fingerprint(team.workspace) != before


def test_the_job_of_a_workspace_without_results_stores_its_empty_links(team: Team) -> None:
    assert results_answers_job.call(workspace_id=team.workspace.pk) == "stored: month links"
    assert results_answers_job.call(workspace_id=10**9) == "workspace deleted"


def test_the_job_removes_answers_unused_for_a_month(team: Team) -> None:
    from headway.results.answers import answer_store

    ws = team.workspace.pk
    answer_store(ws, AnswerKind.ATTRIBUTION, "2025-01-01:2025-01-31:3.0:linear", "x", 1)
    answer_store(ws, AnswerKind.ATTRIBUTION, "2026-01-01:2026-01-31:7.0:linear", "x", 2)
    StoredAnswer.objects.filter(params__startswith="2025").update(
        computed_at=timezone.now() - dt.timedelta(days=31)
    )
    results_answers_job.call(workspace_id=ws)
    assert sorted(StoredAnswer.objects.filter(workspace_id=ws).values_list("kind", "params")) == [
        (AnswerKind.ATTRIBUTION, "2026-01-01:2026-01-31:7.0:linear"),
        (AnswerKind.HEADLINES, "12"),
    ]
