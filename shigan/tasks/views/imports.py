"""任务清单导入 for coordinators: upload → preview (what would be created, updated, left unchanged
and left out, or every problem) → 确认导入 saves exactly the previewed file (kept by core.staging
for this session) or 取消; the blank template, the filled example and the export of a campaign's
list in the same layout."""

import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from shigan.campaigns.queries import campaign_current
from shigan.core import clock, jobs
from shigan.core.csv_export import csv_response
from shigan.core.staging import release, stage, staged_bytes
from shigan.core.xlsx.layout import workbook_bytes
from shigan.orgs.scope import district_id_of

from ..access import can_manage_tasks
from ..forms.imports import TaskListConfirmForm, TaskListImportForm
from ..import_jobs import KIND
from ..queries import campaign_choices
from ..xlsx import import_task_list, task_list_example, task_list_template, task_list_workbook
from ..xlsx.exporter import list_title, task_list_csv

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSED = "只有专班可以导入任务清单。"


def _xlsx_response(wb, filename: str, fallback: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def _require_manager(user) -> None:
    if not can_manage_tasks(user):
        raise PermissionDenied(REFUSED)


def _campaigns(request):
    """The campaigns to choose from and the one chosen (?campaign=, else the current one)."""
    campaigns = campaign_choices(request.user)
    return campaigns, campaign_current(request.GET.get("campaign"), among=campaigns)


def _staged_kind(campaign) -> str:
    # The token is bound to the campaign previewed: it cannot confirm into another one.
    return f"task_list:{campaign.pk}"


def _page(request, campaigns, campaign, *, result=None, token="", form=None, large=False):
    initial = {"campaign": campaign.pk} if campaign else {}
    context = {
        "form": form or TaskListImportForm(initial=initial, campaigns=campaigns),
        "result": result,
        "campaign": campaign,
        "token": token,
        "large": large,
        "threshold": jobs.THRESHOLD_ROWS,
    }
    return render(request, "tasks/task_list_import.html", context)


def _back(campaign) -> HttpResponse:
    return redirect(f"{reverse('tasks:task_list_import')}?campaign={campaign.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def task_list_import(request):
    """Upload a task list into a campaign: the answer is its preview — every problem (row,
    column, value), or what would be created, updated, left unchanged and left out — with
    确认导入 when there is something to save. Nothing is written before the confirmation."""
    _require_manager(request.user)
    campaigns, campaign = _campaigns(request)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, campaigns)
    if request.method == "GET" or campaign is None:  # none to import into: the page says so
        return _page(request, campaigns, campaign)
    form = TaskListImportForm(request.POST, request.FILES, campaigns=campaigns)
    if not form.is_valid():
        return _page(request, campaigns, campaign, form=form)
    campaign = form.chosen_campaign()
    data = form.cleaned_data["file"].read()
    result = import_task_list(
        path_or_file=io.BytesIO(data), by=request.user, campaign=campaign, dry_run=True
    )
    token = ""
    if result.preview and result.changed:
        token = stage(request.session, data, kind=_staged_kind(campaign))
    large = bool(token) and jobs.is_large(data)
    return _page(request, campaigns, campaign, result=result, token=token, large=large)


def _submit(request, campaign, data: bytes, *, plan: str):
    """A list over jobs.THRESHOLD_ROWS rows is saved by a worker; its page shows progress."""
    return jobs.job_submit(
        kind=KIND, by=request.user, data=data, title=f"导入任务清单（{campaign}）",
        params={"campaign": campaign.pk, "plan": plan}, district_id=district_id_of(request.user),
        back_url=f"{reverse('tasks:task_list_import')}?campaign={campaign.pk}",
    )  # fmt: skip


def _confirm(request, campaigns):
    """确认导入 (saves the staged file if its preview still holds) or 取消 (forgets it)."""
    form = TaskListConfirmForm(request.POST, campaigns=campaigns)
    if not form.is_valid():
        messages.error(request, "确认信息不完整，未导入任何内容：请重新上传文件。")
        return redirect("tasks:task_list_import")
    campaign, token = form.chosen_campaign(), form.cleaned_data["token"]
    if "cancel" in request.POST:
        release(request.session, token)
        messages.info(request, "已取消导入，未作任何更改。")
        return _back(campaign)
    staged = staged_bytes(request.session, token, kind=_staged_kind(campaign))
    if staged is None:
        messages.error(
            request,
            "这份预览已失效（已确认、已取消或已超过一天），未导入任何内容：请重新上传文件。",
        )
        return _back(campaign)
    if jobs.is_large(staged):
        release(request.session, token)
        return redirect(_submit(request, campaign, staged, plan=form.cleaned_data["plan"]))
    result = import_task_list(path_or_file=io.BytesIO(staged), by=request.user,
                              campaign=campaign, expect=form.cleaned_data["plan"])  # fmt: skip
    if not (result.preview and result.changed):
        release(request.session, token)
        token = ""
    return _page(request, campaigns, campaign, result=result, token=token)


@login_required
@require_GET
def task_list_template_download(request):
    """The blank task-list template for the chosen campaign's year."""
    _require_manager(request.user)
    _, campaign = _campaigns(request)
    year = campaign.year if campaign else clock.today().year
    wb = task_list_template(year)
    return _xlsx_response(wb, f"{year}年任务清单导入模板.xlsx", f"task-list-template-{year}.xlsx")


@login_required
@require_GET
def task_list_example_download(request):
    """The template filled with the seed district's three tasks."""
    _require_manager(request.user)
    _, campaign = _campaigns(request)
    year = campaign.year if campaign else clock.today().year
    wb = task_list_example(year)
    return _xlsx_response(wb, f"{year}年任务清单填写示例.xlsx", f"task-list-example-{year}.xlsx")


@login_required
@require_GET
def task_list_export(request):
    """The chosen campaign's list tasks in the import layout (edit and import back)."""
    _require_manager(request.user)
    _, campaign = _campaigns(request)
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    wb = task_list_workbook(campaign)
    filename = f"{list_title(campaign)}.xlsx"
    return _xlsx_response(wb, filename, f"task-list-{campaign.year}.xlsx")


@login_required
@require_GET
def task_list_export_csv(request):
    """The same list as a CSV."""
    _require_manager(request.user)
    _, campaign = _campaigns(request)
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    filename = f"{list_title(campaign)}.csv"
    return csv_response(task_list_csv(campaign), filename, f"task-list-{campaign.year}.csv")
