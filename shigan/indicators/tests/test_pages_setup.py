"""The set-up pages that replace the admin in daily work: indicator definitions and targets, key
enterprises and projects, investment trips and agreements (and landing one) — each audited,
each with its history on its page."""

import datetime

import pytest

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.indicators.access import (
    get_agreement_for_user,
    get_investment_trip_for_user,
    get_key_enterprise_for_user,
    get_key_project_for_user,
    investment_campaigns,
    key_projects_for_report,
)
from shigan.indicators.models import (
    Actual,
    Agreement,
    Indicator,
    IndicatorYear,
    InvestmentTrip,
    KeyEnterprise,
    KeyProject,
    SamePeriodValue,
)
from shigan.orgs.models import Unit, UnitKind
from shigan.testing import make_user

from .conftest import make_indicator


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def indicator_data(world, name="一般公共预算收入", **extra) -> dict:
    data = {
        "name": name, "measure_unit": "wan_yuan", "category": "economy",
        "accumulation": "cumulative", "direction": "higher", "responsible_unit": world.unit_a.pk,
        "source": "区财政局", "sort_order": "3",
    }  # fmt: skip
    return data | extra


def test_coordinator_creates_and_edits_an_indicator_with_history(world, client_for):
    c = client_for(world.coordinator)
    response = c.post("/indicators/new/", indicator_data(world))
    assert response.status_code == 302
    ind = Indicator.objects.get()
    assert (ind.name, ind.district, ind.sort_order) == ("一般公共预算收入", world.district, 3)
    response = c.post(f"/indicators/{ind.pk}/edit/", indicator_data(world, direction="lower"))
    assert response.status_code == 302
    ind.refresh_from_db()
    assert ind.direction == "lower"
    html = c.get(f"/indicators/{ind.pk}/edit/").content.decode()
    assert "历史记录" in html and "越低越好" in html
    actions = AuditEntry.objects.filter(record_type="indicators.indicator")
    assert sorted(actions.values_list("action", flat=True)) == ["create", "update"]


def test_duplicate_name_is_refused_in_the_district_and_allowed_in_another(world, client_for):
    make_indicator("一般公共预算收入", world.unit_b)
    c = client_for(world.coordinator)
    response = c.post("/indicators/new/", indicator_data(world))
    assert response.status_code == 200
    assert "本区已有同名指标" in response.content.decode()
    assert Indicator.objects.count() == 1
    other = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    office = Unit.objects.create(name="邻区财政局", kind=UnitKind.BUREAU, parent=other)
    neighbour, _ = make_user("neighbour", unit=office, role="coordinator", name="邻区专班")
    response = client_for(neighbour).post(
        "/indicators/new/", indicator_data(world, responsible_unit=office.pk)
    )
    assert response.status_code == 302
    assert Indicator.objects.filter(name="一般公共预算收入").count() == 2
    # A unit of another district is no choice of this district's form.
    response = c.post(
        "/indicators/new/", indicator_data(world, "新指标", responsible_unit=office.pk)
    )
    assert response.status_code == 200 and not Indicator.objects.filter(name="新指标").exists()


def test_target_in_words_is_refused_naming_the_field(world, client_for):
    ind = make_indicator("固定资产投资", world.unit_a)
    c = client_for(world.coordinator)
    response = c.post(f"/indicators/{ind.pk}/year/?year=2023", {"annual_target": "三万"})
    assert response.status_code == 200
    assert "年度目标“三万”不是数字" in response.content.decode()
    assert not IndicatorYear.objects.exists()


def test_target_and_same_period_are_set_and_a_judged_target_needs_a_reason(world, client_for):
    ind = make_indicator("固定资产投资", world.unit_a)
    c = client_for(world.coordinator)
    url = f"/indicators/{ind.pk}/year/?year=2023"
    assert c.post(url, {"annual_target": "74160", "same_7": "30,000"}).status_code == 302
    assert IndicatorYear.objects.get().annual_target == 74160
    assert SamePeriodValue.objects.get(month=7).value == 30000
    Actual.objects.create(indicator=ind, year=2023, month=6, value=30000, unit=world.unit_a)
    response = c.post(url, {"annual_target": "80000"})
    assert "修改年度目标须填写原因" in response.content.decode()
    assert IndicatorYear.objects.get().annual_target == 74160
    assert c.post(url, {"annual_target": "80000", "reason": "区政府调整"}).status_code == 302
    assert IndicatorYear.objects.get().annual_target == 80000
    entry = AuditEntry.objects.filter(record_type="indicators.indicatoryear").latest("id")
    assert entry.note == "修改原因：区政府调整"
    assert "区政府调整" in c.get(url).content.decode()  # the history on the page


def test_reporter_cannot_edit_definitions(world, client_for):
    ind = make_indicator("固定资产投资", world.unit_a)
    c = client_for(world.reporter_a)
    assert c.post("/indicators/new/", indicator_data(world)).status_code == 403
    assert c.post(f"/indicators/{ind.pk}/edit/", indicator_data(world)).status_code == 403
    assert c.post(f"/indicators/{ind.pk}/year/", {"annual_target": "1"}).status_code == 403
    # Another unit's reporter reads the district's indicators but edits none (indicators.access).
    assert client_for(world.reporter_b).get(f"/indicators/{ind.pk}/edit/").status_code == 403
    assert Indicator.objects.get().name == "固定资产投资" and not IndicatorYear.objects.exists()


def test_enterprise_without_contact_unit_takes_the_users_district(world, client_for):
    c = client_for(world.coordinator)
    response = c.post("/indicators/enterprises/new/", {"name": "零傲新材料", "industry": "材料"})
    assert response.status_code == 302
    ent = KeyEnterprise.objects.get()
    assert ent.district == world.district and ent.unit is None
    response = c.post("/indicators/enterprises/new/", {"name": "零傲新材料"})
    assert "本区已有同名企业" in response.content.decode()
    assert get_key_enterprise_for_user(world.coordinator, ent.pk) == ent
    html = c.get(f"/indicators/enterprises/{ent.pk}/edit/").content.decode()
    assert "历史记录" in html and "新建" in html


def project_data(world, **extra) -> dict:
    data = {
        "year": "2023", "name": "兴业大道", "responsible_unit": world.unit_a.pk,
        "contracted_investment": "20000", "planned_investment_this_year": "8000",
        "planned_start": "2023-03-01", "planned_completion": "2023-12-31",
        "task": world.task_a.pk,
    }  # fmt: skip
    return data | extra


def test_project_is_created_with_its_plan_and_its_date_rules(world, client_for):
    c = client_for(world.coordinator)
    bad = project_data(world, planned_completion="2023-01-01")
    html = c.post("/indicators/projects/new/", bad).content.decode()
    assert "计划竣工投产日期早于计划开工日期" in html and not KeyProject.objects.exists()
    assert c.post("/indicators/projects/new/", project_data(world)).status_code == 302
    project = KeyProject.objects.get()
    assert (project.task, project.planned_investment_this_year) == (world.task_a, 8000)
    assert get_key_project_for_user(world.reporter_a, project.pk) == project
    assert list(key_projects_for_report(world.reporter_a)) == [project]
    assert not key_projects_for_report(world.reporter_b).exists()
    html = c.get(f"/indicators/projects/{project.pk}/edit/").content.decode()
    assert "月度数据" in html and "历史记录" in html


def test_trip_and_agreement_and_landing(world, client_for):
    c = client_for(world.coordinator)
    trip_data = {"campaign": world.campaign.pk, "date": "2023-04-02", "destination": "深圳"}
    assert c.post("/indicators/investment/trips/new/", trip_data).status_code == 302
    trip = InvestmentTrip.objects.get()
    assert get_investment_trip_for_user(world.reporter_b, trip.pk) == trip
    assert list(investment_campaigns(world.leader)) == [world.campaign]
    data = {
        "campaign": world.campaign.pk, "investor": "深圳某公司", "project_name": "新材料产业园",
        "contract_amount": "三万", "signed_on": "2023-05-01", "trip": trip.pk,
    }  # fmt: skip
    html = c.post("/indicators/investment/agreements/new/", data).content.decode()
    assert "合同金额（万元）“三万”不是数字" in html
    data["contract_amount"] = "30000"
    assert c.post("/indicators/investment/agreements/new/", data).status_code == 302
    agreement = Agreement.objects.get()
    assert get_agreement_for_user(world.inspector, agreement.pk) == agreement
    land = f"/indicators/investment/agreements/{agreement.pk}/land/"
    assert client_for(world.reporter_a).post(land, {"landed_on": "2023-06-01"}).status_code == 403
    page = c.post(land, {"landed_on": "2023-04-01"}, follow=True).content.decode()
    assert "早于签约日期" in page
    assert c.post(land, {"landed_on": "2023-06-01"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.landed and agreement.landed_on == datetime.date(2023, 6, 1)
    entry = AuditEntry.objects.filter(record_type="indicators.agreement").latest("id")
    assert entry.note == "标记落地" and entry.changes["落地日期"] == [None, "2023-06-01"]
    page = c.post(land, {"landed_on": "2023-06-02"}, follow=True).content.decode()
    assert "已于2023-06-01标记落地" in page


def test_a_trip_or_agreement_dated_after_today_is_refused_on_the_page(world, client_for):
    """Today is SHIGAN_TODAY (2023-07-20): a trip leaving tomorrow, an agreement signed
    tomorrow are refused on their field, on the new page and the edit page alike."""
    c = client_for(world.coordinator)
    trip_data = {"campaign": world.campaign.pk, "date": "2023-07-21", "destination": "深圳"}
    page = c.post("/indicators/investment/trips/new/", trip_data)
    assert page.status_code == 200
    assert page.context["form"].errors["date"] == ["出发日期不能晚于今天（2023年7月20日）"]
    assert not InvestmentTrip.objects.exists()
    trip = InvestmentTrip.objects.create(
        campaign=world.campaign, date=datetime.date(2023, 7, 20), destination="深圳"
    )
    page = c.post(f"/indicators/investment/trips/{trip.pk}/edit/", trip_data)
    assert "出发日期不能晚于今天（2023年7月20日）" in page.content.decode()
    trip.refresh_from_db()
    assert trip.date == datetime.date(2023, 7, 20)
    data = {
        "campaign": world.campaign.pk, "investor": "深圳某公司", "project_name": "新材料产业园",
        "contract_amount": "30000", "signed_on": "2023-07-21",
    }  # fmt: skip
    page = c.post("/indicators/investment/agreements/new/", data)
    assert page.context["form"].errors["signed_on"] == ["签约日期不能晚于今天（2023年7月20日）"]
    assert not Agreement.objects.exists()
    data["signed_on"] = "2023-07-20"
    assert c.post("/indicators/investment/agreements/new/", data).status_code == 302


def test_a_landed_agreements_signing_date_stays_before_its_landing(world, client_for):
    agreement = Agreement.objects.create(
        campaign=world.campaign, investor="甲", project_name="乙", signed_on=datetime.date(2023, 5, 1),
        landed=True, landed_on=datetime.date(2023, 6, 1),
    )  # fmt: skip
    c = client_for(world.coordinator)
    data = {
        "campaign": world.campaign.pk, "investor": "甲", "project_name": "乙",
        "contract_amount": "0", "signed_on": "2023-06-02",
    }  # fmt: skip
    page = c.post(f"/indicators/investment/agreements/{agreement.pk}/edit/", data)
    assert page.context["form"].errors["signed_on"] == ["签约日期不能晚于落地日期（2023年6月1日）"]
    agreement.refresh_from_db()
    assert agreement.signed_on == datetime.date(2023, 5, 1)
    data["signed_on"] = "2023-06-01"
    assert (
        c.post(f"/indicators/investment/agreements/{agreement.pk}/edit/", data).status_code == 302
    )


def test_setup_lists_run_a_fixed_number_of_queries(world, client_for):
    c = client_for(world.coordinator)
    count = iter(range(1000))

    def grow():
        for _ in range(5):
            n = next(count)
            ind = make_indicator(f"指标{n}", world.unit_a)
            IndicatorYear.objects.create(indicator=ind, year=2023, annual_target=n)
            KeyEnterprise.objects.create(name=f"企业{n}", unit=world.unit_b)

    assert_same_queries(get_page(c, "/indicators/setup/"), grow, warm_up=True)
    assert_same_queries(get_page(c, "/indicators/enterprises/"), grow, warm_up=True)
