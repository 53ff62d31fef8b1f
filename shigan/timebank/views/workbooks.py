"""Importing a village's sheet of service records, and its template."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from shigan.core import jobs
from shigan.orgs.scope import district_id_of

from ..access import activities_for_entry, can_enter_services, units_for_entry
from ..forms import ImportForm
from ..import_jobs import KIND
from ..imports import import_services
from ..xlsx import import_template, xlsx_response


def _require_entry(user) -> None:
    if not can_enter_services(user):
        raise PermissionDenied("只有专班和单位填报员可以导入服务记录。")


def _submit(request, unit, data: bytes):
    """A sheet over jobs.THRESHOLD_ROWS rows is imported by a worker; its page shows progress."""
    return jobs.job_submit(
        kind=KIND, by=request.user, data=data, title=f"导入服务记录（{unit.name}）",
        params={"unit": unit.pk}, district_id=district_id_of(request.user),
        back_url=reverse("timebank:service_import"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def service_import(request):
    """Upload a village's filled-in sheet: every record entered (待确认) or none."""
    _require_entry(request.user)
    units = units_for_entry(request.user)
    form, result = ImportForm(units=units), None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            if jobs.is_large(data):
                return redirect(_submit(request, form.cleaned_data["unit"], data))
            result = import_services(
                path_or_file=io.BytesIO(data),
                unit=form.cleaned_data["unit"],
                by=request.user,
                activities=activities_for_entry(request.user),
            )
    return render(request, "timebank/service_import.html", {"form": form, "result": result})


@login_required
@require_GET
def service_import_template(request):
    _require_entry(request.user)
    return xlsx_response(import_template(), "时间存折服务记录导入表.xlsx", "timebank-import.xlsx")
