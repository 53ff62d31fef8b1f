"""Notices (通报) and their exemplars (典型) through the API as on their pages: every role reads
his district's (a reporter sees whether one names his unit); the task force records and
corrects them through the pages' forms and supervision.services.notices (the document number
used once, an exemplar names someone, a reason, audited, all or nothing)."""

import json

import pytest

from shigan.core.models import AuditAction, AuditEntry
from shigan.supervision.models import Exemplar, Notice

from .versions import versioned


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def send(client, method, url, data, **headers):
    """`data` sent; a PUT without a version sends the one the record's detail answers now."""
    data = versioned(url, data) if method == "put" else data
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json", **headers
    )


def notice_body(world, **fields):
    return {
        "campaign": world.campaign.pk,
        "doc_number": "示作风办 [2023] 3 号",
        "date": "2023-07-18",
        "title": "关于第一季度作风建设情况的通报",
        "kind": "praise",
        "exemplars": [
            {"polarity": "positive", "title": "交通局快速办结", "units": [world.unit_a.pk]},
            {"polarity": "negative", "title": "水务局推诿", "units": [world.unit_b.pk]},
        ],
    } | fields


def test_the_task_force_records_a_notice_and_every_role_reads_it(world, token_client):
    api, _ = token_client(world.coordinator)
    created = send(api, "post", "/api/v1/notices", notice_body(world))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["doc_number"] == "示作风办〔2023〕3号"  # normalised as on the page
    assert [e["title"] for e in body["exemplars"]] == ["交通局快速办结", "水务局推诿"]
    entries = AuditEntry.objects.filter(action=AuditAction.CREATE, record_type__startswith="super")
    assert sorted(entries.values_list("record_type", flat=True)) == [
        "supervision.exemplar", "supervision.exemplar", "supervision.notice"
    ]  # fmt: skip
    again = send(
        api, "post", "/api/v1/notices", notice_body(world, doc_number="示作风办〔2023〕3号")
    )
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "doc_number"
    for user in world.users().values():
        reader, _ = token_client(user, scope="read")
        listed = reader.get("/api/v1/notices?polarity=negative")
        assert listed.status_code == 200 and len(listed.json()["items"]) == 1, user
    reporter, _ = token_client(world.reporter_a, scope="read")
    assert reporter.get(f"/api/v1/notices/{body['id']}").json()["names_my_unit"] is True
    assert reporter.get("/api/v1/notices?kind=criticism").json()["items"] == []


def test_only_the_task_force_records_or_corrects_a_notice(world, token_client, other_district):
    for user in (world.leader, world.reporter_a, world.inspector):
        api, _ = token_client(user)
        assert send(api, "post", "/api/v1/notices", notice_body(world)).status_code == 403, user
    read, _ = token_client(world.coordinator, scope="read")
    assert send(read, "post", "/api/v1/notices", notice_body(world)).status_code == 403
    assert not Notice.objects.exists()
    api, _ = token_client(world.coordinator)
    notice_id = send(api, "post", "/api/v1/notices", notice_body(world)).json()["id"]
    url = f"/api/v1/notices/{notice_id}"
    for user in (world.leader, world.reporter_a, world.inspector):
        other, _ = token_client(user)
        assert send(other, "put", url, notice_body(world, reason="改")).status_code == 403, user
    stranger, _ = token_client(other_district[0])  # another district's task force: not his
    assert stranger.get(url).status_code == 404
    assert send(stranger, "put", url, notice_body(world, reason="改")).status_code == 404


def test_bad_exemplars_are_refused_naming_them_and_nothing_is_saved(world, token_client):
    api, _ = token_client(world.coordinator)
    nobody = notice_body(world, exemplars=[{"polarity": "positive", "title": "无人典型"}])
    refused = send(api, "post", "/api/v1/notices", nobody)
    assert refused.status_code == 422, refused.content
    assert refused.json()["errors"] == [
        {"field": "exemplars.0", "detail": "请至少选择一个涉及的单位或人员。"}
    ]
    foreign = notice_body(world)
    foreign["exemplars"][1]["units"] = [999999]
    refused = send(api, "post", "/api/v1/notices", foreign)
    assert (
        refused.status_code == 422 and refused.json()["errors"][0]["field"] == "exemplars.1.units"
    )
    assert not Notice.objects.exists() and not Exemplar.objects.exists()


def test_a_correction_changes_adds_and_takes_off_exemplars(world, token_client):
    api, _ = token_client(world.coordinator)
    created = send(api, "post", "/api/v1/notices", notice_body(world)).json()
    url = f"/api/v1/notices/{created['id']}"
    kept, dropped = created["exemplars"]
    body = notice_body(
        world,
        title="关于上半年作风建设情况的通报",
        reason="标题和典型录错",
        version=created["version"],
        exemplars=[
            {"id": kept["id"], "polarity": "positive", "title": "交通局快速办结",
             "units": [world.unit_a.pk], "description": "三日办结"},
            {"polarity": "positive", "title": "督查员认真", "people": [world.inspector.person.pk]},
        ],
    )  # fmt: skip
    fixed = send(api, "put", url, body)
    assert fixed.status_code == 200, fixed.content
    exemplars = fixed.json()["exemplars"]
    assert [e["title"] for e in exemplars] == ["交通局快速办结", "督查员认真"]
    assert exemplars[0]["description"] == "三日办结" and exemplars[0]["id"] == kept["id"]
    assert not Exemplar.objects.filter(pk=dropped["id"]).exists()
    stale = send(api, "put", url, body | {"title": "又改", "reason": "又改"})
    assert stale.status_code == 422 and stale.json()["errors"][0]["field"] == "version"
    unreasoned = send(api, "put", url, body | {"title": "又改", "reason": "", "version": None})
    assert unreasoned.json()["errors"] == [{"field": "reason", "detail": "请填写更正原因。"}]
    strange = body | {"version": None, "reason": "改"}
    strange["exemplars"] = [{"id": dropped["id"], "polarity": "positive", "title": "x",
                             "units": [world.unit_a.pk]}]  # fmt: skip
    refused = send(api, "put", url, strange)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "exemplars.0.id"
    assert Notice.objects.get().title == "关于上半年作风建设情况的通报"
    entry = AuditEntry.objects.get(record_type="supervision.notice", action=AuditAction.UPDATE)
    assert entry.note.startswith("更正原因：标题和典型录错")


def test_the_notice_list_runs_a_fixed_number_of_queries(
    world, token_client, django_assert_max_num_queries
):
    api, _ = token_client(world.coordinator)
    for n in range(6):
        body = notice_body(world, doc_number=f"示作风办〔2023〕{n + 10}号")
        assert send(api, "post", "/api/v1/notices", body).status_code == 201
    reader, _ = token_client(world.reporter_a, scope="read")
    with django_assert_max_num_queries(12) as few:
        assert len(reader.get("/api/v1/notices?limit=2").json()["items"]) == 2
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(reader.get("/api/v1/notices").json()["items"]) == 6
