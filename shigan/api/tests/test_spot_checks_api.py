"""随机抽查 through the API as its pages (supervision:spot_check_list/_draw/_detail): each role
answers what the page answers (403 for a role refused the list, 404 for a draw outside the
caller's reach with an unknown id's message), the draw through the page's form and service —
ceil(share × N / 100) of the N completed items with random.Random(seed) over the ids ascending,
the seed recorded, audited — its messages naming the field, Idempotency-Key replays, and a flat
query count."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.supervision.draw import draw
from shigan.supervision.models import SpotCheck
from shigan.supervision.services import spot_check_draw
from shigan.supervision.tests.test_spot_checks import done_tasks

URL = "/api/v1/spot-checks"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def post(client, data, **headers):
    return client.post(URL, json.dumps(data), content_type="application/json", **headers)


def personas(world):
    no_role = get_user_model().objects.create_user(username="nobody", password="x")
    return [world.coordinator, world.leader, world.inspector, world.reporter_a, no_role]


def test_each_role_reads_what_the_page_shows(world, token_client, client_for, other_district):
    done_tasks(world, 10)
    mine = spot_check_draw(campaign=world.campaign, share=30, by=world.inspector, seed="种子")
    theirs_coordinator, theirs_task = other_district
    theirs_task.state = "completed"
    theirs_task.save()
    theirs = spot_check_draw(campaign=theirs_task.campaign, share=100, by=theirs_coordinator)
    for user in personas(world):
        api, _ = token_client(user, scope="read")
        page = client_for(user)
        listed = api.get(URL)
        assert listed.status_code == page.get("/supervision/spot-checks/").status_code
        if listed.status_code == 200:
            assert [s["id"] for s in listed.json()["items"]] == [mine.pk]
        else:
            assert listed.json()["detail"] == "抽查记录仅供专班、督查人员和领导查看。"
        for record in (mine, theirs):
            detail = api.get(f"{URL}/{record.pk}")
            assert (
                detail.status_code == page.get(f"/supervision/spot-checks/{record.pk}/").status_code
            )
        unknown = api.get(f"{URL}/{theirs.pk + 1000}")
        outside = api.get(f"{URL}/{theirs.pk}")
        assert unknown.status_code == outside.status_code == 404
        assert unknown.json()["detail"] == outside.json()["detail"]


def test_the_draw_is_the_pages_recorded_with_its_seed_and_audited(world, token_client):
    tasks = done_tasks(world, 20)
    api, _ = token_client(world.inspector)
    made = post(api, {"share": 15, "seed": "2023年7月抽查", "note": "实地核查"})
    assert made.status_code == 201, made.content
    body = made.json()
    population = sorted(t.pk for t in tasks)
    assert body["population"] == population and body["population_count"] == 20
    assert body["drawn"] == draw(population, 15, "2023年7月抽查") and body["drawn_count"] == 3
    assert [t["id"] for t in body["tasks"]] == body["drawn"] and body["tasks"][0]["order"] == 1
    assert body["reproduces"] is True and body["redrawn"] == body["drawn"]
    record = SpotCheck.objects.get()
    assert (record.seed, record.campaign, record.created_by) == (
        "2023年7月抽查", world.campaign, world.inspector,
    )  # fmt: skip
    entry = AuditEntry.objects.get(record_type="supervision.spotcheck", record_id=record.pk)
    assert "按15%抽取3项" in entry.note and entry.actor == world.inspector
    fresh = post(api, {"share": 50})  # no seed: one generated and recorded
    assert fresh.status_code == 201 and len(fresh.json()["seed"]) == 16
    assert fresh.json()["drawn"] == draw(population, 50, fresh.json()["seed"])
    read = api.get(f"{URL}/{record.pk}").json()
    assert read == body


def test_refusals_name_the_field_in_the_pages_words(world, token_client):
    api, _ = token_client(world.coordinator)
    nothing = post(api, {"share": 20})
    assert nothing.status_code == 422
    assert nothing.json()["errors"] == [
        {"field": "请求体", "detail": "本活动范围内没有已办结的事项，无法抽查。"}
    ]
    done_tasks(world, 3)
    for share in (0, 101):
        wrong = post(api, {"share": share})
        assert wrong.status_code == 422
        assert wrong.json()["errors"] == [
            {"field": "share", "detail": "抽查比例须在1%到100%之间。"}
        ]
    long_seed = post(api, {"share": 10, "seed": "x" * 65})
    assert long_seed.status_code == 422 and long_seed.json()["errors"][0]["field"] == "seed"
    foreign = post(api, {"share": 10, "unit": 10**9})
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "unit"
    assert not SpotCheck.objects.exists()
    leader, _ = token_client(world.leader)
    refused = post(leader, {"share": 10})
    assert refused.status_code == 403 and refused.json()["detail"] == "只有督查人员或专班可以抽查。"
    assert not SpotCheck.objects.exists()


def test_a_retried_draw_is_replayed_not_drawn_again(world, token_client):
    done_tasks(world, 10)
    api, _ = token_client(world.inspector)
    first = post(api, {"share": 30}, HTTP_IDEMPOTENCY_KEY="draw-1")
    again = post(api, {"share": 30}, HTTP_IDEMPOTENCY_KEY="draw-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and SpotCheck.objects.count() == 1


def test_the_list_and_the_detail_run_a_flat_number_of_queries(world, token_client):
    done_tasks(world, 10)
    api, _ = token_client(world.coordinator, scope="read")
    first = spot_check_draw(campaign=world.campaign, share=30, by=world.inspector)

    def grow():
        for n in range(5):
            spot_check_draw(campaign=world.campaign, share=10 + n, by=world.coordinator)

    grown = assert_same_queries(get_page(api, URL), grow, warm_up=True)
    assert len(grown.json()["items"]) == 6
    small = spot_check_draw(campaign=world.campaign, share=10, by=world.inspector)
    large = spot_check_draw(campaign=world.campaign, share=100, by=world.inspector)
    counts = []
    for record in (first, small, large):
        with CaptureQueriesContext(connection) as captured:
            assert api.get(f"{URL}/{record.pk}").status_code == 200
        counts.append(len(captured))
    assert counts[1] == counts[2] and len(large.drawn) == 10 * len(small.drawn)
