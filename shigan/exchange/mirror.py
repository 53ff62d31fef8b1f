"""Mirror records: a peer's record created or updated here from a package, audited (数据导入,
with the package in the note), and remembered in ExternalRef."""

from django.db import models

from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction, AuditSource

from .refs import RefMap


def audited(obj: models.Model, action: str, note: str, before=None, task_id=None) -> None:
    audit_record(actor=None, obj=obj, action=action, before=before, note=note,
                 source=AuditSource.IMPORT, task_id=task_id)  # fmt: skip


def upsert(refs: RefMap, model, remote_id: int, fields: dict, note: str, *, task_id=None):
    """The local mirror of the peer's record `remote_id`, made or brought up to `fields`."""
    local_id = refs.get(remote_id)
    if local_id is None:
        obj = model.objects.create(**fields)
        audited(obj, AuditAction.CREATE, note, task_id=task_id or _task_id(obj))
        refs.add(remote_id, obj.pk)
        return obj
    obj = model.objects.get(pk=local_id)
    before = snapshot(obj)
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.save()
        audited(obj, AuditAction.UPDATE, note, before, task_id=task_id or _task_id(obj))
    return obj


def _task_id(obj) -> int | None:
    return getattr(obj, "task_id", None)
