"""A directive's page shows each reader the hand-downs in his scope: a district only those made
to itself (not its sibling's, their states nor their reasons), the handing level all of them; a
交办任务 title links only where the reader may go (the upper level's 下级落实情况 for the
handing level, the district's own answering task for the district, else no link); a reason is
labelled by its state (退回理由 / 撤回理由)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shigan.directives.access import (
    get_handdown_of_own_level,
    handdown_scope_q,
    handdowns_seen_by,
    upper_task_targets,
)
from shigan.directives.services import (
    directive_create,
    handdown_create,
    handdown_return,
    handdown_withdraw,
)
from shigan.directives.tests.factories import build_county, child_task

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def county(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_county()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def _handed(county):
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕12号",
        title="关于深化实干年活动的通知", issued_on=TODAY, points=["一、优化营商环境"],
    )  # fmt: skip
    handdown_create(
        by=county.coordinator, upper_task=county.upper_task, point=directive.points.first(),
        units=[d.unit for d in county.districts], today=TODAY,
    )  # fmt: skip
    return directive


def _page(client, directive):
    return client.get(reverse("directives:directive_detail", args=[directive.pk])).content.decode()


def test_a_district_is_not_linked_to_the_upper_task_page_it_cannot_open(county, client_for):
    directive = _handed(county)
    c = client_for(county.districts[0].coordinator)
    upper = reverse("directives:upper_task", args=[county.upper_task.pk])
    assert c.get(upper).status_code == 404  # the district does not read the upper task page
    page = _page(c, directive)
    assert f'href="{upper}"' not in page and county.upper_task.title in page


def test_a_district_is_linked_to_its_own_answering_task(county, client_for):
    directive = _handed(county)
    first, second = county.districts
    own = child_task(first, county.upper_task, title="一区承接任务")
    child_task(second, county.upper_task, title="二区承接任务")
    page = _page(client_for(first.coordinator), directive)
    assert f'href="{own.get_absolute_url()}"' in page and "二区承接任务" not in page


def test_the_handing_level_is_linked_to_the_upper_task_page(county, client_for):
    directive = _handed(county)
    upper = reverse("directives:upper_task", args=[county.upper_task.pk])
    for user in (county.coordinator, county.inspector):
        assert f'href="{upper}"' in _page(client_for(user), directive)


def test_a_district_does_not_read_its_siblings_hand_down(county, client_for):
    directive = _handed(county)
    first, second = county.districts
    theirs = county.upper_task.handdowns.get(unit=second.unit)
    handdown_return(by=second.coordinator, handdown=theirs, reason="不属于本区职责R3", today=TODAY)
    page = _page(client_for(first.coordinator), directive)
    assert "不属于本区职责R3" not in page and second.unit.name not in page
    assert first.unit.name in page
    county_page = _page(client_for(county.coordinator), directive)
    assert "不属于本区职责R3" in county_page and second.unit.name in county_page


def test_a_reason_is_labelled_by_its_state(county, client_for):
    directive = _handed(county)
    first, second = county.districts
    mine = county.upper_task.handdowns.get(unit=first.unit)
    theirs = county.upper_task.handdowns.get(unit=second.unit)
    handdown_return(by=second.coordinator, handdown=theirs, reason="职责不符", today=TODAY)
    handdown_withdraw(by=county.coordinator, handdown=mine, reason="任务调整", today=TODAY)
    page = _page(client_for(county.coordinator), directive)
    assert "退回理由：职责不符" in page and "撤回理由：任务调整" in page
    assert "退回理由：任务调整" not in page


def test_the_access_functions_behind_the_page(county):
    """handdowns_seen_by and upper_task_targets (directives.access) decide what the page shows."""
    _handed(county)
    first, second = county.districts
    own = child_task(first, county.upper_task)
    handdowns = list(county.upper_task.handdowns.select_related("upper_task"))
    assert [h.unit for h in handdowns_seen_by(first.coordinator, handdowns)] == [first.unit]
    assert len(handdowns_seen_by(county.inspector, handdowns)) == 2
    assert upper_task_targets(first.coordinator, [county.upper_task]) == (
        set(),
        {county.upper_task.pk: own},
    )
    assert upper_task_targets(county.coordinator, [county.upper_task]) == (
        {county.upper_task.pk},
        {},
    )
    theirs = county.upper_task.handdowns.get(unit=second.unit)
    with pytest.raises(PermissionDenied, match="可以催办"):
        get_handdown_of_own_level(county.inspector, theirs.pk, refusal="只有专班可以催办")


def test_the_list_counts_only_the_hand_downs_in_the_readers_scope(county, client_for):
    _handed(county)  # one point handed to both districts
    first = county.districts[0]
    rows = client_for(first.coordinator).get(reverse("directives:directive_list")).context
    assert [d.seen_handdowns for d in rows["directives"]] == [1]
    rows = client_for(county.coordinator).get(reverse("directives:directive_list")).context
    assert [d.seen_handdowns for d in rows["directives"]] == [2]
    assert handdown_scope_q(first.coordinator) != handdown_scope_q(county.coordinator)


def test_a_hand_down_to_a_unit_not_below_is_refused_in_chinese_without_ids(county, client_for):
    c = client_for(county.coordinator)
    response = c.post(
        reverse("directives:handdown_create"),
        {"upper_task": county.upper_task.pk, "units": [county.office.pk]},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "所选承接的区（县）不是本级可交办的下级" in html
    assert "不在可用的选项中" not in html


def test_whitespace_only_points_are_refused_in_words(county, client_for):
    c = client_for(county.coordinator)
    response = c.post(reverse("directives:directive_create"), {
        "issuer": county.office.pk, "number": "县委办发〔2023〕13号", "title": "通知",
        "issued_on": "2023-07-31", "points": "   \n  ",
    })  # fmt: skip
    html = response.content.decode()
    assert "要求事项不能为空" in html and "这个字段是必填项" not in html
