"""Bodies an attacker sends to a write: nested past the parser's depth (400, not a crash) and
text holding NUL characters (422 naming the field: PostgreSQL cannot store them, and the pages'
forms refuse them too)."""

import json

from shigan.tasks.models import ProgressReport


def _post(api, task, body: str):
    url = f"/api/v1/tasks/{task.pk}/progress"
    return api.post(url, body, content_type="application/json")


def test_a_deeply_nested_body_is_a_400_problem(world, token_client):
    api, _ = token_client(world.reporter_a)
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = _post(api, world.task_a, body)
        assert response.status_code == 400, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert json.loads(response.content)["detail"] == "请求体不是有效的JSON。"
    assert ProgressReport.objects.count() == 0


def test_nul_characters_are_refused_naming_the_field(world, token_client):
    api, _ = token_client(world.reporter_a)
    body = json.dumps({"period": "2023-07", "text": "完成\u0000路基"})
    response = _post(api, world.task_a, body)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["errors"] == [{"field": "text", "detail": "不能含空字符"}]
    body = json.dumps({"period": "2023-07", "text": "x", "reason": "a\u0000"})
    errors = json.loads(_post(api, world.task_a, body).content)["errors"]
    assert errors == [{"field": "reason", "detail": "不能含空字符"}]
    assert ProgressReport.objects.count() == 0
