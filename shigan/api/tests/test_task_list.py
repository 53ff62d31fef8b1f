"""The task list: filters, cursor pagination (by id: stable, no duplicates, no misses, even
when tasks are added between pages), a bounded number of queries, and the committed schema."""

import json
from pathlib import Path

import pytest

from shigan.api.api import api as ninja_api
from shigan.api.endpoints.tasks import _task_out
from shigan.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from shigan.api.schemas import TaskPage
from shigan.core import clock
from shigan.core.testing import assert_same_queries
from shigan.tasks.models import ProgressReport, Task, TaskCategory
from shigan.tasks.queries import task_rows
from shigan.testing import make_task

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.json"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def add_tasks(world, n, *, unit=None, category=None):
    return [
        make_task(
            campaign=world.campaign,
            category=category or world.category,
            unit=unit or world.unit_a,
            title=f"任务{i}",
            number=100 + i,
        )
        for i in range(n)
    ]


def walk(client, base, cursor=None):
    """Every page of `base` (a list address with its filters), following `next`."""
    seen, pages, url = [], 0, base + (f"&cursor={cursor}" if cursor else "")
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        url = f"{base}&cursor={body['next']}" if body["next"] else None
    return seen, pages


def test_the_page_sizes_are_as_documented():
    assert (DEFAULT_LIMIT, MAX_LIMIT) == (50, 100)


def test_cursor_pages_cover_every_task_once_even_as_tasks_are_added(world, token_client):
    add_tasks(world, 20)
    api, _ = token_client(world.coordinator)
    first = api.get("/api/v1/tasks?limit=7").json()
    assert len(first["items"]) == 7 and first["next"]
    add_tasks(world, 3)  # added between pages: they come on a later page, nothing shifts
    rest, pages = walk(api, "/api/v1/tasks?limit=7", first["next"])
    everything = [item["id"] for item in first["items"]] + rest
    assert everything == sorted(everything) and len(set(everything)) == len(everything)
    assert len(everything) == 25 and pages == 3
    default = api.get("/api/v1/tasks").json()
    assert len(default["items"]) == 25 and default["next"] is None


def test_filters(world, token_client):
    other = TaskCategory.objects.create(campaign=world.campaign, name="水利")
    (extra,) = add_tasks(world, 1, unit=world.unit_b, category=other)
    api, _ = token_client(world.coordinator)

    def listed(query):
        return [item["id"] for item in api.get(f"/api/v1/tasks?{query}").json()["items"]]

    assert listed(f"lead_unit={world.unit_b.pk}") == [world.task_b.pk, extra.pk]
    assert listed(f"category={other.pk}") == [extra.pk]
    assert listed(f"campaign={world.campaign.pk}&lead_unit={world.unit_a.pk}") == [world.task_a.pk]
    assert listed("campaign=999999") == []
    statuses = {item["id"]: item["status"] for item in api.get("/api/v1/tasks").json()["items"]}
    for status in set(statuses.values()):
        assert listed(f"status={status}") == [k for k, v in statuses.items() if v == status]
    assert api.get("/api/v1/tasks?status=nonsense").status_code == 422


def test_each_task_carries_its_status_and_latest_progress(world, token_client):
    ProgressReport.objects.create(
        task=world.task_a, unit=world.unit_a, period="2023-07-01", text="七月进展",
        submitted_by=world.reporter_a,
    )  # fmt: skip
    api, _ = token_client(world.coordinator)
    items = {item["id"]: item for item in api.get("/api/v1/tasks").json()["items"]}
    assert items[world.task_a.pk]["latest_progress"]["text"] == "七月进展"
    assert items[world.task_b.pk]["latest_progress"] is None
    assert items[world.task_a.pk]["status_label"] and items[world.task_a.pk]["status"]


def test_the_list_runs_the_same_queries_for_2_and_102_tasks(world, token_client):
    api, _ = token_client(world.coordinator)

    def run():
        response = api.get("/api/v1/tasks?limit=100")
        assert response.status_code == 200
        return response

    def grow():
        tasks = add_tasks(world, 100)
        ProgressReport.objects.bulk_create(
            ProgressReport(task=t, unit=t.lead_unit, period="2023-07-01", text="进展",
                           submitted_by=world.reporter_a)
            for t in tasks
        )  # fmt: skip

    # token, person, scope, the page of ids, the rows (tasks.queries.task_rows)
    response = assert_same_queries(run, grow, at_most=5, warm_up=True)
    assert len(response.json()["items"]) == 100


def test_the_served_schema_is_the_committed_one(db, client):
    """Regenerate with `shigan api_schema -o docs/api/openapi.json` after changing the API."""
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert json.loads(served.content) == json.loads(SCHEMA.read_text(encoding="utf-8")), (
        "docs/api/openapi.json differs from the served schema: run "
        "`shigan api_schema -o docs/api/openapi.json`"
    )


def test_the_status_filter_runs_in_sql_the_same_queries_at_two_sizes(world, token_client):
    api, _ = token_client(world.coordinator)
    status = api.get("/api/v1/tasks").json()["items"][0]["status"]

    def run():
        response = api.get(f"/api/v1/tasks?status={status}&limit=5")
        assert response.status_code == 200
        return response

    response = assert_same_queries(run, lambda: add_tasks(world, 30), at_most=5, warm_up=True)
    body = response.json()
    assert len(body["items"]) == 5 and body["next"]  # the new tasks share the first's status
    assert {item["status"] for item in body["items"]} == {status}
    paged, pages = walk(api, f"/api/v1/tasks?status={status}&limit=7")
    whole = api.get(f"/api/v1/tasks?status={status}&limit=100").json()["items"]
    assert paged == [item["id"] for item in whole] and len(paged) >= 31 and pages >= 5


def test_the_list_answers_what_task_rows_and_the_schema_would_byte_for_byte(world, token_client):
    """The list renders its rows itself (no Pydantic pass per row, for speed): the same bytes
    as task_rows' rows validated through TaskPage and rendered by the API's renderer — every
    field, its type and order, each task's category, Chinese as is, the cursor."""
    add_tasks(world, 3)
    other = TaskCategory.objects.create(campaign=world.campaign, name="水利")
    (watered,) = add_tasks(world, 1, unit=world.unit_b, category=other)
    ProgressReport.objects.create(
        task=world.task_a, unit=world.unit_a, period="2023-06-01", text="六月“进展”",
        submitted_by=world.reporter_a,
    )  # fmt: skip
    api, _ = token_client(world.coordinator)

    def same(limit):
        response = api.get(f"/api/v1/tasks?limit={limit}")
        assert response.status_code == 200
        assert response["Content-Type"] == ninja_api.get_content_type()
        body = json.loads(response.content)
        ids = [item["id"] for item in body["items"]]
        rows = task_rows(Task.objects.filter(pk__in=ids).order_by("pk"), clock.today())
        expected = TaskPage.model_validate(
            {"items": [_task_out(row) for row in rows], "next": body["next"]}
        ).model_dump()
        rendered = ninja_api.renderer.render(None, expected, response_status=200)
        assert response.content == rendered.encode()
        return body

    first = same(2)
    assert len(first["items"]) == 2 and first["next"]
    whole = same(100)
    assert whole["next"] is None and watered.pk in [item["id"] for item in whole["items"]]
    assert {item["category"] for item in whole["items"]} == {"水利", world.category.name}
    latest = {item["id"]: item["latest_progress"] for item in whole["items"]}[world.task_a.pk]
    assert latest["text"] == "六月“进展”" and latest["submitted_at"]


def test_an_undocumented_query_parameter_is_refused(world, token_client):
    """?stauts=behind is a 422 naming it, not every task as if unfiltered (shigan/api/params.py)."""
    api, _ = token_client(world.coordinator)
    response = api.get("/api/v1/tasks?stauts=behind")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "stauts", "detail": "未知的查询参数"}]
    assert api.get("/api/v1/tasks?status=behind").status_code == 200
