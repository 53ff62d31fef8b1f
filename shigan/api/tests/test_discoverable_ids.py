"""Every id a write takes can be found through the API: a concern's `category` (POST /concerns,
PUT /concerns/{id}) is listed at GET /concern-categories — the caller's district's, as the
pages' forms offer them — and each concern answers its category_id."""

import json

import pytest

from shigan.grassroots.models import ConcernCategory
from shigan.grassroots.tests.concern_helpers import category, concern


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def test_concern_categories_are_the_callers_districts_in_their_order(
    world, token_client, other_district, django_assert_num_queries
):
    later = category(world, name="环境卫生", days=3)
    ConcernCategory.objects.filter(pk=later.pk).update(sort_order=1)
    first = category(world, name="道路交通", days=5)
    gx_coordinator, gx_task = other_district
    ConcernCategory.objects.create(
        district=gx_task.lead_unit.district, name="高新区类别", time_limit_workdays=1
    )
    api, _ = token_client(world.reporter_a)
    response = api.get("/api/v1/concern-categories")
    assert response.status_code == 200, response.content
    assert [(c["id"], c["name"], c["time_limit_workdays"]) for c in response.json()] == [
        (first.pk, "道路交通", 5),
        (later.pk, "环境卫生", 3),
    ]
    assert {c["district_id"] for c in response.json()} == {world.district.pk}
    gx, _ = token_client(gx_coordinator)
    assert [c["name"] for c in gx.get("/api/v1/concern-categories").json()] == ["高新区类别"]
    api, _ = token_client(world.coordinator)
    api.get("/api/v1/concern-categories")  # the token's first use written
    # authentication (2), then the categories in one and their versions in one, however many
    with django_assert_num_queries(4):
        assert len(api.get("/api/v1/concern-categories").json()) == 2


def test_a_concern_answers_its_category_id_which_a_correction_takes(world, token_client):
    recorded = concern(world, days=5)
    other = category(world, name="环境卫生", days=3)
    api, _ = token_client(world.coordinator)
    listed = api.get("/api/v1/concerns").json()["items"][0]
    assert listed["category_id"] == recorded.category_id and listed["category"] == "类别5"
    detail = api.get(f"/api/v1/concerns/{recorded.pk}").json()
    assert detail["category_id"] == recorded.category_id
    ids = [c["id"] for c in api.get("/api/v1/concern-categories").json()]
    assert other.pk in ids
    body = {
        "kind": detail["kind"],
        "category": other.pk,
        "requester_name": detail["requester_name"],
        "content": detail["content"],
        "reason": "类别登记错了",
        "version": detail["version"],
    }
    put = api.put(f"/api/v1/concerns/{recorded.pk}", json.dumps(body), "application/json")
    assert put.status_code == 200, put.content
    assert put.json()["category_id"] == other.pk and put.json()["category"] == "环境卫生"
