"""The working-day calendar (工作日历) through the API is its pages: the task force alone reads
and writes it (403 with the page's message for every other role, as orgs:workday_list), an
override outside the caller's district or removed is 404 as on the edit page; adding, changing
and removing go through WorkdayOverrideForm / WorkdayRemoveForm and orgs.services.workdays —
the same messages, each write audited with its reason."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.orgs.models import WorkdayOverride

from .versions import versioned

JSON = "application/json"
# 2023-10-09 is a Monday, a working day nationally; 2023-10-07 a Saturday worked (调休).
MONDAY = datetime.date(2023, 10, 9)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def post(client, path, data, **headers):
    return client.post(f"/api/v1{path}", json.dumps(data), content_type=JSON, **headers)


def put(client, path, data):
    """`data` sent; without a version, the one the override's detail answers now."""
    data = versioned(f"/api/v1{path}", data)
    return client.put(f"/api/v1{path}", json.dumps(data), content_type=JSON)


def make(world, day=MONDAY, is_workday=False, reason="区运动会放假一天", **values):
    return WorkdayOverride.objects.create(
        district=world.district, date=day, is_workday=is_workday, reason=reason, **values
    )


def test_the_task_force_adds_changes_and_removes_an_override_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    body = {"date": "2023-10-09", "is_workday": False, "reason": "区运动会放假一天"}
    created = post(api, "/workdays", body)
    assert created.status_code == 201, created.content
    override = WorkdayOverride.objects.get()
    assert created.json() == {
        "id": override.pk, "date": "2023-10-09", "weekday": "一", "is_workday": False,
        "reason": "区运动会放假一天",
    }  # fmt: skip
    assert (override.district_id, override.is_workday) == (world.district.pk, False)
    changed = put(api, f"/workdays/{override.pk}", {"is_workday": False, "reason": "改期"})
    assert changed.status_code == 200 and changed.json()["reason"] == "改期"
    same = put(api, f"/workdays/{override.pk}", {"is_workday": False, "reason": "改期"})
    assert same.status_code == 200
    removed = post(api, f"/workdays/{override.pk}/remove", {"reason": "运动会取消"})
    assert removed.status_code == 204, removed.content
    override.refresh_from_db()
    assert override.active is False
    entries = AuditEntry.objects.filter(record_type="orgs.workdayoverride").order_by("id")
    assert [(e.action, e.note) for e in entries] == [
        (AuditAction.CREATE, "区运动会放假一天"),
        (AuditAction.UPDATE, "改期"),  # the same values again wrote nothing
        (AuditAction.DELETE, "运动会取消"),
    ]
    assert {e.actor_id for e in entries} == {world.coordinator.pk}
    assert api.get(f"/api/v1/workdays/{override.pk}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"date": "2023-10-09", "is_workday": True, "reason": "x"},
            "请求体",
            "按国家日历已是工作日",
        ),
        ({"date": "2023-02-30", "is_workday": False, "reason": "x"}, "date", "日期"),
        ({"date": "2023-10-09", "is_workday": False, "reason": ""}, "reason", "请填写原因"),
        ({"date": "2023-10-09", "is_workday": False, "reason": "长" * 201}, "reason", "200"),
    ],
)
def test_bad_input_is_refused_with_the_pages_message(world, token_client, body, field, message):
    api, _ = token_client(world.coordinator)
    response = post(api, "/workdays", body)
    assert response.status_code == 422, response.content
    assert any(e["field"] == field for e in response.json()["errors"]), response.json()
    assert message in response.json()["detail"], response.json()
    assert not WorkdayOverride.objects.exists()
    assert not AuditEntry.objects.filter(record_type="orgs.workdayoverride").exists()


def test_a_date_with_an_override_is_refused_and_a_removed_one_comes_back(world, token_client):
    api, _ = token_client(world.coordinator)
    shown = make(world)
    body = {"date": "2023-10-09", "is_workday": False, "reason": "再加一次"}
    again = post(api, "/workdays", body)
    assert again.status_code == 422 and "2023-10-09已有调整" in again.json()["detail"]
    assert post(api, f"/workdays/{shown.pk}/remove", {"reason": ""}).status_code == 422
    assert post(api, f"/workdays/{shown.pk}/remove", {"reason": "取消"}).status_code == 204
    back = post(api, "/workdays", body)
    assert back.status_code == 201 and back.json()["id"] == shown.pk
    unknown = post(api, "/workdays", body | {"date": "2023-10-10", "kind": 1})
    assert unknown.status_code == 422 and WorkdayOverride.objects.count() == 1


def test_each_roles_token_answers_as_the_calendar_pages(world, token_client, client_for):
    shown = make(world)
    for name, user in world.users().items():
        page, (api, _) = client_for(user), token_client(user)
        list_page = page.get(reverse("orgs:workday_list"))
        listed = api.get("/api/v1/workdays?year=2023")
        assert listed.status_code == list_page.status_code, name
        assert api.get("/api/v1/workdays/national").status_code == list_page.status_code
        edit_page = page.get(reverse("orgs:workday_edit", args=[shown.pk]))
        assert api.get(f"/api/v1/workdays/{shown.pk}").status_code == edit_page.status_code
        edited = put(api, f"/workdays/{shown.pk}", {"is_workday": False, "reason": name})
        assert edited.status_code == edit_page.status_code, (name, edited.content)
        if list_page.status_code == 200:
            assert [o["id"] for o in listed.json()["items"]] == [shown.pk]
            assert reverse("orgs:workday_edit", args=[shown.pk]) in list_page.content.decode()
        else:
            assert listed.json()["detail"] == "只有专班可以维护工作日历。"
            created = post(api, "/workdays", {"date": "2023-10-10", "is_workday": False})
            assert created.status_code == 403, name  # before the body is read
    read, _ = token_client(world.coordinator, scope="read")
    assert post(read, "/workdays", {}).status_code == 403


def test_another_districts_override_does_not_exist_for_the_caller(
    world, token_client, other_district
):
    coordinator_b, task_b = other_district
    theirs = WorkdayOverride.objects.create(
        district=task_b.lead_unit.parent, date=MONDAY, is_workday=False, reason="高新区放假"
    )
    api, _ = token_client(world.coordinator)
    answers = [
        api.get(f"/api/v1/workdays/{theirs.pk}"),
        put(api, f"/workdays/{theirs.pk}", {"is_workday": False, "reason": "x"}),
        post(api, f"/workdays/{theirs.pk}/remove", {"reason": "x"}),
        api.get("/api/v1/workdays/999999"),
    ]
    assert [(a.status_code, a.json()["detail"]) for a in answers] == [
        (404, "该工作日调整不存在。")
    ] * 4
    assert api.get("/api/v1/workdays?year=2023").json()["items"] == []
    theirs.refresh_from_db()
    assert (theirs.reason, theirs.active) == ("高新区放假", True)


def test_the_national_calendar_is_the_pages(world, token_client):
    api, _ = token_client(world.coordinator)
    national = api.get("/api/v1/workdays/national?year=2023").json()
    assert national["year"] == 2023 and national["coverage_note"] == ""
    by_date = {d["date"]: d for d in national["days"]}
    assert by_date["2023-10-07"]["is_workday"] is True  # 国庆调休 (a Saturday worked)
    assert by_date["2023-10-02"]["is_workday"] is False


def test_the_list_runs_the_same_queries_for_one_and_many_overrides(world, token_client):
    api, _ = token_client(world.coordinator)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/workdays?year=2023")
        assert response.status_code == 200
        return len(response.json()["items"]), len(queries)

    make(world)
    count()  # the token's first use is recorded once, not counted here
    one = count()
    for day in (11, 12, 13, 16):  # weekdays of October 2023
        make(world, day=datetime.date(2023, 10, day))
    make(world, day=datetime.date(2022, 10, 10))  # another year: not listed
    many = count()
    assert (one[0], many[0]) == (1, 5)
    assert one[1] == many[1], (one, many)
