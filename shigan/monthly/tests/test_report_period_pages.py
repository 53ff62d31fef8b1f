"""The monthly report's months through HTTP: closed and opened months, the coordinator's opening
form, tasks outside their months, and hostile query and form values (never a 500)."""

import datetime

import pytest

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.indicators.models import Accumulation, Indicator, MeasureUnit
from shigan.tasks.models import PeriodOpening, ProgressReport
from shigan.tasks.services.periods import period_open
from shigan.testing import make_task

URL = "/tasks/report/"
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def card(task, text="本月进展", seen="") -> dict:
    return {f"task-{task.pk}-text": text, f"task-{task.pk}-seen": seen}


def open_april(world, reason="系统故障未能按时填报"):
    return period_open(unit=world.unit_a, period=D(2023, 4, 1), by=world.coordinator, reason=reason)


def coordinator_url(world, period="") -> str:
    return URL + f"?unit={world.unit_a.pk}" + (f"&period={period}" if period else "")


def test_previous_month_is_filed_by_the_reporter(world, client_for):
    response = client_for(world.reporter_a).post(URL, {"period": "2023-06"} | card(world.task_a))
    assert response.status_code == 302
    assert ProgressReport.objects.get().period == D(2023, 6, 1)


def test_an_older_month_shows_that_it_is_closed_and_no_form(world, client_for):
    html = client_for(world.reporter_a).get(URL + "?period=2023-04").content.decode()
    assert "2023年4月已过填报期（本月和上月可以填报）" in html
    assert "提交月报" not in html and f'name="task-{world.task_a.pk}-text"' not in html
    assert 'name="open-period"' not in html  # reporters cannot open it


def test_posting_a_closed_month_is_refused_and_nothing_saved(world, client_for):
    data = {"period": "2023-04"} | card(world.task_a, "四月补报")
    response = client_for(world.reporter_a).post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2023年4月已过填报期" in html and "未保存任何内容" in html
    assert "四月补报" in html  # the text typed is shown back
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize("period", ["1900-01", "0001-01", "0000-07", "2023-13", "²⁰²³-07"])
def test_a_malformed_or_out_of_range_posted_month_is_refused_in_chinese(world, client_for, period):
    response = client_for(world.reporter_a).post(URL, {"period": period} | card(world.task_a))
    html = response.content.decode()
    assert response.status_code == 400
    assert "填报月份" in html and "请刷新页面后重新填写" in html
    assert ProgressReport.objects.count() == 0


def test_coordinator_sees_the_opening_form_for_a_closed_month(world, client_for):
    html = client_for(world.coordinator).get(coordinator_url(world, "2023-04")).content.decode()
    assert 'name="open-period"' in html and "为本单位开放2023年4月补报" in html
    assert 'name="period" value="2023-04"' in html


def test_coordinator_opens_a_month_then_the_reporter_files_it(world, client_for):
    coordinator = client_for(world.coordinator)
    url = coordinator_url(world, "2023-04")
    data = {"open-period": "1", "period": "2023-04", "reason": "系统故障未能按时填报"}
    response = coordinator.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == URL + f"?period=2023-04&unit={world.unit_a.pk}"
    opening = PeriodOpening.objects.get()
    assert (opening.unit, opening.period, opening.opened_by) == (
        world.unit_a,
        D(2023, 4, 1),
        world.coordinator,
    )
    assert AuditEntry.objects.filter(record_type="tasks.periodopening").count() == 1

    reporter = client_for(world.reporter_a)
    html = reporter.get(URL + "?period=2023-04").content.decode()
    assert "2023年4月已由专班于" in html and "系统故障未能按时填报" in html
    assert "补报开放记录" in html and "周专班" in html
    response = reporter.post(URL, {"period": "2023-04"} | card(world.task_a, "四月补报"))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.period == D(2023, 4, 1)
    detail = reporter.get(world.task_a.get_absolute_url()).content.decode()
    assert "补报2023年4月" in detail  # the task's history says the month was opened, and why


def test_opening_without_a_reason_is_refused_with_a_message(world, client_for):
    data = {"open-period": "1", "period": "2023-04", "reason": ""}
    response = client_for(world.coordinator).post(coordinator_url(world), data, follow=True)
    assert response.status_code == 200
    assert "请填写开放补报的原因" in response.content.decode()
    assert not PeriodOpening.objects.exists()


@pytest.mark.parametrize("period", ["0000-07", "²⁰²³-04", ""])
def test_opening_a_malformed_month_is_refused_with_a_message(world, client_for, period):
    data = {"open-period": "1", "period": period, "reason": "补报"}
    response = client_for(world.coordinator).post(coordinator_url(world), data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "月份" in html and not PeriodOpening.objects.exists()


@pytest.mark.parametrize(
    "persona, status", [("reporter_a", 403), ("leader", 403), ("inspector", 403)]
)
def test_only_coordinators_open_a_month(world, client_for, persona, status):
    url = URL if persona == "reporter_a" else coordinator_url(world)
    data = {"open-period": "1", "period": "2023-04", "reason": "自行开放"}
    assert client_for(world.users()[persona]).post(url, data).status_code == status
    assert not PeriodOpening.objects.exists()


def test_outsider_cannot_open_a_month_of_another_unit(world, client_for):
    data = {"open-period": "1", "period": "2023-04", "reason": "代开"}
    response = client_for(world.reporter_b).post(coordinator_url(world), data)
    assert response.status_code == 404
    assert not PeriodOpening.objects.exists()


def test_a_task_outside_the_month_shows_why_instead_of_inputs(world, client_for):
    late = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="五月开工项目",
        start=D(2023, 5, 10),
        due=D(2023, 9, 30),
    )
    open_april(world)
    html = client_for(world.reporter_a).get(URL + "?period=2023-04").content.decode()
    assert "2023年4月早于任务开始月份（2023年5月），不能填报" in html
    assert f'name="task-{late.pk}-text"' not in html
    assert f'name="task-{world.task_a.pk}-text"' in html


def test_posting_progress_for_a_task_before_its_start_month_is_refused(world, client_for):
    late = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="五月开工项目",
        start=D(2023, 5, 10),
        due=D(2023, 9, 30),
    )
    open_april(world)
    data = {"period": "2023-04"} | card(late, "提前填报") | card(world.task_a, "四月进展")
    html = client_for(world.reporter_a).post(URL, data).content.decode()
    assert "2023年4月早于任务开始月份（2023年5月），不能填报" in html
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize(
    "query", ["?period=0000-07", "?period=²⁰²³-07", "?period=1900-01", "?period=2023-7-1"]
)
def test_a_malformed_period_in_the_query_shows_this_month_and_says_so(world, client_for, query):
    response = client_for(world.reporter_a).get(URL + query)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="period" value="2023-07"' in body
    assert "，已显示2023年7月。" in body


def test_a_future_period_in_the_query_shows_this_month_and_says_so(world, client_for):
    body = client_for(world.reporter_a).get(URL + "?period=2023-08").content.decode()
    assert 'name="period" value="2023-07"' in body
    assert "不能填报未来月份（2023年8月），已显示2023年7月。" in body


@pytest.mark.parametrize("unit", ["²", "9223372036854775808", "٣", "-1", "1e3", "x" * 500])
def test_a_malformed_unit_in_the_query_is_not_found(world, client_for, unit):
    assert client_for(world.coordinator).get(URL, {"unit": unit}).status_code == 404
    assert client_for(world.coordinator).post(URL + f"?unit={unit}", {}).status_code == 404


def test_coordinators_unit_chooser_ignores_a_malformed_period(world, client_for):
    response = client_for(world.coordinator).get(URL + "?period=0000-07")
    assert response.status_code == 200
    assert f"?unit={world.unit_a.pk}" in response.content.decode()


@pytest.mark.parametrize("seen", ["²", "١", "9" * 30, "-1", "1.0"])
def test_a_malformed_seen_id_is_refused_with_a_chinese_message(world, client_for, seen):
    data = {"period": "2023-07"} | card(world.task_a, "本月进展", seen=seen)
    response = client_for(world.reporter_a).post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "提交的数据有误" in html and "不是有效的编号" in html
    assert ProgressReport.objects.count() == 0


@pytest.mark.parametrize("seen", ["١", "²"])
def test_a_malformed_indicator_seen_id_is_refused_with_a_chinese_message(world, client_for, seen):
    indicator = Indicator.objects.create(
        name="固定资产投资",
        responsible_unit=world.unit_a,
        measure_unit=MeasureUnit.WAN_YUAN,
        accumulation=Accumulation.CUMULATIVE,
    )
    data = {
        "period": "2023-07",
        f"ind-{indicator.pk}-value": "100",
        f"ind-{indicator.pk}-seen": seen,
    }
    response = client_for(world.reporter_a).post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "“固定资产投资”：提交的数据有误" in html and "不是有效的编号" in html
    assert not indicator.actuals.exists()


@pytest.mark.parametrize("key", ["task-²-text", "task-١-text", "task-99999999999999999999-text"])
def test_a_malformed_task_id_in_a_field_name_is_never_a_500(world, client_for, key):
    data = {"period": "2023-07", key: "冒填"} | card(world.task_a, "本月进展")
    response = client_for(world.reporter_a).post(URL, data)
    assert response.status_code in (302, 404)


def test_a_closed_months_page_runs_the_same_queries_for_few_and_many_openings(world, client_for):
    c = client_for(world.coordinator)
    url = coordinator_url(world, "2023-03")
    open_april(world)

    def more():
        for month in (1, 2):
            period_open(
                unit=world.unit_a, period=D(2023, month, 1), by=world.coordinator, reason="补"
            )

    html = assert_same_queries(get_page(c, url), more, warm_up=True).content.decode()
    assert html.count("<td>2023年") >= 3
