"""The receiving district's hand-down inbox through the API (GET /handdowns) as its page
(directives:inbox, 待接收的交办任务): its task force only (403 for anyone else, as the page), the
hand-downs to its own district only — each with who handed it down, the time limit, the point it
came from and, while 待接收, the working days waited (late past ACCEPT_DAYS) — answered or
withdrawn ones with the day and reason; `state` as the page's sections; a flat query count."""

import datetime
import re

import pytest

from shigan.core.testing import assert_same_queries, get_page
from shigan.directives.models import Directive, DirectivePoint
from shigan.directives.services import handdown_create, handdown_return, handdown_withdraw
from shigan.directives.tests.factories import build_county
from shigan.tasks.rollup import ACCEPT_DAYS
from shigan.testing import make_task

TODAY = datetime.date(2023, 7, 31)
URL = "/api/v1/handdowns"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


@pytest.fixture
def county(db):
    return build_county()


def hand_down(county, index=0, upper=None, on=TODAY, point=None):
    (made,) = handdown_create(
        by=county.coordinator, upper_task=upper or county.upper_task, point=point,
        units=[county.districts[index].unit], note="按月报送进展", today=on,
    )  # fmt: skip
    return made


def another_upper(county, title):
    return make_task(
        campaign=county.campaign, category=county.category, unit=county.office, title=title,
        due=datetime.date(2023, 12, 31),
    )  # fmt: skip


def test_the_district_lists_what_its_page_lists(county, token_client, client_for):
    directive = Directive.objects.create(
        issuer=county.unit, number="县委办发〔2023〕3号", title="县文件", issued_on=TODAY,
        created_by=county.coordinator,
    )  # fmt: skip
    point = DirectivePoint.objects.create(directive=directive, text="一、整治道路", sort_order=2)
    # July 21 (Friday) to July 31: 6 working days waited, past ACCEPT_DAYS (5)
    waiting = hand_down(county, on=datetime.date(2023, 7, 21), point=point)
    returned = hand_down(county, upper=another_upper(county, "河道整治"))
    handdown_return(by=county.districts[0].coordinator, handdown=returned, reason="不属本区职责",
                    today=TODAY)  # fmt: skip
    withdrawn = hand_down(county, upper=another_upper(county, "老旧小区改造"))
    handdown_withdraw(by=county.coordinator, handdown=withdrawn, reason="另行安排", today=TODAY)
    hand_down(county, index=1)  # the other district's: not in this inbox
    district = county.districts[0].coordinator
    api, _ = token_client(district, scope="read")
    answer = api.get(URL)
    assert answer.status_code == 200, answer.content
    items = {h["id"]: h for h in answer.json()["items"]}
    page = client_for(district).get("/directives/inbox/").content.decode()
    on_page = {int(pk) for pk in re.findall(r'id="handdown-(\d+)"', page)}
    assert on_page == {waiting.pk}  # the page's 待接收
    assert set(items) == {waiting.pk, returned.pk, withdrawn.pk}
    first = items[waiting.pk]
    assert first["waiting_days"] == 6 > ACCEPT_DAYS and first["late"] is True
    assert "已等待6个工作日" in page
    assert first["directive"] == "县委办发〔2023〕3号《县文件》第2条"
    assert first["directive_id"] == directive.pk and first["handed_by"] == "县专班"
    assert first["upper_unit"] == "县委办" and first["due_date"] == "2023-11-30"
    assert items[returned.pk]["state"] == "returned" and items[returned.pk]["waiting_days"] is None
    assert items[returned.pk]["closed_reason"] == "不属本区职责"
    assert items[withdrawn.pk]["closed_reason"] == "另行安排"
    assert items[withdrawn.pk]["closed_on"] == TODAY.isoformat()
    pending = api.get(URL, {"state": "pending"}).json()["items"]
    assert [h["id"] for h in pending] == [waiting.pk]
    bad = api.get(URL, {"state": "unknown"})
    assert bad.status_code == 422


def test_only_a_task_force_reads_its_inbox_as_the_page(county, token_client, client_for, world):
    hand_down(county)
    for user in (county.inspector, world.leader, world.reporter_a, world.inspector):
        api, _ = token_client(user, scope="read")
        answer = api.get(URL)
        assert answer.status_code == client_for(user).get("/directives/inbox/").status_code == 403
        assert answer.json()["detail"] == "只有专班可以录入文件和办理交办。"
    county_api, _ = token_client(county.coordinator, scope="read")
    assert county_api.get(URL).json()["items"] == []  # a top level receives none


def test_the_inbox_runs_a_flat_number_of_queries(county, token_client):
    hand_down(county)
    api, _ = token_client(county.districts[0].coordinator, scope="read")

    def grow():
        for m in range(6):
            hand_down(county, upper=another_upper(county, f"任务{m}"))

    grown = assert_same_queries(get_page(api, URL), grow, warm_up=True)
    assert len(grown.json()["items"]) == 7
