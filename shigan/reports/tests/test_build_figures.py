"""Figures come from records and go with them: left out without a record, worded from the
estimate flag, grouped with 分别 when all change the same way, tasks from progress and milestones."""

import datetime
import unicodedata

import pytest
from django.utils import timezone

from shigan.indicators.models import Actual, MeasureUnit
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.reports.compose import build_summary
from shigan.reports.models import IndicatorPhrasing, PhraseStyle
from shigan.tasks.models import ProgressReport

from .reportdata import AS_OF, add_indicator

D = datetime.date


def text(world, as_of=AS_OF, **kwargs) -> str:
    return unicodedata.normalize(
        "NFKC", build_summary(campaign=world.campaign, as_of=as_of, **kwargs).text
    )


def test_an_indicator_is_stated_with_its_share_of_the_target(world):
    add_indicator("工业总产值", world.unit_a, target=55500, values={7: 22000})
    assert "完成工业总产值22000万元,占年计划55500万元的39.6%" in text(world)


def test_a_figure_whose_record_is_removed_disappears_from_the_sentence(world):
    add_indicator("工业总产值", world.unit_a, target=55500, values={7: 22000}, sort_order=1)
    hogs = add_indicator(
        "生猪出栏", world.unit_a, measure=MeasureUnit.HEAD, values={7: 13631}, sort_order=2
    )
    assert "生猪出栏13631头" in text(world).replace("完成", "")
    Actual.objects.filter(indicator=hogs).delete()
    after = text(world)
    assert "13631" not in after and "生猪" not in after
    assert "完成工业总产值22000万元,占年计划55500万元的39.6%。" in after


def test_an_indicator_without_a_figure_for_the_year_is_left_out(world):
    add_indicator("夏油产量", world.unit_a, measure=MeasureUnit.TON, target=None, values={})
    assert "夏油" not in text(world)


def test_the_latest_month_up_to_the_date_is_stated_and_later_months_are_not(world):
    add_indicator(
        "固定资产投资", world.unit_a, target=74200, values={6: 27300, 7: 33000}, estimates={7}
    )
    assert "预计完成固定资产投资33000万元" in text(world)
    june = text(world, as_of=D(2023, 6, 30))
    assert "完成固定资产投资27300万元" in june and "预计" not in june.split("固定资产投资")[0][-3:]


def test_a_correction_filed_by_the_date_replaces_the_figure_it_corrects(world):
    indicator = add_indicator("工业总产值", world.unit_a, target=55500, values={7: 21000})
    first = Actual.objects.get(indicator=indicator)
    correction = Actual.objects.create(
        indicator=indicator, year=2023, month=7, value=22000, unit=world.unit_a,
        corrects=first, correction_reason="统计口径更正",
    )  # fmt: skip
    # Filed now, after the report's date: not yet known on 2023-07-31.
    assert "21000万元" in text(world) and "22000" not in text(world)
    filed = timezone.make_aware(datetime.datetime(2023, 7, 29, 9, 0))
    Actual.objects.filter(pk=correction.pk).update(submitted_at=filed)
    assert "22000万元" in text(world) and "21000" not in text(world)


def _livestock(world, last_year: dict[str, int]) -> None:
    figures = {"生猪出栏": 13631, "牛出栏": 139}
    for order, (name, value) in enumerate(figures.items()):
        indicator = add_indicator(
            name, world.unit_a, measure=MeasureUnit.HEAD, values={7: value},
            same={7: last_year[name]}, sort_order=order,
        )  # fmt: skip
        IndicatorPhrasing.objects.create(
            campaign=world.campaign, indicator=indicator, sort_order=order, group="畜禽",
            show_share=False, show_change=True, style=PhraseStyle.NAME_FIRST,
        )  # fmt: skip


def test_a_group_changing_the_same_way_is_one_fenbie_sentence(world):
    _livestock(world, {"生猪出栏": 12876, "牛出栏": 128})
    assert "生猪出栏、牛出栏分别达到13631头、139头,分别比同期不同程度增长" in text(world)


def test_a_group_changing_both_ways_states_each_change(world):
    _livestock(world, {"生猪出栏": 12876, "牛出栏": 150})
    assert "分别达到13631头、139头,分别比同期增长5.9%、下降7.3%" in text(world)


def test_name_first_wording_with_an_estimate(world):
    grain = add_indicator(
        "夏粮产量",
        world.unit_a,
        measure=MeasureUnit.TON,
        values={7: 7272},
        same={7: 7081},
        estimates={7},
    )
    IndicatorPhrasing.objects.create(
        campaign=world.campaign, indicator=grain, label="夏粮实产", style=PhraseStyle.NAME_FIRST,
        show_share=False, show_change=True,
    )  # fmt: skip
    # last year's figure is stated, so the checker recomputes the change from the text
    assert "年初以来夏粮实产预计完成7272吨,比去年的7081吨增加191吨。" in text(world)


def test_time_progress_gap_is_stated_in_points_when_asked(world):
    output = add_indicator("工业总产值", world.unit_a, target=55500, values={7: 22000})
    IndicatorPhrasing.objects.create(campaign=world.campaign, indicator=output, show_time_gap=True)
    # printed 39.6 − printed 58.3 = −18.7, beside both figures and the months they count
    assert "占年计划55500万元的39.6%,1-7月序时进度58.3%,低于序时进度18.7个百分点" in text(world)


def test_media_reports_are_counted_by_level_up_to_the_date(world):
    for i, (level, day) in enumerate(
        [
            (MediaLevel.CENTRAL, D(2023, 3, 1)),
            (MediaLevel.CITY, D(2023, 5, 1)),
            (MediaLevel.CITY, D(2023, 8, 2)),
        ]
    ):
        MediaReport(
            campaign=world.campaign, title=f"报道{i}", outlet="报", level=level, date=day
        ).save()
    assert "在中央、市等各级媒体发表“实干年”主题报道2篇" in text(world)
    assert "在中央级媒体发表“实干年”主题报道1篇" in text(world, as_of=D(2023, 4, 1))


def _report(world, task, month: int, body: str) -> None:
    """A progress report of `month`, filed on the 26th of that month."""
    report = ProgressReport.objects.create(
        task=task,
        unit=task.lead_unit,
        period=D(2023, month, 1),
        text=body,
        submitted_by=world.coordinator,
    )
    filed = timezone.make_aware(datetime.datetime(2023, month, 26, 16, 30))
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=filed)


def test_a_task_paragraph_states_its_latest_progress_and_coming_milestones(world):
    _report(world, world.task_a, 6, "完成规划设计。")
    _report(world, world.task_a, 8, "八月的进展")
    body = text(world)
    assert "一是路网体系:兴业大道建设。完成规划设计。下一步,8月底前完成整体方案。" in body
    assert "八月的进展" not in body
    assert "二是清凉河治理二期。下一步,10月底前新建堤防2公里。" in body


def test_a_milestone_the_progress_already_names_is_not_repeated(world):
    _report(world, world.task_a, 7, "已完成规划设计,8月底前完成整体方案")
    body = text(world)
    assert "已完成规划设计,8月底前完成整体方案。" in body
    assert "下一步,8月底前" not in body


def test_without_narrative_the_report_has_the_default_frame(world):
    add_indicator("工业总产值", world.unit_a, target=55500, values={7: 22000})
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    assert document.title == "关于示范区党委政府作风建设“实干年”活动总结及下一步工作计划"
    headings = [b.text for b in document.blocks if b.kind == "heading1"]
    assert headings == [
        "一、“实干年”活动开展情况",
        "二、“实干年”清单完成情况",
        "三、下一步工作计划",
    ]
    assert document.as_of == AS_OF and document.date == AS_OF
    for figure in document.figures:
        assert figure.sources


@pytest.mark.parametrize("sign", ["％", "%"])
def test_every_percentage_uses_the_chosen_sign(world, sign):
    from shigan.reports.compose import ReportOptions

    add_indicator("工业总产值", world.unit_a, target=55500, values={7: 22000})
    document = build_summary(
        campaign=world.campaign, as_of=AS_OF, options=ReportOptions(percent_sign=sign)
    )
    assert f"39.6{sign}" in document.text
