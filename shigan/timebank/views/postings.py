"""Entering a service record, the confirmation queue (确认 / 退回), redemptions and reversals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shigan.core import clock
from shigan.core.history import history_of
from shigan.core.models import AuditSource

from ..access import (
    activities_for_entry,
    can_confirm,
    get_account_for_user,
    get_service_for_user,
    get_service_to_resubmit,
    get_transaction_for_user,
    services_visible_to,
)
from ..forms import RedemptionForm, ResubmitForm, ReturnForm, ReversalForm, ServiceForm
from ..models import ServiceRecord, hours_text
from ..queries import pending_services, returned_services
from ..services import (
    redemption_record,
    service_confirm,
    service_enter,
    service_resubmit,
    service_return,
    transaction_reverse,
)


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request, pk):
    account = get_account_for_user(request.user, pk, write=True)
    form = ServiceForm(
        request.POST or None,
        initial={"date": clock.today()},
        activities=activities_for_entry(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            service_enter(
                by=request.user, account=account, source=AuditSource.USER, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已录入{account.name}的服务记录，待他人确认后计入存折。")
            return redirect(account)
    return render(request, "timebank/service_form.html", {"form": form, "account": account})


@login_required
@require_GET
def service_queue(request):
    """The records waiting for confirmation that the user reads; 确认 / 退回 where he may."""
    visible = services_visible_to(request.user, ServiceRecord.objects.all())
    records = list(pending_services(visible))
    for record in records:
        record.confirmable = can_confirm(request.user, record)
    context = {
        "records": records,
        "return_form": ReturnForm(),
        "returned": list(returned_services(visible, entered_by=request.user)),
    }
    return render(request, "timebank/service_queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def service_resubmit_view(request, pk):
    """Correct a returned record and submit it again (待确认): its enterer only."""
    record = get_service_to_resubmit(request.user, pk)
    form = ResubmitForm(
        request.POST or None, record=record, activities=activities_for_entry(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            service_resubmit(by=request.user, record=record, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"已更正并重新提交{record.account.name}的服务记录，待他人确认后计入存折。"
            )
            return redirect(record.account)
    context = {"form": form, "record": record, "history": history_of(record)}
    return render(request, "timebank/service_resubmit.html", context)


@login_required
@require_POST
def service_confirm_view(request, pk):
    record = get_service_for_user(request.user, pk, confirm=True)
    try:
        service_confirm(by=request.user, record=record, source=AuditSource.USER)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"已确认{record.account.name}的{hours_text(record.hours)}小时服务。"
        )
    return redirect("timebank:service_queue")


@login_required
@require_POST
def service_return_view(request, pk):
    record = get_service_for_user(request.user, pk, confirm=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "退回失败：请填写退回原因。")
        return redirect("timebank:service_queue")
    try:
        service_return(by=request.user, record=record, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"已退回{record.account.name}的服务记录。")
    return redirect("timebank:service_queue")


@login_required
@require_http_methods(["GET", "POST"])
def redemption_create(request, pk):
    account = get_account_for_user(request.user, pk, write=True)
    form = RedemptionForm(request.POST or None, initial={"date": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            redemption_record(
                by=request.user, account=account, source=AuditSource.USER, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已为{account.name}兑换{form.cleaned_data['item']}。")
            return redirect(account)
    return render(request, "timebank/redemption_form.html", {"form": form, "account": account})


@login_required
@require_http_methods(["GET", "POST"])
def transaction_reverse_view(request, pk):
    """Reverse a posting (冲正) with a reason; the original stays on the statement."""
    posting = get_transaction_for_user(request.user, pk, write=True)
    form = ReversalForm(request.POST or None, initial={"date": clock.today()})
    entries = posting.entries.select_related("account").order_by("id")
    if request.method == "POST" and form.is_valid():
        try:
            transaction_reverse(by=request.user, posting=posting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已冲正。")
            volunteer = next((e.account for e in entries if e.account.is_volunteer), None)
            return redirect(volunteer or reverse("timebank:account_list"))
    context = {"form": form, "posting": posting, "entries": entries}
    return render(request, "timebank/transaction_reverse.html", context)
