"""同上月 on an indicator's card: last month's figure filed as this month's without retyping,
checked by the same rules as a typed figure, audited as carried forward, never overwriting a
figure already filed without a reason."""

from decimal import Decimal

import pytest

from shigan.core.models import AuditEntry
from shigan.indicators.models import SamePeriodValue

from . import test_monthly_indicators as base
from .test_monthly_indicators import (
    URL,
    add_actual,
    ind_data,
    july,
    make_indicator,
    post,
    task_data,
)

# The indicator tests' fixtures: today pinned to 2023-07-20, media in a scratch folder, and
# unit A's 固定资产投资 with June's 30000.
frozen_today, media, investment = base.frozen_today, base.media, base.investment


def audit_note(actual) -> str:
    return AuditEntry.objects.get(record_type="indicators.actual", record_id=actual.pk).note


def test_form_offers_same_as_last_month_with_last_months_figure(world, client_for, investment):
    html = client_for(world.reporter_a).get(URL).content.decode()
    pk = investment.pk
    assert f'data-previous="30000" data-target="id_ind-{pk}-value"' in html
    assert f'name="ind-{pk}-same"' in html


def test_no_same_as_last_month_without_last_months_figure(world, client_for):
    fresh = make_indicator("新指标", world.unit_a)
    html = client_for(world.reporter_a).get(URL).content.decode()
    assert f'name="ind-{fresh.pk}-value"' in html
    assert f'name="ind-{fresh.pk}-same"' not in html


def test_ticked_without_a_value_files_last_months_figure_audited(world, client_for, investment):
    c = client_for(world.reporter_a)
    response = post(c, task_data(world.task_a), ind_data(investment, "", same="on"))
    assert response.status_code == 302
    [actual] = july(investment)
    assert actual.value == Decimal(30000) and actual.corrects is None
    assert actual.submitted_by == world.reporter_a
    assert audit_note(actual) == "同上月：沿用6月的30000"


def test_ticked_with_last_months_figure_typed_is_the_same(world, client_for, investment):
    c = client_for(world.reporter_a)
    response = post(c, ind_data(investment, "30,000", same="on"))
    assert response.status_code == 302
    [actual] = july(investment)
    assert actual.value == 30000 and audit_note(actual) == "同上月：沿用6月的30000"


def test_a_typed_figure_is_not_audited_as_carried(world, client_for, investment):
    assert post(client_for(world.reporter_a), ind_data(investment, "30000")).status_code == 302
    [actual] = july(investment)
    assert audit_note(actual) == ""


def test_ticked_with_another_figure_typed_is_refused(world, client_for, investment):
    html = post(
        client_for(world.reporter_a), ind_data(investment, "31000", same="on")
    ).content.decode()
    assert (
        "“固定资产投资”：勾选了“同上月”（30000），但填写的是31000；请取消勾选或改为上月的数" in html
    )
    assert july(investment) == []


def test_ticked_without_last_months_figure_is_refused(world, client_for):
    fresh = make_indicator("新指标", world.unit_a)
    html = post(client_for(world.reporter_a), ind_data(fresh, "", same="on")).content.decode()
    assert "“新指标”：上月未填报，不能填“同上月”，请填写本月完成值" in html
    assert f'href="#ind-{fresh.pk}"' in html  # the summary links to the card
    assert not fresh.actuals.exists()


def test_carried_figure_obeys_the_note_rule_of_a_typed_one(world, client_for):
    # Last year's July was 1000; June's 100 carried on is far off it: a note is asked for, as
    # for the same figure typed.
    ind = make_indicator("订单种植面积", world.unit_a)
    SamePeriodValue.objects.create(indicator=ind, year=2023, month=7, value=Decimal(1000))
    add_actual(ind, 6, 100, by=world.reporter_a)
    c = client_for(world.reporter_a)
    for typed in ("", "100"):
        html = post(c, ind_data(ind, typed, same="on")).content.decode()
        assert "与上年同期的1000相差超过50%，请填写说明" in html
    assert not ind.actuals.filter(month=7).exists()
    response = post(c, ind_data(ind, "", same="on", note="订单已全部落实，面积不再增加"))
    assert response.status_code == 302
    [actual] = ind.actuals.filter(month=7)
    assert actual.value == 100 and actual.note == "订单已全部落实，面积不再增加"


def test_carrying_over_a_filed_figure_is_a_correction_needing_a_reason(
    world, client_for, investment
):
    filed = add_actual(investment, 7, 33000, by=world.reporter_a)
    c = client_for(world.reporter_a)
    carried = ind_data(investment, "", seen=str(filed.pk), same="on")
    html = post(c, carried).content.decode()
    assert "2023年7月已填报33000，再次填报即为更正，请填写更正原因" in html
    assert july(investment) == [filed]
    response = post(c, carried | {f"ind-{investment.pk}-reason": "7月无新增投资"})
    assert response.status_code == 302
    first, correction = july(investment)
    assert first == filed and correction.corrects == filed and correction.value == 30000
    assert audit_note(correction) == "同上月：沿用6月的30000；更正原因：7月无新增投资"


def test_carrying_over_the_same_figure_already_filed_writes_nothing(world, client_for, investment):
    filed = add_actual(investment, 7, 30000, by=world.reporter_a)
    c = client_for(world.reporter_a)
    html = post(c, ind_data(investment, "", seen=str(filed.pk), same="on")).content.decode()
    assert "未填写任何进展，指标完成值也没有变动" in html
    assert july(investment) == [filed]


@pytest.mark.parametrize("value", ["三万", "1e5x"])
def test_error_summary_numbers_and_links_each_card(world, client_for, investment, value):
    second = make_indicator("工业总产值", world.unit_a, sort_order=2)
    c = client_for(world.reporter_a)
    html = post(c, ind_data(investment, "30000"), ind_data(second, value)).content.decode()
    assert f'<a href="#ind-{second.pk}"><b>指标第2项</b> “工业总产值”本月完成：“{value}”' in html
    assert f'id="ind-{second.pk}" data-error open' in html
    assert f'id="ind-{investment.pk}" open' in html  # not marked
    assert html.count("data-error") == 1


@pytest.mark.parametrize("typed", ["", "7272"])
def test_carrying_an_estimate_forward_keeps_it_an_estimate(world, client_for, typed):
    # June's 夏粮 7272 was 预计; carried into July it is still 预计, not a final 7272.
    grain = make_indicator("夏粮产量", world.unit_a)
    add_actual(grain, 6, 7272, by=world.reporter_a, is_estimate=True)
    c = client_for(world.reporter_a)
    html = c.get(URL).content.decode()
    assert f'data-estimate="id_ind-{grain.pk}-estimate"' in html  # monthly.js ticks 预计 too
    response = post(c, ind_data(grain, typed, same="on"))
    assert response.status_code == 302
    [actual] = july(grain)
    assert actual.value == 7272 and actual.is_estimate is True
    assert "本月7272（预计） · 上月7272（预计）" in c.get(URL).content.decode()


def test_carrying_a_final_figure_forward_stays_final(world, client_for, investment):
    html = client_for(world.reporter_a).get(URL).content.decode()
    assert "data-estimate=" not in html
    assert (
        post(client_for(world.reporter_a), ind_data(investment, "", same="on")).status_code == 302
    )
    [actual] = july(investment)
    assert actual.is_estimate is False
