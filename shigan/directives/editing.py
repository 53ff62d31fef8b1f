"""The no-overwrite rule (core.editing) for a directive edited with its points and attachments
(the 修改文件 page and PUT /api/v1/directives/{id}): its version is the newest audit entry of the
directive, of its points and of its attachments, and the save locks the directive's row."""

from typing import TypeVar

from django.db.models import Max, Q

from shigan.core.editing import EditConflict, EditGuard, conflict_message
from shigan.core.models import AuditAction, AuditEntry

from .models import Directive, DirectiveFile, DirectivePoint

T = TypeVar("T")


def _entries(directive: Directive):
    parts = Q(record_type=Directive._meta.label_lower, record_id=directive.pk)
    for model in (DirectivePoint, DirectiveFile):  # one statement, whatever their number
        ids = model.objects.filter(directive=directive).values("pk")
        parts |= Q(record_type=model._meta.label_lower, record_id__in=ids)
    return AuditEntry.objects.filter(parts).exclude(action=AuditAction.VIEW)


def directive_version(directive: Directive) -> int:
    """The id of the newest audit entry of the directive, its points and attachments (0: none)."""
    return _entries(directive).aggregate(v=Max("id"))["v"] or 0


class DirectiveGuard(EditGuard):
    """core.editing.EditGuard for a directive with its points and attachments."""

    def __init__(self, form, directive: Directive):
        super().__init__(form, directive, what=str(Directive._meta.verbose_name))

    def _current(self) -> str:
        return str(directive_version(self.record))

    def _check(self, seen: int | None) -> None:
        if seen is None:
            return
        newer = _entries(self.record).filter(id__gt=seen)
        newer = list(newer.select_related("actor__person").order_by("id"))
        if newer:
            raise EditConflict(conflict_message(self.what, self.record, newer))
