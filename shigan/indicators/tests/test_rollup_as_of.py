"""An upper indicator's roll-up as of a day (indicators.rollup.upper_figures(as_of=)): a figure
submitted on that day counts, one submitted the day after does not, and a correction filed the
day after leaves the figure as filed by then (the latest correction known on that day)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from shigan.indicators.models import Actual, Aggregation
from shigan.indicators.rollup import upper_figures
from shigan.indicators.tests.test_rollup import MONTH, YEAR, file, indicator, level

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2023, 8, 10)


@pytest.fixture(autouse=True)
def later_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-08-31")


def filed_at(actual: Actual, day: datetime.date, hour: int) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    Actual.objects.filter(pk=actual.pk).update(submitted_at=moment)


def test_figures_count_up_to_the_as_of_day_and_not_after():
    county = level()
    upper = indicator(county, aggregation=Aggregation.SUM)
    first = indicator(level(county), upper, aggregation=Aggregation.SUM)
    second = indicator(level(county), upper, aggregation=Aggregation.SUM)
    filed_at(file(first, "100"), AS_OF, 23)  # late on the day itself: counts
    correction = Actual.append(
        current=Actual.objects.get(indicator=first), reason="更正", indicator=first, year=YEAR,
        month=MONTH, value=Decimal("150"), unit=first.responsible_unit,
    )  # fmt: skip
    filed_at(correction, AS_OF + datetime.timedelta(days=1), 0)  # the next midnight: not yet
    filed_at(file(second, "40"), AS_OF + datetime.timedelta(days=1), 9)
    on_the_day = upper_figures([upper], year=YEAR, month=MONTH, as_of=AS_OF)[upper.pk]
    assert on_the_day.value == Decimal("100")
    assert [p.indicator.pk for p in on_the_day.missing] == [second.pk]
    after = upper_figures([upper], year=YEAR, month=MONTH, as_of=AS_OF + datetime.timedelta(1))
    assert after[upper.pk].value == Decimal("190") and not after[upper.pk].missing
    assert upper_figures([upper], year=YEAR, month=MONTH)[upper.pk].value == Decimal("190")
