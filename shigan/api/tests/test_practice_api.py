"""Practice activities (实践活动) through the API are their pages: the activities read by every
role of the district, named and renamed by the task force of their level (PracticeActivityForm,
practice_activity_create/update, audited); the events read as the page lists them (a reporter
his unit's, a leader the units he oversees) and entered as 录入开展情况 does (PracticeEventForm,
practice_event_record: the task force for any unit, a reporter his own); the page's counts.
Each role's token answers what the role's page answers; Idempotency-Key replays; the pages'
messages on the fields they name."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.models import PracticeActivity, PracticeEvent
from shigan.grassroots.tests.visit_helpers import visit as make_visit

from .versions import versioned

JSON = "application/json"
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def red(world):
    return PracticeActivity.objects.create(campaign=world.campaign, name="红色屋场", sort_order=1)


def make_event(world, activity, unit, *, date=None, place="村部", people=10, served=5):
    return PracticeEvent.objects.create(
        activity=activity, date=date or D(2023, 6, 2), place=place, organiser=unit, participants=people,
        beneficiaries=served, summary="宣讲", created_by=world.coordinator,
    )  # fmt: skip


def event_body(world, of, **fields):
    return {
        "activity": of.pk, "date": "2023-07-10", "place": "村部广场",
        "organiser": world.unit_a.pk, "participants": 30, "beneficiaries": 120,
        "summary": "理论宣讲进村",
    } | fields  # fmt: skip


def send(client, method, url, data, **headers):
    """`data` sent; a PUT without a version sends the one the record's detail answers now."""
    if method == "put":
        data = versioned(url, data)
    return getattr(client, method)(url, json.dumps(data), content_type=JSON, **headers)


def fields_of(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def test_the_task_force_names_and_renames_an_activity_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    PracticeActivity.objects.create(campaign=world.campaign, name="已有", sort_order=0)
    created = send(api, "post", "/api/v1/practice-activities", {"name": "  红色屋场 "})
    assert created.status_code == 201, created.content
    activity = PracticeActivity.objects.get(name="红色屋场")
    assert created.json() == {
        "id": activity.pk, "campaign_id": world.campaign.pk, "name": "红色屋场",
        "description": "", "sort_order": 1,  # after the one already named
    }  # fmt: skip
    url = f"/api/v1/practice-activities/{activity.pk}"
    renamed = send(api, "put", url, {"name": "红色屋场夜话", "description": "每月一次"})
    assert renamed.status_code == 200, renamed.content
    assert (renamed.json()["name"], renamed.json()["description"]) == ("红色屋场夜话", "每月一次")
    assert api.get(url).json() == renamed.json()
    entries = AuditEntry.objects.filter(
        record_type="grassroots.practiceactivity", record_id=activity.pk
    )
    assert sorted(entries.values_list("action", flat=True)) == sorted(
        [AuditAction.CREATE, AuditAction.UPDATE]
    )
    update = entries.get(action=AuditAction.UPDATE)
    assert update.changes == {"实践活动": ["红色屋场", "红色屋场夜话"], "说明": ["", "每月一次"]}


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": "已有"}, "name", "实践活动“已有”已存在。"),
        ({"name": "\u200b"}, "name", "这个字段是必填项"),
        ({"name": "甲" * 101}, "name", "不能超过100个字符"),
        ({"name": "乙", "campaign": 999999}, None, "活动不存在或无权查看"),
        ({"name": "乙", "colour": "红"}, "colour", ""),
    ],
)
def test_a_bad_activity_is_refused_with_the_pages_message(
    world, token_client, body, field, message
):
    PracticeActivity.objects.create(campaign=world.campaign, name="已有")
    api, _ = token_client(world.coordinator)
    response = send(api, "post", "/api/v1/practice-activities", body)
    assert response.status_code == (404 if field is None else 422), response.content
    assert message in response.json()["detail"]
    if field:
        assert field in fields_of(response), response.json()
    assert PracticeActivity.objects.count() == 1


def test_a_rename_to_another_activitys_name_is_refused(world, token_client, red):
    PracticeActivity.objects.create(campaign=world.campaign, name="文明新风", sort_order=2)
    api, _ = token_client(world.coordinator)
    response = send(api, "put", f"/api/v1/practice-activities/{red.pk}", {"name": "文明新风"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "name", "detail": "实践活动“文明新风”已存在。"}]
    red.refresh_from_db()
    assert red.name == "红色屋场"


def test_an_event_is_recorded_audited_and_read_back(world, token_client, red):
    api, _ = token_client(world.coordinator)
    visit = make_visit(world, unit=world.unit_a)
    response = send(api, "post", "/api/v1/practice-events", event_body(world, red, visit=visit.pk))
    assert response.status_code == 201, response.content
    event = PracticeEvent.objects.get()
    assert response.json() == {
        "id": event.pk, "campaign_id": world.campaign.pk, "activity_id": red.pk,
        "activity": "红色屋场", "date": "2023-07-10", "place": "村部广场",
        "organiser_id": world.unit_a.pk, "organiser": world.unit_a.label, "participants": 30,
        "beneficiaries": 120, "summary": "理论宣讲进村", "visit_id": visit.pk,
    }  # fmt: skip
    assert api.get(f"/api/v1/practice-events/{event.pk}").json() == response.json()
    entry = AuditEntry.objects.get(record_type="grassroots.practiceevent", record_id=event.pk)
    assert (entry.action, entry.actor_id) == (AuditAction.CREATE, world.coordinator.pk)


def test_a_reporter_records_for_his_own_unit_only(world, token_client, red):
    api, _ = token_client(world.reporter_a)
    body = event_body(world, red)
    del body["organiser"], body["beneficiaries"]  # his unit, as the page preselects; 0
    own = send(api, "post", "/api/v1/practice-events", body)
    assert own.status_code == 201, own.content
    assert (own.json()["organiser_id"], own.json()["beneficiaries"]) == (world.unit_a.pk, 0)
    other = send(api, "post", "/api/v1/practice-events", body | {"organiser": world.unit_b.pk})
    assert other.status_code == 422
    assert other.json()["errors"] == [{"field": "organiser", "detail": "单位不存在，请重新选择。"}]
    assert PracticeEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": "2023-07-21"}, "date", "活动日期2023-07-21晚于今天，请在活动开展后录入。"),
        ({"date": "2023-02-30"}, "date", "活动日期"),
        ({"participants": 0}, "participants", "不能小于1"),
        ({"beneficiaries": -1}, "beneficiaries", "不能小于0"),
        ({"participants": "三十"}, "participants", "应为整数"),
        ({"activity": 999999}, "activity", "实践活动不存在，请重新选择。"),
        ({"visit": 999999}, "visit", "走访记录不存在，请重新选择。"),
        ({"organiser": None}, "organiser", "请选择组织单位。"),
        ({"place": "\u200b\u3000"}, "place", "这个字段是必填项"),
        ({"summary": "甲" * 4001}, "summary", "不能超过4000个字符"),
    ],
)
def test_a_bad_event_is_refused_naming_the_field(world, token_client, red, change, field, message):
    api, _ = token_client(world.coordinator)
    response = send(api, "post", "/api/v1/practice-events", event_body(world, red, **change))
    assert response.status_code == 422, response.content
    assert field in fields_of(response), response.json()
    assert message in response.json()["detail"]
    assert not PracticeEvent.objects.exists()


def test_another_districts_activity_and_events_read_as_missing(
    world, token_client, red, other_district
):
    from shigan.campaigns.models import Campaign

    theirs = PracticeActivity.objects.create(
        campaign=Campaign.objects.get(name="高新区实干年"), name="他区屋场"
    )
    their_event = make_event(world, theirs, world.unit_a)  # even organised by a unit of ours
    api, _ = token_client(world.coordinator)
    for url in (
        f"/api/v1/practice-activities/{theirs.pk}",
        f"/api/v1/practice-events/{their_event.pk}",
    ):
        missing = api.get(url.rsplit("/", 1)[0] + "/999999")
        found = api.get(url)
        assert found.status_code == missing.status_code == 404
        assert found.json()["detail"] == missing.json()["detail"]
    edit = send(api, "put", f"/api/v1/practice-activities/{theirs.pk}", {"name": "改"})
    assert edit.status_code == 404
    refused = send(api, "post", "/api/v1/practice-events", event_body(world, theirs))
    assert refused.status_code == 422 and fields_of(refused) == {"activity"}
    assert [a["id"] for a in api.get("/api/v1/practice-activities").json()["items"]] == [red.pk]


def test_each_roles_token_reads_and_writes_as_the_page(world, token_client, client_for, red):
    events = {
        "甲": make_event(world, red, world.unit_a, place="交通局村部甲"),
        "乙": make_event(world, red, world.unit_b, place="水务局村部乙"),
    }
    for name, user in world.users().items():
        page, (api, _) = client_for(user), token_client(user)
        # naming an activity: the page's POST (302 saved, 403 refused) and the API's
        page_post = page.post(
            reverse("grassroots:practice_activity_create"), {"name": f"页{name}"}
        ).status_code
        api_post = send(api, "post", "/api/v1/practice-activities", {"name": f"接口{name}"})
        assert api_post.status_code == {302: 201}.get(page_post, page_post), name
        edit_page = page.get(reverse("grassroots:practice_activity_edit", args=[red.pk]))
        edited = send(api, "put", f"/api/v1/practice-activities/{red.pk}", {"name": "红色屋场"})
        assert edited.status_code == edit_page.status_code, (name, edited.content)
        event_page = page.get(reverse("grassroots:practice_event_create")).status_code
        body = event_body(world, red, place=f"{name}录入")
        if user == world.reporter_b:
            body["organiser"] = world.unit_b.pk
        recorded = send(api, "post", "/api/v1/practice-events", body)
        assert recorded.status_code == {200: 201}.get(event_page, event_page), (name, recorded)
        PracticeActivity.objects.exclude(pk=red.pk).delete()
        PracticeEvent.objects.exclude(pk__in=[e.pk for e in events.values()]).delete()
        # reads: the events the page lists, the activities it names
        list_page = page.get(reverse("grassroots:practice_list")).content.decode()
        listed = {e["id"] for e in api.get("/api/v1/practice-events").json()["items"]}
        for event in events.values():
            assert (event.pk in listed) == (event.place in list_page), (name, event.place)
            detail = api.get(f"/api/v1/practice-events/{event.pk}").status_code
            assert detail == (200 if event.pk in listed else 404), (name, event.place)
        names = [a["name"] for a in api.get("/api/v1/practice-activities").json()["items"]]
        assert names == ["红色屋场"] and "红色屋场" in list_page, name
        counts = api.get("/api/v1/practice-counts").json()["total"]
        assert f"共开展{counts['events']}次，参与{counts['participants']}人次" in list_page, name
    read, _ = token_client(world.coordinator, scope="read")
    assert send(read, "post", "/api/v1/practice-activities", {"name": "只读"}).status_code == 403
    assert send(read, "post", "/api/v1/practice-events", event_body(world, red)).status_code == 403


def test_each_role_sees_the_expected_events(world, token_client, red):
    a = make_event(world, red, world.unit_a)
    b = make_event(world, red, world.unit_b)
    expected = {
        "coordinator": {a.pk, b.pk}, "inspector": {a.pk, b.pk}, "leader": {a.pk},
        "reporter_a": {a.pk}, "reporter_b": {b.pk},
    }  # fmt: skip
    for name, user in world.users().items():
        api, _ = token_client(user)
        got = {e["id"] for e in api.get("/api/v1/practice-events").json()["items"]}
        assert got == expected[name], name


def test_the_counts_are_the_pages(world, token_client, red):
    env = PracticeActivity.objects.create(campaign=world.campaign, name="共同缔造", sort_order=2)
    make_event(world, red, world.unit_a, date=D(2023, 5, 10), people=30, served=100)
    make_event(world, red, world.unit_b, date=D(2023, 6, 2), people=20, served=50)
    make_event(world, env, world.unit_a, date=D(2023, 6, 30), people=15, served=0)
    api, _ = token_client(world.coordinator)
    counts = api.get(f"/api/v1/practice-counts?campaign={world.campaign.pk}").json()

    def rows(key):
        return [
            (t["label"], t["events"], t["participants"], t["beneficiaries"]) for t in counts[key]
        ]

    assert rows("by_activity") == [("红色屋场", 2, 50, 150), ("共同缔造", 1, 15, 0)]
    assert rows("by_month") == [("2023年05月", 1, 30, 100), ("2023年06月", 2, 35, 50)]
    assert sorted(rows("by_unit")) == sorted(
        [(world.unit_a.name, 2, 45, 100), (world.unit_b.name, 1, 20, 50)]
    )
    assert counts["total"] == {
        "label": "合计",
        "events": 3,
        "participants": 65,
        "beneficiaries": 150,
    }
    reporter, _ = token_client(world.reporter_b)
    assert reporter.get("/api/v1/practice-counts").json()["total"]["events"] == 1
    assert api.get("/api/v1/practice-counts?campaign=999999").status_code == 404


def test_the_event_filters_and_pages(world, token_client, red):
    env = PracticeActivity.objects.create(campaign=world.campaign, name="共同缔造", sort_order=2)
    made = [
        make_event(world, red if n % 2 else env, world.unit_a if n < 4 else world.unit_b,
                   date=D(2023, n, 1))
        for n in range(1, 7)
    ]  # fmt: skip
    api, _ = token_client(world.coordinator)

    def ids(query):
        response = api.get(f"/api/v1/practice-events?{query}")
        assert response.status_code == 200, response.content
        return [e["id"] for e in response.json()["items"]]

    assert ids(f"activity={red.pk}") == [e.pk for e in made if e.activity_id == red.pk]
    assert ids(f"organiser={world.unit_b.pk}") == [e.pk for e in made[3:]]
    assert ids("date_from=2023-02-01&date_to=2023-04-01") == [e.pk for e in made[1:4]]
    first = api.get("/api/v1/practice-events?limit=4").json()
    second = api.get(f"/api/v1/practice-events?limit=4&cursor={first['next']}").json()
    assert [e["id"] for e in first["items"] + second["items"]] == [e.pk for e in made]
    assert second["next"] is None
    assert api.get("/api/v1/practice-events?colour=red").status_code == 422
    for bad in ("date_to=0", "date_from=2023-02-30"):  # not read as a timestamp; no such day
        refused = api.get(f"/api/v1/practice-events?{bad}")
        assert refused.status_code == 422 and fields_of(refused) == {bad.split("=")[0]}


def test_a_retried_record_with_its_key_is_replayed_not_doubled(world, token_client, red):
    api, _ = token_client(world.coordinator)
    for url, body, model in (
        ("/api/v1/practice-events", event_body(world, red), PracticeEvent),
        ("/api/v1/practice-activities", {"name": "文明新风"}, PracticeActivity),
    ):
        key = {"HTTP_IDEMPOTENCY_KEY": f"practice-{model.__name__}"}
        first = send(api, "post", url, body, **key)
        again = send(api, "post", url, body, **key)
        assert first.status_code == again.status_code == 201, first.content
        assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert PracticeEvent.objects.count() == 1
    assert PracticeActivity.objects.count() == 2


def test_hostile_text_is_kept_as_text(world, token_client, red, client_for):
    api, _ = token_client(world.coordinator)
    hostile = "<script>alert('x')</script>\u200b&amp;\u202e"
    body = event_body(world, red, place="村部<b>", summary=hostile)
    response = send(api, "post", "/api/v1/practice-events", body)
    assert response.status_code == 201, response.content
    stored = PracticeEvent.objects.get()
    assert response.json()["summary"] == stored.summary
    assert "<script>" in stored.summary and "\u200b" not in stored.summary  # cleaned as the form
    page = client_for(world.coordinator).get(reverse("grassroots:practice_list")).content.decode()
    assert "<script>alert" not in page and "村部&lt;b&gt;" in page
    nul = send(api, "post", "/api/v1/practice-activities", {"name": "甲\x00乙"})
    assert nul.status_code == 422 and fields_of(nul) == {"name"}


@pytest.mark.parametrize(
    "url", ["/api/v1/practice-events", "/api/v1/practice-activities", "/api/v1/practice-counts"]
)
def test_the_lists_run_the_same_queries_for_one_and_many(world, token_client, red, url):
    api, _ = token_client(world.coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url)
        assert response.status_code == 200, response.content
        return len(queries)

    make_event(world, red, world.unit_a)
    count()  # the token's first use is recorded once, not counted here
    one = count()
    for n in range(1, 6):
        activity = PracticeActivity.objects.create(campaign=world.campaign, name=f"活动{n}")
        make_event(world, activity, world.unit_b, date=D(2023, n, 3))
    many = count()
    assert one == many, (one, many)
    sizes = {"/api/v1/practice-events": 6, "/api/v1/practice-activities": 6}
    if url in sizes:
        assert len(api.get(url).json()["items"]) == sizes[url]
