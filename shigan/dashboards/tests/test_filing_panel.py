"""挂图作战 opens with this month's filing: the units whose tasks still lack the month's
progress report first (linked to their report for a coordinator), then those done."""

import datetime
import re

import pytest
from django.utils import timezone

from shigan.core.testing import assert_same_queries
from shigan.orgs.models import Unit, UnitKind
from shigan.tasks.models import ProgressReport, Task, TaskState
from shigan.tasks.queries import unit_filing
from shigan.testing import make_task

URL = "/map/"
JULY = datetime.date(2023, 7, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def _file(world, task, period=JULY, unit=None):
    return ProgressReport.objects.create(
        task=task,
        unit=unit or task.lead_unit,
        period=period,
        text="进展",
        submitted_by=world.reporter_a,
    )


def _filing(world, as_of=datetime.date(2023, 7, 31)):
    rows = unit_filing(world.campaign, as_of, Task.objects.all())
    return [(row.unit.name, row.due, row.filed) for row in rows]


def test_units_with_a_missing_report_come_first(world):
    _file(world, world.task_a)
    assert _filing(world) == [("区水务局", 1, 0), ("区交通局", 1, 1)]


def test_only_the_months_reports_count_and_only_tasks_reporting_that_month(world):
    # A June report does not file July; a task starting in August and one closed before the
    # as-of day do not report for July.
    _file(world, world.task_a, period=datetime.date(2023, 6, 1))
    later = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="八月开工的任务",
        start=datetime.date(2023, 8, 1),
    )
    closed = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_b,
        title="七月办结的任务",
    )
    Task.objects.filter(pk=closed.pk).update(
        state=TaskState.COMPLETED, closed_on=datetime.date(2023, 7, 20)
    )
    assert later and _filing(world) == [("区交通局", 1, 0), ("区水务局", 1, 0)]
    # Before its closure the closed task still reported for the month: it is counted then.
    assert _filing(world, datetime.date(2023, 7, 19)) == [("区交通局", 1, 0), ("区水务局", 2, 0)]


def test_a_report_filed_after_the_as_of_day_is_not_known_then(world):
    report = _file(world, world.task_a)
    ProgressReport.objects.filter(pk=report.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2023, 7, 20, 10))
    )
    assert ("区交通局", 1, 0) in _filing(world, datetime.date(2023, 7, 19))
    assert ("区交通局", 1, 1) in _filing(world, datetime.date(2023, 7, 20))


def test_the_coordinator_sees_the_missing_units_linked_to_their_report(world, client_for):
    _file(world, world.task_a)
    html = client_for(world.coordinator).get(URL).content.decode()
    panel = html[
        html.index('class="filing') : html.index("</section>", html.index('class="filing'))
    ]
    assert "7月填报" in panel and '<b class="late">1</b>个单位尚未填报完' in panel
    link = f"/tasks/report/?unit={world.unit_b.pk}&amp;period=2023-07"
    assert link in panel and "（1/1 项未填）" in panel
    assert panel.index("区水务局") < panel.index("已填报的单位（1）") < panel.index("区交通局")


def test_a_leader_sees_his_units_unlinked(world, client_for):
    html = client_for(world.leader).get(URL).content.decode()
    panel = html[
        html.index('class="filing') : html.index("</section>", html.index('class="filing'))
    ]
    assert "区交通局" in panel and "区水务局" not in panel
    assert "/tasks/report/" not in panel


def test_the_panel_costs_the_same_queries_for_more_units(world, client_for):
    client = client_for(world.coordinator)

    def more_units(n):
        for _i in range(n):
            unit = Unit.objects.create(
                name=f"新单位{Unit.objects.count()}", kind=UnitKind.BUREAU, parent=world.district
            )
            task = make_task(
                campaign=world.campaign, category=world.category, unit=unit, title=f"任务{unit.pk}"
            )
            _file(world, task)

    assert_same_queries(lambda: client.get(URL), grow=lambda: more_units(4))
    assert len(re.findall(r"新单位\d+", client.get(URL).content.decode())) >= 8
