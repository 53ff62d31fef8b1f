"""The roll-up rules (tasks.rollup) as the upper task's page shows them, from real hand-downs and
children, at the rules' boundaries."""

import datetime

import pytest
from django.urls import reverse

from shigan.core.testing import assert_same_queries, get_page
from shigan.directives.services import handdown_create
from shigan.directives.tests.factories import add_district, build_county, child_task
from shigan.orgs.workdays import add_workdays
from shigan.tasks.models import ProgressReport, TaskState
from shigan.tasks.rollup import ACCEPT_DAYS

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


@pytest.fixture
def county(db):
    return build_county()


def rolled(client, county):
    url = reverse("directives:upper_task", args=[county.upper_task.pk])
    view = client.get(url).context["view"]
    return view.rolled.status.label, view.rolled.progress_label


def hand_down(county, workdays_ago: int):
    """Handed down `workdays_ago` working days before TODAY (the wait is in working days)."""
    return handdown_create(
        by=county.coordinator, upper_task=county.upper_task,
        units=[d.unit for d in county.districts],
        today=add_workdays(TODAY, -workdays_ago),
    )  # fmt: skip


def test_hand_downs_waiting_five_working_days_are_not_started(county, client_for):
    hand_down(county, ACCEPT_DAYS)
    assert rolled(client_for(county.coordinator), county) == ("未启动", "0/2")


def test_hand_downs_waiting_six_working_days_make_the_upper_task_behind(county, client_for):
    hand_down(county, ACCEPT_DAYS + 1)
    page = client_for(county.coordinator).get(
        reverse("directives:upper_task", args=[county.upper_task.pk])
    )
    assert page.context["view"].rolled.status.label == "滞后"
    assert "2个超过5个工作日未接收" in page.content.decode()


def test_one_overdue_child_makes_the_upper_task_overdue(county, client_for):
    first, second = county.districts
    hand_down(county, 1)
    child_task(first, county.upper_task, due=TODAY - datetime.timedelta(days=1))
    child_task(second, county.upper_task)
    assert rolled(client_for(county.coordinator), county)[0] == "逾期"


def test_done_only_when_every_child_is_done(county, client_for):
    first, second = county.districts
    a = child_task(first, county.upper_task)
    b = child_task(second, county.upper_task)
    a.state, a.closed_on = TaskState.COMPLETED, TODAY
    a.save()
    c = client_for(county.coordinator)
    assert rolled(c, county) == ("正常", "1/2")
    b.state, b.closed_on = TaskState.COMPLETED, TODAY
    b.save()
    assert rolled(c, county) == ("完成", "2/2")


def test_children_reports_stay_the_childs(county, client_for):
    first = county.districts[0]
    child = child_task(first, county.upper_task)
    ProgressReport.objects.create(
        task=child, unit=first.bureau, period=datetime.date(2023, 7, 1), text="一区已完成摸底",
        submitted_by=first.coordinator,
    )  # fmt: skip
    c = client_for(county.coordinator)
    page = c.get(reverse("directives:upper_task", args=[county.upper_task.pk])).content.decode()
    assert "一区已完成摸底" in page
    assert not county.upper_task.progress_reports.exists()


def test_battle_map_shows_the_upper_tasks_roll_up_linking_down(county, client_for):
    first, second = county.districts
    hand_down(county, ACCEPT_DAYS + 1)
    child_task(first, county.upper_task)
    page = client_for(county.coordinator).get(
        reverse("dashboards:battle_map") + f"?campaign={county.campaign.pk}"
    )
    html = page.content.decode()
    link = reverse("directives:upper_task", args=[county.upper_task.pk])
    assert f'<a class="rollup" href="{link}">下级' in html
    assert "滞后</span>完成0/3" in html


def test_battle_map_roll_ups_run_the_same_queries_for_2_and_12_districts(county, client_for):
    hand_down(county, 1)
    child_task(county.districts[0], county.upper_task)
    url = reverse("dashboards:battle_map") + f"?campaign={county.campaign.pk}"

    def grow():
        for index in range(3, 13):
            district = add_district(county, index)
            handdown_create(by=county.coordinator, upper_task=county.upper_task,
                            units=[district.unit], today=TODAY)  # fmt: skip
            child_task(district, county.upper_task)

    page = get_page(client_for(county.coordinator), url)
    response = assert_same_queries(page, grow, warm_up=True)
    assert "完成0/23" in response.content.decode()  # 11 children and 12 hand-downs waiting


def test_the_map_and_the_upper_task_page_show_the_own_status_and_the_roll_up_alike(
    county, client_for
):
    """One rule on both pages: the task's own status (本级) and its roll-up (下级汇总), each
    labelled; a hand-down still waiting reads one state (待接收), not two."""
    hand_down(county, 1)  # waiting 1 working day: the roll-up 未启动, the task itself 正常
    c = client_for(county.coordinator)
    upper = c.get(reverse("directives:upper_task", args=[county.upper_task.pk])).content.decode()
    own = '本级：<span class="status status-on_track">正常</span>'
    rolled = '下级汇总：<span class="status status-not_started">未启动</span>'
    assert own in upper and rolled in upper
    board = c.get(reverse("dashboards:battle_map") + f"?campaign={county.campaign.pk}")
    html = board.content.decode()
    assert own in html and rolled in html
    assert "未接收</span>" not in upper
    assert upper.count('<span class="muted">待接收</span>') == 2
