"""下级对比: a level's own figures beside each level directly below it (dashboards.level_rows)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shigan.core.clock import today
from shigan.core.params import date_or_default
from shigan.tasks.status import TaskStatus

from ..access import level_for_user
from ..level_rows import late_page, levels_page


@login_required
@require_GET
def levels(request):
    level = level_for_user(request.user, request.GET.get("level"))
    as_of, as_of_error = date_or_default(request.GET.get("as_of"), today())
    date_param = "" if as_of == today() else as_of.isoformat()
    page = levels_page(request.user, level, as_of, date_param)
    context = {
        "page": page,
        "as_of": as_of,
        "today": today(),
        "as_of_error": as_of_error,
        "statuses": list(TaskStatus),
    }
    return render(request, "dashboards/levels.html", context)


@login_required
@require_GET
def levels_late(request):
    """The units 逾期未报 that 下级对比's total counts (its link), within the same level."""
    level = level_for_user(request.user, request.GET.get("level"))
    as_of, as_of_error = date_or_default(request.GET.get("as_of"), today())
    date_param = "" if as_of == today() else as_of.isoformat()
    context = {
        "page": late_page(request.user, level, as_of, date_param),
        "as_of": as_of,
        "today": today(),
        "as_of_error": as_of_error,
    }
    return render(request, "dashboards/levels_late.html", context)
