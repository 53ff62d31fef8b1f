"""The unit's monthly report (月度填报): progress on the tasks it leads and the month's figures of
the indicators it is responsible for, one form saved all-or-nothing; a coordinator chooses the
unit and opens past months for late filing (补报)."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from shigan.core import clock
from shigan.core.params import BadValue, id_or_none, parse_period, period_or_none
from shigan.indicators.access import indicators_for_report, key_projects_for_report
from shigan.indicators.queries import indicator_report_rows
from shigan.indicators.services.projects import figures_current
from shigan.orgs.models import Unit
from shigan.orgs.scope import district_units, reportable_unit
from shigan.tasks.access import (
    can_file_monthly_report,
    can_open_report_period,
    get_unit_for_report,
)
from shigan.tasks.evidence import ACCEPTED_LABEL
from shigan.tasks.forms.progress import PeriodOpenForm, posted_task_ids
from shigan.tasks.models import TaskState
from shigan.tasks.queries import reported_this_period, task_rows, unit_tasks_for_report
from shigan.tasks.services.periods import month_label, period_open, period_openings, period_state
from shigan.tasks.services.progress import latest_report_id

from .forms import MonthlyReportForm, ProjectRow, posted_indicator_ids, posted_project_ids
from .services import MonthlyReportFiled, monthly_report_file


def _report_unit(request) -> Unit | None:
    """The unit whose report is filed; None when a coordinator has not chosen one yet."""
    if request.GET.get("unit"):
        unit_id = id_or_none(request.GET["unit"])
        if unit_id is None:
            raise Http404("单位不存在。")
        return get_unit_for_report(request.user, unit_id)
    if not can_file_monthly_report(request.user):
        raise PermissionDenied("只有单位填报员或专班可以填报月报。")
    unit = reportable_unit(request.user)
    return unit


def _report_url(request, unit: Unit, period: datetime.date) -> str:
    params = {"period": f"{period:%Y-%m}"}
    if request.GET.get("unit"):
        params["unit"] = unit.pk
    return f"{reverse('monthly:report')}?{urlencode(params)}"


def _shown_period(raw: str | None, today: datetime.date) -> tuple[datetime.date, str]:
    """The month a GET shows: the one asked for, or this month for a missing, malformed or
    future one, with the notice saying why this month is shown instead."""
    this_month = clock.month_start(today)
    try:
        period = parse_period(raw)
    except BadValue as bad:
        return this_month, f"填报月份{bad}，已显示{month_label(this_month)}。"
    if period is not None and period > this_month:
        return (
            this_month,
            f"不能填报未来月份（{month_label(period)}），已显示{month_label(this_month)}。",
        )
    return period or this_month, ""


def _report_form(request, unit, period, today, data=None, files=None) -> MonthlyReportForm:
    tasks = unit_tasks_for_report(unit.pk).annotate(latest_report_id=latest_report_id())
    rows = task_rows(tasks, today, with_milestones=True)
    period_reports = reported_this_period([row.task.pk for row in rows], period)
    indicators = indicators_for_report(request.user).filter(responsible_unit=unit)
    indicator_rows = indicator_report_rows(indicators, period.year, period.month)
    return MonthlyReportForm(
        rows,
        period_reports,
        today=today,
        period=period,
        indicator_rows=indicator_rows,
        project_rows=_project_rows(request.user, unit, period),
        data=data,
        files=files,
    )


def has_report_items(user, unit: Unit, year: int) -> bool:
    """Whether `unit`'s 月度填报 has anything to fill in: a task it leads in progress, an
    indicator it reports, a key project of `year` (what _report_form lists; at most three
    queries). The entry page (shigan/views.py) lands a reporter with none where his work is."""
    return (
        unit_tasks_for_report(unit.pk).exists()
        or indicators_for_report(user).filter(responsible_unit=unit).exists()
        or key_projects_for_report(user).filter(responsible_unit=unit, year=year).exists()
    )


def _project_rows(user, unit, period) -> list[ProjectRow]:
    """The unit's key projects of the period's year with this month's and last month's figures
    (two queries)."""
    projects = key_projects_for_report(user).filter(responsible_unit=unit, year=period.year)
    projects = list(projects.select_related("enterprise").order_by("sort_order", "id"))
    months = [period.month - 1, period.month]
    known = figures_current([p.pk for p in projects], months) if projects else {}
    return [
        ProjectRow(p, known.get((p.pk, period.month)), known.get((p.pk, period.month - 1)))
        for p in projects
    ]


def _render_report(request, unit, period, form, *, status: int = 200):
    today = clock.today()
    may_open = can_open_report_period(request.user)
    state = period_state(unit, period, today)
    context = {
        "unit": unit,
        "period": period,
        "period_value": f"{period:%Y-%m}",
        "max_month": f"{today:%Y-%m}",
        "form": form,
        "chosen_unit": bool(request.GET.get("unit")),
        "accepted_label": ACCEPTED_LABEL,
        "max_upload_mb": settings.MAX_UPLOAD_MB,
        "period_state": state,
        # A closed month shows no form, unless a submission is shown back with its errors.
        "closed": not state.is_open and request.method != "POST",
        "openings": period_openings(unit),
        "open_form": PeriodOpenForm(initial={"period": f"{period:%Y-%m}"}) if may_open else None,
    }
    return render(request, "monthly/report.html", context, status=status)


def _unit_chooser(request):
    active = Q(led_tasks__state=TaskState.ACTIVE)
    units = (
        district_units(request.user)
        .annotate(
            task_count=Count("led_tasks", filter=active, distinct=True),
            indicator_count=Count("indicators", distinct=True),
            project_count=Count("key_projects", distinct=True),
        )
        .filter(Q(task_count__gt=0) | Q(indicator_count__gt=0) | Q(project_count__gt=0))
        .order_by("sort_order", "id")
    )
    period = period_or_none(request.GET.get("period"))
    context = {"units": units, "period_value": f"{period:%Y-%m}" if period else ""}
    return render(request, "monthly/units.html", context)


def _posted_period(request) -> tuple[datetime.date | None, str]:
    try:
        period = parse_period(request.POST.get("period"))
    except BadValue as bad:
        return None, f"填报月份{bad}"
    return period, "" if period else "未指定填报月份"


def _bad_period(request, unit, problem: str):
    """A report posted with a malformed month: nothing saved, this month's form shown again."""
    today = clock.today()
    form = _report_form(request, unit, clock.month_start(today), today)
    form.errors.append(f"{problem}，请刷新页面后重新填写。")
    return _render_report(request, unit, clock.month_start(today), form, status=400)


def _period_open_post(request, unit):
    if not can_open_report_period(request.user):
        raise PermissionDenied("只有专班可以开放补报月份。")
    form = PeriodOpenForm(request.POST)
    period = clock.month_start(clock.today())
    if form.is_valid():
        period = form.cleaned_data["period"]
        try:
            period_open(
                unit=unit, period=period, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已为{unit.name}开放{month_label(period)}补报。")
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, problem)
    return redirect(_report_url(request, unit, period))


def _monthly_report_post(request, unit):
    if "open-period" in request.POST:
        return _period_open_post(request, unit)
    today = clock.today()
    period, problem = _posted_period(request)
    if period is None:
        return _bad_period(request, unit, problem)
    form = _report_form(request, unit, period, today, request.POST, request.FILES)
    if posted_task_ids(request.POST, request.FILES) - form.task_ids():
        raise Http404("任务不存在或不由本单位牵头。")
    if posted_indicator_ids(request.POST) - form.indicator_ids():
        raise Http404("指标不存在或不由本单位负责。")
    if posted_project_ids(request.POST) - form.project_ids():
        raise Http404("重点项目不存在或不由本单位负责。")
    if form.is_valid():
        try:
            filed = monthly_report_file(
                unit=unit,
                period=period,
                by=request.user,
                entries=form.entries(),
                actuals=form.actual_entries(period),
                figures=form.project_entries(period),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _filed_message(filed, period))
            return redirect(_report_url(request, unit, period))
    return _render_report(request, unit, period, form)


def _filed_message(filed: MonthlyReportFiled, period: datetime.date) -> str:
    month = f"{period.year}年{period.month}月"
    reports, actuals = len(filed.reports), len(filed.actuals)
    projects = f"{len(filed.figures)}个重点项目的{month}数据"
    if not reports and not actuals:
        return f"已提交{projects}。"
    if not actuals:
        text = f"已提交{reports}项任务的{month}进展"
    elif not reports:
        text = f"已提交{actuals}项指标的{month}完成值"
    else:
        text = f"已提交{reports}项任务的{month}进展和{actuals}项指标的完成值"
    return text + (f"，以及{projects}。" if filed.figures else "。")


@login_required
@require_http_methods(["GET", "POST"])
def monthly_report(request):
    unit = _report_unit(request)
    if unit is None:
        return _unit_chooser(request)
    if request.method == "POST":
        return _monthly_report_post(request, unit)
    today = clock.today()
    period, notice = _shown_period(request.GET.get("period"), today)
    if notice:
        messages.warning(request, notice)
    return _render_report(request, unit, period, _report_form(request, unit, period, today))
