"""A correction (更正) through the API as its page makes it: the page's edit form bound to the
body, the page's guarded save (core.editing.EditGuard: the record's row locked, the `version`
the client read compared with the record's newest audit entry, so a save by someone else in
between is refused rather than overwritten), and the service's rules and audit (a reason
required, nothing changed refused)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from ninja import Field, Schema

from shigan.core.editing import EditConflict, EditGuard

from .pageforms import form_data, form_refused, service_refused
from .schemas import Version

VERSION_DESCRIPTION = "编辑版本：更正时回传，其间若有他人修改则拒绝"


class Correction(Schema):
    """What every correction's body adds to the record's fields."""

    reason: str = Field("", max_length=500, description="更正原因（必填，记入历史记录）")
    version: Version


def correction_data(payload: Correction, **extra):
    """The body as the correction page posts it: the version in the guard's hidden field."""
    data = payload.model_copy(update={"version": None})
    return form_data(data, edit_version=payload.version, **extra)


def corrected(form, record, *, what: str, save, fields: dict | None = None):
    """`save()` (the service call) as the page saves it, guarded: the form's refusals, a
    conflict (on `version`) and the service's refusals as 422 problems naming the body's
    fields (`fields` renames a form's or service's key)."""
    guard = EditGuard(form, record, what=what)
    if not form.is_valid():
        raise form_refused(form, fields)
    try:
        return guard.save(save)
    except EditConflict as conflict:
        raise service_refused(conflict, {NON_FIELD_ERRORS: "version"}) from None
    except ValidationError as error:
        raise service_refused(error, fields) from None
