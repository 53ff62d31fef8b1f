"""Correcting (更正) inspections, findings and concerns through the API as on their pages: the
page's edit form, the guarded save (`version`), the service (a reason, nothing changed
refused, the before and after audited); who may correct as the page (404 for whoever does not
read the record, 403 for whoever only reads it); an Idempotency-Key replays a retried PUT."""

import json

import pytest

from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.models import Concern
from shigan.grassroots.tests.concern_helpers import ID_NUMBER, PHONE, category, concern
from shigan.supervision.models import Finding, Inspection
from shigan.supervision.tests.helpers import make_finding, make_inspection

from .versions import versioned


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def put(client, url, data, **headers):
    """PUT `data`; without a version (or with None), the one the record's detail answers now."""
    data = versioned(url, data)
    return client.put(url, json.dumps(data), content_type="application/json", **headers)


def inspection_fields(world, inspection, **fields):
    return {
        "campaign": world.campaign.pk,
        "topic": inspection.topic,
        "kind": inspection.kind,
        "date": inspection.date.isoformat(),
        "inspectors": [world.inspector.person.pk],
        "units": [world.unit_a.pk, world.unit_b.pk],
        "summary": "",
    } | fields


def finding_fields(world, finding, **fields):
    return {
        "unit": finding.unit_id,
        "problem": finding.problem,
        "severity": finding.severity,
        "requirement": finding.requirement,
        "deadline": finding.deadline.isoformat(),
    } | fields


def test_an_inspector_corrects_an_inspection_with_its_reason_and_version(world, token_client):
    inspection = make_inspection(world)
    api, _ = token_client(world.inspector)
    url = f"/api/v1/inspections/{inspection.pk}"
    version = api.get(url).json()["version"]
    unreasoned = put(api, url, inspection_fields(world, inspection, topic="改正的主题"))
    assert unreasoned.status_code == 422
    assert unreasoned.json()["errors"] == [{"field": "reason", "detail": "请填写更正原因。"}]
    same = put(api, url, inspection_fields(world, inspection, reason="核对"))
    assert same.status_code == 422 and "没有修改任何内容" in same.json()["detail"]
    body = inspection_fields(
        world, inspection, topic="改正的主题", reason="主题录错", version=version
    )
    fixed = put(api, url, body)
    assert fixed.status_code == 200, fixed.content
    assert fixed.json()["topic"] == "改正的主题" and fixed.json()["version"] > version
    stale = put(api, url, body | {"topic": "再改", "reason": "再改"})
    assert stale.status_code == 422 and stale.json()["errors"][0]["field"] == "version"
    assert "钱督查" in stale.json()["detail"]  # who changed it, as the page says
    assert Inspection.objects.get().topic == "改正的主题"
    entry = AuditEntry.objects.get(record_type="supervision.inspection", action=AuditAction.UPDATE)
    assert entry.note == "更正原因：主题录错" and entry.actor == world.inspector


def test_who_may_correct_an_inspection_or_a_finding_is_the_pages_answer(world, token_client):
    inspection = make_inspection(world, units=[world.unit_a])
    finding = make_finding(world, inspection)
    cases = {
        f"/api/v1/inspections/{inspection.pk}": inspection_fields(
            world, inspection, units=[world.unit_a.pk], topic="改", reason="改"
        ),
        f"/api/v1/findings/{finding.pk}": finding_fields(world, finding, problem="改", reason="改"),
    }
    # reporter_b reads neither (not his unit's): 404; reporter_a and the leader read them: 403
    expected = {world.reporter_b: 404, world.reporter_a: 403, world.leader: 403}
    for url, body in cases.items():
        for user, status in expected.items():
            api, _ = token_client(user)
            assert put(api, url, body).status_code == status, (url, user)
        read, _ = token_client(world.inspector, scope="read")
        assert put(read, url, body).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()
    coordinator, _ = token_client(world.coordinator)  # the task force corrects as well
    for url, body in cases.items():
        assert put(coordinator, url, body).status_code == 200, url


def test_a_finding_correction_moves_its_rectification_task(world, token_client):
    inspection = make_inspection(world)
    finding = make_finding(world, inspection)
    api, _ = token_client(world.inspector)
    url = f"/api/v1/findings/{finding.pk}"
    version = api.get(url).json()["version"]
    body = finding_fields(world, finding, unit=world.unit_b.pk, reason="单位录错", version=version)
    moved = put(api, url, body)
    assert moved.status_code == 200, moved.content
    assert moved.json()["unit_id"] == world.unit_b.pk
    finding = Finding.objects.select_related("task").get()
    assert finding.task.lead_unit_id == world.unit_b.pk
    late = put(api, url, body | {"deadline": "2023-05-01", "version": None, "reason": "改时限"})
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "deadline"


def test_a_retried_correction_with_its_key_is_replayed_not_refused(world, token_client):
    inspection = make_inspection(world)
    api, _ = token_client(world.inspector)
    url = f"/api/v1/inspections/{inspection.pk}"
    body = inspection_fields(world, inspection, topic="改正的主题", reason="主题录错")
    body = versioned(url, body)  # the same body twice: the version read once
    key = {"HTTP_IDEMPOTENCY_KEY": "6d1f9c1e-correction"}
    first = put(api, url, body, **key)
    again = put(api, url, body, **key)
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE).count() == 1
    # the same correction again (its version now), without the key: nothing to do
    without = put(api, url, body | {"version": None})
    assert without.status_code == 422 and without.json()["errors"][0]["field"] != "version"


def concern_fields(c, **fields):
    return {
        "kind": c.kind,
        "category": c.category_id,
        "requester_name": c.requester_name,
        "content": c.content,
    } | fields


def test_the_task_force_corrects_a_concern_numbers_kept_or_cleared(world, token_client):
    c = concern(world)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/concerns/{c.pk}"
    version = api.get(url).json()["version"]
    fixed = put(api, url, concern_fields(c, content="路灯坏了三盏", reason="补充", version=version))
    assert fixed.status_code == 200, fixed.content
    assert (
        fixed.json()["content"] == "路灯坏了三盏"
        and fixed.json()["requester_phone"] == "138****1234"
    )
    c.refresh_from_db()
    assert (c.requester_phone, c.requester_id_number) == (PHONE, ID_NUMBER)  # left out: kept
    cleared = put(api, url, concern_fields(c, clear_phone=True, reason="号码有误"))
    assert cleared.status_code == 200 and cleared.json()["requester_phone"] == ""
    assert Concern.objects.get().requester_phone == "" and PHONE not in cleared.content.decode()
    slower = category(world, name="城市管理", days=10)
    moved = put(api, url, concern_fields(c, category=slower.pk, reason="类别录错"))
    assert moved.status_code == 200 and moved.json()["due_on"] != fixed.json()["due_on"]
    entries = AuditEntry.objects.filter(record_type="grassroots.concern", action=AuditAction.UPDATE)
    assert entries.count() == 3
    assert PHONE not in json.dumps(list(entries.values_list("changes", flat=True)))
    bad = put(api, url, concern_fields(c, requester_phone="12", reason="改号码"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "requester_phone"


def test_who_may_correct_a_concern_is_the_pages_answer(world, token_client):
    c = concern(world, unit="a")  # assigned to unit_a: its reporter handles it, not corrects it
    url = f"/api/v1/concerns/{c.pk}"
    body = concern_fields(c, content="改", reason="改")
    expected = {world.reporter_b: 404, world.reporter_a: 403, world.inspector: 403}
    for user, status in expected.items():
        api, _ = token_client(user)
        assert put(api, url, body).status_code == status, user
    read, _ = token_client(world.coordinator, scope="read")
    assert put(read, url, body).status_code == 403
    assert Concern.objects.get().content == "路灯坏了"
