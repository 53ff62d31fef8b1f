"""progress_submit and monthly_report_submit called directly, for their branchy rules."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.core.models import AuditEntry
from shigan.tasks.models import Evidence, ProgressReport, TaskState
from shigan.tasks.services import progress as services
from shigan.tasks.services.progress import ReportEntry, monthly_report_submit, progress_submit

JULY = datetime.date(2023, 7, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def submit(world, text="本月进展", **kwargs):
    args = dict(task=world.task_a, unit=world.unit_a, period=JULY, by=world.reporter_a, text=text)
    args |= dict(milestones_reached={}, uploads=[]) | kwargs
    return progress_submit(**args)


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_first_report_of_the_month_needs_no_reason(world):
    report = submit(world)
    assert report.corrects is None and report.correction_reason == ""
    entry = AuditEntry.objects.get(record_type="tasks.progressreport")
    assert (entry.action, entry.task_id, entry.actor) == (
        "submit",
        world.task_a.pk,
        world.reporter_a,
    )


def test_second_report_of_the_month_must_correct_the_latest_with_a_reason(world):
    first = submit(world, "首报")
    with pytest.raises(ValidationError) as excinfo:
        submit(world, "未声明更正")
    assert "所更正的报告已有更新的报告" in messages_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        submit(world, "缺原因", corrects=first)
    assert "请填写更正原因" in messages_of(excinfo)
    second = submit(world, "更正", corrects=first, reason="数字有误")
    with pytest.raises(ValidationError) as excinfo:
        submit(world, "在旧报告上更正", corrects=first, reason="再改")
    assert "所更正的报告已有更新的报告" in messages_of(excinfo)
    assert list(ProgressReport.objects.order_by("id")) == [first, second]


def test_correction_must_be_of_the_same_task_and_month(world):
    june = submit(world, "6月", period=datetime.date(2023, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        submit(world, "7月更正6月", corrects=june, reason="错月")
    assert "所更正的报告不属于该任务该月份" in messages_of(excinfo)


def test_closed_task_takes_no_more_reports(world):
    world.task_a.state = TaskState.COMPLETED
    world.task_a.save()
    with pytest.raises(ValidationError) as excinfo:
        submit(world)
    assert "该任务状态为“已办结”" in messages_of(excinfo)


def test_unit_must_lead_the_task(world):
    with pytest.raises(ValidationError) as excinfo:
        submit(world, unit=world.unit_b)
    assert "该任务不由本单位牵头" in messages_of(excinfo)


def test_milestone_already_done_or_of_another_task_is_refused(world):
    done = world.task_a.milestones.get(done_on__isnull=False)
    foreign = world.task_b.milestones.get()
    reached = {done.pk: datetime.date(2023, 7, 1), foreign.pk: datetime.date(2023, 7, 1)}
    with pytest.raises(ValidationError) as excinfo:
        submit(world, milestones_reached=reached)
    text = messages_of(excinfo)
    assert "节点“完成规划设计”已于2023-05-20完成" in text and "所填节点不属于该任务" in text


def test_milestone_done_today_is_accepted(world):
    ms = world.task_a.milestones.get(done_on__isnull=True)
    submit(world, milestones_reached={ms.pk: datetime.date(2023, 7, 20)})
    ms.refresh_from_db()
    assert ms.done_on == datetime.date(2023, 7, 20)


def test_empty_text_is_refused_for_a_single_report(world):
    with pytest.raises(ValidationError) as excinfo:
        submit(world, "  ")
    assert "请填写进展情况" in messages_of(excinfo)


def test_stored_files_are_removed_when_the_transaction_fails_late(world, media, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit_record", fail)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")
    with pytest.raises(RuntimeError):
        submit(world, uploads=[upload])
    assert Evidence.objects.count() == 0 and ProgressReport.objects.count() == 0
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_monthly_report_errors_are_keyed_by_task(world):
    entries = [
        ReportEntry(task=world.task_a, text="", reason="无进展却写原因"),
        ReportEntry(task=world.task_b, text="他单位任务"),
    ]
    with pytest.raises(ValidationError) as excinfo:
        monthly_report_submit(unit=world.unit_a, period=JULY, by=world.reporter_a, entries=entries)
    errors = excinfo.value.message_dict
    assert errors[str(world.task_a.pk)] == ["填写了更正原因，请同时填写本月进展。"]
    assert errors[str(world.task_b.pk)] == ["该任务不由本单位牵头，不能填报。"]


def test_monthly_report_with_nothing_filled_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        monthly_report_submit(
            unit=world.unit_a,
            period=JULY,
            by=world.reporter_a,
            entries=[ReportEntry(task=world.task_a)],
        )
    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: ["未填写任何进展"]}
