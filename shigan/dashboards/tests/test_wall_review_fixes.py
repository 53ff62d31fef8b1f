"""Defects a new user found on the wall chart, table and timeline, kept fixed."""

import datetime
from types import SimpleNamespace

from shigan.core.words import milestone_days_words
from shigan.dashboards.legend import status_legend
from shigan.dashboards.queries import RowGroup, days_left_text
from shigan.dashboards.timeline import Span, task_bar
from shigan.dashboards.wall import wall_lanes, wall_tile
from shigan.tasks.queries import TaskRow
from shigan.tasks.status import TaskStatus

D = datetime.date
S = TaskStatus


def row(status, days_left=153, next_due=None, done=0, total=2, milestones=(), title="任务"):
    task = SimpleNamespace(number=0, pk=0, title=title, start_date=D(2023, 1, 1))
    return TaskRow(
        task,
        status,
        days_left,
        total,
        done,
        "节点" if next_due else None,
        next_due,
        None,
        None,
        None,
        list(milestones),
        D(2023, 12, 31),
    )


def test_a_task_nearing_by_its_milestone_shows_the_milestone_days_not_the_tasks():
    # As of 2023-07-31: task due 12-31 (153 days), milestone due 08-04 (4 days).
    nearing = row(S.NEARING, 153, D(2023, 8, 4))
    assert days_left_text(nearing) == "节点剩4天"
    assert wall_tile(nearing).days_text == "节点剩4天"
    # Nearing by its own deadline: the task's days.
    assert days_left_text(row(S.NEARING, 5, D(2023, 8, 4))) == "剩5天"


def test_a_task_behind_a_late_milestone_shows_how_late_and_overdue_keeps_its_days():
    assert days_left_text(row(S.BEHIND, 153, D(2023, 7, 20))) == "节点逾期11天"
    # Behind by the time share only (milestone still ahead): the task's days.
    assert days_left_text(row(S.BEHIND, 153, D(2023, 9, 1))) == "剩153天"
    assert days_left_text(row(S.OVERDUE, -3, D(2023, 7, 20))) == "逾期3天"
    assert days_left_text(row(S.ON_TRACK, 153, D(2023, 9, 1))) == "剩153天"
    assert milestone_days_words(0) == "节点今天到期"


def test_legend_lists_statuses_worst_first_like_the_tiles():
    assert [i.status.label for i in status_legend()] == [
        "逾期",
        "滞后",
        "临期",
        "正常",
        "未启动",
        "完成",
        "已取消",
    ]


def test_lanes_by_unit_or_category_are_worst_first():
    calm = RowGroup("自然资源和规划办公室", [row(S.ON_TRACK), row(S.ON_TRACK)])
    one_late = RowGroup("乙", [row(S.OVERDUE, -2), row(S.ON_TRACK)])
    two_late = RowGroup("丙", [row(S.OVERDUE, -2), row(S.OVERDUE, -9)])
    behind = RowGroup("丁", [row(S.BEHIND), row(S.NEARING, 3)])
    calm_too = RowGroup("戊", [row(S.ON_TRACK), row(S.ON_TRACK), row(S.DONE)])
    lanes = wall_lanes([calm, one_late, behind, calm_too, two_late])
    assert [lane.label for lane in lanes] == ["丙", "乙", "丁", "自然资源和规划办公室", "戊"]


def test_a_done_task_with_undone_milestones_reads_done_everywhere():
    ms = [SimpleNamespace(title="验收", due_date=D(2023, 6, 1), done_on=None)]
    done = row(S.DONE, 153, D(2023, 6, 1), done=0, total=1, milestones=ms)
    bar = task_bar(Span(D(2023, 1, 1), D(2023, 12, 31)), done)
    assert bar.fill_text == "已办结" and bar.fill == 100.0
    assert [d.done for d in bar.diamonds] == [True]
    assert days_left_text(done) == "—"
    assert wall_tile(done).progress_text == "已办结"


def test_the_table_reads_done_for_a_done_task_and_its_days_column_is_not_剩剩():
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    done = row(S.DONE, 153, D(2023, 6, 1), done=0, total=2)
    nearing = row(S.NEARING, 153, D(2023, 8, 4), done=1, total=2)
    for r in (done, nearing):
        r.task.pk, r.task.lead_unit, r.task.leader = 1, SimpleNamespace(label="甲单位"), None
    html = render_to_string(
        "dashboards/_table.html",
        {"data": SimpleNamespace(groups=[RowGroup("类", [done, nearing])])},
        request=RequestFactory().get("/map/"),
    )
    done_html, nearing_html = html.split('<tr class="row-')[1:3]
    assert ">已办结</td>" in done_html and "0/2" not in done_html
    assert '<td class="next-ms">—</td>' in done_html
    assert "1/2" in nearing_html and "节点剩4天" in nearing_html
    assert "<th>期限</th>" in html and "剩余天数" not in html


def test_the_bar_label_sits_in_the_widest_stretch_clear_of_diamonds():
    from shigan.dashboards.timeline import label_place

    # Bar 0–100 with diamonds at 10, 70 and 99.9 (31 December): the label between 10 and 70,
    # never over the diamond at the bar's end.
    assert label_place(0, 100, [10, 70, 99.9]) == 40.0
    assert label_place(50, 10, [52, 55, 58]) is None  # no room: no label, the tooltip has it
    assert label_place(0, 100, []) == 50.0
