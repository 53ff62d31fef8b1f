from decimal import Decimal

import pytest

from shigan.indicators.models import Actual, Indicator, MeasureUnit
from shigan.indicators.rollup import upper_figures
from shigan.orgs.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def lvl(name, parent=None):
    return Unit.objects.create(name=name, kind=UnitKind.PARTY_GOVERNMENT, parent=parent)


def ind(unit, upper=None, **kw):
    return Indicator.objects.create(
        name="固定资产投资",
        measure_unit=MeasureUnit.WAN_YUAN,
        responsible_unit=unit,
        upper=upper,
        **kw,
    )


def test_smoke(django_assert_num_queries):
    city = lvl("市")
    county = lvl("县", city)
    d1 = lvl("一区", county)
    d2 = lvl("二区", county)
    c = ind(city)
    k = ind(county, c)
    a = ind(d1, k)
    b = ind(d2, k)
    Actual.objects.create(indicator=a, year=2023, month=7, value=Decimal(3), unit=d1)
    with django_assert_num_queries(4):
        figs = upper_figures([c, k], year=2023, month=7)
    assert figs[k.pk].value == 3 and figs[k.pk].missing_label == "1个区未报"
    assert figs[c.pk].value == 3 and not figs[c.pk].complete
    Actual.objects.create(indicator=b, year=2023, month=7, value=Decimal(4), unit=d2)
    figs = upper_figures([c], year=2023, month=7)
    assert figs[c.pk].value == 7 and figs[c.pk].complete
