"""Two people editing the same record: the later save is refused with who changed what, never a
silent overwrite.

An edit form carries the record's version as it was shown: the id of the newest audit entry of
the record (every write is audited, core.audit), in the hidden field `edit_version`. Saving
runs the service in one transaction with the record's row locked and first compares that
version with the newest entry now: when someone saved the record in between, EditConflict (a
ValidationError) names who changed which fields and when, nothing is written, and the form is
shown again with the user's values and the current version — so a second save, after he has
compared, is a deliberate one. One mechanism for every edit form:

    guard = EditGuard(form, campaign, what="活动")     # adds the hidden field
    if request.method == "POST" and form.is_valid():
        try:
            guard.save(lambda: campaign_update(campaign=campaign, by=request.user, ...))
        except ValidationError as error:
            add_service_errors(form, error)            # the conflict shows above the form
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django import forms
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from .models import AuditAction, AuditEntry

FIELD = "edit_version"
MAX_FIELDS_NAMED = 6
T = TypeVar("T")


class EditConflict(ValidationError):
    """The record was saved by someone else since the form was shown: one message for the
    whole form (NON_FIELD_ERRORS, so every view's way of adding a service's errors shows it
    above the fields)."""

    def __init__(self, message: str):
        super().__init__({NON_FIELD_ERRORS: [message]})


def _entries(record: models.Model, parts: Iterable[str]) -> models.QuerySet:
    """The audit entries of `record` and, for a task, of its parts (`parts`: record types such
    as "tasks.milestone", found by the entries' task_id)."""
    own = Q(record_type=record._meta.label_lower, record_id=record.pk)
    parts = list(parts)
    if parts:
        own |= Q(record_type__in=parts, task_id=record.pk)
    # A showing (查看完整号码, audited on a concern) changes nothing: no conflict.
    return AuditEntry.objects.filter(own).exclude(action=AuditAction.VIEW)


def record_version(record: models.Model, parts: Iterable[str] = ()) -> int:
    """The id of the newest audit entry of the record (0 when it has none): one query."""
    return _entries(record, parts).aggregate(v=Max("id"))["v"] or 0


def _type_label(record_type: str) -> str:
    try:
        return str(apps.get_model(record_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return record_type


def conflict_message(what: str, record: models.Model, newer: list[AuditEntry]) -> str:
    """“您打开此页后，周专班于7月20日 14:05修改了该活动（名称、开始日期）……”"""
    authors = list(dict.fromkeys(entry.author for entry in newer))
    changed: list[str] = []
    own_type = record._meta.label_lower
    for entry in newer:
        if entry.record_type == own_type:
            changed += list(entry.changes)
        else:
            changed.append(f"{_type_label(entry.record_type)}“{entry.record_repr}”")
    changed = list(dict.fromkeys(changed))
    named = "、".join(changed[:MAX_FIELDS_NAMED]) + (
        "等" if len(changed) > MAX_FIELDS_NAMED else ""
    )
    when = timezone.localtime(newer[-1].at)
    fields = f"（{named}）" if named else ""
    return (
        f"您打开此页后，{'、'.join(authors)}于{when.month}月{when.day}日 {when:%H:%M}"
        f"修改了该{what}{fields}。为免覆盖他人的修改，您这次的修改没有保存；"
        f"下面保留了您填写的内容，请与当前内容核对后再提交。"
    )


def version_check(record: models.Model, seen: int | None, *, what: str, parts=()) -> None:
    """Raise EditConflict when the record has audit entries newer than `seen` (None: not
    checked — a save that did not come from an edit form)."""
    if seen is None:
        return
    newer = list(
        _entries(record, parts).filter(id__gt=seen).select_related("actor__person").order_by("id")
    )
    if newer:
        raise EditConflict(conflict_message(what, record, newer))


def posted_version(raw) -> int | None:
    """The posted version: a non-negative whole number; None for a missing or malformed one
    (the save then goes on unchecked, as from a form that predates the field)."""
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


class EditGuard:
    """The version field of an edit form and the guarded save (see the module docstring).
    `parts`: the record types of a task's parts the form also edits (its milestones)."""

    def __init__(self, form: forms.BaseForm, record: models.Model, *, what: str, parts=()):
        self.form, self.record, self.what, self.parts = form, record, what, tuple(parts)
        form.fields[FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=self._current()
        )
        # The version is the guard's, not the service's: kept out of cleaned_data, which
        # views pass on to their service as keyword arguments.
        clean = form.clean

        def clean_without_version():
            data = clean()
            (form.cleaned_data if data is None else data).pop(FIELD, None)
            return data

        form.clean = clean_without_version

    def _current(self) -> str:
        return str(record_version(self.record, self.parts))

    def seen(self) -> int | None:
        return posted_version(self.form.data.get(self.form.add_prefix(FIELD)))

    def save(self, save: Callable[[], T]) -> T:
        """`save()` (the service call) with the record locked, unless it was changed since the
        form was shown: then EditConflict, nothing written, and the form's version set to the
        current one."""
        try:
            with transaction.atomic():
                model = type(self.record)
                list(model.objects.select_for_update().filter(pk=self.record.pk).values("pk"))
                self._check(self.seen())
                return save()
        except EditConflict:
            self._refresh()
            raise

    def _check(self, seen: int | None) -> None:
        """EditConflict when the record changed since version `seen` (the row is locked); a guard
        whose version covers other rows overrides this and _current."""
        version_check(self.record, seen, what=self.what, parts=self.parts)

    def _refresh(self) -> None:
        data = self.form.data.copy()
        data[self.form.add_prefix(FIELD)] = self._current()
        self.form.data = data
