"""The OpenAPI schema says what the API does with a body field an operation does not take: it
is refused (422 naming it, api/unknown.py), so every documented JSON body — and every object
of declared fields nested in it — carries additionalProperties: false; a client generated from
the schema then refuses the field before sending it, and schemathesis checks the 422."""

import json

from shigan.api.api import api


def _objects(node, path="body"):
    """Each object schema of declared fields in `node`, with where it is."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            yield path, node
            for name, field in node["properties"].items():
                yield from _objects(field, f"{path}.{name}")
        for key in ("items", "anyOf", "oneOf", "allOf"):
            for i, inner in enumerate(
                node.get(key) if isinstance(node.get(key), list) else [node.get(key)]
            ):
                yield from _objects(inner, f"{path}[{key}{i}]")


def _json_bodies():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for route, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                yield f"{method.upper()} {route}", content["application/json"]["schema"]


def test_every_documented_json_body_refuses_unknown_fields():
    bodies = dict(_json_bodies())
    assert len(bodies) >= 30, len(bodies)  # every JSON write (36 when written)
    open_objects = [
        f"{operation} {path}"
        for operation, body in bodies.items()
        for path, node in _objects(body)
        if node.get("additionalProperties") is not False
    ]
    assert open_objects == []
    concern = bodies["POST /api/v1/concerns"]
    assert concern["additionalProperties"] is False and "category" in concern["properties"]
    milestone = bodies["POST /api/v1/tasks/{task_id}/progress"]["properties"]["milestones_reached"]
    assert milestone["items"]["additionalProperties"] is False


def test_the_schema_says_what_the_api_does(world, token_client):
    api_client, _ = token_client(world.coordinator)
    body = {"title": "会议", "unknown_field": 1}
    response = api_client.post("/api/v1/meetings", json.dumps(body), "application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"] if e["detail"] == "未知的字段"] == [
        "unknown_field"
    ]
    assert dict(_json_bodies())["POST /api/v1/meetings"]["additionalProperties"] is False
