"""Indicator figures in the unit's monthly report: the same form, the same submit, one
transaction with the task progress (enter a fact once)."""

import datetime
from decimal import Decimal
from functools import partial

import pytest

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.indicators.models import (
    Accumulation,
    Actual,
    Indicator,
    IndicatorYear,
    MeasureUnit,
    SamePeriodValue,
)
from shigan.tasks.models import Milestone, ProgressReport

URL = "/tasks/report/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_indicator(name, unit, **fields) -> Indicator:
    fields = {
        "measure_unit": MeasureUnit.WAN_YUAN,
        "accumulation": Accumulation.CUMULATIVE,
    } | fields
    return Indicator.objects.create(name=name, responsible_unit=unit, **fields)


def add_actual(indicator, month, value, *, by=None, is_estimate=False, note="") -> Actual:
    return Actual.objects.create(
        indicator=indicator,
        year=2023,
        month=month,
        value=Decimal(value),
        is_estimate=is_estimate,
        note=note,
        unit=indicator.responsible_unit,
        submitted_by=by,
    )


@pytest.fixture
def investment(world) -> Indicator:
    """Unit A's fixed-asset investment: target 74160, June 30000, last July 30000."""
    ind = make_indicator("固定资产投资", world.unit_a, sort_order=1)
    IndicatorYear.objects.create(indicator=ind, year=2023, annual_target=Decimal(74160))
    SamePeriodValue.objects.create(indicator=ind, year=2023, month=7, value=Decimal(30000))
    add_actual(ind, 6, 30000, by=world.reporter_a)
    return ind


@pytest.fixture
def output(world) -> Indicator:
    """Unit B's indicator: not on unit A's form."""
    return make_indicator("工业总产值", world.unit_b, sort_order=2)


def ind_data(indicator, value="", *, seen="", **fields) -> dict:
    data = {f"ind-{indicator.pk}-value": value, f"ind-{indicator.pk}-seen": seen}
    data.update({f"ind-{indicator.pk}-{key}": v for key, v in fields.items()})
    return data


def task_data(task, text="", *, seen="", **fields) -> dict:
    data = {f"task-{task.pk}-text": text, f"task-{task.pk}-seen": seen}
    data.update({f"task-{task.pk}-{key}": value for key, value in fields.items()})
    return data


def post(client, *parts, period="2023-07", url=URL):
    data = {"period": period}
    for part in parts:
        data |= part
    return client.post(url, data)


def july(indicator) -> list[Actual]:
    return list(Actual.objects.filter(indicator=indicator, month=7).order_by("id"))


def assert_nothing_saved(investment):
    assert ProgressReport.objects.count() == 0
    assert july(investment) == []
    assert not AuditEntry.objects.exists()


def test_form_lists_the_units_indicators_prefilled(world, client_for, investment, output):
    current = add_actual(investment, 7, 32000, by=world.reporter_a, is_estimate=True, note="含预计")
    html = client_for(world.reporter_a).get(URL).content.decode()
    pk = investment.pk
    assert "固定资产投资" in html and "工业总产值" not in html
    for name in ("value", "estimate", "note", "reason"):
        assert f'name="ind-{pk}-{name}"' in html
    assert f'name="ind-{pk}-value" value="32000"' in html  # this month's figure, prefilled
    assert f'name="ind-{pk}-estimate" id="id_ind-{pk}-estimate" checked' in html
    assert "含预计" in html
    assert f'name="ind-{pk}-seen" value="{current.pk}"' in html
    assert "<dt>上月</dt><dd>30000</dd>" in html  # last month's figure, shown
    assert "<dt>本月已报</dt><dd>32000（预计）</dd>" in html
    assert "<dt>年度目标</dt><dd>74160</dd>" in html and "<dt>上年同期</dt><dd>30000</dd>" in html
    assert f'name="task-{world.task_a.pk}-text"' in html  # the same form as the task progress


def test_month_not_yet_reported_has_an_empty_value_and_no_reason(world, client_for, investment):
    html = client_for(world.reporter_a).get(URL).content.decode()
    pk = investment.pk
    assert f'name="ind-{pk}-value" inputmode="decimal"' in html
    assert f'name="ind-{pk}-value" value=' not in html
    assert f'name="ind-{pk}-reason"' not in html
    assert "<dt>本月已报</dt><dd>未填报</dd>" in html


def test_one_submit_saves_progress_and_figures(world, client_for, investment):
    c = client_for(world.reporter_a)
    data = task_data(world.task_a, "整体方案编制中"), ind_data(investment, "33000", estimate="on")
    response = post(c, *data)
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.task, report.text) == (world.task_a, "整体方案编制中")
    [actual] = july(investment)
    assert actual.value == 33000 and actual.is_estimate and actual.corrects is None
    assert (actual.unit, actual.submitted_by) == (world.unit_a, world.reporter_a)
    entry = AuditEntry.objects.get(record_type="indicators.actual")
    assert (entry.action, entry.actor, entry.record_id) == ("submit", world.reporter_a, actual.pk)
    message = c.get(response["Location"]).content.decode()
    assert "已提交1项任务的2023年7月进展和1项指标的完成值" in message


def test_figures_alone_are_a_valid_report(world, client_for, investment):
    c = client_for(world.reporter_a)
    response = post(c, task_data(world.task_a, ""), ind_data(investment, "33,000"))
    assert response.status_code == 302
    assert ProgressReport.objects.count() == 0
    assert [a.value for a in july(investment)] == [33000]
    assert "已提交1项指标的2023年7月完成值" in c.get(response["Location"]).content.decode()


def test_full_width_digits_are_read_as_typed_with_a_chinese_ime(world, client_for, investment):
    c = client_for(world.reporter_a)
    response = post(c, task_data(world.task_a, ""), ind_data(investment, "\u3000３３，０００"))
    assert response.status_code == 302
    [actual] = july(investment)
    assert actual.value == 33000


@pytest.mark.parametrize(
    "typed,message",
    [
        ("三万", "“三万”不是数字，请填写阿拉伯数字，如30000"),
        ("¹²³", "“¹²³”不是数字，请填写阿拉伯数字，如30000"),  # never read as 123
        ("３３ｋ", "“３３ｋ”不是数字（请使用半角数字）"),
    ],
)
def test_a_figure_that_is_no_number_says_what_is_wrong(
    world, client_for, investment, typed, message
):
    response = post(client_for(world.reporter_a), ind_data(investment, typed))
    assert response.status_code == 200
    assert f"“固定资产投资”本月完成：{message}" in response.content.decode()
    assert july(investment) == []


def test_unit_with_indicators_but_no_tasks_gets_the_form(world, client_for, output):
    world.task_b.delete()
    c = client_for(world.reporter_b)
    html = c.get(URL).content.decode()
    assert f'name="ind-{output.pk}-value"' in html and "提交月报" in html
    assert post(c, ind_data(output, "22000")).status_code == 302
    assert Actual.objects.get().value == 22000


def test_unchanged_prefilled_figure_is_not_written_again(world, client_for, investment):
    current = add_actual(investment, 7, 33000, by=world.reporter_a)
    c = client_for(world.reporter_a)
    unchanged = ind_data(investment, "33000", seen=str(current.pk))
    html = post(c, task_data(world.task_a, ""), unchanged).content.decode()
    assert "未填写任何进展，指标完成值也没有变动" in html
    assert post(c, task_data(world.task_a, "推进中"), unchanged).status_code == 302
    assert july(investment) == [current] and ProgressReport.objects.count() == 1


def test_correction_needs_a_reason_and_keeps_the_earlier_figure(world, client_for, investment):
    original = add_actual(investment, 7, 33000, by=world.reporter_a, is_estimate=True)
    c = client_for(world.reporter_a)
    changed = ind_data(investment, "33500", seen=str(original.pk))
    html = post(c, changed).content.decode()
    assert "“固定资产投资”：2023年7月已填报33000（预计），再次填报即为更正，请填写更正原因" in html
    assert f'name="ind-{investment.pk}-value" value="33500"' in html  # the input is kept
    assert july(investment) == [original]
    response = post(c, changed | {f"ind-{investment.pk}-reason": "统计站核定数"})
    assert response.status_code == 302
    first, correction = july(investment)
    assert first == original and first.value == 33000 and first.is_estimate
    assert correction.corrects == original and correction.value == 33500
    assert correction.correction_reason == "统计站核定数" and not correction.is_estimate


def test_correcting_a_figure_replaced_meanwhile_is_refused(world, client_for, investment):
    original = add_actual(investment, 7, 33000, by=world.reporter_a)
    add_actual(investment, 7, 33200, by=world.coordinator)
    data = ind_data(investment, "33500", seen=str(original.pk), reason="更正")
    html = post(client_for(world.reporter_a), data).content.decode()
    # Said on the card as who filed what since (monthly.conflicts), the typed value kept.
    assert "“固定资产投资”：您打开表单后，周专班于" in html
    assert "已将本月完成填报为33200（您打开表单时为33000）；您填写的33500未保存" in html
    assert f'name="ind-{investment.pk}-value" value="33500"' in html
    assert len(july(investment)) == 2


@pytest.mark.parametrize("value", ["三万", "3.3万", "33000元", "1e5"])
def test_bad_number_is_named_with_its_indicator(world, client_for, investment, value):
    data = task_data(world.task_a, "整体方案编制中"), ind_data(investment, value)
    response = post(client_for(world.reporter_a), *data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"“固定资产投资”本月完成：“{value}”不是数字" in html
    assert "未保存任何内容" in html and "整体方案编制中" in html
    assert f'name="ind-{investment.pk}-value" value="{value}"' in html
    assert_nothing_saved(investment)


@pytest.mark.parametrize(
    "value, message",
    [
        ("29000", "“固定资产投资”：累计数29000低于上月累计的30000，请填写说明"),
        ("60000", "与上年同期的30000相差超过50%，请填写说明"),
        ("12345678901", "“固定资产投资”本月完成：数值超出范围"),
    ],
)
def test_figure_breaking_a_rule_saves_no_progress_either(
    world, client_for, investment, value, message
):
    data = task_data(world.task_a, "整体方案编制中"), ind_data(investment, value)
    html = post(client_for(world.reporter_a), *data).content.decode()
    assert message in html and "未保存任何内容" in html
    assert "整体方案编制中" in html  # both inputs kept
    assert f'name="ind-{investment.pk}-value" value="{value}"' in html
    assert_nothing_saved(investment)


def test_note_makes_the_low_figure_acceptable(world, client_for, investment):
    data = ind_data(investment, "29000", note="6月数据经统计站核减")
    assert post(client_for(world.reporter_a), data).status_code == 302
    assert july(investment)[0].note == "6月数据经统计站核减"


def test_bad_progress_saves_no_figures_either(world, client_for, investment):
    ms = world.task_a.milestones.get(done_on__isnull=True)
    data = task_data(world.task_a, "方案完成", **{f"ms-{ms.pk}": "2023-07-25"})
    html = post(client_for(world.reporter_a), data, ind_data(investment, "33000")).content.decode()
    assert "晚于今天" in html
    assert_nothing_saved(investment)
    assert Milestone.objects.get(pk=ms.pk).done_on is None


def test_every_problem_of_both_parts_is_shown_at_once(world, client_for, investment):
    june = ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 6, 1),
        text="6月",
        submitted_by=world.coordinator,
    )
    data = task_data(world.task_a, "7月进展", seen=""), ind_data(investment, "29000")
    html = post(client_for(world.reporter_a), *data).content.decode()
    assert "“兴业大道建设”：您打开表单后，周专班于" in html
    assert "已提交了该任务的新进展；您填写的进展未保存" in html
    assert "累计数29000低于上月累计的30000" in html
    assert ProgressReport.objects.get() == june and july(investment) == []


def test_note_without_a_value_is_refused(world, client_for, investment):
    data = ind_data(investment, "", note="本月未统计", estimate="on")
    html = post(client_for(world.reporter_a), data).content.decode()
    assert "“固定资产投资”：填写了说明、勾选了预计，请同时填写本月完成值" in html
    assert_nothing_saved(investment)


def test_future_month_is_refused(world, client_for, investment):
    html = post(client_for(world.reporter_a), ind_data(investment, "40000"), period="2023-08")
    assert "不能填报未来月份（2023年8月）" in html.content.decode()
    assert not Actual.objects.filter(month=8).exists()


def test_reporter_cannot_post_figures_of_another_units_indicator(
    world, client_for, investment, output
):
    c = client_for(world.reporter_b)
    assert post(c, ind_data(output, "22000"), ind_data(investment, "33000")).status_code == 404
    assert (
        post(c, ind_data(investment, "33000"), url=f"{URL}?unit={world.unit_a.pk}").status_code
        == 404
    )
    assert Actual.objects.filter(month=7).count() == 0 and not AuditEntry.objects.exists()


def test_coordinator_files_figures_for_a_chosen_unit(world, client_for, investment):
    c = client_for(world.coordinator)
    assert "负责指标1项" in c.get(URL).content.decode()
    response = post(c, ind_data(investment, "33000"), url=f"{URL}?unit={world.unit_a.pk}")
    assert response.status_code == 302
    actual = Actual.objects.get(month=7)
    assert (actual.unit, actual.submitted_by) == (world.unit_a, world.coordinator)


@pytest.mark.parametrize("persona", ["leader", "inspector"])
def test_read_only_roles_cannot_post_figures(world, client_for, investment, persona):
    c = client_for(world.users()[persona])
    url = f"{URL}?unit={world.unit_a.pk}"
    assert post(c, ind_data(investment, "33000"), url=url).status_code == 403
    assert july(investment) == []


def _add_indicators(world, count: int, start: int) -> None:
    for i in range(start, start + count):
        ind = make_indicator(f"指标{i}", world.unit_a, sort_order=10 + i)
        IndicatorYear.objects.create(indicator=ind, year=2023, annual_target=Decimal(1000))
        SamePeriodValue.objects.create(indicator=ind, year=2023, month=7, value=Decimal(500))
        add_actual(ind, 6, 400, by=world.reporter_a)
        add_actual(ind, 7, 470, by=world.reporter_a, is_estimate=True)


def test_form_runs_the_same_queries_for_3_and_40_indicators(world, client_for):
    c = client_for(world.reporter_a)
    _add_indicators(world, 3, 0)
    more = partial(_add_indicators, world, 37, 3)
    html = assert_same_queries(get_page(c, URL), more, warm_up=True).content.decode()
    assert html.count('class="card mr-card mr-ind"') == 40


@pytest.mark.parametrize("typed", ["-500", "－５００"])
def test_a_negative_area_is_refused_naming_indicator_and_value(world, client_for, typed):
    # An area cannot be negative: saved with a 说明 it showed the leader 完成率 -1.6, 明显滞后.
    area = make_indicator("订单种植面积", world.unit_a, measure_unit=MeasureUnit.MU)
    IndicatorYear.objects.create(indicator=area, year=2023, annual_target=Decimal(32000))
    add_actual(area, 6, 32000, by=world.reporter_a)
    c = client_for(world.reporter_a)
    for note in ("", "面积核减"):  # with a 说明 or without, the value is what is wrong
        html = post(c, ind_data(area, typed, note=note)).content.decode()
        assert "“订单种植面积”本月完成：不能为负数（-500）" in html
        assert "累计数-500低于上月累计的32000" not in html
    assert not area.actuals.filter(month=7).exists()


def test_a_negative_growth_rate_is_a_figure_like_any_other(world, client_for):
    growth = make_indicator("规上工业增加值增速", world.unit_a, measure_unit=MeasureUnit.PERCENT,
                            accumulation=Accumulation.POINT)  # fmt: skip
    add_actual(growth, 6, "-1.2", by=world.reporter_a)
    response = post(client_for(world.reporter_a), ind_data(growth, "-1.5"))
    assert response.status_code == 302
    [actual] = july(growth)
    assert actual.value == Decimal("-1.5")
