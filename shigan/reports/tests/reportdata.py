"""Records for report-builder tests: indicators with monthly figures, and `grow`, which adds n of
every kind of record a report states (for query budgets)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from shigan.indicators.models import (
    Accumulation,
    Actual,
    Agreement,
    Indicator,
    IndicatorCategory,
    IndicatorYear,
    InvestmentTrip,
    KeyEnterprise,
    KeyProject,
    MeasureUnit,
    SamePeriodValue,
)
from shigan.meetings.models import (
    Cadence,
    Meeting,
    MeetingKind,
    MeetingSeries,
    StudyKind,
    StudySession,
)
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.supervision.models import (
    Exemplar,
    Finding,
    Inspection,
    InspectionKind,
    Notice,
    NoticeKind,
    Polarity,
)
from shigan.tasks.models import Milestone, ProgressReport, Task, TaskCategory, TaskOrigin

D = datetime.date
AS_OF = D(2023, 7, 31)


def filed_in(month: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2023, month, 26, 16, 30))


def add_indicator(
    name: str,
    unit,
    *,
    measure: str = MeasureUnit.WAN_YUAN,
    target=None,
    values: dict[int, int] | None = None,
    same: dict[int, int] | None = None,
    estimates: set[int] = frozenset(),
    sort_order: int = 0,
    accumulation: str = Accumulation.CUMULATIVE,
) -> Indicator:
    """An indicator with 2023 figures {month: value}, last year's {month: value}, a target."""
    indicator = Indicator.objects.create(
        name=name,
        measure_unit=measure,
        category=IndicatorCategory.ECONOMY,
        accumulation=accumulation,
        responsible_unit=unit,
        sort_order=sort_order,
    )
    if target is not None:
        IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=Decimal(target))
    for month, value in (values or {}).items():
        actual = Actual.objects.create(
            indicator=indicator,
            year=2023,
            month=month,
            value=Decimal(value),
            is_estimate=month in estimates,
            unit=unit,
        )
        # Filed on the 26th of its month, as the demo files them (auto_now_add otherwise).
        Actual.objects.filter(pk=actual.pk).update(submitted_at=filed_in(month))
    for month, value in (same or {}).items():
        SamePeriodValue.objects.create(
            indicator=indicator, year=2023, month=month, value=Decimal(value)
        )
    return indicator


def _tasks(world, n: int, offset: int) -> None:
    category = TaskCategory.objects.create(
        campaign=world.campaign, name=f"类别{offset}", sort_order=offset
    )
    for i in range(n):
        task = Task.objects.create(
            campaign=world.campaign,
            category=category,
            number=offset + i,
            title=f"任务{offset + i}",
            lead_unit=world.unit_a,
            start_date=D(2023, 1, 1),
            due_date=D(2023, 12, 31),
        )
        Milestone.objects.bulk_create(
            Milestone(task=task, title=f"节点{j}", due_date=D(2023, 6 + j, 28), sort_order=j)
            for j in range(3)
        )
        ProgressReport.objects.bulk_create(
            ProgressReport(
                task=task,
                unit=world.unit_a,
                period=D(2023, m, 1),
                text=f"第{m}月进展",
                submitted_by=world.coordinator,
            )
            for m in (6, 7)
        )


def _activities(world, n: int, offset: int) -> None:
    chair = world.leader_person
    series = MeetingSeries.objects.create(
        name=f"系列{offset}",
        campaign=world.campaign,
        cadence=Cadence.MONTHLY,
        organiser=world.district,
        active_from=D(2023, 1, 1),
    )
    for i in range(n):
        Meeting.objects.create(
            series=series,
            campaign=world.campaign,
            kind=MeetingKind.TASK_FORCE,
            title=f"会议{offset + i}",
            date=D(2023, 1, 1) + datetime.timedelta(days=offset + i),
            chair=chair,
        )
        StudySession.objects.create(
            campaign=world.campaign,
            topic=f"学习{offset + i}",
            date=D(2023, 3, 1),
            kind=StudyKind.COLLECTIVE,
        )
        notice = Notice.objects.create(
            campaign=world.campaign,
            doc_number=f"示〔2023〕{offset + i}号",
            date=D(2023, 4, 1),
            title=f"通报{offset + i}",
            kind=NoticeKind.PRAISE,
        )
        Exemplar.objects.create(
            notice=notice, polarity=Polarity.POSITIVE, title=f"典型{offset + i}"
        )
        report = MediaReport(
            campaign=world.campaign,
            title=f"报道{offset + i}",
            outlet="市日报",
            level=MediaLevel.values[i % len(MediaLevel.values)],
            date=D(2023, 5, 1),
        )
        report.save()
        _inspection(world, offset + i)


def _inspection(world, number: int) -> None:
    inspection = Inspection.objects.create(
        campaign=world.campaign,
        topic=f"督查{number}",
        kind=InspectionKind.SPECIAL,
        date=D(2023, 5, 16),
    )
    task = Task.objects.create(
        campaign=world.campaign,
        category=world.category,
        title=f"整改{number}",
        lead_unit=world.unit_b,
        start_date=D(2023, 5, 16),
        due_date=D(2023, 8, 31),
        origin=TaskOrigin.FINDING,
    )
    Finding.objects.create(
        inspection=inspection,
        unit=world.unit_b,
        problem=f"问题{number}",
        requirement="整改",
        deadline=D(2023, 8, 31),
        task=task,
    )


def _economy(world, n: int, offset: int) -> None:
    for i in range(n):
        number = offset + i
        add_indicator(
            f"指标{number}",
            world.unit_a,
            target=1000,
            values={6: 400, 7: 500},
            same={7: 450},
            sort_order=number,
        )
        trip = InvestmentTrip.objects.create(
            campaign=world.campaign, date=D(2023, 3, 1), destination=f"城市{number}"
        )
        Agreement.objects.create(
            campaign=world.campaign,
            investor=f"投资方{number}",
            project_name=f"项目{number}",
            contract_amount=100,
            signed_on=D(2023, 4, 1),
            landed=bool(i % 2),
            funds_in_place=50,
            trip=trip,
        )
        enterprise = KeyEnterprise.objects.create(
            name=f"企业{number}有限公司", sort_order=number, district=world.district
        )
        KeyProject.objects.create(
            year=2023,
            name=f"重点项目{number}",
            enterprise=enterprise,
            responsible_unit=world.unit_a,
            contracted_investment=100,
            planned_investment_this_year=80,
            completed_investment_this_year=40,
            funds_in_place=60,
            planned_start=D(2023, 3, 1),
            actual_start=D(2023, 3, 5),
        )


def grow(world, n: int, offset: int = 0) -> None:
    """n more of every record the report states."""
    _tasks(world, n, offset)
    _activities(world, n, offset)
    _economy(world, n, offset)
