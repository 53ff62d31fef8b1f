"""POST /visits and PUT /visits/{id} take `pairing` (an id of GET /pairings) as the 录入走访 and
更正 pages do: the pairing of the visit's campaign whose cadre is of the visit's unit, in force on
its day; refused on `pairing` with the page's message, one out of reach as one that does not
exist; answered as `pairing_id`, and GET /pairings then counts the visit and drops the flag."""

import datetime

import pytest

from shigan.grassroots.forms.visits import PAIRING_UNKNOWN
from shigan.grassroots.models import Pairing, Visit
from shigan.grassroots.tests.visit_helpers import visit as make_visit

from .versions import versioned

JSON = "application/json"
D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    settings.MEDIA_ROOT = tmp_path / "media"


def pairing(world, *, cadre=None, name="王大爷家", ended_on=None):
    return Pairing.objects.create(
        campaign=world.campaign, cadre=cadre or world.reporter_a.person, target_kind="household",
        target_name=name, started_on=D(2023, 1, 10), ended_on=ended_on,
    )  # fmt: skip


def body(world, **fields):
    return {
        "kind": "visit", "date": "2023-07-20", "unit": world.unit_a.pk,
        "cadres": [world.reporter_a.person.pk], "place_kind": "household", "place": "王大爷家",
        "what_done": "帮助申请临时救助",
    } | fields  # fmt: skip


def post(api, data):
    return api.post("/api/v1/visits", data, content_type=JSON)


def problem_on(response, field) -> list[str]:
    assert response.status_code == 422, response.content
    return [e["detail"] for e in response.json()["errors"] if e["field"] == field]


def test_a_visit_posted_under_a_pairing_answers_it_and_the_pairing_list_moves(world, token_client):
    own = pairing(world)
    api, _ = token_client(world.reporter_a)
    before = api.get(f"/api/v1/pairings/{own.pk}").json()
    assert before["stale"] is True and before["visits"] == 0
    response = post(api, body(world, pairing=own.pk))
    assert response.status_code == 201, response.content
    assert response.json()["pairing_id"] == own.pk
    assert Visit.objects.get().pairing == own
    after = api.get(f"/api/v1/pairings/{own.pk}").json()
    assert (after["stale"], after["visits"], after["last_visit"]) == (
        False,
        1,
        "2023-07-20",
    )
    listed = api.get("/api/v1/visits").json()["items"]
    assert [v["pairing_id"] for v in listed] == [own.pk]


def test_a_pairing_that_does_not_fit_is_refused_on_pairing_with_the_pages_message(
    world, token_client
):
    coordinator, _ = token_client(world.coordinator)
    others = pairing(world, cadre=world.reporter_b.person, name="新场村")
    ended = pairing(world, ended_on=D(2023, 6, 30), name="已结束")
    assert problem_on(post(coordinator, body(world, pairing=others.pk)), "pairing") == [
        "结对帮扶“赵填报 ↔ 新场村”的结对干部不属于本次走访的组织单位：只能选择本单位干部的结对。"
    ]
    assert problem_on(post(coordinator, body(world, pairing=ended.pk)), "pairing") == [
        "结对帮扶“王填报 ↔ 已结束”已于2023-06-30结束，走访日期2023-07-20在其之后。"
    ]
    assert not Visit.objects.exists()


def test_a_pairing_out_of_reach_reads_as_one_that_does_not_exist(
    world, token_client, other_district
):
    others = pairing(world, cadre=world.reporter_b.person, name="新场村")
    reporter, _ = token_client(world.reporter_a)
    missing = post(reporter, body(world, pairing=999999))
    hidden = post(reporter, body(world, pairing=others.pk))
    assert problem_on(missing, "pairing") == problem_on(hidden, "pairing") == [PAIRING_UNKNOWN]
    assert missing.json() == hidden.json()
    assert not Visit.objects.exists()


def test_put_sets_and_clears_the_pairing_under_the_same_rule(world, token_client):
    v = make_visit(world, unit=world.unit_a)  # 2023-06-01
    own = pairing(world)
    ended = pairing(world, ended_on=D(2023, 5, 31), name="已结束")
    api, _ = token_client(world.reporter_a)
    url = f"/api/v1/visits/{v.pk}"
    current = api.get(url).json()
    assert current["pairing_id"] is None
    fields = {k: current[k] for k in ("kind", "date", "place_kind", "place", "what_done")}
    change = fields | {"cadres": current["cadre_ids"], "reason": "漏选了结对"}
    refused = api.put(url, versioned(url, change | {"pairing": ended.pk}), content_type=JSON)
    assert problem_on(refused, "pairing") == [
        "结对帮扶“王填报 ↔ 已结束”已于2023-05-31结束，走访日期2023-06-01在其之后。"
    ]
    answer = api.put(url, versioned(url, change | {"pairing": own.pk}), content_type=JSON)
    assert answer.status_code == 200, answer.content
    assert answer.json()["pairing_id"] == own.pk
    cleared = api.put(url, versioned(url, change | {"reason": "并非结对走访"}), content_type=JSON)
    assert cleared.status_code == 200 and cleared.json()["pairing_id"] is None
    v.refresh_from_db()
    assert v.pairing is None
