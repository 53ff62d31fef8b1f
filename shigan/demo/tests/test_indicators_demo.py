"""The demo's indicators, key projects and investment attraction state the seed's figures."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from shigan.core.models import AuditEntry
from shigan.demo.data.indicators import INDICATORS
from shigan.demo.district import load_demo
from shigan.indicators.calc import NOTE_DEVIATION, IndicatorStatus
from shigan.indicators.models import (
    Actual,
    Agreement,
    EnterpriseFigure,
    Indicator,
    InvestmentTrip,
    KeyEnterprise,
    KeyProject,
)
from shigan.indicators.queries import indicator_table, investment_tallies, project_rates
from shigan.indicators.services import ActualEntry, actuals_check
from shigan.orgs.models import Role

D = Decimal


@pytest.fixture
def demo(db):
    return load_demo()


# The demo district's own indicators: the county above it and 高新区 beside it (shigan.demo.county)
# have indicators of the same names.
OWN = {"district__short_name": "示范区"}


@pytest.fixture
def july(demo) -> dict:
    own = Indicator.objects.filter(**OWN)
    return {row.indicator.name: row for row in indicator_table(own, 2023, 7)}


def test_economic_indicators_state_the_seeds_figures(july):
    investment = july["固定资产投资"]
    assert (investment.value, investment.is_estimate, investment.completion_pct) == (
        D(33000),
        True,
        D("44.5"),
    )
    output = july["工业总产值"]
    assert (output.value, output.target, output.completion_pct) == (D(22000), D(55500), D("39.6"))
    retail = july["社会消费品零售总额"]
    assert (retail.value, retail.target, retail.completion_pct) == (D(2500), D(8800), D("28.4"))
    assert not output.is_estimate and not retail.is_estimate


def test_summer_harvest_is_up_on_last_year_by_the_seeds_amounts(july):
    grain, oil = july["夏粮产量"], july["夏油产量"]
    assert (grain.value, grain.is_estimate, grain.change_abs) == (D(7272), True, D(191))
    assert (oil.value, oil.is_estimate, oil.change_abs) == (D(325), False, D(100))


@pytest.mark.parametrize(
    "name, value",
    [("生猪出栏", 13631), ("牛出栏", 139), ("羊出栏", 581), ("家禽出笼", 133018)],
)
def test_livestock_is_above_last_years_same_period(july, name, value):
    row = july[name]
    assert row.value == value and not row.is_estimate
    assert row.change_abs > 0 and row.change_pct > 0


def test_oil_tea_and_order_planting(july):
    planted = july["油茶种植面积"]
    assert (planted.value, planted.target, planted.indicator.get_measure_unit_display()) == (
        D(527),
        D(2000),
        "亩",
    )
    assert july["油茶整地待栽面积"].value == 420  # 400多亩
    order = july["订单种植面积"]
    assert (order.value, order.target, order.completion_pct) == (D(32000), D(32000), D("100.0"))
    assert order.status == IndicatorStatus.GREEN


def test_indicators_belong_to_the_offices_with_their_sources(demo):
    own = Indicator.objects.filter(**OWN)
    units = dict(own.values_list("name", "responsible_unit__name"))
    assert units["固定资产投资"] == "经济发展办公室" and units["生猪出栏"] == "农业农村办公室"
    sources = set(own.values_list("source", flat=True))
    assert sources == {"区统计站", "区农业农村办"}


def test_monthly_figures_run_from_january_and_are_filed_by_the_units_reporter(demo):
    months = Actual.objects.filter(
        indicator__name="固定资产投资", indicator__district__short_name="示范区"
    ).order_by("month")
    values = [(a.month, a.value) for a in months]
    assert [m for m, _ in values] == list(range(1, 8)) and values[0][1] < values[-1][1]
    assert [v for _, v in values] == sorted(v for _, v in values)
    for actual in Actual.objects.select_related("submitted_by", "unit", "indicator"):
        person = actual.submitted_by.person
        assert person.role == Role.REPORTER and person.unit == actual.indicator.responsible_unit
        assert timezone.localtime(actual.submitted_at).month == actual.month
        assert actual.corrects is None


def test_no_monthly_figure_needed_a_note_under_the_rules(demo):
    """Resubmitting every figure without its note, as a first filing, trips no rule."""
    entries = [
        ActualEntry(indicator=a.indicator, year=a.year, month=a.month, value=a.value)
        for a in Actual.objects.select_related("indicator").order_by("indicator", "month")
    ]
    Actual.objects.all().delete()
    assert actuals_check(entries) == {} and NOTE_DEVIATION == D("0.5")


def test_every_actual_and_target_is_audited(demo):
    audited = set(
        AuditEntry.objects.filter(record_type="indicators.actual", action="submit").values_list(
            "record_id", flat=True
        )
    )
    assert audited == set(Actual.objects.values_list("id", flat=True))
    own = Actual.objects.filter(indicator__district__short_name="示范区")
    assert own.count() == sum(len(item.values) for item in INDICATORS)
    for record_type in ("indicator", "indicatoryear", "sameperiodvalue", "keyproject"):
        assert AuditEntry.objects.filter(record_type=f"indicators.{record_type}").exists()


def test_investment_attraction_tallies_as_the_seed(demo):
    tallies = investment_tallies(demo.campaign, datetime.date(2023, 7, 31))
    assert (tallies.trips, tallies.agreements, tallies.landed) == (4, 4, 3)
    assert tallies.contract_amount > tallies.landed_contract_amount > tallies.funds_in_place > 0
    trips = InvestmentTrip.objects.order_by("date")
    assert {t.date.month for t in trips} <= set(range(2, 8))
    assert all(t.leader and t.leader.role == Role.LEADER for t in trips)
    assert Agreement.objects.filter(trip__isnull=False).count() == 4


def test_tallies_agree_with_the_investment_tasks_monthly_reports(demo):
    """The 招商引资 task reports 1 trip by February, 2 trips and 1 agreement by March, …"""
    by_month = {2: (1, 0), 3: (2, 1), 4: (3, 2), 5: (3, 3), 6: (4, 4), 7: (4, 4)}
    for month, counts in by_month.items():
        tallies = investment_tallies(demo.campaign, datetime.date(2023, month, 26))
        assert (tallies.trips, tallies.agreements) == counts


def test_key_enterprises_and_projects(demo):
    names = list(KeyEnterprise.objects.values_list("name", flat=True))
    short = ["零傲", "佳仑", "宏羽", "楚汉源"]
    assert [name[: len(s)] for name, s in zip(names, short, strict=True)] == short
    assert EnterpriseFigure.objects.filter(month=7).count() == 4
    projects = KeyProject.objects.filter(year=2023)
    assert 4 <= projects.count() <= 6
    assert set(projects.exclude(enterprise=None).values_list("enterprise__name", flat=True)) == set(
        names
    )
    river = projects.get(task__isnull=False)
    assert river.task.title == "清凉河治理二期工程" and river.task.milestones.count() >= 4
    rates = {rate.name: rate.pct for rate in project_rates(projects, datetime.date(2023, 7, 31))}
    assert all(D(40) < pct <= D(100) for pct in rates.values())
    assert rates["开工率"] < 100


def test_demo_as_of_an_earlier_day_leaves_later_figures_out(db):
    load_demo(today=datetime.date(2023, 4, 30))
    assert set(Actual.objects.values_list("month", flat=True)) == {1, 2, 3, 4}
    assert InvestmentTrip.objects.count() == 3 and Agreement.objects.count() == 2
    assert Agreement.objects.filter(landed=True).count() == 1
    assert not KeyProject.objects.filter(actual_start__gt=datetime.date(2023, 4, 30)).exists()
