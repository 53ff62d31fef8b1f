"""Recording supervision through the API as on its pages: an inspection, its findings (each
opening its rectification task) and the verification of a rectification, through the pages'
forms and supervision.services (audited); the findings list filtered by status as the page."""

import json

import pytest

from shigan.core.models import AuditAction, AuditEntry
from shigan.supervision.models import Finding, Inspection, Verification
from shigan.supervision.tests.helpers import complete, make_finding, make_inspection


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def inspection_body(world, **fields):
    return {
        "campaign": world.campaign.pk,
        "topic": "重点项目推进专项督查",
        "kind": "special",
        "date": "2023-07-18",
        "inspectors": [world.inspector.person.pk],
        "units": [world.unit_a.pk],
    } | fields


def finding_body(world, **fields):
    return {
        "unit": world.unit_a.pk,
        "problem": "项目台账不完整",
        "severity": "general",
        "requirement": "补齐台账",
        "deadline": "2023-08-31",
    } | fields


def test_an_inspector_records_an_inspection_and_its_finding_audited(world, token_client):
    api, _ = token_client(world.inspector)
    created = post(api, "/api/v1/inspections", inspection_body(world))
    assert created.status_code == 201, created.content
    inspection = Inspection.objects.get()
    assert created.json()["id"] == inspection.pk and created.json()["unit_ids"] == [world.unit_a.pk]
    url = f"/api/v1/inspections/{inspection.pk}/findings"
    finding = post(api, url, finding_body(world))
    assert finding.status_code == 201, finding.content
    body = finding.json()
    assert body["status"] == "pending" and body["status_label"] == "待整改"
    assert Finding.objects.get().task_id == body["task_id"]  # the rectification task opened
    types = set(
        AuditEntry.objects.filter(actor=world.inspector, action=AuditAction.CREATE).values_list(
            "record_type", flat=True
        )
    )
    assert {"supervision.inspection", "supervision.finding", "tasks.task"} <= types
    elsewhere = post(api, url, finding_body(world, unit=world.unit_b.pk))
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"][0]["field"] == "unit"
    assert Finding.objects.count() == 1


def test_who_does_not_record_supervision_gets_the_pages_answer(world, token_client):
    for user in (world.leader, world.reporter_a):
        api, _ = token_client(user)
        assert post(api, "/api/v1/inspections", inspection_body(world)).status_code == 403
    read, _ = token_client(world.inspector, scope="read")
    assert post(read, "/api/v1/inspections", inspection_body(world)).status_code == 403
    inspection = make_inspection(world, units=[world.unit_a])
    url = f"/api/v1/inspections/{inspection.pk}/findings"
    expected = {world.reporter_b: 404, world.reporter_a: 403, world.leader: 403}
    for user, status in expected.items():  # reporter_b: not of his unit, not his to read
        api, _ = token_client(user)
        assert post(api, url, finding_body(world)).status_code == status, user
    assert Inspection.objects.count() == 1 and Finding.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"topic": "\u2060"}, "topic", "这个字段是必填项。"),
        ({"date": "2023-7-32"}, "date", "督查日期“2023-7-32”不是存在的日期"),
        ({"units": []}, "units", "这个字段是必填项。"),
        ({"kind": "secret"}, "kind", "取值应为"),
    ],
)
def test_bad_inspection_is_refused_naming_the_field(world, token_client, fields, field, message):
    api, _ = token_client(world.inspector)
    response = post(api, "/api/v1/inspections", inspection_body(world, **fields))
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == field and message in error["detail"], error
    assert Inspection.objects.count() == 0


def test_a_verification_moves_the_status_and_a_failed_one_needs_its_note(world, token_client):
    finding = make_finding(world, make_inspection(world))
    complete(finding.task)
    api, _ = token_client(world.inspector)
    url = f"/api/v1/findings/{finding.pk}/verifications"
    body = {"verified_by": world.inspector.person.pk, "date": "2023-07-19", "result": "failed"}
    bare = post(api, url, body)
    assert bare.status_code == 422 and "未通过" in bare.json()["detail"]
    assert Verification.objects.count() == 0
    passed = post(api, url, body | {"result": "passed"})
    assert passed.status_code == 201, passed.content
    # the task completed (办结销号 approved) and the verification passed: 已销号
    assert passed.json()["status"] == "closed" and passed.json()["last_result"] == "passed"
    entry = AuditEntry.objects.get(record_type="supervision.verification")
    assert entry.actor == world.inspector
    reporter, _ = token_client(world.reporter_a)
    assert post(reporter, url, body | {"result": "passed"}).status_code == 403


def test_the_findings_list_filters_by_status_across_pages(world, token_client):
    inspection = make_inspection(world)
    pending = [make_finding(world, inspection) for _ in range(3)]
    done = make_finding(world, inspection)
    complete(done.task)
    api, _ = token_client(world.reporter_a, scope="read")
    first = api.get("/api/v1/findings?status=pending&limit=2").json()
    assert [f["id"] for f in first["items"]] == [f.pk for f in pending[:2]]
    rest = api.get(f"/api/v1/findings?status=pending&limit=2&cursor={first['next']}").json()
    assert [f["id"] for f in rest["items"]] == [pending[2].pk] and rest["next"] is None
    awaiting = api.get("/api/v1/findings?status=awaiting").json()["items"]
    assert [f["id"] for f in awaiting] == [done.pk]
    assert api.get("/api/v1/findings?status=closed").json()["items"] == []
    bad = api.get("/api/v1/findings?status=late")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"
