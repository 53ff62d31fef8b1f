"""Data for the page tests: monthly figures, key projects, enterprises, investment attraction,
in bulk for query budgets."""

import datetime
from decimal import Decimal

from shigan.indicators.models import (
    Actual,
    Agreement,
    EnterpriseFigure,
    IndicatorYear,
    InvestmentTrip,
    KeyEnterprise,
    KeyProject,
    SamePeriodValue,
)

from .conftest import make_indicator

D = Decimal


def record(indicator, month, value, *, year=2023, is_estimate=False, corrects=None, reason=""):
    return Actual.objects.create(
        indicator=indicator, year=year, month=month, value=D(value), is_estimate=is_estimate,
        unit=indicator.responsible_unit, corrects=corrects, correction_reason=reason,
    )  # fmt: skip


def months_of(indicator, values, *, estimate_last=False):
    """Figures for January onwards; the last one an estimate when asked."""
    for month, value in enumerate(values, start=1):
        last = month == len(values)
        record(indicator, month, value, is_estimate=estimate_last and last)


def bulk_indicators(world, count: int, *, offset: int = 0) -> None:
    """`count` indicators split between unit A and unit B, each with a target, same-period
    figures and figures for January to July."""
    for i in range(offset, offset + count):
        unit = world.unit_a if i % 2 else world.unit_b
        indicator = make_indicator(f"批量指标{i}", unit, sort_order=100 + i)
        IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=D(1200))
        SamePeriodValue.objects.bulk_create(
            SamePeriodValue(indicator=indicator, year=2023, month=m, value=D(90 * m))
            for m in range(1, 8)
        )
        Actual.objects.bulk_create(
            Actual(indicator=indicator, year=2023, month=m, value=D(100 * m), unit=unit)
            for m in range(1, 8)
        )


def enterprise(name: str, unit=None, *, figures=()) -> KeyEnterprise:
    ent = KeyEnterprise.objects.create(name=name, unit=unit)
    EnterpriseFigure.objects.bulk_create(
        EnterpriseFigure(enterprise=ent, year=2023, month=m, output_value=D(out), tax=D(tax))
        for m, out, tax in figures
    )
    return ent


def project(name: str, unit, **fields) -> KeyProject:
    defaults = {
        "year": 2023,
        "contracted_investment": D(10000),
        "planned_investment_this_year": D(4000),
        "completed_investment_this_year": D(2000),
        "funds_in_place": D(5000),
        "planned_start": datetime.date(2023, 3, 1),
        "planned_completion": datetime.date(2023, 12, 31),
    }
    return KeyProject.objects.create(name=name, responsible_unit=unit, **{**defaults, **fields})


def bulk_projects(world, count: int, *, offset: int = 0) -> None:
    """`count` projects split between unit A and B, with enterprises and the world's tasks."""
    for i in range(offset, offset + count):
        unit, task = (world.unit_a, world.task_a) if i % 2 else (world.unit_b, world.task_b)
        ent = enterprise(f"批量企业{i}", unit, figures=[(6, 100 * i, 10)])
        project(
            f"批量项目{i}",
            unit,
            enterprise=ent,
            task=task,
            actual_start=datetime.date(2023, 4, 1) if i % 3 else None,
        )


def trip(world, day: datetime.date, destination: str) -> InvestmentTrip:
    return InvestmentTrip.objects.create(
        campaign=world.campaign, date=day, destination=destination, leader=world.leader_person
    )


def agreement(world, name: str, amount, *, landed=False, funds=0, signed=None, trip=None):
    return Agreement.objects.create(
        campaign=world.campaign, investor=f"{name}投资方", project_name=name,
        contract_amount=D(amount), signed_on=signed or datetime.date(2023, 5, 10),
        landed=landed, funds_in_place=D(funds), trip=trip,
    )  # fmt: skip


def bulk_investment(world, count: int, *, offset: int = 0) -> None:
    for i in range(offset, offset + count):
        day = datetime.date(2023, 1, 1) + datetime.timedelta(days=i % 180)
        made = trip(world, day, f"城市{i}")
        agreement(world, f"协议项目{i}", 1000, landed=bool(i % 2), funds=300, signed=day, trip=made)
