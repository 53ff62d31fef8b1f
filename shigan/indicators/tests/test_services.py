from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shigan.core.models import AuditEntry
from shigan.indicators.access import can_report_indicator, indicators_visible_to
from shigan.indicators.models import Actual, IndicatorYear, SamePeriodValue
from shigan.indicators.queries import actuals_current
from shigan.indicators.services import (
    ActualEntry,
    ActualsRejected,
    actual_submit,
    actuals_submit,
    same_period_set,
    target_set,
)

D = Decimal


def submit(indicator, month, value, *, by, note="", reason="", is_estimate=False, corrects=None):
    return actual_submit(
        indicator=indicator, year=2023, month=month, value=D(value), is_estimate=is_estimate,
        note=note, by=by, unit=indicator.responsible_unit, corrects=corrects, reason=reason,
    )  # fmt: skip


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_first_figure_of_a_month_is_saved_and_audited(ind, world):
    actual = submit(ind.investment, 7, "33000", by=world.reporter_a, is_estimate=True)
    assert actual.value == 33000 and actual.is_estimate
    assert actual.unit == world.unit_a and actual.submitted_by == world.reporter_a
    entry = AuditEntry.objects.get(record_type="indicators.actual", record_id=actual.pk)
    assert entry.action == "submit" and entry.actor == world.reporter_a


def test_cumulative_figure_lower_than_last_month_needs_a_note(ind, world):
    submit(ind.output, 5, "16000", by=world.reporter_b)
    with pytest.raises(ValidationError) as excinfo:
        submit(ind.output, 6, "15000", by=world.reporter_b)
    assert "低于上月累计的16000" in errors_of(excinfo)["note"][0]
    submit(ind.output, 6, "15000", by=world.reporter_b, note="统计口径调整，剔除退库企业")
    assert Actual.objects.filter(indicator=ind.output, month=6).count() == 1


def test_point_figure_may_fall_without_a_note(ind, world):
    submit(ind.hogs, 5, "13000", by=world.reporter_a)
    assert submit(ind.hogs, 6, "12500", by=world.reporter_a).value == 12500


def test_point_figure_far_off_last_month_needs_a_note(ind, world):
    submit(ind.hogs, 5, "13000", by=world.reporter_a)
    with pytest.raises(ValidationError) as excinfo:
        submit(ind.hogs, 6, "6000", by=world.reporter_a)
    assert "与上月的13000相差超过50%" in errors_of(excinfo)["note"][0]


def test_cumulative_figure_is_compared_with_last_month_carried_on_pro_rata(ind, world):
    submit(ind.output, 1, "3000", by=world.reporter_b)
    assert submit(ind.output, 2, "6200", by=world.reporter_b)  # doubling is the normal pace
    with pytest.raises(ValidationError) as excinfo:
        submit(ind.output, 3, "14500", by=world.reporter_b)  # 6200 × 3/2 = 9300; +56%
    assert "同等进度推算的9300" in errors_of(excinfo)["note"][0]


def test_figure_far_off_the_same_period_last_year_needs_a_note(ind, world):
    with pytest.raises(ValidationError) as excinfo:
        submit(ind.investment, 7, "46000", by=world.reporter_a)  # last year 30000: +53%
    assert "与上年同期的30000相差超过50%" in errors_of(excinfo)["note"][0]
    assert submit(ind.investment, 7, "46000", by=world.reporter_a, note="新开工项目集中入库")


def test_second_figure_for_a_month_is_a_correction_that_needs_a_reason(ind, world):
    first = submit(ind.investment, 7, "33000", by=world.reporter_a, is_estimate=True)
    with pytest.raises(ValidationError) as excinfo:
        submit(ind.investment, 7, "33500", by=world.reporter_a)
    assert "再次填报即为更正，请填写更正原因" in errors_of(excinfo)["reason"][0]
    second = submit(ind.investment, 7, "33500", by=world.reporter_a, reason="统计局反馈终值")
    assert second.corrects == first and second.correction_reason == "统计局反馈终值"
    first.refresh_from_db()
    assert first.value == 33000 and first.is_estimate  # kept as it was
    assert actuals_current([ind.investment.pk], 2023)[(ind.investment.pk, 7)] == second


def test_correction_of_a_superseded_entry_is_refused(ind, world):
    first = submit(ind.investment, 7, "33000", by=world.reporter_a)
    submit(ind.investment, 7, "33500", by=world.reporter_a, reason="终值")
    with pytest.raises(ValidationError) as excinfo:
        submit(ind.investment, 7, "34000", by=world.reporter_a, reason="再改", corrects=first)
    assert "已有更新的填报" in errors_of(excinfo)["corrects"][0]


def test_resubmitting_the_same_figure_changes_nothing(ind, world):
    first = submit(ind.investment, 7, "33000", by=world.reporter_a)
    assert submit(ind.investment, 7, "33000.0", by=world.reporter_a) == first
    assert Actual.objects.count() == 1


def test_future_month_is_refused(ind, world):
    with pytest.raises(ValidationError) as excinfo:
        submit(ind.investment, 8, "35000", by=world.reporter_a)
    assert errors_of(excinfo)["month"] == ["不能填报未来月份（2023年8月）"]


def test_too_many_decimals_are_refused(ind, world):
    with pytest.raises(ValidationError) as excinfo:
        submit(ind.investment, 7, "33000.12345", by=world.reporter_a)
    assert errors_of(excinfo)["value"] == ["最多保留4位小数"]


def test_batch_is_all_or_nothing_with_every_problem(ind, world):
    submit(ind.output, 5, "16000", by=world.coordinator)
    entries = [
        ActualEntry(indicator=ind.investment, year=2023, month=7, value=D(33000)),
        ActualEntry(indicator=ind.output, year=2023, month=6, value=D(15000)),
        ActualEntry(indicator=ind.hogs, year=2023, month=9, value=D(13000)),
    ]
    with pytest.raises(ActualsRejected) as excinfo:
        actuals_submit(entries=entries, by=world.coordinator)
    assert sorted(excinfo.value.problems) == [1, 2]
    assert Actual.objects.count() == 1


def test_batch_compares_with_last_month_in_the_same_batch(ind, world):
    entries = [
        ActualEntry(indicator=ind.hogs, year=2023, month=5, value=D(13000)),
        ActualEntry(indicator=ind.hogs, year=2023, month=6, value=D(5000)),
    ]
    with pytest.raises(ActualsRejected) as excinfo:
        actuals_submit(entries=entries, by=world.coordinator)
    assert excinfo.value.problems[1][0].field == "note"


def test_batch_refuses_the_same_month_twice(ind, world):
    entries = [
        ActualEntry(indicator=ind.hogs, year=2023, month=5, value=D(13000)),
        ActualEntry(indicator=ind.hogs, year=2023, month=5, value=D(13100)),
    ]
    with pytest.raises(ActualsRejected) as excinfo:
        actuals_submit(entries=entries, by=world.coordinator)
    assert excinfo.value.problems[1][0].message == "同一指标同一月份重复填报"


def test_correction_without_reason_is_refused_by_the_database(ind, world):
    from django.db import IntegrityError, transaction

    first = submit(ind.investment, 7, "33000", by=world.reporter_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Actual.objects.create(
            indicator=ind.investment, year=2023, month=7, value=1, unit=world.unit_a, corrects=first
        )


def test_target_set_is_audited_and_skips_unchanged(ind, world):
    target_set(indicator=ind.output, year=2023, annual_target=D(56000), by=world.coordinator)
    target_set(indicator=ind.output, year=2023, annual_target=D(56000), by=world.coordinator)
    assert IndicatorYear.objects.get(indicator=ind.output, year=2023).annual_target == 56000
    entries = AuditEntry.objects.filter(record_type="indicators.indicatoryear", action="update")
    assert entries.count() == 1
    assert entries.get().changes == {"年度目标": ["55500.0000", "56000"]}


def test_same_period_set_creates_then_updates(ind, world):
    same_period_set(indicator=ind.output, year=2023, month=7, value=D(20000), by=world.coordinator)
    same_period_set(indicator=ind.output, year=2023, month=7, value=D(20100), by=world.coordinator)
    assert SamePeriodValue.objects.get(indicator=ind.output, month=7).value == 20100


def test_only_own_unit_reporters_and_coordinators_report_an_indicator(ind, world):
    assert can_report_indicator(world.coordinator, ind.output)
    assert can_report_indicator(world.reporter_b, ind.output)
    assert not can_report_indicator(world.reporter_a, ind.output)
    assert not can_report_indicator(world.leader, ind.investment)
    assert not can_report_indicator(world.inspector, ind.investment)


def test_indicators_are_visible_by_responsible_unit(ind, world):
    from shigan.indicators.models import Indicator

    def names(user):
        return set(
            indicators_visible_to(user, Indicator.objects.all()).values_list("name", flat=True)
        )

    everything = {"固定资产投资", "规模以上工业总产值", "生猪存栏"}
    assert names(world.coordinator) == names(world.inspector) == everything
    # Everyone of the district reads its headline figures (indicators.access, issue 15).
    assert names(world.leader) == names(world.reporter_a) == everything
    assert names(world.reporter_b) == everything
