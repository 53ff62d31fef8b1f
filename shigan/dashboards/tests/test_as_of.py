"""One meaning of "as of" (tasks.queries): the battle map, its timeline and export, the cockpit and
the report show what was known on the date — nothing filed, reached, approved or decided after it.
"""

import datetime

import pytest
from django.utils import timezone

from shigan.demo.district import load_demo
from shigan.indicators.models import Actual
from shigan.orgs.models import Person
from shigan.reports.compose import ReportOptions, build_summary
from shigan.reports.compose import context as report_context
from shigan.reports.models import NarrativeSlot
from shigan.tasks.models import ChangeKind, Milestone, ProgressReport, Task, TaskOrigin, TaskState
from shigan.tasks.queries import task_rows
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.status import TaskStatus
from shigan.testing import make_task

D = datetime.date
MAP = "/map/"
COCKPIT = "/map/cockpit/"


def filed_on(report: ProgressReport, day: datetime.date) -> ProgressReport:
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=when)
    return report


def progress(world, task, period: datetime.date, text: str) -> ProgressReport:
    return ProgressReport.objects.create(
        task=task, unit=task.lead_unit, period=period, text=text, submitted_by=world.coordinator
    )


def row_of(task, as_of):
    return task_rows(Task.objects.filter(pk=task.pk), as_of)[0]


# The rule, record by record ------------------------------------------------------------------


def test_progress_filed_after_the_date_is_not_known(world):
    filed_on(progress(world, world.task_a, D(2023, 6, 1), "六月进展"), D(2023, 6, 26))
    filed_on(progress(world, world.task_a, D(2023, 6, 1), "六月进展（补报）"), D(2023, 7, 3))
    assert row_of(world.task_a, D(2023, 6, 30)).last_progress_text == "六月进展"
    assert row_of(world.task_a, D(2023, 7, 3)).last_progress_text == "六月进展（补报）"
    assert row_of(world.task_a, D(2023, 6, 25)).last_progress_text is None


def test_the_latest_progress_is_of_the_latest_month_not_the_last_filed(world):
    filed_on(progress(world, world.task_a, D(2023, 6, 1), "六月进展"), D(2023, 6, 26))
    filed_on(progress(world, world.task_a, D(2023, 5, 1), "五月补报"), D(2023, 7, 2))
    row = row_of(world.task_a, D(2023, 7, 10))
    assert (row.last_progress_text, row.last_progress_period) == ("六月进展", D(2023, 6, 1))


def test_a_milestone_done_after_the_date_is_not_done_on_it(world):
    # 完成规划设计: due 2023-05-31, done 2023-05-20.
    before, after = row_of(world.task_a, D(2023, 5, 19)), row_of(world.task_a, D(2023, 5, 20))
    assert (before.milestones_done, after.milestones_done) == (0, 1)
    assert before.next_milestone_title == "完成规划设计"
    june = task_rows(Task.objects.filter(pk=world.task_a.pk), D(2023, 6, 5), with_milestones=True)
    assert [m.done_on for m in june[0].milestones] == [D(2023, 5, 20), None]
    may = task_rows(Task.objects.filter(pk=world.task_a.pk), D(2023, 5, 10), with_milestones=True)
    assert [m.done_on for m in may[0].milestones] == [None, None]
    assert Milestone.objects.get(task=world.task_a, title="完成规划设计").done_on == D(2023, 5, 20)


def test_a_task_closed_after_the_date_is_open_on_it(world):
    Task.objects.filter(pk=world.task_b.pk).update(
        state=TaskState.COMPLETED, closed_on=D(2023, 7, 10)
    )
    assert row_of(world.task_b, D(2023, 7, 9)).status == TaskStatus.BEHIND  # 0 of 1 milestone
    assert row_of(world.task_b, D(2023, 7, 10)).status == TaskStatus.DONE


def test_an_extension_approved_after_the_date_does_not_count_on_it(world):
    original = world.task_b.due_date  # 2023-12-31
    request = change_request_create(
        task=world.task_b,
        by=world.reporter_b,
        kind=ChangeKind.EXTEND,
        reason="汛期顺延",
        proposed_due_date=D(2024, 3, 31),
    )
    change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")
    # The approval happens now (after 2024): on 2024-01-05 the task was overdue.
    then = row_of(world.task_b, D(2024, 1, 5))
    assert then.due_date == original and then.status == TaskStatus.OVERDUE
    assert then.days_left == (original - D(2024, 1, 5)).days
    today = row_of(world.task_b, timezone.localdate())
    assert today.due_date == D(2024, 3, 31)


def test_decisions_of_later_meetings_are_not_on_the_map(world, client_for):
    decided = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="八月会议议定事项",
        start=D(2023, 8, 10),
    )
    Task.objects.filter(pk=decided.pk).update(origin=TaskOrigin.DECISION)
    c = client_for(world.coordinator)
    titles = lambda r: {row.task.title for row in r.context["data"].rows}  # noqa: E731
    assert "八月会议议定事项" not in titles(c.get(MAP, {"as_of": "2023-07-31"}))
    assert "八月会议议定事项" in titles(c.get(MAP, {"as_of": "2023-08-10"}))


# The demo district: the map, the cockpit and the report agree --------------------------------

DATES = [D(2023, 3, 31), D(2023, 5, 31), D(2023, 7, 31)]
LATE = "（截止日后填报，不应计入）"
LATE_VALUE = 987654321


@pytest.fixture
def demo(db):
    summary = load_demo(today=D(2023, 7, 31))
    return summary


def _after_the_dates(demo) -> Task:
    """Records made after the last date: a progress report filed now, a milestone reached and
    a completion approved in August."""
    task = Task.objects.filter(campaign=demo.campaign, origin=TaskOrigin.LIST).first()
    ProgressReport.objects.create(
        task=task,
        unit=task.lead_unit,
        period=D(2023, 7, 1),
        text=f"七月进展{LATE}",
        submitted_by=Person.objects.filter(user__isnull=False).first().user,
    )
    undone = task.milestones.filter(done_on__isnull=True).order_by("due_date").first()
    Milestone.objects.filter(pk=undone.pk).update(done_on=D(2023, 8, 3))
    other = Task.objects.filter(campaign=demo.campaign, state=TaskState.ACTIVE).last()
    Task.objects.filter(pk=other.pk).update(state=TaskState.COMPLETED, closed_on=D(2023, 8, 5))
    for actual in Actual.objects.filter(year=2023, month__in=[3, 5, 7]):
        Actual.objects.create(
            indicator=actual.indicator, year=2023, month=actual.month, value=LATE_VALUE,
            unit=actual.unit, corrects=actual, correction_reason="截止日后更正",
        )  # fmt: skip
    return task


def _map(client, day):
    data = client.get(MAP, {"as_of": day.isoformat()}).context["data"]
    counts = {tile.status.value: tile.count for tile in data.tiles}
    return data, counts


def _cockpit(client, day):
    response = client.get(COCKPIT, {"as_of": day.isoformat()})
    return {card.key: card for card in response.context["data"].cards}


def _figures(rows) -> dict:
    return {
        r.task.pk: (r.status, r.milestones_done, r.milestones_total, r.last_progress_text)
        for r in rows
    }


def test_map_cockpit_and_report_agree_on_the_demo_on_three_dates(demo, client_for):
    late_task = _after_the_dates(demo)
    coordinator = Person.objects.get(user__username="zhuanban").user
    client = client_for(coordinator)
    seen = []
    for day in DATES:
        data, counts = _map(client, day)
        cards = _cockpit(client, day)
        ctx = report_context(demo.campaign, day, ReportOptions())
        text = build_summary(campaign=demo.campaign, as_of=day).text

        # Task status counts: the map's tiles are the cockpit's task card.
        tasks_card = cards["tasks"]
        assert tasks_card.value == data.total, day
        by_label = {item.label: int(item.value) for item in tasks_card.items}
        assert by_label == {TaskStatus(s).label: n for s, n in counts.items() if n}, day

        # List tasks: status, milestones done, latest progress — the map's rows are the report's.
        listed = [r for r in data.rows if r.task.origin == TaskOrigin.LIST]
        report_rows = ctx.tasks.rows
        on_map = {pk: f for pk, f in _figures(listed).items()}
        in_report = _figures(report_rows)
        live = {pk: f for pk, f in on_map.items() if f[0] != TaskStatus.CANCELLED}
        assert in_report == live, day
        for row in report_rows:
            own_paragraph = ctx.narrative.get((NarrativeSlot.TASK, row.task.pk))
            if row.last_progress_text and own_paragraph is None:
                assert row.last_progress_text.rstrip("。；，、 \n") in text, day

        # Decisions: the cockpit's tally is the map's decision rows.
        decisions = [r for r in data.rows if r.task.origin == TaskOrigin.DECISION]
        if cards["decisions"].value is not None:
            assert cards["decisions"].value == len(decisions), day
        else:
            assert not decisions, day

        # Meetings held and study sessions: the cockpit's cards are the report's records.
        assert (cards["meetings"].value or 0) == len(ctx.activity.meetings), day
        assert (cards["study"].value or 0) == ctx.activity.study.total, day
        assert (cards["inspections"].value or 0) == ctx.activity.inspections.total, day
        assert (cards["media_reports"].value or 0) == ctx.activity.media.total, day

        # Nothing made after the date counts.
        assert LATE not in text and str(LATE_VALUE) not in text
        indicator_items = [i.hint for i in cards["indicators"].items]
        assert not any(str(LATE_VALUE) in hint for hint in indicator_items)
        assert all(LATE not in (r.last_progress_text or "") for r in data.rows)
        late_row = next(r for r in data.rows if r.task.pk == late_task.pk)
        done_by_then = Milestone.objects.filter(task=late_task, done_on__lte=day).count()
        assert late_row.milestones_done == done_by_then, day
        assert not any(
            r.status == TaskStatus.DONE and (r.task.closed_on or day) > day for r in data.rows
        )
        seen.append((day, counts, _figures(report_rows)))
    # The dates differ: the figures are not the same three times over.
    assert seen[0][1] != seen[2][1] or seen[0][2] != seen[2][2]

    # Today (no as_of), everything recorded counts.
    today = client.get(MAP).context["data"]
    texts = {r.task.pk: r.last_progress_text for r in today.rows}
    assert texts[late_task.pk] == f"七月进展{LATE}"
