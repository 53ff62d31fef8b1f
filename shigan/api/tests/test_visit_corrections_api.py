"""Correcting a visit (更正) through the API as on its 更正 page: the page's VisitEditForm, the
guarded save (`version`), grassroots.services.corrections.visit_correct (a reason, nothing
changed refused, the date kept once concerns were received on it, the before and after
audited); each role's token corrects exactly where the page lets the role (404 for whoever does
not read the visit, 403 for whoever only reads it); an Idempotency-Key replays a retried PUT;
a field the page does not take is refused."""

import json

import pytest
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.models import ConcernKind, Visit
from shigan.grassroots.services.concerns import ConcernInput
from shigan.grassroots.tests.concern_helpers import category
from shigan.grassroots.tests.visit_helpers import visit as make_visit

from .versions import versioned


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    settings.MEDIA_ROOT = tmp_path


def put(client, url, data, **headers):
    """PUT `data`; without a version (or with None), the one the record's detail answers now."""
    data = versioned(url, data)
    return client.put(url, json.dumps(data), content_type="application/json", **headers)


def fields(v, **changes):
    """The visit's facts as recorded, as the API takes them."""
    return {
        "kind": v.kind, "date": v.date.isoformat(), "cadres": [p.pk for p in v.cadres.all()],
        "place_kind": v.place_kind, "place": v.place, "people_met": v.people_met,
        "what_done": v.what_done,
    } | changes  # fmt: skip


def page_data(v, **changes):
    """The same as the 更正 page posts them."""
    return fields(v, place_unit="", **changes)


def corrections() -> int:
    return AuditEntry.objects.filter(
        record_type="grassroots.visit", action=AuditAction.UPDATE
    ).count()


def test_a_reporter_corrects_his_units_visit_with_reason_and_version(world, token_client):
    v = make_visit(world, unit=world.unit_a)
    api, _ = token_client(world.reporter_a)
    url = f"/api/v1/visits/{v.pk}"
    version = api.get(url).json()["version"]
    unreasoned = put(api, url, fields(v, place="清凉村五组"))
    assert unreasoned.status_code == 422
    assert unreasoned.json()["errors"] == [{"field": "reason", "detail": "请填写更正原因。"}]
    same = put(api, url, fields(v, reason="核对"))
    assert same.status_code == 422 and "没有修改任何内容" in same.json()["detail"]
    body = fields(
        v, place="清凉村五组", cadres=[world.reporter_a.person.pk], reason="录错地点",
        version=version,
    )  # fmt: skip
    fixed = put(api, url, body)
    assert fixed.status_code == 200, fixed.content
    answer = fixed.json()
    assert answer["place"] == "清凉村五组" and answer["cadre_ids"] == [world.reporter_a.person.pk]
    assert answer["version"] > version and answer["unit_id"] == world.unit_a.pk
    stale = put(api, url, body | {"place": "再改", "reason": "再改"})
    assert stale.status_code == 422 and stale.json()["errors"][0]["field"] == "version"
    assert "重新读取详情" in stale.json()["detail"]  # the API's words, not the page's
    assert Visit.objects.get().place == "清凉村五组"
    entry = AuditEntry.objects.get(record_type="grassroots.visit", action=AuditAction.UPDATE)
    assert entry.note == "更正原因：录错地点" and entry.actor == world.reporter_a
    assert entry.changes["地点"] == ["清凉村", "清凉村五组"]
    assert entry.changes["走访干部"] == [world.leader_person.name, world.reporter_a.person.name]


def test_the_date_stays_once_concerns_were_received_and_never_after_today(world, token_client):
    item = ConcernInput(kind=ConcernKind.REQUEST, category=category(world), requester_name="王",
                        content="路灯", assigned_unit=world.unit_a)  # fmt: skip
    with_concern = make_visit(world, unit=world.unit_a, concerns=[item])
    api, _ = token_client(world.coordinator)
    kept = put(api, f"/api/v1/visits/{with_concern.pk}",
               fields(with_concern, date="2023-06-02", reason="日期录错"))  # fmt: skip
    assert kept.status_code == 422, kept.content
    assert kept.json()["errors"][0]["field"] == "date"
    assert "已登记1件诉求" in kept.json()["detail"]
    bare = make_visit(world, unit=world.unit_a)
    late = put(api, f"/api/v1/visits/{bare.pk}", fields(bare, date="2099-01-01", reason="改"))
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "date"
    moved = put(api, f"/api/v1/visits/{bare.pk}", fields(bare, date="2023-06-02", reason="改"))
    assert moved.status_code == 200 and moved.json()["date"] == "2023-06-02"
    assert corrections() == 1


def test_unknown_fields_and_what_the_page_does_not_correct_are_refused(world, token_client):
    v = make_visit(world, unit=world.unit_a)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/visits/{v.pk}"
    for extra in ({"unit": world.unit_b.pk}, {"photos": []}, {"plase": "别处"}):
        response = put(api, url, fields(v, place="别处", reason="改") | extra)
        assert response.status_code == 422, extra
    other = put(api, url, fields(v, cadres=[999999], reason="改"))
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "cadres"
    assert corrections() == 0 and Visit.objects.get().place == "清凉村"


def test_each_roles_token_corrects_a_visit_as_the_page(world, token_client, client_for):
    """Page and API agree for every role: the page's POST (302 saved, 403, 404) and the API's
    PUT (200, 403, 404) on two visits alike — the first through the page, the second the API."""
    expected = {"coordinator": 200, "reporter_a": 200, "leader": 403, "inspector": 403,
                "reporter_b": 404}  # fmt: skip
    for name, user in world.users().items():
        by_page = make_visit(world, unit=world.unit_a)
        by_api = make_visit(world, unit=world.unit_a)
        page = (
            client_for(user)
            .post(
                reverse("grassroots:visit_edit", args=[by_page.pk]),
                page_data(by_page, place=f"页面{name}", reason="改"),
            )
            .status_code
        )
        api, _ = token_client(user)
        response = put(api, f"/api/v1/visits/{by_api.pk}", fields(by_api, place=name, reason="改"))
        assert {302: 200}.get(page, page) == response.status_code, (name, page, response.content)
        assert response.status_code == expected.get(name, response.status_code), name
        by_api.refresh_from_db()
        assert (by_api.place == name) == (response.status_code == 200), name
    read, _ = token_client(world.coordinator, scope="read")
    v = make_visit(world, unit=world.unit_a)
    assert (
        put(read, f"/api/v1/visits/{v.pk}", fields(v, place="读", reason="改")).status_code == 403
    )


def test_a_retried_correction_with_its_key_is_replayed_not_refused(world, token_client):
    v = make_visit(world, unit=world.unit_a)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/visits/{v.pk}"
    body = versioned(url, fields(v, place="清凉村六组", reason="地点录错"))  # read once
    key = {"HTTP_IDEMPOTENCY_KEY": "visit-correction-1"}
    first = put(api, url, body, **key)
    again = put(api, url, body, **key)
    assert first.status_code == again.status_code == 200, first.content
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert corrections() == 1
    # the same correction again (its version now), without the key: nothing to do
    without = put(api, url, body | {"version": None})
    assert without.status_code == 422 and corrections() == 1
    assert without.json()["errors"][0]["field"] != "version"
