"""A key project's monthly figures through the API are those of the unit's monthly report: who
files them (indicators.access.key_projects_for_report), the rules and the audit
(indicators.services.project_figures_submit), append-only with corrections."""

import datetime
from decimal import Decimal

import pytest

from shigan.core.models import AuditAction, AuditEntry
from shigan.indicators.models import KeyProject, ProjectFigure

JSON = "application/json"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


@pytest.fixture
def park(world):
    return KeyProject.objects.create(
        year=2023, name="智能制造产业园", responsible_unit=world.unit_a,
        contracted_investment=Decimal(50000), planned_investment_this_year=Decimal(20000),
    )  # fmt: skip


def file(client, project, **fields):
    body = {"period": "2023-06", "completed_investment": "8000", "funds_in_place": "12000"}
    url = f"/api/v1/key-projects/{project.pk}/figures"
    return client.post(url, body | fields, content_type=JSON)


def test_reporter_files_his_projects_month_and_the_project_follows(world, park, token_client):
    api, _ = token_client(world.reporter_a)
    response = file(api, park, started_on="2023-03-15")
    assert response.status_code == 201, response.content
    figure = ProjectFigure.objects.get()
    body = response.json()
    assert (body["id"], body["month"], body["unit_id"]) == (figure.pk, 6, world.unit_a.pk)
    assert Decimal(body["completed_investment"]) == 8000 and body["started_on"] == "2023-03-15"
    park.refresh_from_db()
    assert park.completed_investment_this_year == 8000 and park.funds_in_place == 12000
    assert park.actual_start == datetime.date(2023, 3, 15)
    entry = AuditEntry.objects.get(record_type="indicators.projectfigure")
    assert (entry.action, entry.actor, entry.record_id) == (
        AuditAction.SUBMIT, world.reporter_a, figure.pk,
    )  # fmt: skip
    detail = api.get(f"/api/v1/key-projects/{park.pk}").json()
    assert Decimal(detail["completed_investment_this_year"]) == 8000
    # the same figures again (a retry): nothing filed, the current entry answered
    again = file(api, park, started_on="2023-03-15")
    assert again.status_code == 200 and again.json() == body
    assert ProjectFigure.objects.count() == 1
    listed = api.get(f"/api/v1/key-projects/{park.pk}/figures").json()
    assert [f["id"] for f in listed] == [figure.pk]


def test_dates_not_sent_are_those_the_monthly_card_is_prefilled_with(world, park, token_client):
    park.actual_start = datetime.date(2023, 3, 1)
    park.save()
    api, _ = token_client(world.reporter_a)
    kept = file(api, park)  # only the amounts: the project's start stays
    assert kept.status_code == 201 and kept.json()["started_on"] == "2023-03-01"
    park.refresh_from_db()
    assert park.actual_start == datetime.date(2023, 3, 1)
    july = file(api, park, period="2023-07", completed_investment="9000", funds_in_place="13000")
    assert july.json()["started_on"] == "2023-03-01"  # June's entry's
    cleared = file(api, park, period="2023-07", started_on=None, reason="开工日期有误")
    assert cleared.status_code == 201 and cleared.json()["started_on"] is None
    park.refresh_from_db()
    assert park.actual_start is None


def test_a_refiled_month_is_a_correction_with_its_reason(world, park, token_client):
    api, _ = token_client(world.coordinator)
    first = file(api, park).json()
    refused = file(api, park, completed_investment="9000")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "reason", "detail": "6月已填报，再次填报即为更正，请填写更正原因"}
    ]
    fixed = file(api, park, completed_investment="9000", reason="统计口径调整", seen=first["id"])
    assert fixed.status_code == 201 and fixed.json()["corrects_id"] == first["id"]
    stale = file(api, park, completed_investment="9500", reason="再调", seen=first["id"])
    assert stale.status_code == 422 and stale.json()["errors"][0]["field"] == "seen"
    listed = api.get(f"/api/v1/key-projects/{park.pk}/figures").json()
    assert [f["corrects_id"] for f in listed] == [None, first["id"]]


def test_figures_breaking_the_rules_are_refused_naming_the_field(world, park, token_client):
    api, _ = token_client(world.reporter_a)
    assert file(api, park, period="2023-05").status_code == 201

    def errors(**fields):
        response = file(api, park, **fields)
        assert response.status_code == 422, response.content
        return response.json()["errors"]

    assert errors(period="2023-06", completed_investment="7000", funds_in_place="12000") == [
        {"field": "note", "detail": "本年累计完成投资7000低于上月的8000，请填写说明"}
    ]
    assert errors(period="2023-08")[0]["field"] == "period"  # a future month
    assert errors(period="2022-12") == [
        {"field": "period", "detail": "该项目为2023年重点项目，只能填报2023年的月份。"}
    ]
    assert errors(funds_in_place="-1", note="退回资金") == [
        {"field": "funds_in_place", "detail": "累计到位资金不能为负数"}
    ]
    assert errors(completed_investment="三千") == [
        {"field": "completed_investment", "detail": "“三千”不是数字，请填写阿拉伯数字，如30000"}
    ]
    assert errors(completed_on="2023-06-01")[0]["field"] == "started_on"
    # a number is not a date (pydantic alone reads 0 as 1970-01-01)
    assert errors(started_on=0) == [{"field": "started_on", "detail": "应为日期（YYYY-MM-DD）"}]
    assert errors(started_on="2023-02-30") == [
        {"field": "started_on", "detail": "日期“2023-02-30”不是存在的日期"}
    ]
    assert ProjectFigure.objects.count() == 1


def test_filing_is_refused_as_the_monthly_report_refuses_it(
    world, park, other_district, token_client
):
    for user in (world.leader, world.inspector):  # they read the project, file nothing
        api, _ = token_client(user)
        denied = file(api, park)
        assert denied.status_code == 403, user
        assert denied.json()["detail"] == "只有该项目的责任单位或本级专班可以填报。"
    for user in (world.reporter_b, other_district[0]):
        api, _ = token_client(user)
        assert file(api, park).status_code == 404, user
        assert api.get(f"/api/v1/key-projects/{park.pk}/figures").status_code == 404
    read_only, _ = token_client(world.reporter_a, scope="read")
    assert file(read_only, park).status_code == 403
    assert not ProjectFigure.objects.exists()
