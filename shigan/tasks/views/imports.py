"""任务清单导入 for coordinators: the upload page with its result, the blank template, the filled
example and the export of a campaign's list in the same layout."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from shigan.campaigns.queries import campaign_current
from shigan.core import clock
from shigan.core.xlsx.layout import workbook_bytes

from ..access import can_manage_tasks
from ..forms.imports import TaskListImportForm
from ..queries import campaign_choices
from ..xlsx import import_task_list, task_list_example, task_list_template, task_list_workbook
from ..xlsx.exporter import list_title

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


@login_required
@require_http_methods(["GET", "POST"])
def task_list_import(request):
    """Upload a task list into a campaign; the result lists every problem (row, column, value)
    or what was created, updated, left unchanged, and what the file does not name."""
    _require_manager(request.user)
    campaigns, campaign = _campaigns(request)
    initial = {"campaign": campaign.pk} if campaign else {}
    form, result = TaskListImportForm(initial=initial, campaigns=campaigns), None
    if request.method == "POST":
        form = TaskListImportForm(request.POST, request.FILES, campaigns=campaigns)
        if form.is_valid():
            campaign = form.chosen_campaign()
            upload = form.cleaned_data["file"]
            result = import_task_list(path_or_file=upload, by=request.user, campaign=campaign)
            form = TaskListImportForm(initial={"campaign": campaign.pk}, campaigns=campaigns)
    context = {"form": form, "result": result, "campaign": campaign}
    return render(request, "tasks/task_list_import.html", context)


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
        raise PermissionDenied("还没有活动：请先在基础设置中建立活动。")
    wb = task_list_workbook(campaign)
    filename = f"{list_title(campaign)}.xlsx"
    return _xlsx_response(wb, filename, f"task-list-{campaign.year}.xlsx")
