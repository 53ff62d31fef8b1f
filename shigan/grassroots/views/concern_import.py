"""诉求导入 for coordinators: the hotline's sheet into the current campaign, all or nothing, and
the blank template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from shigan.campaigns.access import campaign_for_user

from ..access import can_record_concerns
from ..concern_xlsx import concerns_import, concerns_template, xlsx_response
from ..forms.concerns import ConcernImportForm


def _campaign(request):
    if not can_record_concerns(request.user):
        raise PermissionDenied("只有专班可以导入诉求。")
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    return campaign


@login_required
def concern_import(request):
    campaign = _campaign(request)
    form = ConcernImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = concerns_import(
            path_or_file=form.cleaned_data["file"], campaign=campaign, by=request.user
        )
        if not result.errors:
            messages.success(request, f"已导入诉求 {len(result.saved)} 件。")
            return redirect("grassroots:concern_list")
        errors = result.errors
    context = {"form": form, "campaign": campaign, "errors": errors}
    return render(request, "grassroots/concern_import.html", context)


@login_required
@require_GET
def concern_template(request):
    campaign = _campaign(request)
    return xlsx_response(concerns_template(campaign), f"{campaign.year}年群众诉求导入表.xlsx")
