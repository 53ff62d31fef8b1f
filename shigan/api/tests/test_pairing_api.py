"""结对帮扶 through the API is its pages: read by every role as the list and the pairing's page
read (grassroots.access.pairings_visible_to), a pairing made and adjusted or ended by the task
force as the pages do — PairingForm/pairing_create and PairingEditForm/pairing_update, the same
messages on the body's fields, audited with before and after; the 90-day flag as the page's
(超过90天未走访); each role's token answers what the page answers; Idempotency-Key replays."""

import datetime
import json

import pytest
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries
from shigan.grassroots.models import Pairing, PlaceKind, Visit

from .versions import versioned

JSON = "application/json"
URL = "/api/v1/pairings"
D = datetime.date
START = D(2023, 3, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def make_pairing(world, name="张大爷家", cadre=None, started_on=START):
    return Pairing.objects.create(
        campaign=world.campaign, cadre=cadre or world.reporter_a.person, target_kind="household",
        target_name=name, place_unit=world.unit_a, started_on=started_on,
    )  # fmt: skip


def make_visit(world, pairing, date, what="帮助申请低保"):
    visit = Visit.objects.create(
        campaign=world.campaign, date=date, unit=world.unit_a, place_kind=PlaceKind.HOUSEHOLD,
        place="张大爷家", what_done=what, pairing=pairing, created_by=world.coordinator,
    )  # fmt: skip
    visit.cadres.add(world.reporter_a.person)
    return visit


def body(world, **fields):
    return {
        "cadre": world.reporter_a.person.pk, "target_kind": "household", "target_name": "李奶奶家",
        "place_unit": world.unit_a.pk, "started_on": "2023-07-01", "note": "代办医保报销",
    } | fields  # fmt: skip


def edit_body(**fields):
    return {"target_name": "李奶奶家", "note": "代办医保报销", "ended_on": None} | fields


def post(client, data, **headers):
    return client.post(URL, json.dumps(data), content_type=JSON, **headers)


def put(client, pairing, data):
    """`data` sent; without a version, the one the pairing's detail answers now."""
    data = versioned(f"{URL}/{pairing.pk}", data)
    return client.put(f"{URL}/{pairing.pk}", json.dumps(data), content_type=JSON)


def audited(pairing) -> list:
    entries = AuditEntry.objects.filter(record_type="grassroots.pairing", record_id=pairing.pk)
    return list(entries.order_by("id").values_list("action", flat=True))


def test_the_task_force_pairs_a_cadre_and_ends_the_pairing_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    created = post(api, body(world))
    assert created.status_code == 201, created.content
    pairing = Pairing.objects.get()
    assert created.json() | {"id": None, "version": None} == {
        "id": None, "campaign_id": world.campaign.pk, "cadre_id": world.reporter_a.person.pk,
        "cadre": "王填报", "cadre_unit_id": world.unit_a.pk, "cadre_unit": "区交通局",
        "target_kind": "household", "target_kind_label": "农户/居民户", "target_name": "李奶奶家",
        "place_unit_id": world.unit_a.pk, "place_unit": "区交通局", "started_on": "2023-07-01",
        "ended_on": None, "note": "代办医保报销", "visits": 0, "last_visit": None,
        "stale": False, "visit_list": [], "version": None,
    }  # fmt: skip
    ended = put(api, pairing, edit_body(target_name="李奶奶", ended_on="2023-07-15"))
    assert ended.status_code == 200, ended.content
    assert (ended.json()["target_name"], ended.json()["ended_on"]) == ("李奶奶", "2023-07-15")
    assert audited(pairing) == [AuditAction.CREATE, AuditAction.UPDATE]
    update = AuditEntry.objects.get(record_id=pairing.pk, action=AuditAction.UPDATE)
    assert update.actor_id == world.coordinator.pk
    assert "李奶奶家" in json.dumps(update.changes, ensure_ascii=False)
    assert api.get(f"{URL}/{pairing.pk}").json() == ended.json()


def test_the_flag_and_the_visits_are_the_pages(world, token_client):
    stale = make_pairing(world, "张大爷家")  # from 3-1: 141 days, no visit
    visited = make_pairing(world, "李奶奶家")
    make_visit(world, visited, D(2023, 4, 21), "入户")  # 90 days before 7-20: still counts
    make_visit(world, visited, D(2023, 4, 1), "初访")
    api, _ = token_client(world.leader)
    rows = {p["target_name"]: p for p in api.get(URL).json()["items"]}
    assert (rows["张大爷家"]["stale"], rows["李奶奶家"]["stale"]) == (True, False)
    assert (rows["李奶奶家"]["visits"], rows["李奶奶家"]["last_visit"]) == (2, "2023-04-21")
    detail = api.get(f"{URL}/{visited.pk}").json()
    assert [(v["date"], v["what_done"], v["cadres"]) for v in detail["visit_list"]] == [
        ("2023-04-21", "入户", ["王填报"]), ("2023-04-01", "初访", ["王填报"])
    ]  # fmt: skip
    page = api.get(f"{URL}/{stale.pk}").json()
    assert page["stale"] is True and page["visit_list"] == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"started_on": "2023-07-21"}, "started_on", "结对日期2023-07-21晚于今天"),
        ({"target_name": "\u200b "}, "target_name", "这个字段是必填项"),
        ({"cadre": 999999}, "cadre", "人员不存在"),
        ({"place_unit": 999999}, "place_unit", "单位不存在"),
        ({"target_kind": "family"}, "target_kind", "取值应为household、village、enterprise之一"),
        ({"started_on": "2023-13-01"}, "started_on", "日期"),
    ],
)
def test_bad_input_is_refused_with_the_pages_message(world, token_client, change, field, message):
    api, _ = token_client(world.coordinator)
    response = post(api, body(world) | change)
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert any(e["field"] == field for e in response.json()["errors"]), response.json()
    assert message in response.json()["detail"]
    assert not Pairing.objects.exists()


def test_an_end_before_the_start_is_refused_and_nothing_changes(world, token_client):
    pairing = make_pairing(world)
    api, _ = token_client(world.coordinator)
    response = put(api, pairing, edit_body(target_name="改名", ended_on="2023-02-28"))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "ended_on", "detail": "结束日期2023-02-28早于结对日期2023-03-01。"}
    ]
    pairing.refresh_from_db()
    assert (pairing.target_name, pairing.ended_on, audited(pairing)) == ("张大爷家", None, [])
    assert put(api, pairing, {"target_name": "改名"}).status_code == 200  # the rest optional
    missing = put(api, pairing, {"note": "x"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "target_name"


def test_hostile_text_is_kept_as_text_and_unknown_fields_refused(world, token_client):
    api, _ = token_client(world.coordinator)
    name = "<img src=x onerror=alert(1)>李\u202e奶奶\u200b家"
    created = post(api, body(world, target_name=name, note="'; DELETE FROM grassroots_pairing;--"))
    assert created.status_code == 201, created.content
    assert created.json()["target_name"] == "<img src=x onerror=alert(1)>李奶奶家"
    assert Pairing.objects.get().note == "'; DELETE FROM grassroots_pairing;--"
    unknown = post(api, body(world, ended_on="2023-07-02"))
    assert unknown.status_code == 422 and "ended_on" in unknown.content.decode()
    nul = put(api, Pairing.objects.get(), edit_body(note="好\x00"))
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "note"
    assert Pairing.objects.count() == 1


def test_a_retried_post_with_its_key_is_replayed_not_doubled(world, token_client):
    api, _ = token_client(world.coordinator)
    key = {"HTTP_IDEMPOTENCY_KEY": "pairing-1"}
    first, again = post(api, body(world), **key), post(api, body(world), **key)
    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert Pairing.objects.count() == 1


def test_each_roles_token_reads_and_writes_as_the_pages(world, token_client, client_for):
    own = make_pairing(world, "交通局结对户")
    other = make_pairing(world, "水务局结对户", cadre=world.reporter_b.person)
    other.place_unit = world.unit_b
    other.save()
    leaders = make_pairing(world, "副区长结对村", cadre=world.leader_person)
    for name, user in world.users().items():
        page, (api, _) = client_for(user), token_client(user)
        create_page = page.get(reverse("grassroots:pairing_create")).status_code
        created = post(api, body(world, target_name=f"{name}户"))
        assert created.status_code == {200: 201}.get(create_page, create_page), (name, created)
        for pairing in (own, other, leaders):
            detail_page = page.get(reverse("grassroots:pairing_detail", args=[pairing.pk]))
            detail = api.get(f"{URL}/{pairing.pk}")
            assert detail.status_code == detail_page.status_code, (name, pairing.target_name)
            edit_page = page.get(reverse("grassroots:pairing_edit", args=[pairing.pk]))
            edited = put(api, pairing, edit_body(target_name=pairing.target_name))
            assert edited.status_code == edit_page.status_code, (name, edited.content)
        listed = {p["id"] for p in api.get(f"{URL}?limit=100").json()["items"]}
        list_page = page.get(reverse("grassroots:pairing_list")).content.decode()
        for pairing in Pairing.objects.all():
            in_page = reverse("grassroots:pairing_detail", args=[pairing.pk]) in list_page
            assert (pairing.pk in listed) == in_page, (name, pairing.target_name)
        Pairing.objects.exclude(pk__in=[own.pk, other.pk, leaders.pk]).delete()
    read, _ = token_client(world.coordinator, scope="read")
    assert post(read, body(world)).status_code == 403
    assert put(read, own, edit_body()).status_code == 403


def test_a_pairing_out_of_reach_reads_as_one_that_does_not_exist(
    world, token_client, other_district
):
    pairing = make_pairing(world)
    outsider, _ = token_client(world.reporter_b)
    stranger, _ = token_client(other_district[0])
    missing = token_client(world.coordinator)[0].get(f"{URL}/999999")
    for api in (outsider, stranger):
        hidden = api.get(f"{URL}/{pairing.pk}")
        assert (hidden.status_code, hidden.json()) == (404, missing.json())
        assert put(api, pairing, edit_body()).status_code == 404
    assert stranger.get(URL).json()["items"] == []


def test_the_list_pages_and_runs_the_same_queries_for_one_and_many(world, token_client):
    api, _ = token_client(world.coordinator)
    make_visit(world, make_pairing(world, "户1"), D(2023, 5, 1))
    api.get(URL)  # the token's first use is recorded once, not counted here

    def grow():
        for n in range(2, 6):
            make_visit(world, make_pairing(world, f"户{n}"), D(2023, 5, n))

    listed = assert_same_queries(lambda: api.get(URL), grow, exactly=5)
    assert [p["target_name"] for p in listed.json()["items"]] == [f"户{n}" for n in range(1, 6)]
    one = api.get(f"{URL}?limit=3").json()
    two = api.get(f"{URL}?limit=3&cursor={one['next']}").json()
    names = [p["target_name"] for p in one["items"] + two["items"]]
    assert names == [f"户{n}" for n in range(1, 6)] and two["next"] is None
    assert api.get(f"{URL}?campaign={world.campaign.pk + 1000}").json()["items"] == []
    assert api.get(f"{URL}?stale=1").status_code == 422  # not a filter


def test_the_detail_runs_the_same_queries_for_one_and_many_visits(world, token_client):
    api, _ = token_client(world.coordinator)
    pairing = make_pairing(world)
    make_visit(world, pairing, D(2023, 5, 1))
    url = f"{URL}/{pairing.pk}"
    api.get(url)

    def grow():
        for n in range(2, 6):
            make_visit(world, pairing, D(2023, 5, n))

    detail = assert_same_queries(lambda: api.get(url), grow)
    assert detail.json()["visits"] == len(detail.json()["visit_list"]) == 5
