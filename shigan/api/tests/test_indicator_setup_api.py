"""The indicators' set-up through the API is its pages: an indicator's definition (新建 / 编辑指标),
its year's target and last year's figures (年度目标), a key project's plan (新建 / 编辑重点项目)
and key enterprises (重点企业) — each through the page's own form and service (the same choices,
rules and Chinese messages, audited), the edits behind the pages' overwrite guard (`version`);
each role's token reads and writes exactly where the page lets the role."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.indicators.models import (
    Indicator,
    IndicatorYear,
    KeyEnterprise,
    KeyProject,
    SamePeriodValue,
)
from shigan.indicators.rollup import RATE_PARTS_REQUIRED, SUM_OF_PERCENT
from shigan.indicators.services import actual_submit
from shigan.indicators.tests.conftest import make_indicator

from .versions import versioned

JSON = "application/json"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def send(client, method: str, url: str, data: dict, **headers):
    """`data` sent; a PUT without a version sends the one the record's detail answers now."""
    if method == "put":
        data = versioned(f"/api/v1{url}", data)
    return getattr(client, method)(f"/api/v1{url}", json.dumps(data), content_type=JSON, **headers)


def indicator_body(world, **fields) -> dict:
    return {
        "name": "固定资产投资", "measure_unit": "wan_yuan", "category": "economy",
        "accumulation": "cumulative", "direction": "higher",
        "responsible_unit": world.unit_a.pk, "source": "区统计局",
    } | fields  # fmt: skip


def project_body(world, **fields) -> dict:
    return {
        "year": 2023, "name": "智能装备产业园", "responsible_unit": world.unit_a.pk,
        "contracted_investment": 50000, "planned_investment_this_year": "12,000",
        "planned_start": "2023-03-01", "planned_completion": "2024-06-30",
    } | fields  # fmt: skip


def fields_of(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def actions(record) -> list[str]:
    entries = AuditEntry.objects.filter(
        record_type=record._meta.label_lower, record_id=record.pk
    ).order_by("id")
    return list(entries.values_list("action", flat=True))


# --- indicators --------------------------------------------------------------------------------


def test_a_coordinator_creates_and_edits_an_indicator_behind_the_guard(world, token_client):
    api, _ = token_client(world.coordinator)
    created = send(api, "post", "/indicators", indicator_body(world))
    assert created.status_code == 201, created.content
    indicator = Indicator.objects.get()
    shown = created.json()
    assert (shown["id"], shown["name"], shown["responsible_unit_id"]) == (
        indicator.pk, "固定资产投资", world.unit_a.pk,
    )  # fmt: skip
    assert (shown["aggregation"], shown["upper_id"], shown["sort_order"]) == ("sum", None, 0)
    assert api.get(f"/api/v1/indicators/{indicator.pk}").json() == shown
    edited = send(
        api, "put", f"/indicators/{indicator.pk}",
        indicator_body(world, name="固定资产投资额", version=shown["version"]),
    )  # fmt: skip
    assert edited.status_code == 200, edited.content
    assert edited.json()["name"] == "固定资产投资额"
    assert edited.json()["version"] > shown["version"]
    # The version read before that save is stale now: refused on `version`, nothing written.
    stale = send(
        api, "put", f"/indicators/{indicator.pk}",
        indicator_body(world, name="投资", version=shown["version"]),
    )  # fmt: skip
    assert stale.status_code == 422 and fields_of(stale) == ["version"], stale.content
    assert "您读取该记录后" in stale.json()["detail"]
    indicator.refresh_from_db()
    assert indicator.name == "固定资产投资额"
    assert actions(indicator) == [AuditAction.CREATE, AuditAction.UPDATE]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "已有指标"}, "name", "本区已有同名指标"),
        ({"measure_unit": "percent", "aggregation": "sum"}, "aggregation", SUM_OF_PERCENT),
        ({"aggregation": "rate"}, "rate_numerator", RATE_PARTS_REQUIRED),
        ({"responsible_unit": 999999}, "responsible_unit", "所选项不存在或不可选"),
        ({"name": ""}, "name", "请填写指标名称"),
        ({"unexpected": 1}, "unexpected", ""),
    ],
)
def test_bad_indicators_are_refused_with_the_pages_message(
    world, token_client, change, field, message
):
    make_indicator("已有指标", world.unit_b)
    api, _ = token_client(world.coordinator)
    response = send(api, "post", "/indicators", indicator_body(world) | change)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in fields_of(response), response.json()
    assert message in response.json()["detail"]
    assert Indicator.objects.count() == 1


def test_the_years_target_needs_a_reason_once_figures_were_judged(world, token_client):
    indicator = make_indicator("固定资产投资", world.unit_a)
    api, _ = token_client(world.coordinator)
    url = f"/indicators/{indicator.pk}/years/2023"
    set_ = send(api, "put", url, {"annual_target": 74160, "same_6": "35,000.5"})
    assert set_.status_code == 200, set_.content
    answer = dict(set_.json())
    assert answer.pop("version") > 0  # what the next PUT sends back
    assert answer == {
        "indicator_id": indicator.pk, "year": 2023, "annual_target": "74160.0000",
        "same_period": [{"month": 6, "value": "35000.5000"}], "figures_judged": 0,
    }  # fmt: skip
    assert api.get(f"/api/v1{url}").json() == set_.json()
    actual_submit(
        indicator=indicator, year=2023, month=6, value=Decimal(37080), is_estimate=False,
        note="", by=world.coordinator, unit=world.unit_a,
    )  # fmt: skip
    refused = send(api, "put", url, {"annual_target": 80000})
    assert refused.status_code == 422 and fields_of(refused) == ["reason"], refused.content
    assert "修改年度目标须填写原因" in refused.json()["detail"]
    changed = send(api, "put", url, {"annual_target": 80000, "reason": "区政府调整目标"})
    assert changed.status_code == 200, changed.content
    assert Decimal(changed.json()["annual_target"]) == 80000
    assert changed.json()["figures_judged"] == 1
    # a month left out keeps its figure
    assert SamePeriodValue.objects.get(indicator=indicator, month=6).value == Decimal("35000.5")
    row = IndicatorYear.objects.get(indicator=indicator, year=2023)
    assert AuditEntry.objects.filter(
        record_type="indicators.indicatoryear", record_id=row.pk, note__contains="区政府调整目标"
    ).exists()
    bad = send(api, "put", url, {"annual_target": "1.23456"})
    assert bad.status_code == 422 and fields_of(bad) == ["annual_target"], bad.content
    assert "最多保留4位小数" in bad.json()["detail"]


# --- key projects and enterprises ------------------------------------------------------------


def test_a_coordinator_sets_a_key_project_up_behind_the_guard(world, token_client):
    api, _ = token_client(world.coordinator)
    created = send(api, "post", "/key-projects", project_body(world))
    assert created.status_code == 201, created.content
    project = KeyProject.objects.get()
    shown = created.json()
    assert Decimal(shown["planned_investment_this_year"]) == 12000
    assert (shown["planned_start"], shown["nodes_total"]) == ("2023-03-01", 0)
    assert api.get(f"/api/v1/key-projects/{project.pk}").json() == shown
    url = f"/key-projects/{project.pk}"
    late = send(api, "put", url, project_body(world, planned_completion="2023-01-01"))
    assert late.status_code == 422 and fields_of(late) == ["planned_completion"], late.content
    assert late.json()["detail"] == "计划竣工投产日期早于计划开工日期。"
    edited = send(api, "put", url, project_body(world, name="智能装备产业园一期",
                                                version=shown["version"]))  # fmt: skip
    assert edited.status_code == 200 and edited.json()["name"] == "智能装备产业园一期"
    stale = send(api, "put", url, project_body(world, name="二期", version=shown["version"]))
    assert stale.status_code == 422 and fields_of(stale) == ["version"]
    assert actions(project) == [AuditAction.CREATE, AuditAction.UPDATE]


def test_a_coordinator_sets_a_key_enterprise_up(world, token_client):
    api, _ = token_client(world.coordinator)
    created = send(api, "post", "/key-enterprises", {"name": "零傲新材料", "industry": "材料"})
    assert created.status_code == 201, created.content
    enterprise = KeyEnterprise.objects.get()
    assert enterprise.district_id == world.district.pk  # no contact unit: the caller's district
    shown = created.json()
    assert api.get(f"/api/v1/key-enterprises/{enterprise.pk}").json() == shown
    again = send(api, "post", "/key-enterprises", {"name": "零傲新材料"})
    assert again.status_code == 422 and fields_of(again) == ["name"]
    assert again.json()["detail"] == "本区已有同名企业"
    url = f"/key-enterprises/{enterprise.pk}"
    body = {"name": "零傲新材料", "unit": world.unit_a.pk, "version": shown["version"]}
    edited = send(api, "put", url, body)
    assert edited.status_code == 200 and edited.json()["unit_id"] == world.unit_a.pk
    stale = send(api, "put", url, body | {"notes": "又改"})
    assert stale.status_code == 422 and fields_of(stale) == ["version"]
    assert actions(enterprise) == [AuditAction.CREATE, AuditAction.UPDATE]
    # the project's enterprise is one the caller reads
    project = send(api, "post", "/key-projects", project_body(world, enterprise=enterprise.pk))
    assert project.status_code == 201 and project.json()["enterprise"] == "零傲新材料"


def test_the_enterprise_list_runs_the_same_queries_for_one_and_many(world, token_client):
    api, _ = token_client(world.coordinator)
    last = []

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/key-enterprises")
        assert response.status_code == 200
        last[:] = queries.captured_queries
        return len(response.json()["items"]), len(queries)

    KeyEnterprise.objects.create(name="企业0", unit=world.unit_a)
    count()  # the token's first use is recorded once, not counted here
    one = count()
    for n in range(1, 5):
        KeyEnterprise.objects.create(name=f"企业{n}", unit=world.unit_b if n % 2 else None,
                                     district=world.district)  # fmt: skip
    many = count()
    assert (one[0], many[0]) == (1, 5)
    assert one[1] == many[1], (one, many)
    assert one[1] == 5, (
        one,
        [q["sql"][:40] for q in last],
    )  # token, caller, his district, the page's ids, the rows


# --- each role as the page -------------------------------------------------------------------


def _answer(page_status: int, created: bool = False) -> int:
    return 201 if created and page_status == 200 else page_status


def test_each_roles_token_sets_up_as_the_pages(world, token_client, client_for):
    indicator = make_indicator("固定资产投资", world.unit_a)
    project = KeyProject.objects.create(year=2023, name="产业园", responsible_unit=world.unit_a)
    enterprise = KeyEnterprise.objects.create(name="零傲新材料", unit=world.unit_a)
    for name, user in world.users().items():
        page, (api, _) = client_for(user), token_client(user)

        def status(url_name, *args, page=page):
            return page.get(reverse(f"indicators:{url_name}", args=args)).status_code

        cases = [
            ("indicator_create", (), "post", "/indicators",
             indicator_body(world, name=f"{name}指标"), True),
            ("indicator_edit", (indicator.pk,), "put", f"/indicators/{indicator.pk}",
             indicator_body(world, name=f"{name}改"), False),
            ("indicator_year", (indicator.pk,), "put", f"/indicators/{indicator.pk}/years/2023",
             {"annual_target": 100}, False),
            ("project_create", (), "post", "/key-projects",
             project_body(world, name=f"{name}项目"), True),
            ("project_edit", (project.pk,), "put", f"/key-projects/{project.pk}",
             project_body(world, name=f"{name}改"), False),
            ("enterprise_create", (), "post", "/key-enterprises", {"name": f"{name}企业"}, True),
            ("enterprise_edit", (enterprise.pk,), "put", f"/key-enterprises/{enterprise.pk}",
             {"name": f"{name}改", "unit": world.unit_a.pk}, False),
        ]  # fmt: skip
        for url_name, args, method, url, body, creates in cases:
            expected = _answer(status(url_name, *args), creates)
            response = send(api, method, url, body)
            assert response.status_code == expected, (name, url_name, response.content)
        reads = [
            ("indicator_year", (indicator.pk,), f"/indicators/{indicator.pk}/years/2023"),
            ("enterprise_list", (), "/key-enterprises"),
            ("enterprise_edit", (enterprise.pk,), f"/key-enterprises/{enterprise.pk}"),
        ]
        for url_name, args, url in reads:
            assert api.get(f"/api/v1{url}").status_code == status(url_name, *args), (name, url)
    read, _ = token_client(world.coordinator, scope="read")
    assert send(read, "post", "/key-enterprises", {"name": "只读"}).status_code == 403
    assert send(read, "post", "/indicators", indicator_body(world, name="只读")).status_code == 403


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_retried_write_with_its_key_is_replayed(world, token_client, method):
    indicator = make_indicator("旧名", world.unit_a)
    api, _ = token_client(world.coordinator)
    url = "/indicators" if method == "post" else f"/indicators/{indicator.pk}"
    key = {"HTTP_IDEMPOTENCY_KEY": f"indicator-{method}-1"}
    body = versioned(f"/api/v1{url}", indicator_body(world))  # the same body twice
    first = send(api, method, url, body, **key)
    again = send(api, method, url, body, **key)
    assert first.status_code == again.status_code == {"post": 201, "put": 200}[method]
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert Indicator.objects.filter(name="固定资产投资").count() == 1
    saved = Indicator.objects.get(name="固定资产投资")
    assert actions(saved)[-1] == (AuditAction.CREATE if method == "post" else AuditAction.UPDATE)
    assert len(actions(saved)) == 1
