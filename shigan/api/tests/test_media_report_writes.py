"""Recording and correcting media reports through the API as on the 宣传报道 pages: the page's
forms (a campaign of the caller's level, duplicates refused with its message) and
publicity.services (audited; a correction needs its reason and names what changed)."""

import json

import pytest

from shigan.core.models import AuditAction, AuditEntry
from shigan.publicity.models import MediaReport

from .versions import versioned


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def body(world, **fields):
    return {
        "campaign": world.campaign.pk,
        "title": "示范区实干年见闻",
        "outlet": "省日报",
        "level": "province",
        "date": "2023-07-18",
        "link": "https://news.example.cn/2023/0718.html",
        "task": world.task_a.pk,
    } | fields


def send(client, method, url, data):
    """`data` sent; a PUT without a version sends the one the record's detail answers now."""
    data = versioned(url, data) if method == "put" else data
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_the_task_force_records_a_report_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    response = send(api, "post", "/api/v1/media-reports", body(world))
    assert response.status_code == 201, response.content
    report = MediaReport.objects.get()
    assert response.json()["id"] == report.pk and response.json()["level_label"] == "省"
    assert (report.task, report.outlet) == (world.task_a, "省日报")
    entry = AuditEntry.objects.get(record_type="publicity.mediareport")
    assert entry.action == AuditAction.CREATE and entry.actor == world.coordinator
    again = send(api, "post", "/api/v1/media-reports", body(world, title="另一标题"))
    assert again.status_code == 422 and "请勿重复登记" in again.json()["detail"]
    assert MediaReport.objects.count() == 1


def test_only_the_task_force_records_or_corrects(world, token_client):
    for user in (world.leader, world.reporter_a, world.inspector):
        api, _ = token_client(user)
        assert send(api, "post", "/api/v1/media-reports", body(world)).status_code == 403, user
    read, _ = token_client(world.coordinator, scope="read")
    assert send(read, "post", "/api/v1/media-reports", body(world)).status_code == 403
    assert MediaReport.objects.count() == 0
    api, _ = token_client(world.coordinator)
    report_id = send(api, "post", "/api/v1/media-reports", body(world)).json()["id"]
    url = f"/api/v1/media-reports/{report_id}"
    reporter, _ = token_client(world.reporter_a)
    assert send(reporter, "put", url, body(world, reason="更正")).status_code == 403


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "\u200b"}, "title", "这个字段是必填项。"),
        ({"date": "2023-13-01"}, "date", "发表日期“2023-13-01”不是存在的日期"),
        ({"link": "not a link"}, "link", "链接格式不正确，请填写完整网址。"),
        ({"level": "galactic"}, "level", "取值应为"),
        ({"campaign": 999999}, "campaign", "所选项不存在或不可选，请重新选择。"),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, token_client, fields, field, message):
    api, _ = token_client(world.coordinator)
    response = send(api, "post", "/api/v1/media-reports", body(world, **fields))
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == field and message in error["detail"], error
    assert MediaReport.objects.count() == 0


def test_a_correction_needs_its_reason_and_a_fresh_version(world, token_client):
    api, _ = token_client(world.coordinator)
    created = send(api, "post", "/api/v1/media-reports", body(world)).json()
    url = f"/api/v1/media-reports/{created['id']}"
    unreasoned = send(api, "put", url, body(world, outlet="人民网"))
    assert unreasoned.status_code == 422
    assert unreasoned.json()["errors"] == [{"field": "reason", "detail": "请填写更正原因。"}]
    same = send(api, "put", url, body(world, reason="核对"))
    assert same.status_code == 422 and same.json()["detail"] == "没有修改任何内容，无需更正。"
    fixed = send(api, "put", url, body(world, outlet="人民网", reason="媒体录错",
                                       version=created["version"]))  # fmt: skip
    assert fixed.status_code == 200 and fixed.json()["outlet"] == "人民网"
    stale = send(api, "put", url, body(world, outlet="新华网", reason="再改",
                                       version=created["version"]))  # fmt: skip
    assert stale.status_code == 422 and stale.json()["errors"][0]["field"] == "version"
    assert MediaReport.objects.get().outlet == "人民网"
    entry = AuditEntry.objects.get(record_type="publicity.mediareport", action=AuditAction.UPDATE)
    assert entry.note == "更正原因：媒体录错" and entry.actor == world.coordinator


def test_a_report_dated_after_today_is_refused_on_its_date(world, token_client):
    """Today is 2023-07-20: a report of 2023-07-21 has not appeared yet (the page's form
    refuses it as well, through the same service); today's is recorded."""
    api, _ = token_client(world.coordinator)
    later = send(api, "post", "/api/v1/media-reports", body(world, date="2023-07-21"))
    assert later.status_code == 422, later.content
    assert later.json()["errors"] == [
        {"field": "date", "detail": "发表日期2023-07-21晚于今天，报道见报后再登记。"}
    ]
    assert MediaReport.objects.count() == 0
    today = send(api, "post", "/api/v1/media-reports", body(world, date="2023-07-20"))
    assert today.status_code == 201, today.content
    url = f"/api/v1/media-reports/{today.json()['id']}"
    moved = send(api, "put", url, body(world, date="2023-08-01", reason="改日期"))
    assert moved.status_code == 422 and moved.json()["errors"][0]["field"] == "date"
