"""Concerns and disputes: the list (filters, statuses, masked numbers), recording one, its page
(steps, the visit's photos, history), the next step, 查看完整号码 (recorded) and the export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.core.csv_export import csv_response
from shigan.core.editing import EditGuard
from shigan.core.history import history_of
from shigan.core.masking import mask_id_number, mask_phone
from shigan.orgs.workdays import calendar_for

from .. import steps
from ..access import (
    can_correct_concern,
    can_handle_concern,
    can_record_concerns,
    concerns_visible_to,
    get_concern_for_user,
    get_concern_to_correct,
)
from ..concern_xlsx import concerns_csv, concerns_workbook, xlsx_response
from ..forms.concerns import ConcernEditForm, ConcernFilterForm, ConcernForm, ConcernStepForm
from ..models import Concern
from ..queries.concerns import (
    concern_page_facts,
    concern_rows,
    concern_status_counts,
    concerns_filtered,
)
from ..services.concerns import concern_contact_view, concern_create, concern_step
from ..services.corrections import concern_correct

PAGE_SIZE = 50


def _listed(request):
    """The campaign, its filtered concerns the user reads, the filter form, today's calendar."""
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    form = ConcernFilterForm(request.GET or None, user=request.user)
    today = clock.today()
    calendar = calendar_for(campaign.organiser.district_id if campaign else None)
    concerns = concerns_visible_to(request.user, Concern.objects.filter(campaign=campaign))
    filtered = concerns_filtered(concerns, form.values(), today=today, calendar=calendar)
    return campaign, form, concerns, filtered, today, calendar


@login_required
@require_GET
def concern_list(request):
    campaign, form, concerns, filtered, today, calendar = _listed(request)
    page = Paginator(filtered.order_by("-received_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "campaign": campaign,
        "filter_form": form,
        "page": page,
        "rows": concern_rows(page.object_list, today=today, calendar=calendar),
        "counts": concern_status_counts(concerns, today=today, calendar=calendar),
        "may_record": can_record_concerns(request.user),
    }
    return render(request, "grassroots/concern_list.html", context)


def _exported(request):
    """The campaign and the filtered list's rows, oldest first, as the exports write them."""
    campaign, _, _, filtered, today, calendar = _listed(request)
    if campaign is None:
        raise PermissionDenied("还没有活动。")
    rows = concern_rows(filtered.order_by("received_on", "id"), today=today, calendar=calendar)
    return campaign, rows


@login_required
@require_GET
def concern_export(request):
    """The filtered list as a workbook, numbers masked."""
    campaign, rows = _exported(request)
    return xlsx_response(concerns_workbook(campaign, rows), f"{campaign.year}年群众诉求台账.xlsx")


@login_required
@require_GET
def concern_export_csv(request):
    """The filtered list as a CSV, numbers masked."""
    campaign, rows = _exported(request)
    filename = f"{campaign.year}年群众诉求台账.csv"
    return csv_response(concerns_csv(rows), filename, "concerns.csv")


@login_required
def concern_create_view(request):
    if not can_record_concerns(request.user):
        raise PermissionDenied("只有专班可以登记诉求。")
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    form = ConcernForm(request.POST or None, user=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concern = concern_create(
                campaign=campaign, item=form.concern_input(), by=request.user,
                source=data["source"], received_on=data["received_on"],
                reception_day=data["reception_day"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"诉求 {concern.number} 已登记，办理时限{concern.due_on}。")
            return redirect(concern)
    return render(request, "grassroots/concern_form.html", {"form": form, "campaign": campaign})


def _queryset():
    return Concern.objects.select_related(
        "campaign__organiser", "category", "assigned_unit", "visit__unit", "reception_day__leader"
    )


def _concern(user, pk, *, write=False) -> Concern:
    return get_concern_for_user(user, pk, write=write, queryset=_queryset())


def _detail(request, concern, *, step_form=None, contact=False):
    actions, photos = concern_page_facts(concern)
    calendar = calendar_for(concern.campaign.organiser.district_id)
    may_handle = can_handle_concern(request.user, concern)
    next_step = steps.next_step(concern.step)
    if step_form is None and may_handle and next_step:
        initial = {"step": next_step, "on": clock.today()}
        step_form = ConcernStepForm(initial=initial, user=request.user, next_step=next_step)
    context = {
        "concern": concern,
        "status": steps.concern_status(
            due_on=concern.due_on,
            closed_on=concern.closed_on,
            today=clock.today(),
            calendar=calendar,
        ),  # fmt: skip
        "limit_days": calendar.workdays_between(concern.received_on, concern.due_on),
        "actions": actions,
        "photos": photos,
        "history": history_of(concern),
        "may_handle": may_handle,
        "step_form": step_form if may_handle and next_step else None,
        "next_step": next_step,
        "phone": concern.requester_phone if contact else mask_phone(concern.requester_phone),
        "id_number": concern.requester_id_number
        if contact
        else mask_id_number(concern.requester_id_number),
        "contact_shown": contact,
        "may_correct": can_correct_concern(request.user, concern),
    }
    return render(request, "grassroots/concern_detail.html", context)


@login_required
@require_GET
def concern_detail(request, pk):
    return _detail(request, _concern(request.user, pk))


@login_required
@require_POST
def concern_contact(request, pk):
    """查看完整号码: the requester's full phone and ID number, for those handling the concern;
    each showing is recorded in the history."""
    concern = _concern(request.user, pk, write=True)
    concern_contact_view(concern=concern, by=request.user)
    return _detail(request, concern, contact=True)


@login_required
@require_POST
def concern_step_view(request, pk):
    concern = _concern(request.user, pk, write=True)
    next_step = steps.next_step(concern.step)
    form = ConcernStepForm(request.POST, user=request.user, next_step=next_step)
    if form.is_valid():
        try:
            concern_step(concern=concern, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"已记录“{steps.ConcernStep(form.cleaned_data['step']).label}”。"
            )
            return redirect(concern)
    return _detail(request, concern, step_form=form)


@login_required
def concern_edit(request, pk):
    """Correct a concern's facts after entry (更正), with a reason; steps taken stay, a new
    category recomputes the due date."""
    concern = get_concern_to_correct(request.user, pk, queryset=_queryset())
    form = ConcernEditForm(request.POST or None, concern=concern, user=request.user)
    guard = EditGuard(form, concern, what="诉求")
    if request.method == "POST" and form.is_valid():
        due_before = concern.due_on
        try:
            concern = guard.save(
                lambda: concern_correct(concern=concern, by=request.user, **form.correction())
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = f"诉求 {concern.number} 已更正，更正原因记入历史记录。"
            if concern.due_on != due_before:
                message += f"办理时限按新类别重新计算为{concern.due_on}。"
            messages.success(request, message)
            return redirect(concern)
    context = {"form": form, "concern": concern, "history": history_of(concern)}
    return render(request, "grassroots/concern_edit.html", context)
