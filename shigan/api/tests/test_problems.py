"""Every error of /api/v1/ is application/problem+json with a Chinese title and detail; the
limits are 1 MB a body (413) and 600 requests a minute per caller (429 with Retry-After)."""

import json
import time

import pytest
from django.core.cache import cache

from shigan.api import auth
from shigan.api.auth import MAX_BODY_BYTES, RATE_LIMIT, RATE_WINDOW, rate_key
from shigan.api.endpoints import orgs


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status and body["type"] == "about:blank"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["title"] + body["detail"])
    return body


def test_the_limits_are_as_documented():
    assert RATE_LIMIT == 600 and RATE_WINDOW == 60
    assert MAX_BODY_BYTES == 1024 * 1024


def test_401_without_credentials(db, client):
    body = problem(client.get("/api/v1/tasks"), 401)
    assert body["title"] == "未登录或令牌无效"


def test_404_for_an_unknown_address(db, client):
    body = problem(client.get("/api/v1/nothing-here"), 404)
    assert "/api/v1/nothing-here" in body["detail"]


def test_405_for_a_method_the_address_does_not_take(world, token_client):
    api, _ = token_client(world.coordinator)
    response = api.delete("/api/v1/tasks")
    body = problem(response, 405)
    assert "DELETE" in body["detail"] and "GET" in response["Allow"]


def test_422_names_the_field_in_error(world, token_client):
    api, _ = token_client(world.coordinator)
    body = problem(api.get("/api/v1/tasks?limit=101"), 422)
    assert body["errors"] == [{"field": "limit", "detail": "不能大于100"}]
    body = problem(api.get("/api/v1/tasks?campaign=abc"), 422)
    assert body["errors"] == [{"field": "campaign", "detail": "应为整数"}]
    body = problem(api.get("/api/v1/tasks?cursor=garbage"), 422)
    assert body["errors"][0]["field"] == "cursor"
    url = f"/api/v1/tasks/{world.task_a.pk}/progress"
    body = problem(api.post(url, {"period": "2023-07"}, content_type="application/json"), 422)
    assert body["errors"] == [{"field": "text", "detail": "必填"}]
    body = problem(api.post(url, "{not json", content_type="application/json"), 400)


def test_413_past_a_megabyte(world, token_client):
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/tasks/{world.task_a.pk}/progress"
    text = "进" * (MAX_BODY_BYTES // 3 + 10)  # 3 bytes each in UTF-8: just past 1 MB
    data = json.dumps({"period": "2023-07", "text": text}, ensure_ascii=False)
    body = problem(api.post(url, data, content_type="application/json"), 413)
    assert "1MB" in body["detail"]


def test_an_uploads_413_names_the_per_file_limit(world, token_client, settings):
    """A multipart body past 1 MB + SHIGAN_MAX_UPLOAD_MB says what is limited: each file (the
    pages' limit too) and the files of one request together; it said 请求体超过21MB的上限 only."""
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/tasks/{world.task_a.pk}/progress"
    for per_file in (20, 5):
        settings.MAX_UPLOAD_MB = per_file
        length = (per_file + 1) * 1024 * 1024 + 1  # as announced: refused before it is read
        response = api.post(url, {"period": "2023-07"}, CONTENT_LENGTH=str(length))
        body = problem(response, 413)
        assert body["detail"] == (
            f"上传的请求体超过{per_file + 1}MB的上限：每个文件不超过{per_file}MB，"
            f"一次上传的文件合计也不超过{per_file}MB（其余字段不超过1MB），文件较多时请分几次上传。"
        )


def test_429_past_600_a_minute_with_retry_after(world, token_client):
    api, token = token_client(world.reporter_a)
    assert api.get("/api/v1/campaigns").status_code == 200
    window = int(time.time() // RATE_WINDOW)
    cache.set(rate_key(f"token:{token.pk}", window), RATE_LIMIT - 1, RATE_WINDOW)
    assert api.get("/api/v1/campaigns").status_code == 200  # the 600th of the minute
    response = api.get("/api/v1/campaigns")
    if int(time.time() // RATE_WINDOW) != window:  # the minute turned meanwhile
        pytest.skip("the window turned during the test")
    body = problem(response, 429)
    assert "600" in body["detail"]
    assert 1 <= int(response["Retry-After"]) <= RATE_WINDOW + 1
    other, _ = token_client(world.reporter_b)  # per token: another caller is not limited
    assert other.get("/api/v1/campaigns").status_code == 200


def test_the_rate_counts_each_request(world, token_client, monkeypatch):
    monkeypatch.setattr(auth, "RATE_LIMIT", 3)
    api, _ = token_client(world.reporter_a)
    statuses = [api.get("/api/v1/campaigns").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] in {429, 200}  # 200: a new minute


def test_500_is_a_problem_too(world, token_client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(orgs, "within_units", broken)
    api, _ = token_client(world.reporter_a)
    body = problem(api.get("/api/v1/units"), 500)
    assert "boom" not in body["detail"]
