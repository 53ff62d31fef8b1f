"""The 历史记录 of a record as its page shows it: audit entries newest first, each with
`type_label` (the record type's name, 进度报告) and `display_changes` (choice labels instead of
stored values, local date-times). One query whatever the number of entries; the page includes
`core/_history.html`."""

import datetime
from pathlib import PurePosixPath

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import prepared
from .models import AuditEntry


def _readable(value, labels: dict):
    """A stored audit value as the page shows it: choice labels, local date-times."""
    if isinstance(value, str) and value in labels:
        return labels[value]
    if isinstance(value, str) and len(value) > 19 and value[10:11] == "T":
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
    return value


def _choice_labels(model) -> dict[str, dict]:
    fields = model._meta.concrete_fields if model else []
    return {
        str(f.verbose_name): {str(k): str(v) for k, v in f.flatchoices} for f in fields if f.choices
    }


def _file_fields(model) -> set[str]:
    fields = model._meta.concrete_fields if model else []
    return {str(f.verbose_name) for f in fields if isinstance(f, models.FileField)}


def _without_storage_paths(changes: dict, model) -> dict:
    """A file is named by its name, never by where it is stored ("evidence/18/报告.pdf"): the
    file field goes when the record keeps the original name (StoredFile's 原文件名), else shows
    the stored name's last part."""
    files = _file_fields(model)
    if not files:
        return changes
    keeps_name = "原文件名" in changes
    return {
        name: pair if name not in files else [PurePosixPath(v).name if v else v for v in pair]
        for name, pair in changes.items()
        if not (name in files and keeps_name)
    }


def _model_of(record_type: str):
    app_label, _, model_name = record_type.partition(".")
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


# Records that carry a business date of their own — the month a progress report is for, the day
# a visit was made — and the fields (verbose names, as the audit stores them) that hold it. A
# history shows it beside the audit time when the two differ: a 2023 report entered in 2026 reads
# "2023年7月进展 · 录入于2026-12-06 17:03", never as if written in 2023 (docs/style.md).
MONTH, DAY = "month", "day"
BUSINESS_DATES = {
    "tasks.progressreport": (MONTH, "所属月份", "进展"),
    "reports.narrativetext": (MONTH, "适用月份", "文字"),
    "indicators.actual": (MONTH, ("年度", "月份"), "完成值"),
    "indicators.sameperiodvalue": (MONTH, ("年度", "月份"), "同期值"),
    "indicators.projectfigure": (MONTH, ("年度", "月份"), "项目进度"),
    "indicators.enterprisefigure": (MONTH, ("年度", "月份"), "企业数据"),
    "meetings.meeting": (DAY, "会议日期", "会议"),
    "meetings.studysession": (DAY, "学习日期", "学习"),
    "supervision.inspection": (DAY, "督查日期", "督查"),
    "supervision.verification": (DAY, "核查日期", "核查"),
    "publicity.mediareport": (DAY, "发表日期", "发表"),
    "grassroots.visit": (DAY, "日期", "走访"),
    "grassroots.receptionday": (DAY, "接待日期", "接待日"),
    "grassroots.practiceevent": (DAY, "日期", "活动"),
    "timebank.servicerecord": (DAY, "服务日期", "服务"),
    "reminders.reminder": (DAY, "日期", "提醒"),
}


def _stored(entry: AuditEntry, name: str):
    """The value of field `name` the entry stores (after, else before), or None."""
    pair = entry.changes.get(name)
    if not pair:
        return None
    return pair[1] if pair[1] not in (None, "") else pair[0]


def _business_day(entry: AuditEntry) -> tuple[str, datetime.date] | None:
    kind, fields, _ = BUSINESS_DATES[entry.record_type]
    try:
        if isinstance(fields, tuple):
            year, month = (_stored(entry, f) for f in fields)
            return (kind, datetime.date(int(year), int(month), 1)) if year and month else None
        value = _stored(entry, fields)
        return (kind, datetime.date.fromisoformat(str(value)[:10])) if value else None
    except (TypeError, ValueError):
        return None


def _label_business_dates(entries: list[AuditEntry]) -> None:
    """Set `business_day` (the record's business date, or None) on every entry and
    `business_date` ("2023年7月进展") on those whose business date is not the day (or month)
    they were written. An edit's entry may not repeat the date; another entry of
    the same record in the list (its creation) supplies it, without a query."""
    known = {}
    for entry in entries:
        if entry.record_type in BUSINESS_DATES and (day := _business_day(entry)):
            known.setdefault((entry.record_type, entry.record_id), day)
    for entry in entries:
        entry.business_date = ""
        found = known.get((entry.record_type, entry.record_id))
        entry.business_day = found[1] if found else None
        if not found:
            continue
        kind, day = found
        written = timezone.localtime(entry.at).date()
        what = BUSINESS_DATES[entry.record_type][2]
        if kind == MONTH and (day.year, day.month) != (written.year, written.month):
            entry.business_date = f"{day.year}年{day.month}月{what}"
        elif kind == DAY and day != written:
            entry.business_date = f"{day:%Y-%m-%d}{what}"


def readable_entries(entries) -> list[AuditEntry]:
    """`entries` (a queryset or list of AuditEntry) with `type_label`, `display_changes` and
    `business_date` (see BUSINESS_DATES)."""
    entries = list(entries)
    _label_business_dates(entries)
    for entry in entries:
        model = _model_of(entry.record_type)
        entry.type_label = model._meta.verbose_name if model else entry.record_type
        labels = _choice_labels(model)
        entry.display_changes = {
            name: [_readable(v, labels.get(name, {})) for v in pair]
            for name, pair in _without_storage_paths(entry.changes, model).items()
        }
    return entries


def history_of(*records: models.Model, task_id: int | None = None) -> list[AuditEntry]:
    """The audit entries of `records` (any models; their own rows) and, with `task_id`, of every
    record filed under that task, newest first (AuditEntry's ordering)."""
    where = Q(pk__in=[])
    for record in records:
        where |= Q(record_type=record._meta.label_lower, record_id=record.pk)
    if task_id is not None:
        where |= Q(task_id=task_id)
    return readable_entries(AuditEntry.objects.filter(where).select_related("actor__person"))


def task_history(task_id: int) -> list[AuditEntry]:
    """history_of(task_id=…): the entries of every record filed under the task, newest first,
    by a statement compiled once per process (core.prepared: the task page's)."""
    return readable_entries(prepared.rows(("task_history",), _entries_of_task, task_id))


def _entries_of_task(task_id: int):
    return AuditEntry.objects.filter(task_id=task_id).select_related("actor__person")
