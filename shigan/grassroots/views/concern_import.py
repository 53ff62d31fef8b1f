"""诉求导入 for coordinators: the hotline's sheet into the current campaign, all or nothing, and
the blank template."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from shigan.campaigns.access import campaign_for_user
from shigan.core import jobs
from shigan.orgs.scope import district_id_of

from ..access import can_record_concerns
from ..concern_xlsx import concerns_import, concerns_template, xlsx_response
from ..forms.concerns import ConcernImportForm
from ..import_jobs import KIND


def _campaign(request):
    if not can_record_concerns(request.user):
        raise PermissionDenied("只有专班可以导入诉求。")
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    return campaign


def _submit(request, campaign, data: bytes):
    """A sheet over jobs.THRESHOLD_ROWS rows: imported by a worker; its page shows progress."""
    return jobs.job_submit(
        kind=KIND, by=request.user, data=data, title=f"导入诉求（{campaign}）",
        params={"campaign": campaign.pk}, district_id=district_id_of(request.user),
        back_url=reverse("grassroots:concern_import"),
    )  # fmt: skip


@login_required
def concern_import(request):
    campaign = _campaign(request)
    form = ConcernImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        if jobs.is_large(data):
            return redirect(_submit(request, campaign, data))
        result = concerns_import(path_or_file=io.BytesIO(data), campaign=campaign, by=request.user)
        if not result.errors:
            messages.success(request, f"已导入诉求{len(result.saved)}件。")
            return redirect("grassroots:concern_list")
        errors = result.errors
    context = {"form": form, "campaign": campaign, "errors": errors}
    return render(request, "grassroots/concern_import.html", context)


@login_required
@require_GET
def concern_template(request):
    campaign = _campaign(request)
    return xlsx_response(concerns_template(campaign), f"{campaign.year}年群众诉求导入表.xlsx")
