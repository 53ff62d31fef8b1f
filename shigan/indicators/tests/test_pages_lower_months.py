"""An upper indicator without figures of its own reads its lowers' sum month by month on its page
(逐月完成情况 and 月度走势, labelled 下级汇总), as its 下级汇总 section does: never every month
未填报 with an empty chart; a month missing a district is 未填报, not judged; bounded queries."""

from decimal import Decimal

import pytest

from shigan.core.testing import assert_same_queries, get_page
from shigan.indicators.models import Actual

from .test_pages_lower import YEAR, add_district, levels  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _month(page, month: int):
    return next(m for m in page.context["months"] if m.month == month)


def test_every_month_rolls_from_the_districts_in_the_table_and_the_chart(levels, client_for):  # noqa: F811
    url = f"/indicators/{levels.upper.pk}/?year={YEAR}"
    page = client_for(levels.coordinator).get(url)
    july = _month(page, 7)
    assert (july.actual.value, july.status, july.completion_pct) == (700, "missing", None)
    assert "1个区未报" in page.content.decode()
    Actual.objects.create(
        indicator=levels.lowers[1], year=YEAR, month=7, value=Decimal(50), unit=levels.county
    )
    page = client_for(levels.coordinator).get(url)
    july = _month(page, 7)
    # 750 of the districts' targets 2400 = 31.3%, 序时进度 58.3%: 明显滞后, as 下级汇总 says
    assert (july.actual.value, july.completion_pct, july.status) == (750, Decimal("31.3"), "red")
    assert page.context["chart_data"]["trend"]["actual"][6] == 750
    assert _month(page, 6).actual is None  # nothing filed below in June
    assert "下级汇总</span>" in page.content.decode()


def test_the_page_runs_the_same_queries_for_two_and_five_districts(levels, client_for):  # noqa: F811
    def grow():
        for _ in range(3):
            add_district(levels, Decimal(10))

    page = get_page(client_for(levels.coordinator), f"/indicators/{levels.upper.pk}/?year={YEAR}")
    response = assert_same_queries(page, grow, warm_up=True)
    assert len(levels.districts) == 5 and "下级汇总" in response.content.decode()
