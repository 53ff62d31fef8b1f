"""Visits (走访) through the API are the 走访 pages: read by the same scope (the list's and the
visit page's), recorded as the 录入走访 page records them — its form and concern formset, and
grassroots.services.visits.visit_record: the visit, its photos and the concerns raised there
all or nothing, audited; each role's token records exactly where the page lets the role."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.models import Concern, ConcernSource, Visit, VisitPhoto
from shigan.grassroots.tests.concern_helpers import category
from shigan.grassroots.tests.visit_helpers import PNG, png
from shigan.grassroots.tests.visit_helpers import visit as make_visit

JSON = "application/json"


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def concern_fields(world, **extra):
    return {"kind": "request", "category": category(world).pk, "requester_name": "王大爷",
            "requester_phone": "13812341234", "content": "村道坑洼",
            "assigned_unit": world.unit_a.pk} | extra  # fmt: skip


def body(world, **fields):
    return {
        "kind": "visit", "date": "2023-07-20", "unit": world.unit_a.pk,
        "cadres": [world.reporter_a.person.pk], "place_kind": "village", "place": "清凉村三组",
        "what_done": "入户走访，了解道路情况",
    } | fields  # fmt: skip


def post_multipart(client, data, *photos, headers=None):
    """`data` as multipart: cadres repeated, concerns as JSON text, photos as files."""
    data = dict(data)
    if "concerns" in data:
        data["concerns"] = json.dumps(data["concerns"], ensure_ascii=False)
    return client.post("/api/v1/visits", data | {"photos": list(photos)}, headers=headers)


def test_reporter_records_a_visit_with_photos_and_a_concern_audited(world, token_client):
    api, _ = token_client(world.reporter_a)
    data = body(world, concerns=[concern_fields(world)])
    response = post_multipart(api, data, png(), png("../二组.png"))
    assert response.status_code == 201, response.content
    visit = Visit.objects.get()
    concern = Concern.objects.get()
    assert (concern.visit, concern.source, str(concern.received_on)) == (
        visit, ConcernSource.VISIT, "2023-07-20",
    )  # fmt: skip
    assert [p.original_name for p in visit.photos.order_by("pk")] == ["现场.png", "二组.png"]
    shown = response.json()
    assert shown["id"] == visit.pk and shown["unit_id"] == world.unit_a.pk
    assert shown["cadre_ids"] == [world.reporter_a.person.pk] and shown["photo_count"] == 2
    assert [c["id"] for c in shown["concerns"]] == [concern.pk]
    assert shown["concerns"][0]["requester_phone"] == "138****1234"  # masked
    assert api.get(f"/api/v1/visits/{visit.pk}").json() == shown
    photo = api.get(shown["photos"][0]["download"])
    assert photo.status_code == 200 and b"".join(photo.streaming_content) == PNG
    audited = AuditEntry.objects.filter(action=AuditAction.CREATE, actor=world.reporter_a)
    kinds = sorted(audited.values_list("record_type", flat=True))
    assert kinds.count("grassroots.visit") == 1 and kinds.count("grassroots.concern") == 1
    assert kinds.count("grassroots.visitphoto") == 2


def test_a_json_body_records_a_visit_without_photos(world, token_client):
    api, _ = token_client(world.coordinator)
    response = api.post("/api/v1/visits", body(world), content_type=JSON)
    assert response.status_code == 201, response.content
    assert response.json()["photos"] == [] and Visit.objects.get().created_by == world.coordinator
    reporter, _ = token_client(world.reporter_b)
    own = api.post("/api/v1/visits", body(world, unit=None), content_type=JSON)
    assert own.status_code == 422 and own.json()["errors"][0]["field"] == "unit"  # 专班: 必填
    own = reporter.post("/api/v1/visits", body(world, unit=None), content_type=JSON)
    assert own.status_code == 201 and own.json()["unit_id"] == world.unit_b.pk  # his own unit


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("空.png", b"", "是空文件"),
        ("报告.pdf", b"%PDF-1.4\n", "不是照片"),
        ("假.png", b"MZ\x90\x00 not a png", "内容与扩展名 .png 不符"),
    ],
)
def test_a_refused_photo_saves_no_visit_no_concern_no_file(
    world, token_client, settings, name, content, message
):
    api, _ = token_client(world.reporter_a)
    data = body(world, concerns=[concern_fields(world)])
    response = post_multipart(api, data, png(), SimpleUploadedFile(name, content))
    assert response.status_code == 422, response.content
    assert message in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "photos"
    assert Visit.objects.count() == Concern.objects.count() == VisitPhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_a_refused_concern_or_visit_stores_no_photo(world, token_client, settings):
    api, _ = token_client(world.reporter_a)
    dispute = concern_fields(world, kind="dispute", parties="")
    response = post_multipart(api, body(world, concerns=[dispute]), png())
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [
        {"field": "concerns.0.parties", "detail": "矛盾纠纷须填写纠纷当事人。"}
    ]
    future = post_multipart(api, body(world, date="2023-08-01"), png())
    assert future.status_code == 422 and "晚于今天" in future.json()["detail"]
    other_unit = post_multipart(api, body(world, unit=world.unit_b.pk), png())
    assert other_unit.status_code == 422  # a reporter records his own unit's visits only
    assert other_unit.json()["errors"][0]["field"] == "unit"
    assert Visit.objects.count() == VisitPhoto.objects.count() == 0
    assert stored_files(settings) == []


def test_each_roles_token_records_and_reads_visits_as_the_page(world, token_client, client_for):
    shown = make_visit(world, unit=world.unit_a, photo=True)
    for name, user in world.users().items():
        page = client_for(user)
        api, _ = token_client(user)
        form = page.get("/grassroots/visits/new/").status_code
        data = body(world, unit=world.unit_a.pk, place=name)
        if name == "reporter_b":
            data["unit"] = world.unit_b.pk
        response = post_multipart(api, data, png())
        expected = {200: 201, 403: 403}[form]
        assert response.status_code == expected, (name, form, response.content)
        detail_page = page.get(f"/grassroots/visits/{shown.pk}/").status_code
        assert api.get(f"/api/v1/visits/{shown.pk}").status_code == detail_page, name
        listed = {v["id"] for v in api.get("/api/v1/visits?limit=100").json()["items"]}
        list_page = page.get("/grassroots/visits/").content.decode()
        for visit in Visit.objects.all():
            assert (visit.pk in listed) == (f"/grassroots/visits/{visit.pk}/" in list_page), (
                name, visit.place,
            )  # fmt: skip
    assert sorted(Visit.objects.exclude(pk=shown.pk).values_list("place", flat=True)) == [
        "coordinator", "reporter_a", "reporter_b",
    ]  # fmt: skip


def test_read_only_token_is_refused(world, token_client, settings):
    api, _ = token_client(world.coordinator, scope="read")
    response = post_multipart(api, body(world), png())
    assert response.status_code == 403
    assert response.json()["detail"] == "该令牌为只读令牌，不能用于修改数据。"
    assert Visit.objects.count() == 0 and stored_files(settings) == []


def test_replay_with_the_same_key_records_once(world, token_client):
    api, _ = token_client(world.reporter_a)
    key = {"Idempotency-Key": "visit-2023-07-20"}
    data = body(world, concerns=[concern_fields(world)])
    first = post_multipart(api, data, png(), headers=key)
    again = post_multipart(api, data, png(), headers=key)
    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Visit.objects.count() == Concern.objects.count() == VisitPhoto.objects.count() == 1
    other = post_multipart(api, data, png("别的.png"), headers=key)
    assert other.status_code == 422 and Visit.objects.count() == 1


def test_the_list_runs_the_same_queries_for_one_and_many_visits(world, token_client):
    api, _ = token_client(world.coordinator)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/visits")
        assert response.status_code == 200
        return len(response.json()["items"]), len(queries)

    make_visit(world, unit=world.unit_a, photo=True, concerns=[])
    count()  # the token's first use is recorded once (one write more), not counted here
    one = count()
    for unit in (world.unit_a, world.unit_b, world.unit_b):
        make_visit(world, unit=unit, photo=True)
    many = count()
    assert (one[0], many[0]) == (1, 4)
    # token, caller's person, his district's units, the page's ids, the rows, their cadres
    assert one[1] == many[1] == 6, (one, many)


def test_list_filters_and_unknown_parameters(world, token_client):
    a = make_visit(world, unit=world.unit_a)
    b = make_visit(world, unit=world.unit_b)
    api, _ = token_client(world.coordinator)
    only_b = api.get(f"/api/v1/visits?unit={world.unit_b.pk}").json()["items"]
    assert [v["id"] for v in only_b] == [b.pk]
    assert [v["id"] for v in api.get("/api/v1/visits").json()["items"]] == [a.pk, b.pk]
    assert api.get("/api/v1/visits?unt=1").status_code == 422


def test_a_visits_detail_runs_the_same_queries_for_one_and_several_photos_and_concerns(
    world, token_client
):
    api, _ = token_client(world.coordinator)
    api.get("/api/v1/visits")  # the token's first use recorded

    def count(visit) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1/visits/{visit.pk}")
        assert response.status_code == 200
        return len(queries), len(response.json()["photos"]), len(response.json()["concerns"])

    small = api.post("/api/v1/visits", json.dumps(body(world, concerns=[concern_fields(world)])),
                     content_type=JSON).json()  # fmt: skip
    data = body(
        world, concerns=[concern_fields(world, requester_name=f"群众{i}") for i in range(3)]
    )
    big = post_multipart(api, data, png(), png("二.png"), png("三.png")).json()
    one, many = count(Visit(pk=small["id"])), count(Visit(pk=big["id"]))
    assert (one[1:], many[1:]) == ((0, 1), (3, 3))
    assert one[0] == many[0] == 11, (one, many)  # none per photo or concern (one: version)
