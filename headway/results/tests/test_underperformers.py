"""Underperformers explained by their execution, the results report's tables, charts and CSV,
the UTM audit, the campaign page's note and the API; roles and query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.accounts.models import User
from headway.accounts.services import token_create
from headway.conftest import Team, client_for
from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_create, metric_add
from headway.results import selectors, views
from headway.results.models import ResultRow
from headway.results.report import (
    Line,
    Sums,
    Target,
    TargetCheck,
    build,
    channel_medians,
    target_reason,
    underperforming,
)
from headway.results.rollup_models import MonthRollup, RollupState, fingerprint
from headway.results.services import import_store, match_rule_create
from headway.results.tests.test_execution import run_late_campaign

D = Decimal
FILES = Path(__file__).resolve().parents[1] / "demo_files"
MARCH = dt.date(2026, 3, 1)
CONTACTS = "hubspot-crm-exports-all-contacts-2026-04-01.csv"
GOOGLE = "Campaign report.csv"
GA4 = "Traffic_acquisition_Session_source_medium.csv"


def _store(team: Team, *names: str) -> None:
    for name in names:
        import_store(
            actor=team.owner,
            workspace=team.workspace,
            data=(FILES / name).read_bytes(),
            file_name=name,
        )


def _spring(team: Team) -> Campaign:
    """Late (8 working days), its creative waited 6 working days on the owner; its brief asks
    for 20 qualified leads and the CRM counts 7 in March."""
    return run_late_campaign(
        team,
        "Spring Launch",
        utm_campaign="spring-launch-2026",
        platform_names=["Spring Launch 2026 - Search", "Spring Launch 2026 - PMax"],
        metrics=[{"name": "Qualified leads", "target": 20}],
    )


@pytest.fixture
def march(team: Team) -> Team:
    _spring(team)
    campaign_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Mother's Day",
        platform_names=["Mothers Day Promo - Search"],
    )
    _store(team, GOOGLE, GA4, CONTACTS)
    return team


EXPECTED = (
    "Missed its qualified leads target by 65%; launched 8 working days late; its creative "
    "waited 6 working days for {owner}'s approval; 1 revision round; tasks blocked for 2 "
    "working days; 1 of 2 tasks finished in the final 2 working days before launch."
)


# The arithmetic ---------------------------------------------------------------------------


def _line(cid: int, channel: str, spend: int, revenue: int) -> Line:
    line = Line(str(cid), f"C{cid}", cid, channel=channel)
    line.figures["spend"], line.figures["revenue"] = D(spend), D(revenue)
    return line


def test_channel_median_needs_three_campaigns_and_flags_those_below() -> None:
    lines = [
        _line(1, "paid_search", 100, 300),  # 3.00
        _line(2, "paid_search", 100, 100),  # 1.00
        _line(3, "paid_search", 100, 200),  # 2.00
        _line(4, "paid_social", 100, 0),
        _line(5, "paid_social", 100, 500),
        _line(6, "email", 0, 900),  # no spend: no return to compare
    ]
    assert channel_medians(lines) == {"paid_search": D("2.00")}
    flagged = underperforming(lines)
    assert [u.campaign_id for u in flagged] == [2]
    assert flagged[0].results == ("returned 1.00 per spent against the paid search median of 2.00",)


def test_targets_missed_name_the_gap_and_order_the_worst_first() -> None:
    short = TargetCheck("Qualified leads", D(100), True, "", D(62), "qualified_leads")
    over = TargetCheck("Cost per lead", D(40), False, "", D(50), "cpl")
    met = TargetCheck("Revenue", D(10), True, "", D(20), "revenue")
    assert target_reason(short) == "missed its qualified leads target by 38%"
    assert target_reason(over) == "went 25% over its cost per lead limit"
    a, b, c = _line(1, "email", 0, 0), _line(2, "email", 0, 0), _line(3, "email", 0, 0)
    a.targets, b.targets, c.targets = [short], [over, short], [met]
    flagged = underperforming([a, b, c])
    assert [u.campaign_id for u in flagged] == [2, 1]
    assert flagged[0].sentence == (
        "Went 25% over its cost per lead limit; missed its qualified leads target by 38%."
    )


def test_roas_and_roi_against_the_budget() -> None:
    sums = [Sums(1, "paid_search", "google_ads", "USD", {"spend": D(200)})]
    sums.append(Sums(1, "paid_search", "hubspot_deals", "USD", {"revenue": D(500)}))
    (line, *_), _channels, _crm = build(sums, {1: "A"}, {1: [Target("Revenue", D(1), True, "")]})
    line.budget, line.budget_currency = D(400), "USD"
    assert (line.roas, line.roi, line.budget_used) == (D("2.50"), D("0.25"), D("0.50"))
    line.budget_currency = "EUR"  # not converted: no ROI
    assert line.roi is None


# Selectors ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_underperformer_is_explained_by_its_execution(march: Team) -> None:
    found = selectors.underperformers(march.workspace, MARCH)
    assert [u.label for u in found] == ["Spring Launch"]
    assert found[0].sentence == EXPECTED.format(owner=march.owner.name)
    assert found[0].month == MARCH
    assert selectors.underperformers(march.workspace, dt.date(2026, 2, 1)) == []


@pytest.mark.django_db
def test_underperformers_query_count_does_not_grow(team: Team) -> None:
    _spring(team)
    others = [
        run_late_campaign(team, f"Other {n}", utm_campaign=utm)
        for n, utm in enumerate(("march-newsletter", "small-space-webinar"))
    ]
    _store(team, CONTACTS)
    selectors.underperformers(team.workspace, MARCH)  # builds the rollups once
    with CaptureQueriesContext(connection) as one:
        assert len(selectors.underperformers(team.workspace, MARCH)) == 1
    for campaign in others:
        metric_add(actor=team.manager, campaign=campaign, name="Leads", target=500)
    with CaptureQueriesContext(connection) as three:
        assert len(selectors.underperformers(team.workspace, MARCH)) == 3
    assert len(three) == len(one)


@pytest.mark.django_db
def test_utm_audit(march: Team) -> None:
    audit = selectors.utm_audit(march.workspace, MARCH, dt.date(2026, 3, 31))
    assert audit.has_analytics
    assert [(c.campaign, c.spend) for c in audit.spend_without_sessions] == [
        ("Mother's Day", D("580.17"))
    ]
    names = [s.name for s in audit.sessions_without_campaign]
    assert "brand" in names and "small-space-webinar" in names
    assert "spring-launch-2026" not in names
    assert all(not n.startswith("(") and n for n in names)
    nothing = selectors.utm_audit(march.workspace, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert not nothing.has_analytics and nothing.clean


@pytest.mark.django_db
def test_report_by_content_and_month(march: Team) -> None:
    report = selectors.results_report(march.workspace, MARCH)
    assert [m.key for m in report.by_month] == ["2026-03-01"]
    assert report.by_month[0].figures["spend"] == sum(
        (line.figures["spend"] for line in report.by_campaign), D(0)
    )
    top = report.by_content[0]
    assert top.conversions >= report.by_content[-1].conversions
    assert {c.source for c in report.by_content} <= {"google_ads", "ga4"}
    spring = next(line for line in report.by_campaign if line.label == "Spring Launch")
    assert spring.channel == "paid_search"


# Pages, CSV, API ---------------------------------------------------------------------------


def _url(team: Team, query: str = "") -> str:
    return reverse("results:results", kwargs={"ws": team.workspace.slug}) + query


@pytest.mark.django_db
def test_results_page_answers_the_four_questions(march: Team) -> None:
    page = client_for(march.manager).get(_url(march, "?month=2026-03")).content.decode()
    for heading in (
        "The month in four answers",
        "Underperformers and why",
        "By campaign",
        "By channel",
        "By content",
        "By month",
        "UTM audit",
    ):
        assert heading in page
    assert EXPECTED.format(owner=march.owner.name).replace("'", "&#x27;") in page
    assert "<svg" in page and 'role="img"' in page
    assert "580.17 USD spent, no tagged session" in page


@pytest.mark.django_db
def test_csv_downloads(march: Team) -> None:
    client = client_for(march.manager)
    for name, header in (
        ("campaigns", "campaign"),
        ("channels", "channel"),
        ("content", "source"),
        ("months", "month"),
        ("underperformers", "campaign"),
        ("campaign_leads", "campaign"),
    ):
        response = client.get(_url(march, f"?month=2026-03&csv={name}"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][0] == header and len(rows) > 1, name
    why = client.get(_url(march, "?month=2026-03&csv=underperformers")).content.decode()
    assert "launched 8 working days late" in why
    assert client.get(_url(march, "?csv=nothing")).status_code == 404


@pytest.mark.django_db
def test_page_shows_the_first_content_lines_and_the_csv_all(
    march: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "CONTENT_SHOWN", 2)
    client = client_for(march.manager)
    page = client.get(_url(march, "?month=2026-03")).content.decode()
    total = selectors.results_report(march.workspace, MARCH).content_total
    assert f"The 2 with the most conversions are shown; {total - 2} more" in page
    rows = client.get(_url(march, "?month=2026-03&csv=content")).content.decode()
    assert len(list(csv.reader(io.StringIO(rows)))) == total + 1


@pytest.mark.django_db
def test_results_page_query_count_does_not_grow(march: Team) -> None:
    client = client_for(march.manager)
    client.get(_url(march, "?month=2026-03"))  # warm the chart cache
    with CaptureQueriesContext(connection) as before:
        client.get(_url(march, "?month=2026-03"))
    run_late_campaign(
        march,
        "Webinar",
        utm_campaign="small-space-webinar",
        metrics=[{"name": "Leads", "target": 500}],
    )
    _store(march, "campaign_performance_report.csv")
    client.get(_url(march, "?month=2026-03"))
    with CaptureQueriesContext(connection) as after:
        page = client.get(_url(march, "?month=2026-03")).content.decode()
    assert "Webinar" in page
    assert len(after) == len(before)


@pytest.mark.django_db
def test_campaign_page_shows_the_note_to_planners_only(march: Team) -> None:
    selectors.results_fingerprint(march.workspace)  # the rollups, as after the import commits
    spring = Campaign.objects.get(workspace=march.workspace, name="Spring Launch")
    url = reverse(
        "planning:campaign", kwargs={"ws": march.workspace.slug, "campaign_id": spring.pk}
    )
    page = client_for(march.manager).get(url).content.decode()
    assert "Underperformed in March 2026" in page
    assert "launched 8 working days late" in page
    assert "?month=2026-03#under-" in page
    member = client_for(march.member).get(url)
    assert member.status_code == 200 and "Underperformed in" not in member.content.decode()
    other = Campaign.objects.get(workspace=march.workspace, name="Mother's Day")
    plain = client_for(march.manager).get(
        reverse("planning:campaign", kwargs={"ws": march.workspace.slug, "campaign_id": other.pk})
    )
    assert "Underperformed in" not in plain.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "freelancer", "client"])
def test_only_planners_see_the_report(march: Team, role: str) -> None:
    user = getattr(march, role)
    assert client_for(user).get(_url(march)).status_code in (403, 404)
    assert client_for(user).get(_url(march, "?csv=campaigns")).status_code in (403, 404)


def _auth(user: User) -> dict[str, str]:
    _, raw = token_create(actor=user, name="api")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_api_report_underperformers_and_audit(client: Client, march: Team) -> None:
    base = f"/api/v1/workspaces/{march.workspace.slug}/results"
    auth = _auth(march.manager)
    body = client.get(base, {"month": "2026-03"}, **auth).json()  # type: ignore[arg-type]
    assert body["month"] == "2026-03" and body["leads_from_crm"] is True
    (u,) = body["underperformers"]
    assert u["sentence"] == EXPECTED.format(owner=march.owner.name)
    assert u["facts"]["late_working_days"] == 8
    assert u["facts"]["approvals"][0]["person"] == march.owner.name
    assert u["facts"]["approvals"][0]["working_days"] == pytest.approx(6.0, abs=0.01)
    spring = next(c for c in body["campaigns"] if c["label"] == "Spring Launch")
    assert spring["qualified_leads"] == 7 and spring["channel"] == "paid_search"
    assert body["utm_audit"]["spend_without_sessions"][0]["campaign"] == "Mother's Day"
    assert body["content"] and body["months"][0]["key"] == "2026-03-01"
    listed = client.get(f"{base}/underperformers?month=2026-03", **auth).json()  # type: ignore[arg-type]
    assert [x["campaign"] for x in listed] == ["Spring Launch"]
    audit = client.get(f"{base}/utm-audit?month=2026-03", **auth).json()  # type: ignore[arg-type]
    assert audit["has_analytics"] is True
    assert any(s["utm_campaign"] == "brand" for s in audit["sessions_without_campaign"])
    few = client.get(base, {"month": "2026-03", "content": 2}, **auth).json()  # type: ignore[arg-type]
    assert len(few["content"]) == 2 and few["content_total"] == len(body["content"]) > 2
    assert few["content"] == body["content"][:2]
    none = client.get(base, {"content": 0}, **auth)  # type: ignore[arg-type]
    assert none.status_code == 400 and none.json()["field"] == "content"
    bad = client.get(f"{base}?month=March", **auth)  # type: ignore[arg-type]
    assert bad.status_code == 400 and bad.json()["field"] == "month"
    refused = client.get(base, **_auth(march.member))  # type: ignore[arg-type]
    assert refused.status_code == 403


# Rollups ------------------------------------------------------------------------------------


def _rollup_spend(team: Team) -> dict[str, Decimal]:
    rows = MonthRollup.objects.filter(workspace=team.workspace, month=MARCH)
    out: dict[str, Decimal] = {}
    for name, spend in rows.values_list("campaign_name", "spend"):
        out[name] = out.get(name, D(0)) + spend
    return out


@pytest.mark.django_db
def test_rollups_follow_imports_and_rules(
    team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    spring = campaign_create(
        actor=team.manager, workspace=team.workspace, name="Spring", utm_campaign="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _store(team, GOOGLE)
    state = RollupState.objects.get(workspace=team.workspace)
    assert state.fingerprint == fingerprint(team.workspace.pk)
    by_rows = ResultRow.objects.filter(workspace=team.workspace).aggregate(s=Sum("spend"))["s"]
    assert sum(_rollup_spend(team).values()) == by_rows
    assert not MonthRollup.objects.filter(workspace=team.workspace, campaign_id=spring.pk)
    with django_capture_on_commit_callbacks(execute=True):
        match_rule_create(
            actor=team.manager,
            workspace=team.workspace,
            campaign_id=spring.pk,
            kind="starts_with",
            pattern="Spring Launch 2026",
        )
    assert RollupState.objects.get(workspace=team.workspace).fingerprint == fingerprint(
        team.workspace.pk
    )
    moved = MonthRollup.objects.filter(workspace=team.workspace, campaign_id=spring.pk)
    assert (
        moved.aggregate(s=Sum("spend"))["s"]
        == ResultRow.objects.filter(campaign=spring).aggregate(s=Sum("spend"))["s"]
    )
    report = selectors.results_report(team.workspace, MARCH)
    assert next(x for x in report.by_campaign if x.label == "Spring").figures["spend"] > 0


@pytest.mark.django_db
def test_stale_rollups_are_rebuilt_before_reading(team: Team) -> None:
    campaign = campaign_create(
        actor=team.manager,
        workspace=team.workspace,
        name="Mothers",
        platform_names=["Mothers Day Promo - Search"],
    )
    _store(team, GOOGLE)  # on_commit never runs here: the rollups are stale
    assert not RollupState.objects.filter(workspace=team.workspace).exists()
    lines = selectors.results_report(team.workspace, MARCH).by_campaign
    assert next(x for x in lines if x.label == "Mothers").figures["spend"] == D("580.17")
    campaign_delete = Campaign.objects.filter(pk=campaign.pk)
    campaign_delete.delete()  # rows fall back to no campaign; the state is dropped
    assert not RollupState.objects.filter(workspace=team.workspace).exists()
    lines = selectors.results_report(team.workspace, MARCH).by_campaign
    assert "Mothers" not in [x.label for x in lines]


@pytest.mark.django_db
def test_a_failed_rollup_after_commit_leaves_the_import_stored(
    team: Team, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError

    from headway.results import rollup_models

    def broken(*args: object, **kwargs: object) -> int:
        raise DatabaseError("database is locked")

    monkeypatch.setattr(rollup_models, "rollup_rebuild", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _store(team, GOOGLE)
    assert ResultRow.objects.filter(workspace=team.workspace).exists()
    monkeypatch.undo()
    spend = sum((s.values["spend"] for s in selectors.month_sums(team.workspace, MARCH)), D(0))
    assert (
        spend == ResultRow.objects.filter(workspace=team.workspace).aggregate(s=Sum("spend"))["s"]
    )


def test_campaign_page_never_rebuilds_rollups(march: Team) -> None:
    """Stale rollups (the imports' on-commit rebuild has not run): the campaign page shows no
    note rather than summing the rows inside its request."""
    spring = Campaign.objects.get(workspace=march.workspace, name="Spring Launch")
    url = reverse(
        "planning:campaign", kwargs={"ws": march.workspace.slug, "campaign_id": spring.pk}
    )
    assert not RollupState.objects.filter(workspace=march.workspace).exists()
    page = client_for(march.manager).get(url).content.decode()
    assert "Underperformed in" not in page
    assert not RollupState.objects.filter(workspace=march.workspace).exists()
    assert not MonthRollup.objects.filter(workspace=march.workspace).exists()
    selectors.results_fingerprint(march.workspace)
    assert "Underperformed in March 2026" in client_for(march.manager).get(url).content.decode()


def test_campaign_underperformance_reads_one_campaign(march: Team) -> None:
    spring = Campaign.objects.get(workspace=march.workspace, name="Spring Launch")
    other = Campaign.objects.get(workspace=march.workspace, name="Mother's Day")
    selectors.results_fingerprint(march.workspace)
    (expected,) = selectors.underperformers(march.workspace, MARCH)
    found = selectors.campaign_underperformance(march.workspace, spring)
    assert found is not None and found.sentence == expected.sentence
    assert found.month == MARCH and found.campaign_id == spring.pk
    assert selectors.campaign_underperformance(march.workspace, other) is None
    with CaptureQueriesContext(connection) as queries:
        selectors.campaign_underperformance(march.workspace, spring)
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any("results_resultrow" in q for q in sql)  # the rollups, never the rows
    # the brief of this campaign only: no campaign or target list of the whole month
    targets = [q for q in sql if 'FROM "planning_successmetric"' in q]
    assert len(targets) == 1 and str(other.pk) not in targets[0].split("IN (")[1]
    listed = [
        q.split('"planning_campaign"."id" IN (')[1].split(")")[0]
        for q in sql
        if '"planning_campaign"."id" IN (' in q
    ]
    assert listed and set(listed) == {str(spring.pk)}


def test_campaign_underperformance_counts_leads_as_the_month_does(team: Team) -> None:
    """A campaign without CRM rows in a month that has them: its leads are the CRM's (none),
    as in the report, not the 5 its ad platform reported."""
    from headway.planning.services.campaigns import metric_add as add_metric
    from headway.results.mapping import mapping_save

    _spring(team)
    tiktok = campaign_create(
        actor=team.manager, workspace=team.workspace, name="TikTok", platform_names=["TT"]
    )
    add_metric(actor=team.manager, campaign=tiktok, name="Leads", target=3)
    mapping_save(
        actor=team.owner,
        workspace=team.workspace,
        name="TikTok Ads",
        columns=[["Campaign", "campaign"], ["Date", "day"], ["Leads", "leads"]],
        channel="paid_social",
    )
    import_store(
        actor=team.owner,
        workspace=team.workspace,
        data=b"Campaign,Date,Leads\nTT,2026-03-02,5\n",
    )
    _store(team, CONTACTS)
    selectors.results_fingerprint(team.workspace)
    report = {u.campaign_id: u.sentence for u in selectors.underperformers(team.workspace, MARCH)}
    assert report[tiktok.pk].startswith("Missed its leads target by 100%")
    found = selectors.campaign_underperformance(team.workspace, tiktok)
    assert found is not None and found.sentence == report[tiktok.pk]
