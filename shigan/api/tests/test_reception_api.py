"""The reception rota (信访接待日) through the API is its pages: read by every role of the
district (the rota's and the day's page), a day added and edited (marked held) by the task
force as the 安排接待日 page does — ReceptionDayForm and reception_day_save, the same messages,
audited; each role's token writes exactly where the page lets the role; the day's id is what
POST /concerns takes as `reception_day`."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.models import ReceptionDay

from .versions import versioned

JSON = "application/json"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def make_day(world, date=datetime.date(2023, 7, 5), **values):
    return ReceptionDay.objects.create(
        campaign=world.campaign, date=date, leader=world.leader_person,
        **({"place": "区信访局"} | values),
    )  # fmt: skip


def body(world, **fields):
    return {"date": "2023-07-12", "leader": world.leader_person.pk, "place": "区信访局"} | fields


def post(client, data, **headers):
    return client.post("/api/v1/reception-days", json.dumps(data), content_type=JSON, **headers)


def put(client, day, data):
    """`data` sent; without a version, the one the day's detail answers now."""
    data = versioned(f"/api/v1/reception-days/{day.pk}", data)
    return client.put(f"/api/v1/reception-days/{day.pk}", json.dumps(data), content_type=JSON)


def test_the_task_force_adds_a_day_and_marks_it_held_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    created = post(api, body(world))
    assert created.status_code == 201, created.content
    day = ReceptionDay.objects.get()
    assert created.json() | {"id": None} == {
        "id": None, "campaign_id": world.campaign.pk, "date": "2023-07-12",
        "leader_id": world.leader_person.pk, "leader": world.leader_person.name,
        "place": "区信访局", "held": False, "missed": True, "visitors": 0, "note": "",
        "concern_count": 0,  # missed: past and not held (未开展)
    }  # fmt: skip
    held = put(api, day, body(world, held=True, visitors=7, note="接待7人次"))
    assert held.status_code == 200, held.content
    assert (held.json()["held"], held.json()["visitors"]) == (True, 7)
    actions = AuditEntry.objects.filter(record_type="grassroots.receptionday")
    assert sorted(actions.values_list("action", flat=True)) == sorted(
        [AuditAction.CREATE, AuditAction.UPDATE]
    )
    assert api.get(f"/api/v1/reception-days/{day.pk}").json() == held.json()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": "2023-08-01", "held": True}, "held", "还未到，不能登记为已开展"),
        ({"visitors": 3}, "visitors", "未开展的接待日不能登记接待人次"),
        ({"date": "2023-02-30"}, "date", "接待日期"),
        ({"leader": 999999}, "leader", "人员不存在"),
        ({"place": ""}, "place", "这个字段是必填项"),
    ],
)
def test_bad_input_is_refused_with_the_pages_message(world, token_client, change, field, message):
    api, _ = token_client(world.coordinator)
    response = post(api, body(world) | change)
    assert response.status_code == 422, response.content
    assert any(e["field"] == field for e in response.json()["errors"]), response.json()
    assert message in response.json()["detail"]
    assert not ReceptionDay.objects.exists()


def test_a_leader_receives_once_a_day_and_unknown_fields_are_refused(world, token_client):
    make_day(world, date=datetime.date(2023, 7, 12))
    api, _ = token_client(world.coordinator)
    again = post(api, body(world, place="另一处"))
    assert again.status_code == 422 and "已有接待安排" in again.json()["detail"]
    unknown = post(api, body(world, date="2023-07-13", visitor=3))
    assert unknown.status_code == 422 and ReceptionDay.objects.count() == 1


def test_each_roles_token_reads_and_writes_the_rota_as_the_page(world, token_client, client_for):
    shown = make_day(world)
    for name, user in world.users().items():
        page, (api, _) = client_for(user), token_client(user)
        create_page = page.get(reverse("grassroots:reception_create")).status_code
        created = post(api, body(world, place=name))
        assert created.status_code == {200: 201}.get(create_page, create_page), (name, created)
        edit_page = page.get(reverse("grassroots:reception_edit", args=[shown.pk])).status_code
        edited = put(api, shown, body(world, date="2023-07-05", place=f"{name}改"))
        assert edited.status_code == edit_page, (name, edited.content)
        detail_page = page.get(reverse("grassroots:reception_detail", args=[shown.pk]))
        detail = api.get(f"/api/v1/reception-days/{shown.pk}").status_code
        assert detail == detail_page.status_code, name
        listed = {d["id"] for d in api.get("/api/v1/reception-days?limit=100").json()["items"]}
        list_page = page.get(reverse("grassroots:reception_list")).content.decode()
        for day in ReceptionDay.objects.all():
            in_page = reverse("grassroots:reception_detail", args=[day.pk]) in list_page
            assert (day.pk in listed) == in_page, (name, day.place)
        ReceptionDay.objects.exclude(pk=shown.pk).delete()  # the next role adds its own
    read, _ = token_client(world.coordinator, scope="read")
    assert post(read, body(world)).status_code == 403


def test_the_list_runs_the_same_queries_for_one_and_many_days(world, token_client):
    api, _ = token_client(world.coordinator)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/reception-days")
        assert response.status_code == 200
        return len(response.json()["items"]), len(queries)

    make_day(world)
    count()  # the token's first use is recorded once, not counted here
    one = count()
    for n in range(1, 5):
        make_day(world, date=datetime.date(2023, 6, n), held=True, visitors=n)
    many = count()
    assert (one[0], many[0]) == (1, 5)
    assert one[1] == many[1], (one, many)
    assert one[1] == 5, one  # token, caller, his district, the page's ids, the rows


def test_the_days_id_is_what_a_reception_concern_takes(world, token_client):
    from shigan.grassroots.tests.concern_helpers import category

    api, _ = token_client(world.coordinator)
    day = post(api, body(world, date="2023-07-05")).json()
    concern = {"source": "reception", "received_on": "2023-07-05", "reception_day": day["id"],
               "category": category(world).pk, "requester_name": "张三", "content": "路灯不亮"}  # fmt: skip
    response = api.post("/api/v1/concerns", json.dumps(concern), content_type=JSON)
    assert response.status_code == 201, response.content
    assert api.get(f"/api/v1/reception-days/{day['id']}").json()["concern_count"] == 1
