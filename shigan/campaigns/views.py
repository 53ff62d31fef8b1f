"""The campaign's pages: the list, the overview (plan, phases, leading group, history) read by
every role, and the set-up pages of a coordinator — the campaign itself, its plan sections and
its phases (task categories are the tasks app's pages)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from shigan.core import clock
from shigan.core.editing import EditGuard
from shigan.core.history import history_of
from shigan.core.params import id_or_none

from .access import (
    campaigns_visible_to,
    can_create_campaigns,
    can_manage_campaign,
    can_read_campaigns,
    get_campaign_for_user,
)
from .forms import CampaignForm, PhaseForm, PlanSectionForm, add_service_errors
from .models import Campaign, Phase, PlanSection, PlanSectionKind
from .queries import campaigns_current_first, campaigns_with_overview
from .services import (
    campaign_create,
    campaign_update,
    phase_create,
    phase_delete,
    phase_update,
    plan_section_create,
    plan_section_delete,
    plan_section_update,
)

FORM_PAGE = "campaigns/campaign_form.html"
CAMPAIGN_FIELDS = ["year", "name", "slogan", "organiser", "leading_group", "start_date", "end_date"]


@login_required
@require_GET
def campaign_list(request):
    if not can_read_campaigns(request.user):
        raise PermissionDenied("无权查看活动。")
    campaigns = list(
        campaigns_current_first(campaigns_visible_to(request.user, Campaign.objects.all()))
    )
    may_create = can_create_campaigns(request.user)
    if len(campaigns) == 1 and not may_create:
        return redirect("campaigns:campaign_detail", pk=campaigns[0].pk)
    context = {"campaigns": campaigns, "may_create": may_create}
    return render(request, "campaigns/campaign_list.html", context)


@login_required
@require_GET
def campaign_detail(request, pk):
    """The campaign's plan (实施方案), phases, leading group and history; readable by every role,
    with the set-up links for a coordinator who manages it."""
    campaign = get_campaign_for_user(request.user, pk, queryset=campaigns_with_overview())
    order = {kind.value: i for i, kind in enumerate(PlanSectionKind)}
    sections = sorted(campaign.plan_sections.all(), key=lambda s: order[s.kind])
    phases = sorted(campaign.phases.all(), key=lambda p: (p.start_date, p.pk))
    context = {
        "campaign": campaign,
        "sections": sections,
        "phases": phases,
        "may_manage": can_manage_campaign(request.user, campaign),
        "missing_kinds": [k for k in PlanSectionKind if k.value not in {s.kind for s in sections}],
        "history": history_of(campaign, *sections, *phases),
        "with_type": True,
    }
    return render(request, "campaigns/campaign_detail.html", context)


def _form_page(request, form, *, title: str, cancel: str, history=None, parent=None):
    context = {"form": form, "title": title, "cancel": cancel, "history": history}
    return render(request, FORM_PAGE, context | {"campaign": parent})


def _new_campaign_initial() -> dict:
    """A new campaign starts as this year's (SHIGAN_TODAY honoured): 年度 and 1 January–31
    December of it, each changeable."""
    year = clock.today().year
    return {
        "year": year,
        "start_date": datetime.date(year, 1, 1),
        "end_date": datetime.date(year, 12, 31),
    }


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    if not can_create_campaigns(request.user):
        raise PermissionDenied("只有专班可以新建活动。")
    form = CampaignForm(request.POST or None, user=request.user, initial=_new_campaign_initial())
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(by=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"活动“{campaign}”已新建。")
            return redirect("campaigns:campaign_detail", pk=campaign.pk)
    return _form_page(request, form, title="新建活动", cancel=reverse("campaigns:campaign_list"))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    queryset = Campaign.objects.select_related("organiser")
    campaign = get_campaign_for_user(request.user, pk, queryset=queryset, write=True)
    initial = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    guard = EditGuard(form, campaign, what="活动")
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.service_fields()
            guard.save(lambda: campaign_update(campaign=campaign, by=request.user, **fields))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "活动信息已保存。")
            return redirect("campaigns:campaign_detail", pk=campaign.pk)
    detail = reverse("campaigns:campaign_detail", args=[campaign.pk])
    return _form_page(
        request,
        form,
        title=f"修改活动：{campaign}",
        cancel=detail,
        history=history_of(campaign),
        parent=campaign,
    )


def _managed(request, campaign_id) -> Campaign:
    queryset = Campaign.objects.select_related("organiser")
    return get_campaign_for_user(request.user, campaign_id, queryset=queryset, write=True)


def _part(request, model, pk, missing: str):
    """A plan section or phase whose campaign the user manages: 404 when it does not exist or
    its campaign is outside his scope, 403 when he may only read it."""
    part = model.objects.filter(pk=id_or_none(pk)).first()
    if part is None:
        raise Http404(missing)
    return part, _managed(request, part.campaign_id)


def _saved(request, campaign: Campaign, text: str):
    messages.success(request, text)
    return redirect(reverse("campaigns:campaign_detail", args=[campaign.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def section_new(request, pk):
    campaign = _managed(request, pk)
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") else None
    form = PlanSectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            section = plan_section_create(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, campaign, f"实施方案“{section.get_kind_display()}”已保存。")
    cancel = reverse("campaigns:campaign_detail", args=[campaign.pk])
    return _form_page(request, form, title="添加实施方案章节", cancel=cancel, parent=campaign)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk):
    section, campaign = _part(request, PlanSection, pk, "实施方案章节不存在。")
    form = PlanSectionForm(request.POST or None, initial={"body": section.body}, editing=True)
    guard = EditGuard(form, section, what="实施方案章节")
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            guard.save(lambda: plan_section_update(section=section, by=request.user, **data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, campaign, f"实施方案“{section.get_kind_display()}”已保存。")
    return _form_page(
        request,
        form,
        title=f"修改实施方案：{section.get_kind_display()}",
        cancel=reverse("campaigns:campaign_detail", args=[campaign.pk]),
        history=history_of(section),
        parent=campaign,
    )


def _confirm_delete(request, campaign: Campaign, *, what: str, shown: str, delete):
    """GET: the confirmation page; POST: delete and go back to the campaign."""
    if request.method == "POST":
        delete()
        return _saved(request, campaign, f"已删除{what}“{shown}”。")
    context = {
        "campaign": campaign,
        "what": what,
        "shown": shown,
        "cancel": reverse("campaigns:campaign_detail", args=[campaign.pk]),
    }
    return render(request, "campaigns/confirm_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def section_delete(request, pk):
    section, campaign = _part(request, PlanSection, pk, "实施方案章节不存在。")
    return _confirm_delete(
        request,
        campaign,
        what="实施方案章节",
        shown=section.get_kind_display(),
        delete=lambda: plan_section_delete(section=section, by=request.user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_new(request, pk):
    campaign = _managed(request, pk)
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phase = phase_create(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, campaign, f"活动阶段“{phase.name}”已保存。")
    cancel = reverse("campaigns:campaign_detail", args=[campaign.pk])
    return _form_page(request, form, title="添加活动阶段", cancel=cancel, parent=campaign)


@login_required
@require_http_methods(["GET", "POST"])
def phase_edit(request, pk):
    phase, campaign = _part(request, Phase, pk, "活动阶段不存在。")
    initial = {"name": phase.name, "start_date": phase.start_date, "end_date": phase.end_date}
    form = PhaseForm(request.POST or None, initial=initial)
    guard = EditGuard(form, phase, what="活动阶段")
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            phase = guard.save(lambda: phase_update(phase=phase, by=request.user, **data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, campaign, f"活动阶段“{phase.name}”已保存。")
    return _form_page(
        request,
        form,
        title=f"修改活动阶段：{phase.name}",
        cancel=reverse("campaigns:campaign_detail", args=[campaign.pk]),
        history=history_of(phase),
        parent=campaign,
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_delete_page(request, pk):
    phase, campaign = _part(request, Phase, pk, "活动阶段不存在。")
    return _confirm_delete(
        request,
        campaign,
        what="活动阶段",
        shown=phase.name,
        delete=lambda: phase_delete(phase=phase, by=request.user),
    )
