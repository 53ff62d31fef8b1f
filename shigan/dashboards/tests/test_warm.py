"""`shigan warm` (dashboards.warm): after it, the day's first request to 下级对比 reads what it
kept — no task's status computed, the warm page's query count — and its figures are those
counted afresh; run again it recomputes nothing; and the figures' cache (core.figures_cache)
is out of reach of the default cache's culling.

The world (levels_world): 示范市 › 甲县 › 东区, 西区; a coordinator and an inspector at each
level, so the levels with levels below are 示范市 and 甲县: four viewers."""

import datetime
import re
from io import StringIO

import pytest
from django.core.cache import cache, caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from shigan.core.figures_cache import clear_caches, figures_cache, sweep_expired
from shigan.dashboards import warm as warm_module
from shigan.dashboards.campaign_counts import ledger_key
from shigan.tasks.models import Task
from shigan.tasks.services.tasks import task_save

from .levels_world import CITY, COUNTY, EAST, TODAY, build_world
from .test_campaign_counts import fresh, served
from .test_levels_page import table

URL = "/map/levels/"
DAY = datetime.date.fromisoformat(TODAY)


@pytest.fixture
def levels(db, settings, monkeypatch):
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    clear_caches()  # a new day: nothing kept
    yield build_world()
    clear_caches()


def warm() -> str:
    out = StringIO()
    call_command("warm", stdout=out)
    return out.getvalue()


def _status_statements(captured) -> int:
    """Statements computing task statuses (tasks.status_sql reads each task's milestones)."""
    return sum('"tasks_milestone"' in q["sql"] for q in captured.captured_queries)


def _indicator_statements(captured) -> int:
    """Statements reading the indicators (rolled_statuses: four when computed)."""
    return sum('FROM "indicators_indicator"' in q["sql"] for q in captured.captured_queries)


def _get(client) -> tuple[CaptureQueriesContext, str]:
    with CaptureQueriesContext(connection) as run:
        response = client.get(URL)
    assert response.status_code == 200
    return run, response.content.decode()


@pytest.mark.parametrize("level", [COUNTY, CITY])
def test_after_warm_the_first_request_of_the_day_is_warm(levels, client_for, level):
    """Without the warm-up the day's first request computes the statuses (one statement) and
    the indicators; after it, the first request makes no status statement, reads no indicator,
    and makes exactly the queries of the next (warm) request — its figures those counted
    afresh."""
    client = client_for(levels[level].users["coordinator"])
    cold_run, cold_html = _get(client)
    assert _status_statements(cold_run) == 1 and _indicator_statements(cold_run) >= 1
    clear_caches()  # the next day, as far as the cache knows

    output = warm()
    first, html = _get(client)
    second, again = _get(client)
    assert _status_statements(first) == 0
    assert _indicator_statements(first) == 0
    assert len(first) == len(second)
    assert len(first) == len(cold_run) - 2 - 4  # test_levels_queries' warm count
    assert table(html) == table(again) == table(cold_html) != {}
    for user in (levels[COUNTY].users["coordinator"], levels[CITY].users["inspector"]):
        assert served(user) == fresh(user)
    assert "已预热2023-07-31的下级对比和上级驾驶舱数据" in output


def test_warm_says_what_it_kept_and_is_idempotent(levels):
    output = warm()
    # 4 campaigns (one per level); 2 levels with levels below × (coordinator, inspector).
    assert "专项任务计数：4个专项，新计算，用时" in output
    assert (
        "指标状态：4个查看范围（示范市党委政府·专班、示范市党委政府·督查、甲县党委政府·专班、甲县党委政府·督查），新计算4个"
        in output
    )
    assert re.search(r"共用时\d+\.\d\d秒。", output)
    assert not re.search(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", output)  # no space
    ledger = figures_cache.get(ledger_key(DAY))
    assert ledger is not None and len(ledger.campaigns) == 4

    with CaptureQueriesContext(connection) as second_run:
        output = warm()
    assert "沿用已保存的并按其后的写入更新" in output and "新计算0个" in output
    assert _status_statements(second_run) == 0 and _indicator_statements(second_run) == 0
    assert figures_cache.get(ledger_key(DAY)).seen == ledger.seen  # not kept again


def test_warm_after_a_write_recounts_that_campaign_only(levels, client_for):
    warm()
    east = levels[EAST]
    task = Task.objects.filter(campaign=east.campaign).order_by("pk").first()
    task_save(
        task=task, by=east.users["coordinator"], campaign=task.campaign, category=task.category,
        number=task.number, title=f"{task.title}·", target=task.target, lead_unit=task.lead_unit,
        supporting_units=[], leader=task.leader, start_date=task.start_date,
        due_date=task.due_date, milestones=[],
    )  # fmt: skip
    with CaptureQueriesContext(connection) as run:
        warm()
    assert _status_statements(run) == 1  # 东区's campaign, counted again
    user = levels[COUNTY].users["coordinator"]
    assert served(user) == fresh(user)


def test_nothing_to_warm_for_a_county_without_levels_below(levels, monkeypatch):
    """Only the viewers whose 下级对比 exists are warmed (has_levels_below); none: the counts
    are still kept (the upper cockpits read them) and the output says so."""
    monkeypatch.setattr(warm_module, "upper_viewers", lambda: [])
    output = warm()
    assert "没有下设下级的专班或督查账号，无需预热" in output
    assert figures_cache.get(ledger_key(DAY)) is not None


def test_warm_fails_loudly_when_nothing_could_be_kept(levels, monkeypatch):
    """Another transaction writing (tasks.changes): nothing is kept, the command says so and
    exits with an error (cron mails it)."""
    monkeypatch.setattr(figures_cache, "set", lambda *a, **k: None, raising=False)
    with pytest.raises(CommandError, match="未能保存：专项任务计数、示范市党委政府·专班、"):
        warm()


def files(folder, **options) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(folder),
        "OPTIONS": options,
    }


def test_the_default_caches_culling_leaves_the_days_figures(levels, client_for, tmp_path):
    """File caches as in production, the default one small and culling everything when full
    (CULL_FREQUENCY 1): after the task list's and the map's churn the day's figures are still
    kept — the page makes no status statement. With the figures in the default cache (no
    "figures" alias: core.figures_cache falls back to it) the same churn makes it cold."""
    client = client_for(levels[CITY].users["coordinator"])
    default = files(tmp_path / "cache", MAX_ENTRIES=5, CULL_FREQUENCY=1)
    for caches_setting, statements in (
        ({"default": default, "figures": files(tmp_path / "figures")}, 0),
        ({"default": files(tmp_path / "alone", MAX_ENTRIES=5, CULL_FREQUENCY=1)}, 1),
    ):
        with override_settings(CACHES=caches_setting):
            warm()
            for i in range(12):  # rendered rows, map fragments …
                cache.set(f"churn-{i}", "x" * 100)
            run, _ = _get(client)
            assert _status_statements(run) == statements, caches_setting
            clear_caches()


def test_sweep_removes_the_figures_past_their_time(levels, tmp_path):
    with override_settings(
        CACHES={"default": files(tmp_path / "c"), "figures": files(tmp_path / "f")}
    ):
        figures_cache.set("yesterday", 1, timeout=0)  # expired at once
        figures_cache.set("today", 2, timeout=3600)
        assert len(list((tmp_path / "f").iterdir())) == 2
        assert sweep_expired() == 1
        assert figures_cache.get("today") == 2
        assert caches["figures"]._list_cache_files() and not list((tmp_path / "c").glob("*"))
