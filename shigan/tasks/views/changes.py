"""Change requests: filed from a task's page, decided by a coordinator from his queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shigan.orgs.scope import LOWER_LEVEL_READ_ONLY

from ..access import (
    can_decide_change_request,
    can_decide_change_requests,
    change_requests_visible_to,
    get_task_for_user,
)
from ..forms.changes import ChangeRequestForm, DecisionForm
from ..models import ChangeRequest, ChangeState
from ..services.changes import change_request_create, change_request_decide
from .tasks import render_task_detail

RECENT_DECISIONS = 50


@login_required
@require_POST
def change_request_new(request, pk):
    """File a request; on bad input the task page is shown again with the form's messages."""
    task = get_task_for_user(request.user, pk, write=True)
    form = ChangeRequestForm(request.POST, request.FILES, task=task)
    if form.is_valid():
        try:
            change_request = change_request_create(
                task=task,
                by=request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                proposed_due_date=form.cleaned_data["proposed_due_date"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request, f"“{change_request.get_kind_display()}”申请已提交，等待专班审批。"
            )
            return redirect(task)
    messages.error(request, "申请未提交：请按“申请变更”表单中的提示修改后重新提交。")
    return render_task_detail(request, task, change_form=form)


def _requests():
    return ChangeRequest.objects.select_related(
        "task__lead_unit", "requested_by__person", "decided_by__person"
    ).prefetch_related("evidence")


@login_required
def change_request_list(request):
    """The coordinator's queue: pending requests, oldest first, then recent decisions."""
    if not can_decide_change_requests(request.user):
        raise PermissionDenied("只有专班可以审批变更申请。")
    requests = change_requests_visible_to(request.user, _requests())
    pending = requests.filter(state=ChangeState.PENDING).order_by("requested_at", "id")
    decided = requests.exclude(state=ChangeState.PENDING).order_by("-decided_at", "-id")
    context = {
        "pending": list(pending),
        "decided": list(decided[:RECENT_DECISIONS]),
        "decision_form": DecisionForm(),
    }
    return render(request, "tasks/change_request_list.html", context)


def _back(request, form: DecisionForm, change_request: ChangeRequest):
    target = form.cleaned_data.get("next", "") if hasattr(form, "cleaned_data") else ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(change_request.task)


@login_required
@require_POST
def change_request_decision(request, pk):
    """Approve or return a pending request (coordinators only)."""
    change_request = get_object_or_404(ChangeRequest, pk=pk)
    task = get_task_for_user(request.user, change_request.task_id)
    if not can_decide_change_requests(request.user):
        raise PermissionDenied("只有专班可以审批变更申请。")
    if not can_decide_change_request(request.user, task):
        raise PermissionDenied(LOWER_LEVEL_READ_ONLY)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return _back(request, form, change_request)
    try:
        decided = change_request_decide(
            change_request=change_request,
            by=request.user,
            approve=form.approve,
            note=form.cleaned_data["note"],
        )
    except ValidationError as e:
        for problem in e.messages:
            messages.error(request, problem)
    else:
        verdict = decided.get_state_display()
        messages.success(request, f"“{decided.task}”的{decided.get_kind_display()}申请{verdict}。")
    return _back(request, form, change_request)
