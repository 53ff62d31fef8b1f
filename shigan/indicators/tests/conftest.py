import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from shigan.indicators.models import (
    Accumulation,
    Indicator,
    IndicatorCategory,
    IndicatorYear,
    MeasureUnit,
    SamePeriodValue,
)

TODAY = datetime.date(2023, 7, 31)


@dataclass
class Indicators:
    investment: Indicator  # unit A, cumulative, 万元
    output: Indicator  # unit B, cumulative, 万元
    hogs: Indicator  # unit A, point-in-time, 头


def make_indicator(name: str, unit, **fields) -> Indicator:
    defaults = {
        "measure_unit": MeasureUnit.WAN_YUAN,
        "category": IndicatorCategory.ECONOMY,
        "accumulation": Accumulation.CUMULATIVE,
    }
    return Indicator.objects.create(name=name, responsible_unit=unit, **{**defaults, **fields})


@pytest.fixture
def today(monkeypatch):
    """Pins the clock to 2023-07-31, the demo's day."""
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())
    return TODAY


@pytest.fixture
def ind(world, today) -> Indicators:
    investment = make_indicator("固定资产投资", world.unit_a, sort_order=1)
    output = make_indicator("规模以上工业总产值", world.unit_b, sort_order=2)
    hogs = make_indicator(
        "生猪存栏",
        world.unit_a,
        measure_unit=MeasureUnit.HEAD,
        category=IndicatorCategory.AGRICULTURE,
        accumulation=Accumulation.POINT,
        sort_order=3,
    )
    IndicatorYear.objects.create(indicator=investment, year=2023, annual_target=Decimal(74160))
    IndicatorYear.objects.create(indicator=output, year=2023, annual_target=Decimal(55500))
    IndicatorYear.objects.create(indicator=hogs, year=2023, annual_target=Decimal(14000))
    SamePeriodValue.objects.create(indicator=investment, year=2023, month=7, value=30000)
    return Indicators(investment=investment, output=output, hogs=hogs)
