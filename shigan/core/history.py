"""The 历史记录 of a record as its page shows it: audit entries newest first, each with
`type_label` (the record type's name, 进度报告) and `display_changes` (choice labels instead of
stored values, local date-times). One query whatever the number of entries; the page includes
`core/_history.html`."""

import datetime

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

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


def _model_of(record_type: str):
    app_label, _, model_name = record_type.partition(".")
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def readable_entries(entries) -> list[AuditEntry]:
    """`entries` (a queryset or list of AuditEntry) with `type_label` and `display_changes`."""
    entries = list(entries)
    for entry in entries:
        model = _model_of(entry.record_type)
        entry.type_label = model._meta.verbose_name if model else entry.record_type
        labels = _choice_labels(model)
        entry.display_changes = {
            name: [_readable(v, labels.get(name, {})) for v in pair]
            for name, pair in entry.changes.items()
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
