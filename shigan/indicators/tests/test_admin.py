import pytest

from shigan.core.models import AuditEntry
from shigan.indicators.models import Indicator

MODELS = [
    "indicator", "indicatoryear", "sameperiodvalue", "actual", "keyenterprise",
    "enterprisefigure", "keyproject", "investmenttrip", "agreement",
]  # fmt: skip


@pytest.mark.parametrize("model", MODELS)
def test_coordinator_sees_every_indicator_model_in_the_admin(ind, world, client_for, model):
    assert client_for(world.coordinator).get(f"/admin/indicators/{model}/").status_code == 200


def test_reporter_cannot_use_the_admin(ind, world, client_for):
    response = client_for(world.reporter_a).get("/admin/indicators/indicator/")
    assert response.status_code == 302


def test_actuals_cannot_be_added_or_edited_in_the_admin(ind, world, client_for):
    assert client_for(world.coordinator).get("/admin/indicators/actual/add/").status_code == 403


def test_indicator_saved_in_the_admin_is_audited(ind, world, client_for):
    data = {
        "name": "社会消费品零售总额", "measure_unit": "wan_yuan", "category": "economy",
        "accumulation": "cumulative", "direction": "higher",
        "responsible_unit": world.unit_b.pk, "source": "区统计局", "sort_order": 4,
        "years-TOTAL_FORMS": 1, "years-INITIAL_FORMS": 0,
        "years-0-year": 2023, "years-0-annual_target": 8800,
        "same_period_values-TOTAL_FORMS": 0, "same_period_values-INITIAL_FORMS": 0,
    }  # fmt: skip
    response = client_for(world.coordinator).post("/admin/indicators/indicator/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    indicator = Indicator.objects.get(name="社会消费品零售总额")
    assert indicator.years.get().annual_target == 8800
    types = set(AuditEntry.objects.values_list("record_type", flat=True))
    assert {"indicators.indicator", "indicators.indicatoryear"} <= types


def test_a_percent_indicator_saved_anywhere_is_never_summed_up_the_levels(ind, world):
    indicator = Indicator(
        name="项目开工率", measure_unit="percent", responsible_unit=world.unit_b,
    )  # fmt: skip
    indicator.save()
    indicator.refresh_from_db()
    assert indicator.aggregation == "none"
