"""Cursor pagination's one rule for every list (api.pagination): a missing or empty cursor is
the first page (the schema's `cursor` has no minimum length), a cursor we did not give is 422."""

import pytest

from shigan.api.pagination import cursor_decode, cursor_encode
from shigan.api.problems import Problem


@pytest.mark.parametrize("raw", [None, ""])
def test_a_missing_or_empty_cursor_is_the_first_page(raw):
    assert cursor_decode(raw) == 0


def test_a_cursor_given_reads_back_and_a_foreign_one_is_refused():
    assert cursor_decode(cursor_encode(1234)) == 1234
    with pytest.raises(Problem) as refused:
        cursor_decode("0" * 40)
    assert refused.value.status == 422


def test_the_schema_allows_the_empty_cursor_on_every_list():
    """Schema and behaviour agree: no list declares a minimum length for `cursor`."""
    import json
    from pathlib import Path

    schema = json.loads((Path(__file__).resolve().parents[3] / "docs/api/openapi.json").read_text())
    cursors = [
        param["schema"]
        for operations in schema["paths"].values()
        for operation in operations.values()
        for param in operation.get("parameters", [])
        if param["name"] == "cursor"
    ]
    assert len(cursors) >= 20
    for declared in cursors:
        options = declared.get("anyOf", [declared])
        text = next(o for o in options if o.get("type") == "string")
        assert text.get("minLength", 0) == 0 and text["maxLength"] == 40


def test_an_empty_cursor_answers_the_first_page(world, token_client):
    api, _ = token_client(world.coordinator)
    first = api.get("/api/v1/handdowns")
    empty = api.get("/api/v1/handdowns?cursor=")
    assert first.status_code == empty.status_code == 200
    assert empty.json() == first.json()
