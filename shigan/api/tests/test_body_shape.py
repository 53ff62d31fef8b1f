"""A write's body is a JSON object: an array or a lone value is refused as such (400), not read
as an object of no fields (every field 必填, which sends the caller looking for the wrong
mistake); an empty body still names the fields required."""

import json

import pytest


@pytest.mark.parametrize("raw", ["[1, 2]", "[]", "3", '"会议"', "true"])
def test_a_body_that_is_not_an_object_is_a_400_saying_so(world, token_client, raw):
    api, _ = token_client(world.coordinator)
    response = api.post("/api/v1/meetings", raw, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == "请求体应为JSON对象（{…}），不是数组或单个值。"


def test_an_empty_body_names_the_required_fields(world, token_client):
    api, _ = token_client(world.coordinator)
    response = api.post("/api/v1/meetings", "", content_type="application/json")
    assert response.status_code == 422, response.content
    assert {e["field"] for e in response.json()["errors"]} >= {"campaign", "title", "date"}
    assert json.loads(response.content)["status"] == 422
