"""Excel ledgers: template downloads, the upload page, exports of the indicator table and of the
key projects. Dashboards and the monthly form live elsewhere and call queries/services."""

import io
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from shigan.core import clock, jobs, params
from shigan.core.csv_export import csv_filename, csv_response
from shigan.orgs.scope import district_id_of

from ..access import (
    can_manage_indicators,
    can_report_actuals,
    indicators_for_report,
    indicators_visible_to,
    key_projects_visible_to,
)
from ..forms import ImportForm
from ..import_jobs import KIND
from ..models import Indicator, KeyProject
from ..queries import indicator_table, key_projects_annotated, project_rates
from ..xlsx import (
    actuals_template,
    import_workbook,
    indicator_table_workbook,
    key_projects_workbook,
    targets_template,
    workbook_bytes,
)
from ..xlsx.export import indicator_table_csv, key_projects_csv, period_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(wb, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _period(request) -> tuple[int, int]:
    month = params.period_or_this_month(request.GET.get("period"))
    return month.year, month.month


@login_required
@require_GET
def template_targets(request):
    """The annual-targets template, prefilled with every indicator; coordinators only."""
    if not can_manage_indicators(request.user):
        raise PermissionDenied("只有专班可以维护年度目标。")
    year = params.year_or_this_year(request.GET.get("year"))
    wb = targets_template(indicators_visible_to(request.user, Indicator.objects.all()), year)
    return _xlsx_response(wb, f"{year}年指标年度目标导入模板.xlsx", f"targets-{year}.xlsx")


@login_required
@require_GET
def template_actuals(request):
    """The month's actuals template with the indicators the user may report."""
    if not can_report_actuals(request.user):
        raise PermissionDenied("只有专班和单位填报员可以填报完成值。")
    year, month = _period(request)
    wb = actuals_template(indicators_for_report(request.user), year, month)
    filename = f"{year}年{month}月指标完成情况填报表.xlsx"
    return _xlsx_response(wb, filename, f"actuals-{year}-{month:02d}.xlsx")


def _upload_context(request, **extra) -> dict:
    year, month = _period(request)
    return {
        "period_value": f"{year}-{month:02d}",
        "year": year,
        "can_import_targets": can_manage_indicators(request.user),
        **extra,
    }


def _submit(request, data: bytes):
    """A workbook over jobs.THRESHOLD_ROWS rows is imported by a worker; its page shows progress."""
    return jobs.job_submit(
        kind=KIND, by=request.user, data=data, title="导入指标数据", params={},
        district_id=district_id_of(request.user), back_url=reverse("indicators:import_upload"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """Upload a filled-in template; the result lists every error, or what was saved."""
    if not can_report_actuals(request.user):
        raise PermissionDenied("只有专班和单位填报员可以导入数据。")
    form, result = ImportForm(), None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            if jobs.is_large(data):
                return redirect(_submit(request, data))
            result = import_workbook(path_or_file=io.BytesIO(data), by=request.user)
            form = ImportForm()
    context = _upload_context(request, form=form, result=result)
    return render(request, "indicators/import_form.html", context)


def _indicator_table(request):
    """The rows of the month's table (?period=YYYY-MM, ?category=) the user reads."""
    year, month = _period(request)
    indicators = indicators_visible_to(request.user, Indicator.objects.all())
    if category := request.GET.get("category"):
        indicators = indicators.filter(category=category)
    filename = f"{period_text(year, month)}主要指标完成情况表.xlsx"
    return indicator_table(indicators, year, month), year, month, filename


@login_required
@require_GET
def export_indicator_table(request):
    """The indicator table of the month (?period=YYYY-MM) for the indicators the user reads."""
    rows, year, month, filename = _indicator_table(request)
    wb = indicator_table_workbook(rows, year=year, month=month)
    return _xlsx_response(wb, filename, f"indicators-{year}-{month:02d}.xlsx")


@login_required
@require_GET
def export_indicator_table_csv(request):
    """The same table as a CSV."""
    rows, year, month, filename = _indicator_table(request)
    body = indicator_table_csv(rows)
    return csv_response(body, csv_filename(filename), f"indicators-{year}-{month:02d}.csv")


def _key_projects(request):
    """The year's key projects (?year=) the user reads, annotated for the export."""
    year = params.year_or_this_year(request.GET.get("year"))
    projects = key_projects_visible_to(request.user, KeyProject.objects.filter(year=year))
    return year, projects


@login_required
@require_GET
def export_key_projects(request):
    """The year's key projects (?year=) the user reads, with the four rates as of today."""
    (year, projects), as_of = _key_projects(request), clock.today()
    rates = project_rates(projects, as_of)
    rows = list(key_projects_annotated(projects))
    wb = key_projects_workbook(rows, rates, year=year, as_of=as_of)
    return _xlsx_response(wb, f"{year}年重点项目推进情况表.xlsx", f"key-projects-{year}.xlsx")


@login_required
@require_GET
def export_key_projects_csv(request):
    """The same projects and their 合计 as a CSV."""
    year, projects = _key_projects(request)
    body = key_projects_csv(list(key_projects_annotated(projects)))
    return csv_response(body, f"{year}年重点项目推进情况表.csv", f"key-projects-{year}.csv")
