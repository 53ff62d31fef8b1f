"""组织架构导入 for coordinators: upload the organisation workbook, see the preview (what would
be created, updated, left unchanged and removed), tick the removals, confirm; the blank template,
the filled example and the district's organisation in the same layout.

The upload is staged (core.staging) between the preview and the confirmation, so that what is
saved is exactly the file that was previewed; the confirmation plans it again against the
district as it is then and applies it in one transaction."""

import io
import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shigan.core import jobs, staging
from shigan.core.csv_export import csv_response
from shigan.core.files import max_upload_bytes
from shigan.core.xlsx.layout import workbook_bytes

from ..access import can_import_org
from ..import_jobs import KIND as JOB_KIND
from ..models import Unit
from ..scope import district_id_of
from ..xlsx import org_example, org_import_apply, org_import_preview, org_template, org_workbook
from ..xlsx.layout import SHEETS
from ..xlsx.writer import org_csv

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSED = "只有专班可以导入组织架构。"
KIND = "org_import"
REMOVAL_KEY = re.compile(r"(unit|person|oversight|seat):[0-9]{1,18}")
MAX_REMOVALS = 10000
TEMPLATE = "orgs/org_import.html"


def _check(request) -> None:
    if not can_import_org(request.user):
        raise PermissionDenied(REFUSED)


def _xlsx(wb, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _render(
    request, *, result=None, token: str = "", ticked=(), upload_error: str = "", large=False
):
    context = {
        "large": large,
        "threshold": jobs.THRESHOLD_ROWS,
        "result": result,
        "plan": result.plan if result is not None else None,
        "token": token,
        "ticked": set(ticked),
        "upload_error": upload_error,
        "org_sheets": list(SHEETS),
    }
    return render(request, TEMPLATE, context)


@login_required
@require_http_methods(["GET", "POST"])
def org_import(request):
    """GET: the page with the downloads and the upload; POST: the uploaded file's preview."""
    _check(request)
    if request.method == "GET":
        return _render(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _render(request, upload_error="请选择要导入的Excel文件。")
    if upload.size > max_upload_bytes():
        return _render(
            request, upload_error=f"文件超过{max_upload_bytes() // (1024 * 1024)}MB，无法导入。"
        )
    data = upload.read()
    result = org_import_preview(path_or_file=io.BytesIO(data), by=request.user)
    token = staging.stage(request.session, data, kind=KIND) if result.ok else ""
    return _render(request, result=result, token=token, large=bool(token) and jobs.is_large(data))


def _submit(request, data: bytes, remove: set[str]):
    """A workbook over jobs.THRESHOLD_ROWS rows is applied by a worker; its page shows progress."""
    return jobs.job_submit(
        kind=JOB_KIND, by=request.user, data=data, title="导入组织架构",
        params={"remove": sorted(remove)}, district_id=district_id_of(request.user),
        back_url=reverse("orgs:org_import"),
    )  # fmt: skip


@login_required
@require_POST
def org_import_confirm(request):
    """Apply the staged file with the removals ticked on its preview."""
    _check(request)
    token = request.POST.get("token", "")
    staged = staging.staged_bytes(request.session, token, kind=KIND)
    if staged is None:
        return _render(request, upload_error="预览已过期或已导入：请重新上传文件。")
    ticked = request.POST.getlist("remove")[:MAX_REMOVALS]
    remove = {key for key in ticked if REMOVAL_KEY.fullmatch(key)}
    if len(remove) != len(ticked):
        remove.add("invalid:0")
    if jobs.is_large(staged):
        staging.release(request.session, token)
        return redirect(_submit(request, staged, remove))
    result = org_import_apply(path_or_file=io.BytesIO(staged), by=request.user, remove=remove)
    if result.ok:
        staging.release(request.session, token)
        return _render(request, result=result)
    preview = org_import_preview(path_or_file=staging.staged_file(request.session, token, kind=KIND),
                                 by=request.user)  # fmt: skip
    preview.file_errors = result.file_errors + preview.file_errors
    return _render(request, result=preview, token=token if preview.plan else "", ticked=ticked)


@login_required
@require_GET
def org_template_download(request):
    _check(request)
    return _xlsx(org_template(), "组织架构导入模板.xlsx", "org-template.xlsx")


@login_required
@require_GET
def org_example_download(request):
    _check(request)
    district = Unit.objects.filter(pk=district_id_of(request.user)).first()
    return _xlsx(org_example(district), "组织架构填写示例.xlsx", "org-example.xlsx")


@login_required
@require_GET
def org_export(request):
    """The coordinator's district's organisation in the import layout (edit and import back)."""
    _check(request)
    district = Unit.objects.filter(pk=district_id_of(request.user)).first()
    if district is None:
        raise PermissionDenied("您的账号不属于任何区县，无法导出组织架构。")
    return _xlsx(org_workbook(district), f"{district.name}组织架构.xlsx", "org.xlsx")


@login_required
@require_GET
def org_export_csv(request):
    """One sheet of the same workbook (?sheet=单位|人员|分管|领导小组, else 单位) as a CSV."""
    _check(request)
    district = Unit.objects.filter(pk=district_id_of(request.user)).first()
    if district is None:
        raise PermissionDenied("您的账号不属于任何区县，无法导出组织架构。")
    sheet = request.GET.get("sheet")
    sheet = sheet if sheet in SHEETS else next(iter(SHEETS))
    filename = f"{district.name}组织架构-{sheet}.csv"
    return csv_response(org_csv(district, sheet), filename, "org.csv")
