"""CRM touch data stored from the HubSpot samples, and attribution over it for a period."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from headway.conftest import Team
from headway.core.errors import DomainError
from headway.engine.attribution import Model
from headway.planning.models import Campaign
from headway.planning.services.campaigns import campaign_create
from headway.results.attribution import NO_CAMPAIGN, attribution_report
from headway.results.crm_models import CrmContact, CrmDeal, Touch, TouchKind
from headway.results.models import Import, ResultRow
from headway.results.services import import_store
from headway.results.tests.xlsx import xlsx_bytes

pytestmark = pytest.mark.django_db
HUBSPOT = Path("/work/shared/fixtures/hubspot")
CONTACTS = (HUBSPOT / "hubspot-crm-exports-all-contacts-2026-04-01.csv").read_bytes()
DEALS = (HUBSPOT / "hubspot-crm-exports-all-deals-2026-04-01.csv").read_bytes()
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
#: Closed Won deals of the sample, all closed in March: 1605 + 655 + 1205 + 2680.
WON_REVENUE = Decimal("6145.00")


def campaigns(team: Team) -> dict[str, Campaign]:
    keys = {
        "Spring launch": ("spring-launch-2026", ["Spring Launch 2026"]),
        "Webinar": ("small-space-webinar", ["Small Space Webinar"]),
        "Newsletter": ("march-newsletter", ["March Newsletter"]),
    }
    return {
        name: campaign_create(
            actor=team.owner,
            workspace=team.workspace,
            name=name,
            utm_campaign=utm,
            platform_names=names,
        )
        for name, (utm, names) in keys.items()
    }


def store(team: Team, data: bytes) -> Import:
    return import_store(actor=team.owner, workspace=team.workspace, data=data).import_


def test_contacts_file_stores_contacts_sources_and_touches(team: Team) -> None:
    store(team, CONTACTS)
    assert CrmContact.objects.filter(workspace=team.workspace).count() == 60
    lena = CrmContact.objects.get(record_id="51000")
    assert lena.email == "lena.voss0@example.com"
    assert (lena.original_source, lena.original_drill_down_1, lena.original_drill_down_2) == (
        "Paid Search",
        "google",
        "spring-launch-2026",
    )
    assert (lena.latest_source, lena.latest_drill_down_1, lena.latest_drill_down_2) == (
        "Paid Social",
        "LinkedIn",
        "small-space-webinar",
    )
    assert lena.first_converting_campaign == "Spring Launch 2026"
    assert lena.last_converting_campaign == "Small Space Webinar"
    assert lena.stage_dates == {
        "lead": "2026-03-15T16:03:00+00:00",
        "marketing qualified lead": "2026-03-17T15:57:00+00:00",
    }
    first, latest = Touch.objects.filter(contact=lena).order_by("at")
    assert (first.kind, first.at, first.channel, first.campaign_name) == (
        TouchKind.ORIGINAL,
        dt.datetime(2026, 3, 15, 16, 3, tzinfo=dt.UTC),
        "paid_search",
        "spring-launch-2026",
    )
    # no latest-source date in the export: dated by the latest stage entered (MQL)
    assert (latest.kind, latest.at, latest.channel, latest.campaign_name) == (
        TouchKind.LATEST,
        dt.datetime(2026, 3, 17, 15, 57, tzinfo=dt.UTC),
        "paid_social",
        "small-space-webinar",
    )


def test_a_third_of_the_contacts_came_back_through_a_second_campaign(team: Team) -> None:
    # The README: a third of the contacts came back through a second campaign, among them
    # more than half of the contacts with deals. The sample: 20 of 60, 9 of the 15.
    store(team, CONTACTS)
    store(team, DEALS)
    returned = set(
        Touch.objects.filter(kind=TouchKind.LATEST).values_list("contact__email", flat=True)
    )
    assert len(returned) == 20
    with_deals = set(CrmDeal.objects.values_list("contact_email", flat=True))
    assert len(with_deals) == 15
    assert len(returned & with_deals) == 9
    assert Touch.objects.count() == 80


def test_deals_file_stores_deals_with_their_contact(team: Team) -> None:
    store(team, DEALS)
    assert CrmDeal.objects.count() == 15
    won = CrmDeal.objects.filter(won=True)
    assert won.count() == 4
    assert sum(d.amount for d in won) == WON_REVENUE
    deal = CrmDeal.objects.get(record_id="30412070")
    assert (deal.stage, deal.amount, deal.contact_email) == (
        "Appointment Scheduled",
        Decimal("4140.00"),
        "hugo.rossi52@example.com",
    )
    assert deal.close_date == dt.datetime(2026, 4, 1, 17, 0, tzinfo=dt.UTC)


def test_reimport_replaces_contacts_instead_of_adding(team: Team) -> None:
    store(team, CONTACTS)
    # the same export again, with one contact's latest source changed (a new file)
    changed = CONTACTS.replace(
        b'"51001","Chloe","Quinn","chloe.quinn1@example.com","2026-03-12 15:32","Opportunity",'
        b'"Open","Organic Search","google","","Organic Search","google",""',
        b'"51001","Chloe","Quinn","chloe.quinn1@example.com","2026-03-12 15:32","Opportunity",'
        b'"Open","Organic Search","google","","Paid Search","google","spring-launch-2026"',
    )
    assert changed != CONTACTS
    store(team, changed)
    assert CrmContact.objects.count() == 60
    assert Touch.objects.count() == 81
    chloe = CrmContact.objects.get(record_id="51001")
    assert chloe.latest_drill_down_2 == "spring-launch-2026"
    # the very same file a third time changes nothing
    store(team, changed)
    assert CrmContact.objects.count() == 60 and Touch.objects.count() == 81


def test_bad_stage_date_refuses_the_whole_file(team: Team) -> None:
    broken = CONTACTS.replace(b'"2026-03-17 15:57"', b'"soon"', 1)
    with pytest.raises(DomainError, match="Line 2, column 15"):
        store(team, broken)
    assert CrmContact.objects.count() == 0 and Import.objects.count() == 0


def test_older_export_names_and_values(team: Team) -> None:
    older = (
        b'"Contact ID","Email","Create Date","Lifecycle Stage","Original Source",'
        b'"Original Source Drill-Down 1","Original Source Drill-Down 2",'
        b'"Became a Marketing Qualified Lead Date"\n'
        b'"9","a@example.com","03/02/2026 09:15","marketingqualifiedlead","PAID_SEARCH",'
        b'"google","spring-launch-2026","03/04/2026"\n'
    )
    store(team, older)
    contact = CrmContact.objects.get()
    assert contact.record_id == "9" and contact.original_source == "PAID_SEARCH"
    assert contact.stage_dates == {"marketing qualified lead": "2026-03-04T00:00:00+00:00"}
    touch = Touch.objects.get()
    assert (touch.channel, touch.campaign_name) == ("paid_search", "spring-launch-2026")


def test_xlsx_contacts_store_the_same_contacts(team: Team) -> None:
    rows = [r for r in csv.reader(io.StringIO(CONTACTS.decode()))]
    store(team, xlsx_bytes(rows))  # type: ignore[arg-type]
    assert CrmContact.objects.count() == 60 and Touch.objects.count() == 80


def test_deal_with_several_contacts_in_one_cell_takes_the_first_email(team: Team) -> None:
    deals = (
        b'"Record ID","Deal Name","Deal Stage","Amount","Close Date","Create Date",'
        b'"Associated Contact"\n'
        b'"7","Big order","Closed Won","1,250.50","2026-03-22","2026-03-21",'
        b'"Ana Rossi (ana.rossi3@example.com); jon@example.com"\n'
    )
    store(team, CONTACTS)
    store(team, deals)
    deal = CrmDeal.objects.get(record_id="7")
    assert deal.contact_email == "ana.rossi3@example.com" and deal.amount == Decimal("1250.50")
    revenue = report(team).tables["revenue"]
    assert revenue.total == Decimal("1250.50") and revenue.untouched == 0
    # Ana: created 21 March through paid search (spring-launch-2026), latest source the
    # webinar (dated 28 March): the close on 22 March came before it, so only the first counts.
    assert {line.label: line.credits[Model.LINEAR] for line in revenue.by_campaign} == {
        "spring-launch-2026 (not matched to a campaign)": Decimal("1250.50")
    }


def test_attribution_totals_equal_the_results_report(team: Team) -> None:
    campaigns(team)
    store(team, CONTACTS)
    store(team, DEALS)
    rows = ResultRow.objects.filter(
        workspace=team.workspace, day__range=MARCH, source__startswith="hubspot"
    ).aggregate(leads=Sum("leads"), deals=Sum("deals"), revenue=Sum("revenue"))
    tables = report(team).tables
    assert tables["leads"].total == rows["leads"] == 60
    assert tables["deals"].total == rows["deals"] == 15
    assert tables["revenue"].total == rows["revenue"] == WON_REVENUE


def report(team: Team, **kw: object):  # type: ignore[no-untyped-def]
    return attribution_report(team.workspace, *MARCH, **kw)  # type: ignore[arg-type]


def test_every_model_reconciles_to_the_same_march_totals(team: Team) -> None:
    campaigns(team)
    store(team, CONTACTS)
    store(team, DEALS)
    result = report(team)
    revenue = result.tables["revenue"]
    assert revenue.total == WON_REVENUE and revenue.conversions == 4
    assert result.tables["leads"].total == 60
    # deals dated as the report dates them: won at close, others at creation (all in March)
    assert result.tables["deals"].total == 15
    for table in result.tables.values():
        assert table.reconciles
        for model in Model:
            by_campaign = sum(line.credits[model] for line in table.by_campaign)
            by_channel = sum(line.credits[model] for line in table.by_channel)
            assert by_campaign + table.untouched == table.total
            assert by_channel + table.untouched == table.total
    assert result.contacts == 60 and result.returned == 20


def test_first_and_last_touch_differ_for_the_contacts_who_came_back(team: Team) -> None:
    found = campaigns(team)
    store(team, CONTACTS)
    store(team, DEALS)
    revenue = report(team).tables["revenue"]
    by_name = {line.label: line.credits for line in revenue.by_campaign}
    # Won deals: chloe.umar45 newsletter -> spring (1605), lena.park6 direct (655),
    # dev.park41 newsletter -> spring (1205), chloe.tanaka39 spring -> webinar (2680).
    newsletter, spring, webinar = (
        by_name["Newsletter"],
        by_name["Spring launch"],
        by_name["Webinar"],
    )
    assert newsletter[Model.FIRST_TOUCH] == Decimal("2810.00")
    assert spring[Model.FIRST_TOUCH] == Decimal("2680.00")
    assert webinar.get(Model.FIRST_TOUCH, Decimal(0)) == Decimal(0)
    assert spring[Model.LAST_TOUCH] == Decimal("2810.00")
    assert webinar[Model.LAST_TOUCH] == Decimal("2680.00")
    assert by_name[NO_CAMPAIGN][Model.LINEAR] == Decimal("655.00")
    # two touches: linear and position-based split half and half
    assert spring[Model.LINEAR] == spring[Model.POSITION_BASED] == Decimal("2745.00")
    # time decay favours the latest touch, the one closer to the close
    assert spring[Model.TIME_DECAY] > spring[Model.LINEAR]
    ids = {line.label: line.campaign_id for line in revenue.by_campaign}
    assert ids["Spring launch"] == found["Spring launch"].pk


def test_half_life_changes_time_decay_only(team: Team) -> None:
    campaigns(team)
    store(team, CONTACTS)
    store(team, DEALS)
    short = report(team, half_life_days=1).tables["revenue"]
    long = report(team, half_life_days=60).tables["revenue"]
    spring_short = next(x for x in short.by_campaign if x.label == "Spring launch")
    spring_long = next(x for x in long.by_campaign if x.label == "Spring launch")
    assert spring_short.credits[Model.TIME_DECAY] > spring_long.credits[Model.TIME_DECAY]
    assert spring_short.credits[Model.LINEAR] == spring_long.credits[Model.LINEAR]
    with pytest.raises(ValueError, match="half-life"):
        report(team, half_life_days=0)


def test_unmatched_campaign_names_and_deals_without_contacts(team: Team) -> None:
    # no Headway campaigns at all: names are shown as the file writes them
    store(team, DEALS)
    result = report(team)
    revenue = result.tables["revenue"]
    labels = {line.label for line in revenue.by_campaign}
    assert "march-newsletter (not matched to a campaign)" in labels
    # every deal's contact is unknown: each is credited to the deal's own source
    assert revenue.untouched == 0 and revenue.reconciles
    channels = {line.label: line.credits[Model.FIRST_TOUCH] for line in revenue.by_channel}
    assert channels == {
        "Email": Decimal("2810.00"),
        "Paid search": Decimal("2680.00"),
        "Direct": Decimal("655.00"),
    }


def test_another_period_has_no_conversions(team: Team) -> None:
    store(team, CONTACTS)
    result = attribution_report(team.workspace, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert all(t.total == 0 and t.conversions == 0 for t in result.tables.values())


def test_query_count_does_not_grow_with_contacts(
    team: Team, django_assert_max_num_queries: object
) -> None:
    campaigns(team)
    store(team, CONTACTS)
    store(team, DEALS)
    # worked out: the fingerprint (3), the stored answer (1), the matcher (2), touches and
    # deals, then stored (a savepoint around one INSERT ... ON CONFLICT)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        report(team)
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        report(team)  # stored: the fingerprint and the stored answer only


def test_a_cached_report_follows_imports_and_campaign_changes(team: Team) -> None:
    """The report is worked out once per CRM data, matching and parameters: the same answer
    from the cache, a new one after a deals import or a campaign's UTM value changes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from headway.planning.services.campaigns import campaign_update

    made = campaigns(team)
    store(team, CONTACTS)
    first = report(team)
    assert first.tables["revenue"].total == 0  # no deals yet
    with CaptureQueriesContext(connection) as queries:
        again = report(team)
    assert not any("results_touch" in q["sql"] for q in queries.captured_queries)
    assert again.tables["leads"].total == first.tables["leads"].total
    store(team, DEALS)
    assert report(team).tables["revenue"].total == WON_REVENUE
    webinar = made["Webinar"]
    leads = {line.label: line for line in report(team).tables["leads"].by_campaign}
    assert "Webinar" in leads
    campaign_update(
        actor=team.owner,
        campaign=webinar,
        version=webinar.version,
        utm_campaign="another-value",
        platform_names=[],
    )
    leads = {line.label: line for line in report(team).tables["leads"].by_campaign}
    assert "Webinar" not in leads
    assert "small-space-webinar (not matched to a campaign)" in leads
    longer = attribution_report(team.workspace, *MARCH, half_life_days=30)
    assert longer.half_life_days == 30


def test_demo_march_import_gives_attribution_real_figures(team: Team) -> None:
    from headway.results.demo import demo_results

    campaigns(team)
    demo_results(team.workspace)
    result = report(team)
    assert result.tables["revenue"].total == WON_REVENUE
    assert result.contacts == 60 and result.returned == 20
    spring = next(x for x in result.tables["revenue"].by_campaign if x.label == "Spring launch")
    assert spring.credits[Model.LAST_TOUCH] == Decimal("2810.00")


def test_a_rule_added_later_moves_the_credit_to_its_campaign(team: Team) -> None:
    from headway.results.services import match_rule_create

    store(team, CONTACTS)
    store(team, DEALS)
    before = {line.label for line in report(team).tables["revenue"].by_campaign}
    assert "march-newsletter (not matched to a campaign)" in before
    newsletter = campaign_create(actor=team.owner, workspace=team.workspace, name="Newsletter")
    match_rule_create(
        actor=team.owner,
        workspace=team.workspace,
        campaign_id=newsletter.pk,
        kind="starts_with",
        pattern="march-news",
    )
    lines = {line.label: line for line in report(team).tables["revenue"].by_campaign}
    assert lines["Newsletter"].campaign_id == newsletter.pk
    assert lines["Newsletter"].credits[Model.FIRST_TOUCH] == Decimal("2810.00")
    assert "march-newsletter (not matched to a campaign)" not in lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-15 16:03", dt.datetime(2026, 3, 15, 16, 3, tzinfo=dt.UTC)),
        ("2026-03-15T16:03:27.123Z", dt.datetime(2026, 3, 15, 16, 3, 27, tzinfo=dt.UTC)),
        ("1773590580000", dt.datetime(2026, 3, 15, 16, 3, tzinfo=dt.UTC)),
        ("03/15/2026 04:03 PM", dt.datetime(2026, 3, 15, 16, 3, tzinfo=dt.UTC)),
        ("2026-03-15", dt.datetime(2026, 3, 15, tzinfo=dt.UTC)),
        ("  ", None),
    ],
)
def test_hubspot_moments(text: str, expected: dt.datetime | None) -> None:
    from headway.results.crm import parse_moment

    assert parse_moment(text, line=2, column=5, label="Create Date") == expected


def test_a_march_deal_of_a_february_contact_keeps_the_contacts_touches(team: Team) -> None:
    contacts = (
        b'"Record ID","Email","Create Date","Lifecycle Stage","Original Traffic Source",'
        b'"Original Traffic Source Drill-Down 2","Latest Traffic Source",'
        b'"Latest Traffic Source Drill-Down 2","Latest Traffic Source Date"\n'
        b'"1","feb@example.com","2026-02-10 10:00","Customer","Paid Search",'
        b'"spring-launch-2026","Email Marketing","march-newsletter","2026-03-03 09:00"\n'
    )
    deals = (
        b'"Record ID","Deal Name","Deal Stage","Amount","Close Date","Create Date",'
        b'"Associated Contact"\n'
        b'"9","Order","Closed Won","300","2026-03-05 12:00","2026-03-04 12:00",'
        b'"feb@example.com"\n'
    )
    store(team, contacts)
    store(team, deals)
    result = report(team)
    assert result.contacts == 0  # created in February: no March lead
    revenue = result.tables["revenue"]
    assert {line.label: line.credits[Model.POSITION_BASED] for line in revenue.by_campaign} == {
        "spring-launch-2026 (not matched to a campaign)": Decimal("150.00"),
        "march-newsletter (not matched to a campaign)": Decimal("150.00"),
    }
    # the export's latest-source date is used for the second touch
    latest = Touch.objects.get(kind=TouchKind.LATEST)
    assert latest.at == dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)


def test_crm_deals_are_won_and_priced_as_the_importer_reads_them(team: Team) -> None:
    """Attribution's deals agree with the results import on a custom pipeline: won from
    `Is Closed Won`, then the stage's words, then a 100% probability; a deal's own `Amount`
    is read with its `Currency`, not `Amount in company currency` standing first."""
    deals = (
        b'"Record ID","Deal Stage","Amount in company currency","Amount","Currency",'
        b'"Is Closed Won","Deal probability","Close Date","Associated Contact"\n'
        b'"1","Won - wholesale","110.00","100.00","EUR","","","2026-03-10","a@example.com"\n'
        b'"2","Signed","220.00","200.00","EUR","true","","2026-03-11","a@example.com"\n'
        b'"3","Handshake","330.00","300.00","EUR","","100%","2026-03-12","a@example.com"\n'
        b'"4","Won\'t proceed","440.00","400.00","EUR","","","2026-03-13","a@example.com"\n'
        b'"5","Proposal","550.00","500.00","EUR","false","20%","2026-03-14","a@example.com"\n'
    )
    imp = store(team, deals)
    won = dict(CrmDeal.objects.values_list("record_id", "won"))
    assert won == {"1": True, "2": True, "3": True, "4": False, "5": False}
    assert set(CrmDeal.objects.values_list("amount", "currency")) == {
        (Decimal(f"{n}00.00"), "EUR") for n in range(1, 6)
    }
    # the results rows the same import stored count the same won revenue
    revenue = ResultRow.objects.filter(source_import=imp).aggregate(total=Sum("revenue"))["total"]
    assert Decimal(revenue) == Decimal("600.00")


def test_crm_contacts_take_internal_names_and_day_first_dates(team: Team) -> None:
    contacts = (
        b'"hs_object_id","email","createdate","lifecyclestage","hs_analytics_source",'
        b'"Became a Marketing Qualified Lead Date"\n'
        b'"41","b@example.com","15/03/2026 09:15","marketingqualifiedlead","PAID_SOCIAL",'
        b'"02/04/2026"\n'
    )
    store(team, contacts)
    contact = CrmContact.objects.get()
    assert contact.record_id == "41"
    assert contact.created == dt.datetime(2026, 3, 15, 9, 15, tzinfo=dt.UTC)
    assert contact.stage_dates == {"marketing qualified lead": "2026-04-02T00:00:00+00:00"}
