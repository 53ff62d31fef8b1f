"""Issue 19: no API write overwrites a record unseen. Every PUT whose record carries an edit
version (core.editing; the pages post theirs in the hidden `edit_version`) requires `version`:
sent without it, the PUT is a 422 on `version` with the message below and nothing is written —
for each such endpoint, in the permission matrix's world, as the coordinator who may write it.
A stale version stays a 422 on `version` (each endpoint's own tests)."""

import copy
import re

import pytest
from django.test import Client
from django.urls import resolve

from shigan.core.models import AuditEntry
from shigan.tests.test_permission_matrix import ROWS
from shigan.tests.test_permission_matrix import records as records  # the matrix's world

from .versions import EDITED

MISSING = {"field": "version", "detail": "请提供读取时返回的version（防止覆盖他人的修改）"}
VERSIONED = sorted([*EDITED, "report_narrative"])


def _row(url_name: str):
    """The matrix's row of the URL name (its kwargs name the matrix world's record)."""
    return next(r for r in ROWS if r.name == f"api:api-v1:{url_name}")


@pytest.mark.parametrize("url_name", VERSIONED)
def test_a_put_without_version_is_refused_and_writes_nothing(db, records, url_name):
    client = Client()
    client.cookies = copy.deepcopy(records["cookies"]["coordinator"])
    url = _row(url_name).url(records)
    entries = AuditEntry.objects.count()
    response = client.put(url, {}, content_type="application/json")
    assert response.status_code == 422, (url, response.content)
    assert MISSING in response.json()["errors"], (url, response.json())
    assert "version：请提供读取时返回的version" in response.json()["detail"]
    assert AuditEntry.objects.count() == entries


def test_every_put_taking_a_version_requires_it_and_is_listed_above(db, client):
    """The served schema: each PUT whose body has `version` lists it as required, and is one of
    the endpoints tested above (a new one must join them)."""
    schema = client.get("/api/v1/openapi.json").json()
    taking = set()
    for path, operations in schema["paths"].items():
        put = operations.get("put", {})
        for content in put.get("requestBody", {}).get("content", {}).values():
            if "version" in content["schema"].get("properties", {}):
                assert "version" in content["schema"].get("required", []), path
                taking.add(resolve(re.sub(r"\{[^}]+\}", "1", path)).url_name)
    assert taking == set(VERSIONED)
