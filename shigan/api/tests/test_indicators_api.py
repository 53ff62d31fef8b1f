"""/api/v1/indicators and /api/v1/key-projects: read through indicators.access (every person of a
district reads all of its indicators; key projects by their responsible unit), the figures as
the indicator table computes them (indicators.queries.indicator_table), cursor pages, a bounded
number of queries, 404 problem outside the scope."""

import datetime
from decimal import Decimal

import pytest

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries
from shigan.indicators.models import Actual, IndicatorYear, KeyProject
from shigan.indicators.services import actual_submit
from shigan.indicators.tests.conftest import make_indicator

from .test_task_list import walk


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


@pytest.fixture
def investment(world):
    indicator = make_indicator("固定资产投资", world.unit_a)
    IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=Decimal(74160))
    return indicator


def file(world, indicator, month, value):
    return actual_submit(
        indicator=indicator, year=2023, month=month, value=Decimal(value), is_estimate=False,
        note="", by=world.coordinator, unit=indicator.responsible_unit,
    )  # fmt: skip


def test_the_figures_are_the_indicator_tables(world, investment, token_client):
    file(world, investment, 6, 37080)
    api, _ = token_client(world.reporter_b, scope="read")
    (item,) = api.get("/api/v1/indicators").json()["items"]
    # June's figure (the latest filed): 37080 of 74160 is 50.0%, 序时进度 6/12 = 50.0%.
    assert item["month"] == 6 and Decimal(item["target"]) == 74160
    assert Decimal(item["value"]) == 37080
    assert Decimal(item["completion_pct"]) == Decimal("50.0")
    assert Decimal(item["time_progress_pct"]) == Decimal("50.0")
    assert item["status"] == "green" and item["status_label"] == "达序时"
    july = api.get("/api/v1/indicators?month=7").json()["items"][0]
    assert july["value"] is None and july["status"] == "missing"
    detail = api.get(f"/api/v1/indicators/{investment.pk}").json()
    assert [(a["month"], Decimal(a["value"])) for a in detail["actuals"]] == [(6, 37080)]


def test_a_correction_is_listed_beside_the_entry_it_replaces(world, investment, token_client):
    first = file(world, investment, 6, 37080)
    actual_submit(
        indicator=investment, year=2023, month=6, value=Decimal(38000), is_estimate=False,
        note="", by=world.coordinator, unit=world.unit_a, corrects=first, reason="统计口径调整",
    )  # fmt: skip
    api, _ = token_client(world.coordinator)
    body = api.get(f"/api/v1/indicators/{investment.pk}?year=2023").json()
    assert Decimal(body["value"]) == 38000
    assert [a["corrects_id"] for a in body["actuals"]] == [None, first.pk]


def test_another_districts_indicators_are_404(world, investment, other_district, token_client):
    other_coordinator, other_task = other_district
    theirs = make_indicator("高新区投资", other_task.lead_unit)
    ours, _ = token_client(world.reporter_a)
    assert [i["id"] for i in ours.get("/api/v1/indicators").json()["items"]] == [investment.pk]
    response = ours.get(f"/api/v1/indicators/{theirs.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "指标不存在或无权查看。"
    them, _ = token_client(other_coordinator)
    assert [i["id"] for i in them.get("/api/v1/indicators").json()["items"]] == [theirs.pk]


def test_indicator_pages_and_queries(world, token_client):
    api, _ = token_client(world.coordinator)

    made = []

    def grow(n):
        for _ in range(n):
            made.append(make_indicator(f"指标{len(made)}", world.unit_b))
            file(world, made[-1], 6, 100)

    grow(2)

    def run():
        response = api.get("/api/v1/indicators?limit=100")
        assert response.status_code == 200
        return response

    response = assert_same_queries(run, lambda: grow(30), at_most=10, warm_up=True)  # 3: 下级汇总
    assert len(response.json()["items"]) == 32
    seen, pages = walk(api, "/api/v1/indicators?limit=5")
    assert len(seen) == len(set(seen)) == 32 and seen == sorted(seen) and pages == 7


def project(world, name, unit):
    return KeyProject.objects.create(year=2023, name=name, responsible_unit=unit)


def test_key_projects_by_their_unit(world, other_district, token_client):
    a = project(world, "智能制造产业园", world.unit_a)
    b = project(world, "污水处理厂", world.unit_b)
    theirs = project(world, "高新区项目", other_district[1].lead_unit)
    expected = {
        world.coordinator: [a.pk, b.pk],
        world.leader: [a.pk],
        world.reporter_a: [a.pk],
        world.reporter_b: [b.pk],
        other_district[0]: [theirs.pk],
    }
    for user, projects in expected.items():
        api, _ = token_client(user, scope="read")
        assert [p["id"] for p in api.get("/api/v1/key-projects").json()["items"]] == projects
    reporter, _ = token_client(world.reporter_b)
    missing = reporter.get(f"/api/v1/key-projects/{a.pk}")
    assert missing.status_code == 404 and missing.json()["detail"] == "重点项目不存在或无权查看。"
    body = reporter.get(f"/api/v1/key-projects/{b.pk}").json()
    assert body["name"] == "污水处理厂" and body["nodes_total"] == 0


def test_key_project_pages_and_queries(world, token_client):
    api, _ = token_client(world.coordinator)

    def grow(n):
        KeyProject.objects.bulk_create(
            KeyProject(year=2023, name=f"项目{i}", responsible_unit=world.unit_a,
                       planned_start=datetime.date(2023, 3, 1))
            for i in range(n)
        )  # fmt: skip

    grow(2)

    def run():
        response = api.get("/api/v1/key-projects?limit=100&year=2023")
        assert response.status_code == 200
        return response

    response = assert_same_queries(run, lambda: grow(30), at_most=5, warm_up=True)
    assert len(response.json()["items"]) == 32
    seen, pages = walk(api, "/api/v1/key-projects?limit=10")
    assert len(seen) == len(set(seen)) == 32 and pages == 4


def test_filing_a_figure_as_the_monthly_report(world, investment, token_client):
    """Through indicators.services.actuals_submit: only who reports the indicator (403 for a
    reader), a correction needs its reason, the entry audited."""
    url = f"/api/v1/indicators/{investment.pk}/actuals"
    for user in (world.leader, world.reporter_b, world.inspector):
        api, _ = token_client(user)
        response = api.post(
            url, {"period": "2023-06", "value": "1"}, content_type="application/json"
        )
        assert response.status_code == 403, user
    api, _ = token_client(world.reporter_a)
    june = {"period": "2023-06", "value": "37080"}
    first = api.post(url, june, content_type="application/json")
    assert first.status_code == 201 and Decimal(first.json()["value"]) == 37080
    assert AuditEntry.objects.filter(record_id=first.json()["id"], actor=world.reporter_a).exists()
    again = api.post(url, june | {"value": "38000"}, content_type="application/json")
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "reason"
    assert "再次填报即为更正，请填写更正原因" in again.json()["detail"]
    fixed = api.post(
        url, june | {"value": "38000", "reason": "口径调整"}, content_type="application/json"
    )
    assert fixed.status_code == 201 and fixed.json()["corrects_id"] == first.json()["id"]
    future = api.post(url, {"period": "2023-09", "value": "1"}, content_type="application/json")
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "period"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("٣", "“٣”不是数字，请填写阿拉伯数字，如30000"),
        ("³", "“³”不是数字，请填写阿拉伯数字，如30000"),
        ("1e5", "“1e5”不是数字，请填写阿拉伯数字，如30000"),
        ("三万", "“三万”不是数字，请填写阿拉伯数字，如30000"),
        (True, "应为数字"),
    ],
)
def test_a_figure_is_read_by_the_projects_number_rule(
    world, investment, token_client, value, message
):
    """core.params.parse_number, as the monthly form reads a figure: nothing filed."""
    api, _ = token_client(world.reporter_a)
    url = f"/api/v1/indicators/{investment.pk}/actuals"
    response = api.post(url, {"period": "2023-06", "value": value}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "value", "detail": message}]
    full_width = api.post(
        url, {"period": "2023-06", "value": "３７，０８０"}, content_type="application/json"
    )
    assert full_width.status_code == 201 and Decimal(full_width.json()["value"]) == 37080


def test_an_enum_error_lists_the_values_in_chinese(world, token_client):
    api, _ = token_client(world.coordinator)
    response = api.get("/api/v1/tasks?status=late")
    assert response.status_code == 422
    detail = response.json()["errors"][0]["detail"]
    assert detail.startswith("取值应为overdue、behind、") and detail.endswith("cancelled之一")
    assert " or " not in detail and "'" not in detail


def test_the_months_current_figure_sent_again_files_nothing(world, investment, token_client):
    """As key-project figures: the same value, estimate flag and note again is 200 with the
    current entry, nothing filed or audited; another value still needs the correction reason."""
    url = f"/api/v1/indicators/{investment.pk}/actuals"
    api, _ = token_client(world.reporter_a)
    june = {"period": "2023-06", "value": "37080", "note": "含新开工项目"}
    first = api.post(url, june, content_type="application/json")
    assert first.status_code == 201, first.content
    filed, audited = Actual.objects.count(), AuditEntry.objects.count()
    again = api.post(url, june | {"value": "37,080.00"}, content_type="application/json")
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"] and Decimal(again.json()["value"]) == 37080
    assert (Actual.objects.count(), AuditEntry.objects.count()) == (filed, audited)
    other = api.post(url, june | {"value": "37081"}, content_type="application/json")
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "reason"
    assert Actual.objects.count() == filed
