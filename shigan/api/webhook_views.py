"""数据推送: a coordinator's subscriptions of his level — the list and creating one (its
secret shown once, on the answer to the form), one subscription's page (edit, delete, its
delivery log with 重发)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .access import can_manage_webhooks, get_delivery_for_user, get_webhook_for_user, webhooks_of
from .webhook_forms import WebhookEditForm, WebhookForm
from .webhook_services import (
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    webhook_create,
    webhook_delete,
    webhook_redeliver,
    webhook_update,
)

LOG_ROWS = 100  # deliveries shown on a subscription's page, newest first


def _delay_text(delay) -> str:
    minutes = int(delay.total_seconds() // 60)
    return f"{minutes // 60}小时" if minutes % 60 == 0 else f"{minutes}分钟"


def _errors_to_form(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request):
    if not can_manage_webhooks(request.user):
        raise PermissionDenied("只有专班可以管理数据推送。")
    posted = request.method == "POST"
    form = WebhookForm(request.POST if posted else None)
    created = secret = None
    if posted and form.is_valid():
        try:
            created, secret = webhook_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            form = WebhookForm()
    context = {
        "form": form,
        "subscriptions": webhooks_of(request.user),
        "created": created,
        "secret": secret,
    }
    return render(request, "api/webhook_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def webhook_detail(request, pk):
    subscription = get_webhook_for_user(request.user, pk)
    initial = {
        "name": subscription.name,
        "url": subscription.url,
        "events": subscription.events,
        "active": subscription.active,
    }
    posted = request.method == "POST"
    form = WebhookEditForm(request.POST if posted else None, initial=initial)
    if posted and form.is_valid():
        try:
            webhook_update(subscription=subscription, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"订阅“{subscription.name}”已保存。")
            return redirect("api:webhook_detail", pk=subscription.pk)
    deliveries = subscription.deliveries.order_by("-created_at", "-id")[:LOG_ROWS]
    context = {
        "subscription": subscription,
        "form": form,
        "deliveries": deliveries,
        "log_rows": LOG_ROWS,
        "max_attempts": MAX_ATTEMPTS,
        "retry_text": "、".join(_delay_text(delay) for delay in RETRY_DELAYS),
    }
    return render(request, "api/webhook_detail.html", context)


@login_required
@require_POST
def webhook_delete_view(request, pk):
    subscription = get_webhook_for_user(request.user, pk)
    name = subscription.name
    webhook_delete(subscription=subscription, by=request.user)
    messages.success(request, f"订阅“{name}”已删除。")
    return redirect("api:webhooks")


REDELIVERED = {
    "sent": "已重发并送达。",
    "retried": "已重发，接收方未成功接收，将按计划重试。",
    "failed": "已重发，接收方未成功接收。",
    "": "该推送正由另一进程发送。",
}


@login_required
@require_POST
def webhook_redeliver_view(request, pk, delivery_pk):
    delivery = get_delivery_for_user(request.user, pk, delivery_pk)
    outcome = webhook_redeliver(delivery=delivery, by=request.user)
    text = f"推送#{delivery.pk}{REDELIVERED[outcome]}"
    (messages.success if outcome == "sent" else messages.warning)(request, text)
    return redirect("api:webhook_detail", pk=pk)
