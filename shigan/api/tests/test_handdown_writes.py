"""Hand-downs (交办) written through the API as on their pages: POST /handdowns (an own task, or a
new one from a directive's point), POST /handdowns/{id}/accept (the receiving district's new or
existing task linked), /return and /withdraw (with a reason) — the pages' forms
(directives.forms) and services (directives.services: all or nothing, audited); each role's
token answers what the page answers (404 for whoever does not read the hand-down, 403 for whoever
reads it but may not act); Idempotency-Key replays; unknown fields refused."""

import datetime
import json

import pytest
from django.urls import reverse

from shigan.core.models import AuditEntry
from shigan.directives.access import NO_SUBORDINATES
from shigan.directives.models import Directive, DirectivePoint, HandDown, HandDownState
from shigan.directives.services import handdown_create
from shigan.directives.tests.factories import build_county, other_roles
from shigan.tasks.models import Task
from shigan.testing import make_task

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


@pytest.fixture
def county(db):
    return build_county()


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def hand_down(county, index=0, upper=None) -> HandDown:
    (made,) = handdown_create(
        by=county.coordinator, upper_task=upper or county.upper_task,
        units=[county.districts[index].unit], note="按月报送进展", today=TODAY,
    )  # fmt: skip
    return made


def accept_new(district, **changes) -> dict:
    return {
        "mode": "new", "title": "落实优化营商环境", "category": district.category.pk,
        "lead_unit": district.bureau.pk, "start_date": "2023-07-31", "due_date": "2023-11-30",
    } | changes  # fmt: skip


def test_the_county_hands_a_task_down_and_a_district_accepts_it_with_a_new_task(
    county, token_client
):
    api, _ = token_client(county.coordinator)
    units = [d.unit.pk for d in county.districts]
    body = {"upper_task": county.upper_task.pk, "units": units, "note": "按月报送进展"}
    made = post(api, "/api/v1/handdowns", body)
    assert made.status_code == 201, made.content
    answer = made.json()
    assert [h["unit_id"] for h in answer] == units
    assert {h["state"] for h in answer} == {"pending"} and answer[0]["note"] == "按月报送进展"
    assert HandDown.objects.count() == 2
    twice = post(api, "/api/v1/handdowns", body)  # the service's own rule: once a district
    assert twice.status_code == 422 and HandDown.objects.count() == 2
    first = county.districts[0]
    district, _ = token_client(first.coordinator)
    url = f"/api/v1/handdowns/{answer[0]['id']}/accept"
    missing = post(district, url, accept_new(first, title=None, lead_unit=None))
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"title", "lead_unit"}
    accepted = post(district, url, accept_new(first))
    assert accepted.status_code == 201, accepted.content
    task = Task.objects.get(pk=accepted.json()["task_id"])
    assert task.upper_task == county.upper_task and task.campaign == first.campaign
    assert (
        task.lead_unit == first.bureau and task.target == county.upper_task.target
    )  # not the note
    assert accepted.json()["state"] == "accepted" and accepted.json()["task"] == "落实优化营商环境"
    assert HandDown.objects.get(pk=answer[0]["id"]).note == "按月报送进展"  # stays on the hand-down
    again = post(district, url, accept_new(first, title="再接收"))
    assert again.status_code == 422
    assert again.json()["errors"] == [
        {"field": "请求体", "detail": "该交办任务已接收，不能再次办理。"}
    ]
    assert Task.objects.filter(upper_task=county.upper_task).count() == 1
    assert AuditEntry.objects.filter(record_type="directives.handdown").exists()


def test_a_district_links_an_existing_task_only_its_own(county, token_client):
    handdown = hand_down(county)
    first, second = county.districts
    own = make_task(
        campaign=first.campaign, category=first.category, unit=first.bureau, title="本区任务"
    )
    theirs = make_task(
        campaign=second.campaign, category=second.category, unit=second.bureau, title="邻区任务"
    )
    api, _ = token_client(first.coordinator)
    url = f"/api/v1/handdowns/{handdown.pk}/accept"
    foreign = post(api, url, {"mode": "existing", "task": theirs.pk})
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "task"
    linked = post(api, url, {"mode": "existing", "task": own.pk})
    assert linked.status_code == 201 and linked.json()["task_id"] == own.pk
    own.refresh_from_db()
    assert own.upper_task == county.upper_task


def test_a_point_is_handed_down_with_a_new_task_of_the_county(county, token_client):
    directive = Directive.objects.create(
        issuer=county.unit, number="县委办发〔2023〕3号", title="县文件", issued_on=TODAY,
        created_by=county.coordinator,
    )  # fmt: skip
    point = DirectivePoint.objects.create(directive=directive, text="一、整治道路", sort_order=1)
    api, _ = token_client(county.coordinator)
    unit = county.districts[0].unit.pk
    incomplete = post(api, "/api/v1/handdowns", {"point": point.pk, "units": [unit]})
    assert incomplete.status_code == 422
    assert {e["field"] for e in incomplete.json()["errors"]} == {
        "title",
        "category",
        "lead_unit",
        "due_date",
    }
    body = {
        "point": point.pk, "units": [unit], "title": "整治道路", "category": county.category.pk,
        "lead_unit": county.office.pk, "due_date": "2023-10-31",
    }  # fmt: skip
    made = post(api, "/api/v1/handdowns", body)
    assert made.status_code == 201, made.content
    upper = Task.objects.get(pk=made.json()[0]["upper_task_id"])
    assert upper.title == "整治道路" and upper.lead_unit == county.office
    assert HandDown.objects.get().point == point
    unknown = post(api, "/api/v1/handdowns", {"point": 999999, "units": [unit]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "point"


def test_a_level_with_no_district_below_is_refused_with_the_pages_explanation(county, token_client):
    api, _ = token_client(county.districts[0].coordinator)
    body = {"upper_task": county.upper_task.pk, "units": [county.districts[1].unit.pk]}
    response = post(api, "/api/v1/handdowns", body)
    assert response.status_code == 403 and response.json()["detail"] == NO_SUBORDINATES
    assert not HandDown.objects.exists()


def test_return_and_withdraw_need_a_reason_and_a_waiting_hand_down(county, token_client):
    returned, withdrawn = hand_down(county, 0), hand_down(county, 1)
    district, _ = token_client(county.districts[0].coordinator)
    url = f"/api/v1/handdowns/{returned.pk}/return"
    blank = post(district, url, {"reason": "  "})
    assert blank.status_code == 422
    assert blank.json()["errors"] == [{"field": "reason", "detail": "请填写退回理由。"}]
    done = post(district, url, {"reason": "不属于本区职责"})
    assert done.status_code == 200 and done.json()["state"] == "returned"
    assert done.json()["return_reason"] == "不属于本区职责"
    upper, _ = token_client(county.coordinator)
    late = post(upper, f"/api/v1/handdowns/{returned.pk}/withdraw", {"reason": "撤回"})
    assert late.status_code == 422 and "已退回，不能撤回" in late.json()["detail"]
    url = f"/api/v1/handdowns/{withdrawn.pk}/withdraw"
    assert post(upper, url, {"reason": ""}).json()["errors"] == [
        {"field": "reason", "detail": "请填写撤回理由。"}
    ]
    done = post(upper, url, {"reason": "交办对象有误"})
    assert done.status_code == 200 and done.json()["withdraw_reason"] == "交办对象有误"
    second, _ = token_client(county.districts[1].coordinator)
    gone = post(second, f"/api/v1/handdowns/{withdrawn.pk}/accept", accept_new(county.districts[1]))
    assert (
        gone.status_code == 422
        and "已被上级撤回（撤回理由：交办对象有误）" in gone.json()["detail"]
    )
    extra = post(upper, url, {"reason": "再撤", "note": "x"})
    assert extra.status_code == 422 and "note" in extra.content.decode()


def test_each_roles_token_answers_a_hand_down_as_the_page(county, token_client, client_for):
    """For every persona, page and API alike on two hand-downs to the first district: the page's
    POST (302 whether done or refused with a message — compared by the state — 403, 404) and the
    API's (200/201, 403, 404)."""
    other = build_county(1, name="邻县", prefix="other")
    first = county.districts[0]
    people = {
        "county": county.coordinator, "county_inspector": county.inspector,
        "district": first.coordinator, "sibling": county.districts[1].coordinator,
        "other_county": other.coordinator, **other_roles(county),
    }  # fmt: skip
    # a reporter or a leader reads no hand-down (GET /handdowns and the inbox page are 403 to
    # him): the action's page answers 404 as for an id that does not exist, and so does the API
    not_read = dict.fromkeys(other_roles(county), 404) | {"district_inspector": 403}
    expected = {
        "return": {"district": 200, "county": 403, "county_inspector": 403, "sibling": 404,
                   "other_county": 404, **not_read},
        "withdraw": {"county": 200, "district": 403, "county_inspector": 403, "sibling": 404,
                     "other_county": 404, **not_read},
        "accept": {"district": 201, "county": 403, "county_inspector": 403, "sibling": 404,
                   "other_county": 404, **not_read},
    }  # fmt: skip
    pages = {
        "return": ("directives:handdown_return", {"reason": "理由"}, {"reason": "理由"}),
        "withdraw": ("directives:handdown_withdraw", {"reason": "理由"}, {"reason": "理由"}),
        "accept": (
            "directives:handdown_accept",
            {**accept_new(first), "leader": ""},
            accept_new(first),
        ),
    }
    for action, (name, page_body, api_body) in pages.items():
        for who, user in people.items():
            uppers = [
                make_task(campaign=county.campaign, category=county.category, unit=county.office,
                          title=f"{action}{who}{i}")
                for i in range(2)
            ]  # fmt: skip
            by_page, by_api = (hand_down(county, upper=u) for u in uppers)
            page = client_for(user).post(reverse(name, args=[by_page.pk]), page_body).status_code
            api, _ = token_client(user)
            response = post(api, f"/api/v1/handdowns/{by_api.pk}/{action}", api_body)
            by_page.refresh_from_db()
            ok = expected[action][who]
            assert response.status_code == ok, (action, who, response.content)
            assert {302: ok}.get(page, page) == response.status_code, (action, who, page)
            assert (by_page.state != HandDownState.PENDING) == (ok in (200, 201)), (action, who)
    read, _ = token_client(first.coordinator, scope="read")
    waiting = hand_down(county)
    refused = post(read, f"/api/v1/handdowns/{waiting.pk}/return", {"reason": "只读"})
    assert refused.status_code == 403


def test_a_retried_return_with_its_key_is_replayed(county, token_client):
    handdown = hand_down(county)
    api, _ = token_client(county.districts[0].coordinator)
    url = f"/api/v1/handdowns/{handdown.pk}/return"
    key = {"HTTP_IDEMPOTENCY_KEY": "return-1"}
    first = post(api, url, {"reason": "不属于本区职责"}, **key)
    again = post(api, url, {"reason": "不属于本区职责"}, **key)
    assert first.status_code == again.status_code == 200, first.content
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    without = post(api, url, {"reason": "不属于本区职责"})
    assert without.status_code == 422  # answered: the page's message
