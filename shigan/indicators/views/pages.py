"""The one shape of every set-up page of the indicators app: a form, its record's history
(core.history) and, on POST, one audited service call whose ValidationError goes back onto the
form, never a 500."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from shigan.core.editing import EditGuard
from shigan.core.history import history_of

from ..access import can_manage_indicators

TEMPLATE = "indicators/record_form.html"
READ_ONLY = "只有专班可以维护指标、重点项目和招商引资记录。"


def require_manager(user) -> None:
    if not can_manage_indicators(user):
        raise PermissionDenied(READ_ONLY)


def form_page(
    request, *, form, record, save, done: str, back: str, title: str,
    template: str = TEMPLATE, **extra,
):  # fmt: skip
    """GET: the form. POST (a bound form): `save(form)` when valid — it returns the URL to go to
    — then the message `done`; otherwise the form with its errors (the service's included).
    `record` (None when creating) gives the history; editing it, a save by someone else since
    the form was shown refuses this one (core.editing)."""
    guard = None if record is None else EditGuard(form, record, what=record._meta.verbose_name)
    if request.method == "POST" and form.is_valid():
        try:
            url = save(form) if guard is None else guard.save(lambda: save(form))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect(url)
    context = {
        "form": form,
        "record": record,
        "title": title,
        "back": back,
        "history": history_of(record) if record is not None else None,
        **extra,
    }
    return render(request, template, context)
