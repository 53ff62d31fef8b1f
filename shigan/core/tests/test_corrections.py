"""core.corrections: append-only entries on the real models built on it (indicators.Actual,
tasks.ProgressReport) and the real database — the current entry per key, the rule a correction
must follow, its database constraint, and the two services that apply it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shigan.core.corrections import Correctable, CorrectionProblem, correction_problem
from shigan.indicators.models import Actual, Indicator, MeasureUnit
from shigan.indicators.services import actual_submit
from shigan.tasks.models import ProgressReport
from shigan.tasks.services.progress import progress_submit

KEY = ("indicator_id", "year", "month")
JULY = datetime.date(2023, 7, 1)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def indicator(world) -> Indicator:
    return Indicator.objects.create(
        name="固定资产投资", measure_unit=MeasureUnit.WAN_YUAN, responsible_unit=world.unit_a
    )


def figure(indicator, month: int, value: int, *, current=None, reason: str = "") -> Actual:
    return Actual.append(
        current=current,
        reason=reason,
        indicator=indicator,
        year=2023,
        month=month,
        value=Decimal(value),
        unit=indicator.responsible_unit,
    )


# --- the rule ---------------------------------------------------------------------------


def test_the_correction_rule(world, indicator):
    first = figure(indicator, 6, 100)
    second = figure(indicator, 6, 120, current=first, reason="统计口径调整")
    cases = [
        # current, corrects, reason, implicit -> problem
        (None, None, "", False, None),  # a key's first entry
        (None, first, "x", False, CorrectionProblem.FOREIGN),  # names another key's entry
        (second, second, "复核更正", False, None),  # a correction of the current entry
        (second, second, "", False, CorrectionProblem.NO_REASON),
        (second, first, "复核更正", False, CorrectionProblem.STALE),  # corrected meanwhile
        (second, None, "复核更正", False, CorrectionProblem.STALE),  # the form saw none
        (second, None, "复核更正", True, None),  # implicit: corrects the current entry
        (second, None, "", True, CorrectionProblem.NO_REASON),
        (second, first, "复核更正", True, CorrectionProblem.STALE),
    ]
    for current, corrects, reason, implicit, expected in cases:
        found = correction_problem(current, corrects, reason, implicit=implicit)
        assert found is expected, (current, corrects, reason, implicit)


def test_append_links_a_correction_and_keeps_a_first_entry_plain(world, indicator):
    first = figure(indicator, 6, 100, reason="ignored: nothing to correct")
    assert (first.corrects, first.correction_reason, first.correction_note) == (None, "", "")
    second = figure(indicator, 6, 120, current=first, reason="统计口径调整")
    second.refresh_from_db()
    assert second.corrects == first
    assert second.correction_reason == "统计口径调整"
    assert second.correction_note == "更正原因：统计口径调整"
    first.refresh_from_db()
    assert first.value == Decimal(100)  # the corrected entry is kept as it was
    assert list(first.corrections.all()) == [second]


@pytest.mark.parametrize("model", [Actual, ProgressReport])
def test_the_database_refuses_a_correction_without_a_reason(world, indicator, model):
    if model is Actual:
        first = figure(indicator, 6, 100)
        fields = dict(indicator=indicator, year=2023, month=6, value=1, unit=world.unit_a)
    else:
        first = ProgressReport.append(
            current=None, reason="", task=world.task_a, unit=world.unit_a, period=JULY,
            text="开工", submitted_by=world.reporter_a,
        )  # fmt: skip
        fields = dict(
            task=world.task_a, unit=world.unit_a, period=JULY, text="x",
            submitted_by=world.reporter_a,
        )  # fmt: skip
    assert issubclass(model, Correctable)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields, corrects=first, correction_reason="")


# --- the current entry per key ----------------------------------------------------------


def test_current_is_the_latest_entry_of_each_key_in_one_query(
    world, indicator, django_assert_num_queries
):
    june = figure(indicator, 6, 100)
    june2 = figure(indicator, 6, 120, current=june, reason="更正")
    june3 = figure(indicator, 6, 125, current=june2, reason="再更正")
    july = figure(indicator, 7, 150)
    other = Indicator.objects.create(
        name="工业总产值", measure_unit=MeasureUnit.WAN_YUAN, responsible_unit=world.unit_b
    )
    other_june = figure(other, 6, 9)
    with django_assert_num_queries(1):
        current = Actual.objects.filter(year=2023).current_by(*KEY)
    assert current == {
        (indicator.pk, 2023, 6): june3,
        (indicator.pk, 2023, 7): july,
        (other.pk, 2023, 6): other_june,
    }
    # The current entries are the ones no entry corrects.
    assert set(current.values()) == set(Actual.objects.filter(corrections__isnull=True))


def test_current_among_entries_filed_before_an_instant_is_the_one_current_then(world, indicator):
    june = figure(indicator, 6, 100)
    june2 = figure(indicator, 6, 120, current=june, reason="更正")
    filed = timezone.make_aware(datetime.datetime(2023, 7, 5, 10))
    Actual.objects.filter(pk=june.pk).update(submitted_at=filed)
    Actual.objects.filter(pk=june2.pk).update(submitted_at=filed + datetime.timedelta(days=3))
    as_of = Actual.objects.filter(submitted_at__lt=filed + datetime.timedelta(days=1))
    assert as_of.current_by(*KEY) == {(indicator.pk, 2023, 6): june}
    assert Actual.objects.current_by(*KEY) == {(indicator.pk, 2023, 6): june2}


def test_current_works_on_a_related_manager_and_keeps_select_related(
    world, django_assert_num_queries
):
    first = progress_submit(
        task=world.task_a, unit=world.unit_a, period=JULY, by=world.reporter_a,
        text="完成路基", milestones_reached={}, uploads=[],
    )  # fmt: skip
    second = progress_submit(
        task=world.task_a, unit=world.unit_a, period=JULY, by=world.reporter_a,
        text="完成路基 80%", milestones_reached={}, uploads=[], corrects=first, reason="笔误",
    )  # fmt: skip
    reports = world.task_a.progress_reports.select_related("unit")
    with django_assert_num_queries(1):
        current = reports.current("period").get()
        assert current.unit.name == world.unit_a.name
    assert current == second


# --- the two services keep submitted entries --------------------------------------------


def submit_figure(world, indicator, value, **kwargs) -> Actual:
    return actual_submit(
        indicator=indicator, year=2023, month=6, value=Decimal(value), is_estimate=False,
        note="", by=world.reporter_a, unit=world.unit_a, **kwargs,
    )  # fmt: skip


def test_a_figure_is_never_silently_overwritten(world, indicator):
    first = submit_figure(world, indicator, 100)
    with pytest.raises(ValidationError) as refused:
        submit_figure(world, indicator, 120)
    assert "再次填报即为更正，请填写更正原因" in " ".join(refused.value.messages)
    assert list(Actual.objects.values_list("value", flat=True)) == [Decimal(100)]
    second = submit_figure(world, indicator, 120, reason="统计局反馈更正")
    third_try = dict(corrects=first, reason="按旧表更正")
    with pytest.raises(ValidationError) as stale:
        submit_figure(world, indicator, 130, **third_try)
    assert "已有更新的填报" in " ".join(stale.value.messages)
    first.refresh_from_db()
    assert (first.value, second.corrects_id, second.value) == (Decimal(100), first.pk, 120)
    assert Actual.objects.count() == 2


def test_a_progress_report_is_never_silently_overwritten(world):
    def submit(text, **kwargs):
        return progress_submit(
            task=world.task_a, unit=world.unit_a, period=JULY, by=world.reporter_a,
            text=text, milestones_reached={}, uploads=[], **kwargs,
        )  # fmt: skip

    first = submit("完成路基")
    with pytest.raises(ValidationError) as stale:
        submit("完成路面")  # names no report although the month has one
    assert "已有更新的报告" in " ".join(stale.value.messages)
    with pytest.raises(ValidationError) as no_reason:
        submit("完成路面", corrects=first)
    assert "请填写更正原因" in " ".join(no_reason.value.messages)
    second = submit("完成路面", corrects=first, reason="进度填错")
    first.refresh_from_db()
    assert first.text == "完成路基"
    assert (second.corrects, second.correction_reason) == (first, "进度填错")
    assert ProgressReport.objects.count() == 2
