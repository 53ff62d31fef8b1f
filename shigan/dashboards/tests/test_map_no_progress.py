"""The battle map's 最新进展 of a task without a progress report: 尚无进展 while one is awaited
(an active task), 未填报进展 once the task is closed (完成 or 取消) — on the whole table and
in the rows of a collapsed group (/map/group/, the same _table_rows.html). The timeline, the
wall and its 大屏 show no progress text."""

import datetime
import re

import pytest

from shigan.core.figures_cache import clear_caches
from shigan.tasks.models import TaskState

from ..views import battle_map as views

ROW = re.compile(r'<tr class="(?:gantt-row )?row-[a-z_]+" data-task="(\d+)".*?</tr>', re.S)
GROUP_SRC = re.compile(r'<tbody class="map-group" data-src="([^"]+)"')


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    clear_caches()
    yield
    clear_caches()


def _progress_cells(html: str) -> dict[int, str]:
    cells = {}
    for match in ROW.finditer(html):
        cell = re.search(r'<td class="progress">(.*?)</td>', match.group(0), re.S)
        cells[int(match.group(1))] = re.sub(r"<[^>]+>", "", cell.group(1)).strip()
    return cells


@pytest.mark.parametrize("state", [TaskState.COMPLETED, TaskState.CANCELLED])
def test_a_closed_task_reads_not_reported_on_the_table_and_a_collapsed_group(
    world, client_for, monkeypatch, state
):
    closed = world.task_a
    closed.state, closed.closed_on = state, datetime.date(2023, 7, 10)
    closed.save()
    client = client_for(world.coordinator)
    expected = {closed.pk: "未填报进展", world.task_b.pk: "尚无进展"}
    whole = client.get("/map/?all=1").content.decode()
    assert _progress_cells(whole) == expected
    monkeypatch.setattr(views, "MAP_EXPAND_LIMIT", 1)
    collapsed = client.get("/map/?group=unit").content.decode()
    sources = [src.replace("&amp;", "&") for src in GROUP_SRC.findall(collapsed)]
    assert sources and not _progress_cells(collapsed)
    rows = "".join(client.get(src).content.decode() for src in sources)
    assert _progress_cells(rows) == expected
