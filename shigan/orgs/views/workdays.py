"""工作日历: the national holidays and adjusted working days (调休) of a year, and the
coordinator's overrides for his district (add, change, remove with a reason; each audited, the
year's history on the page). Deadlines counted in working days (shigan.orgs.workdays) read it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shigan.core.editing import EditGuard
from shigan.core.history import history_of
from shigan.core.params import year_or_this_year
from shigan.core.workdays import coverage_note, national_days

from ..access import can_manage_workdays
from ..forms import WorkdayOverrideForm, WorkdayRemoveForm
from ..models import WorkdayOverride
from ..scope import district_id_of, get_visible
from ..services.workdays import (
    workday_override_add,
    workday_override_change,
    workday_override_remove,
)

REFUSED = "只有专班可以维护工作日历。"
WHAT = str(WorkdayOverride._meta.verbose_name)
WEEKDAYS = "一二三四五六日"


def _district(request) -> int:
    if not can_manage_workdays(request.user):
        raise PermissionDenied(REFUSED)
    district_id = district_id_of(request.user)
    if district_id is None:
        raise PermissionDenied("您的账号不属于任何区县，无法维护工作日历。")
    return district_id


def _override(request, pk) -> WorkdayOverride:
    district_id = _district(request)
    visible = WorkdayOverride.objects.filter(district_id=district_id, active=True)
    return get_visible(visible, pk, "该工作日调整不存在。")


def _year_url(year: int) -> str:
    return f"{reverse('orgs:workday_list')}?year={year}"


def _refused(form, problem: ValidationError) -> None:
    for message in problem.messages:
        form.add_error(None, message)


def _national(year: int) -> list[dict]:
    return [
        {"date": d, "weekday": WEEKDAYS[d.weekday()], "is_workday": w, "name": name}
        for d, w, name in national_days(year)
    ]


@login_required
def workday_list(request):
    """A year's national holidays and 调休, the district's overrides, the form adding one."""
    district_id = _district(request)
    year = year_or_this_year(request.POST.get("year") or request.GET.get("year"))
    form = WorkdayOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workday_override_add(
                district_id=district_id, day=data["date"], is_workday=data["is_workday"],
                reason=data["reason"], by=request.user,
            )  # fmt: skip
        except ValidationError as problem:
            _refused(form, problem)
        else:
            messages.success(request, f"已添加{data['date']:%Y-%m-%d}的调整。")
            return redirect(_year_url(data["date"].year))
    rows = list(WorkdayOverride.objects.filter(district_id=district_id, date__year=year))
    for row in rows:
        row.weekday = WEEKDAYS[row.date.weekday()]
    context = {
        "year": year,
        "years": [year - 1, year + 1],
        "coverage_note": coverage_note(year),
        "national": _national(year),
        "overrides": [r for r in rows if r.active],
        "form": form,
        "history": history_of(*rows),
        "with_type": False,
    }
    return render(request, "orgs/workday_list.html", context)


@login_required
def workday_edit(request, pk):
    """One override: change its kind and reason, or remove it (with a reason). Both forms carry
    the override's version: a save by someone else since the page was shown refuses this one
    (core.editing.EditGuard)."""
    override = _override(request, pk)
    form = WorkdayOverrideForm(
        request.POST or None,
        with_date=False,
        initial={"is_workday": "1" if override.is_workday else "0", "reason": override.reason},
    )
    guard = EditGuard(form, override, what=WHAT)
    if request.method == "POST" and form.is_valid():
        try:
            changed = guard.save(
                lambda: workday_override_change(
                    override=override, is_workday=form.cleaned_data["is_workday"],
                    reason=form.cleaned_data["reason"], by=request.user,
                )
            )  # fmt: skip
        except ValidationError as problem:
            _refused(form, problem)
        else:
            if changed:
                messages.success(request, f"{override.date:%Y-%m-%d}的调整已保存。")
            else:
                messages.info(request, "未作任何更改。")
            return redirect(_year_url(override.date.year))
    remove_form = WorkdayRemoveForm()
    EditGuard(remove_form, override, what=WHAT)
    return _edit_page(request, override, form, remove_form)


def _edit_page(request, override, form, remove_form):
    context = {
        "override": override,
        "weekday": WEEKDAYS[override.date.weekday()],
        "form": form,
        "remove_form": remove_form,
        "history": history_of(override),
    }
    return render(request, "orgs/workday_edit.html", context)


@login_required
@require_POST
def workday_remove(request, pk):
    """The date follows the national calendar again; the reason is recorded in its history."""
    override = _override(request, pk)
    remove_form = WorkdayRemoveForm(request.POST)
    guard = EditGuard(remove_form, override, what=WHAT)
    if remove_form.is_valid():
        try:
            guard.save(
                lambda: workday_override_remove(
                    override=override, reason=remove_form.cleaned_data["reason"], by=request.user
                )
            )
        except ValidationError as problem:
            _refused(remove_form, problem)
        else:
            messages.success(request, f"已删除{override.date:%Y-%m-%d}的调整，该日按国家日历计算。")
            return redirect(_year_url(override.date.year))
    form = WorkdayOverrideForm(
        with_date=False,
        initial={"is_workday": "1" if override.is_workday else "0", "reason": override.reason},
    )
    EditGuard(form, override, what=WHAT)
    return _edit_page(request, override, form, remove_form)
