"""Records every cockpit card reads, on top of the shared `world`: findings, decisions, meetings,
media reports, indicators, investment — a few of each, or many for query budgets."""

import datetime
from decimal import Decimal

from shigan.indicators.models import (
    Accumulation,
    Actual,
    Agreement,
    Indicator,
    IndicatorYear,
    InvestmentTrip,
    MeasureUnit,
)
from shigan.meetings.models import Cadence, MeetingKind
from shigan.meetings.tests.helpers import make_decision, make_meeting, make_series
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.supervision.tests.helpers import make_finding, make_inspection

D = datetime.date


def media_reports(world, dates: list[datetime.date], *, offset: int = 0) -> None:
    reports = [
        MediaReport(
            campaign=world.campaign,
            title=f"报道{offset + i}",
            outlet="市日报",
            level=MediaLevel.values[i % len(MediaLevel.values)],
            date=day,
        )
        for i, day in enumerate(dates)
    ]
    for report in reports:
        report.set_keys()
    MediaReport.objects.bulk_create(reports)


def indicator(world, name: str, unit, target: int, june: int, **fields) -> Indicator:
    """An indicator with a 2023 target and its June figure (time progress 50％)."""
    made = Indicator.objects.create(
        name=name, measure_unit=MeasureUnit.WAN_YUAN, responsible_unit=unit, **fields
    )
    IndicatorYear.objects.create(indicator=made, year=2023, annual_target=Decimal(target))
    Actual.objects.create(indicator=made, year=2023, month=6, value=Decimal(june), unit=unit)
    return made


def indicators(world) -> None:
    """Unit A: one red (27％ of target in June); unit B: one yellow (46.8％); unit A: one green
    point-in-time indicator."""
    indicator(world, "固定资产投资", world.unit_a, 74160, 20000, sort_order=1)
    indicator(world, "规模以上工业总产值", world.unit_b, 55500, 26000, sort_order=2)
    indicator(
        world, "生猪存栏", world.unit_a, 14000, 14500, accumulation=Accumulation.POINT, sort_order=3
    )


def investment(world, n: int = 1) -> None:
    for i in range(n):
        trip = InvestmentTrip.objects.create(
            campaign=world.campaign, date=D(2023, 3, 1 + i % 28), destination=f"深圳{i}"
        )
        Agreement.objects.create(
            campaign=world.campaign,
            investor=f"投资方{i}",
            project_name=f"项目{i}",
            contract_amount=Decimal(5000),
            signed_on=D(2023, 4, 1 + i % 28),
            landed=i % 2 == 0,
            funds_in_place=Decimal(1200),
            trip=trip,
        )


def activities(world) -> None:
    """A little of everything: an overdue finding of unit A and a pending one of unit B; a
    monthly series meeting in February and June with one decision per unit; two media reports
    (March, June); three indicators; one investment trip and agreement."""
    inspection = make_inspection(world)
    make_finding(world, inspection, unit=world.unit_a, deadline=D(2023, 6, 30))
    make_finding(world, inspection, unit=world.unit_b, deadline=D(2023, 8, 31))
    series = make_series(world, cadence=Cadence.MONTHLY, start=D(2023, 2, 1))
    make_meeting(world, series=series, date=D(2023, 2, 8), kind=MeetingKind.MOBILISATION)
    meeting = make_meeting(world, series=series, date=D(2023, 6, 10))
    make_decision(world, meeting, title="甲局议定事项", unit=world.unit_a, due=D(2023, 7, 10))
    make_decision(world, meeting, title="乙局议定事项", unit=world.unit_b)
    media_reports(world, [D(2023, 3, 15), D(2023, 6, 20)])
    indicators(world)
    investment(world)
