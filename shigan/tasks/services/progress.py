"""Progress reports (进展): a unit's monthly report and corrections.

Reports are append-only (core.corrections, key: task and month). A second report on a task for
the same month is a correction: it points at the latest report of that month and carries a
reason; the earlier report stays as it was.
Which months can be filed at all is periods.py's rule (task months, this month and the previous
one, months a coordinator opened).
Everything a submission brings (reports, milestones reached, evidence files) is checked before
anything is written, and a refused submission leaves no rows and no files behind
(core.files.files_discarded_on_error).
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery

from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.corrections import CorrectionProblem, correction_problem
from shigan.core.files import files_discarded_on_error, upload_errors
from shigan.core.models import AuditAction
from shigan.orgs.models import Unit

from ..evidence import evidence_store
from ..models import Milestone, ProgressReport, Task, TaskState
from ..queries import reported_this_period
from .periods import PeriodState, month_label, period_state, task_period_error

STALE = "该任务在您打开表单后已有新的进展，请刷新后核对再提交"
NOTHING = "未填写任何进展"


@dataclass
class ReportEntry:
    """One task's part of a unit's monthly report, as the form parsed it.

    `seen` is the id of the task's latest report when the form was rendered (None if it had none).
    """

    task: Task
    text: str = ""
    milestones_reached: dict[int, datetime.date] = field(default_factory=dict)
    uploads: list = field(default_factory=list)
    reason: str = ""
    seen: int | None = None


@dataclass
class _Known:
    """What the checks read, loaded once inside the transaction, under the tasks' row locks."""

    tasks: dict[int, Task]
    period_latest: dict[int, ProgressReport]
    milestones: dict[int, Milestone]
    period: PeriodState


def latest_report_id() -> Subquery:
    """Annotation for a Task queryset: the id of the task's latest report, whatever its month."""
    latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-submitted_at", "-id")
    return Subquery(latest.values("id")[:1])


def load_known(
    task_ids: Sequence[int], period: datetime.date, unit: Unit, today: datetime.date
) -> _Known:
    # The row locks serialise two people reporting on the same task (PostgreSQL); on SQLite the
    # IMMEDIATE transaction already holds the database's write lock.
    tasks = Task.objects.select_for_update().filter(pk__in=task_ids)
    tasks = {task.pk: task for task in tasks.annotate(latest_id=latest_report_id())}
    return _Known(
        tasks=tasks,
        period_latest=reported_this_period(list(tasks), period),
        milestones={ms.pk: ms for ms in Milestone.objects.filter(task_id__in=task_ids)},
        period=period_state(unit, period, today),
    )


def _period_errors(known: _Known) -> list[str]:
    """The whole report's month: not future, open by default or opened for the unit."""
    problem = known.period.error()
    return [problem] if problem else []


def _task_errors(task: Task | None, unit: Unit) -> list[str]:
    if task is None or task.lead_unit_id != unit.pk:
        return ["该任务不由本单位牵头，不能填报。"]
    if task.state != TaskState.ACTIVE:
        return [f"该任务状态为“{task.get_state_display()}”，不能再填报进展。"]
    return []


def _blank_text_errors(entry: ReportEntry, known: _Known) -> list[str]:
    errors = []
    for ms_id in entry.milestones_reached:
        title = known.milestones[ms_id].title if ms_id in known.milestones else "未知节点"
        errors.append(f"节点“{title}”填写了完成日期，请同时填写本月进展。")
    if entry.uploads:
        errors.append("上传了佐证材料，请同时填写本月进展。")
    if entry.reason:
        errors.append("填写了更正原因，请同时填写本月进展。")
    return errors


def _milestone_errors(
    task: Task, reached: Mapping[int, datetime.date], known: _Known, today: datetime.date
) -> list[str]:
    errors = []
    for ms_id, day in reached.items():
        ms = known.milestones.get(ms_id)
        if ms is None or ms.task_id != task.pk:
            errors.append("所填节点不属于该任务。")
        elif ms.done_on is not None:
            errors.append(f"节点“{ms.title}”已于{ms.done_on}完成，不能重复填报。")
        elif day > today:
            errors.append(f"节点“{ms.title}”的完成日期{day}晚于今天（{today}），不能填写未来日期。")
        elif day < task.start_date:
            errors.append(f"节点“{ms.title}”的完成日期{day}早于任务开始日期{task.start_date}。")
    return errors


def _correction_errors(
    period_latest: ProgressReport | None,
    corrects: ProgressReport | None,
    reason: str,
    period: datetime.date,
) -> list[str]:
    match correction_problem(period_latest, corrects, reason, implicit=False):
        case CorrectionProblem.FOREIGN:
            return ["所更正的报告不属于该任务该月份。"]
        case CorrectionProblem.STALE:
            return ["所更正的报告已有更新的报告，请刷新后在最新的报告上更正。"]
        case CorrectionProblem.NO_REASON:
            return [f"该任务{month_label(period)}已填报过进展，再次提交即为更正，请填写更正原因。"]
    return []


def _reached(
    reached: Mapping[int, datetime.date], known: _Known
) -> list[tuple[Milestone, datetime.date]]:
    pairs = [(known.milestones[ms_id], day) for ms_id, day in reached.items()]
    return sorted(pairs, key=lambda pair: (pair[0].due_date, pair[0].sort_order, pair[0].pk))


def _milestone_reach(ms: Milestone, day: datetime.date, by) -> None:
    before = snapshot(ms)
    ms.done_on = day
    ms.save(update_fields=["done_on", "updated_at"])
    audit_record(actor=by, obj=ms, action=AuditAction.UPDATE, before=before, task_id=ms.task_id)


def _write(
    *, task, unit, period, by, text, reached, uploads, corrects, reason, stored, opened=""
) -> ProgressReport:
    report = ProgressReport.append(
        current=corrects,
        reason=reason,
        task=task,
        unit=unit,
        period=period,
        text=text,
        milestones_reached=[
            {"id": ms.pk, "title": ms.title, "done_on": day.isoformat()} for ms, day in reached
        ],
        submitted_by=by,
    )
    for ms, day in reached:
        _milestone_reach(ms, day, by)
    for upload in uploads:
        stored.append(evidence_store(task=task, upload=upload, by=by, report=report))
    note = "；".join(filter(None, [report.correction_note, opened]))
    audit_record(actor=by, obj=report, action=AuditAction.SUBMIT, task_id=task.pk, note=note)
    return report


def progress_submit(
    *,
    task: Task,
    unit: Unit,
    period: datetime.date,
    by,
    text: str,
    milestones_reached: Mapping[int, datetime.date],
    uploads: Sequence,
    corrects: ProgressReport | None = None,
    reason: str = "",
) -> ProgressReport:
    """Append one progress report on `task` for the month starting `period`.

    Reached milestones (id -> date) get their `done_on`; uploads are stored as evidence; the
    report, the milestones and the files are audited. If the task already has a report for the
    month, `corrects` must be the latest of them and `reason` is required. The month must be one
    of the task's months and open for `unit` (periods.py); a report filed in a month a coordinator
    opened says so in its audit note. Raises ValidationError (a list of Chinese messages) and
    writes nothing when any rule is broken.
    """
    text, reason = text.strip(), reason.strip()
    with files_discarded_on_error() as stored, transaction.atomic():
        today = clock.today()
        known = load_known([task.pk], period, unit, today)
        task = known.tasks.get(task.pk)
        draft = ReportEntry(task, text, dict(milestones_reached), list(uploads), reason)
        if errors := _single_errors(draft, unit, period, corrects, known, today):
            raise ValidationError(errors)
        return _write(
            task=task,
            unit=unit,
            period=period,
            by=by,
            text=text,
            reached=_reached(milestones_reached, known),
            uploads=uploads,
            corrects=corrects,
            reason=reason,
            stored=stored,
            opened=known.period.note(),
        )


def _single_errors(draft: ReportEntry, unit, period, corrects, known: _Known, today) -> list[str]:
    task = draft.task
    if errors := _task_errors(task, unit):
        return errors
    if problem := task_period_error(task, period):
        return [problem]
    if errors := _period_errors(known):
        return errors
    if not draft.text:
        return ["请填写进展情况。"]
    return (
        _milestone_errors(task, draft.milestones_reached, known, today)
        + upload_errors(draft.uploads)
        + _correction_errors(known.period_latest.get(task.pk), corrects, draft.reason, period)
    )


def _entry_errors(
    entry: ReportEntry, *, unit: Unit, period: datetime.date, known: _Known, today: datetime.date
) -> list[str]:
    task = known.tasks.get(entry.task.pk)
    if errors := _task_errors(task, unit):
        return errors
    if not entry.text:
        return _blank_text_errors(entry, known)
    if problem := task_period_error(task, period):
        return [problem]
    if task.latest_id != entry.seen:
        return [STALE]
    period_latest = known.period_latest.get(task.pk)
    return (
        _milestone_errors(task, entry.milestones_reached, known, today)
        + upload_errors(entry.uploads)
        + _correction_errors(period_latest, period_latest, entry.reason, period)
    )


def stripped(entries: Sequence[ReportEntry]) -> list[ReportEntry]:
    return [replace(e, text=e.text.strip(), reason=e.reason.strip()) for e in entries]


def monthly_report_errors(
    entries: Sequence[ReportEntry],
    *,
    unit: Unit,
    period: datetime.date,
    known: _Known,
    today: datetime.date,
) -> dict[str, list[str]]:
    """Every broken rule of a unit's monthly task reports, keyed by task id (as str), and
    NON_FIELD_ERRORS for the whole report; writes nothing. `known` is load_known()'s, taken in
    the same transaction as the write."""
    errors = {
        str(entry.task.pk): messages
        for entry in entries
        if (messages := _entry_errors(entry, unit=unit, period=period, known=known, today=today))
    }
    if whole := _period_errors(known):
        errors[NON_FIELD_ERRORS] = whole
    return errors


def monthly_report_write(
    entries: Sequence[ReportEntry], *, unit: Unit, period: datetime.date, by, known: _Known, stored
) -> list[ProgressReport]:
    """Write the reports of the entries with a text (checked by monthly_report_errors)."""
    return [_write_entry(entry, unit, period, by, known, stored) for entry in entries if entry.text]


def monthly_report_submit(
    *, unit: Unit, period: datetime.date, by, entries: Sequence[ReportEntry]
) -> list[ProgressReport]:
    """File a unit's monthly report: one progress report per entry with a text, all or nothing.

    Entries without text (and nothing else filled) are skipped. A task already reported for the
    month gets a correction of its latest report, which needs a reason. Raises ValidationError
    keyed by task id (as str), NON_FIELD_ERRORS for the whole report, and writes nothing when any
    entry breaks a rule (see progress_submit), when a task got a new report since the form was
    rendered (`seen`), or when nothing was filled.
    """
    entries = stripped(entries)
    with files_discarded_on_error() as stored, transaction.atomic():
        today = clock.today()
        known = load_known([entry.task.pk for entry in entries], period, unit, today)
        errors = monthly_report_errors(entries, unit=unit, period=period, known=known, today=today)
        if not errors and not any(entry.text for entry in entries):
            errors[NON_FIELD_ERRORS] = [NOTHING]
        if errors:
            raise ValidationError(errors)
        return monthly_report_write(
            entries, unit=unit, period=period, by=by, known=known, stored=stored
        )


def _write_entry(entry: ReportEntry, unit, period, by, known: _Known, stored) -> ProgressReport:
    task = known.tasks[entry.task.pk]
    return _write(
        task=task,
        unit=unit,
        period=period,
        by=by,
        text=entry.text,
        reached=_reached(entry.milestones_reached, known),
        uploads=entry.uploads,
        corrects=known.period_latest.get(task.pk),
        reason=entry.reason,
        stored=stored,
        opened=known.period.note(),
    )
