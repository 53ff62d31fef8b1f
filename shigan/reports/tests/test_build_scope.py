"""A district's report states its own figures only, though the database holds other districts'."""

import datetime

from shigan.indicators.models import KeyEnterprise, KeyProject
from shigan.orgs.models import Unit, UnitKind
from shigan.reports.compose import ReportOptions, build_summary

from .reportdata import add_indicator


def test_other_districts_indicators_and_enterprises_stay_out_of_the_report(world):
    add_indicator("工业总产值", world.unit_a, target=55500, values={7: 22000})
    other = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    other_bureau = Unit.objects.create(name="邻区经发局", kind=UnitKind.BUREAU, parent=other)
    add_indicator("邻区固定资产投资", other_bureau, target=90000, values={7: 41000})
    firm = KeyEnterprise.objects.create(name="邻区远航公司", unit=other_bureau)
    KeyProject.objects.create(
        name="邻区远航项目",
        enterprise=firm,
        responsible_unit=other_bureau,
        year=2023,
        contracted_investment=1000,
        planned_investment_this_year=500,
        completed_investment_this_year=100,
        funds_in_place=100,
    )
    document = build_summary(
        campaign=world.campaign, as_of=datetime.date(2023, 7, 31), options=ReportOptions()
    )
    text = document.text
    assert "22000万元" in text
    assert "41000" not in text and "邻区" not in text
