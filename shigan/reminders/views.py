"""The inbox (站内消息) and the coordinator's 报送情况 board with 一键催报."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shigan.campaigns.queries import campaign_current
from shigan.core import clock
from shigan.core.params import BadValue, parse_period
from shigan.tasks.queries import campaign_choices

from .access import can_chase_reports, get_message_for_user
from .forms import ChaseForm
from .queries import (
    FilingBoard,
    chase_batch_sent,
    chase_default_text,
    filing_board,
    inbox_page,
    reporter_accounts,
)
from .services import chase_send, inbox_mark_all_read, message_mark_read


@login_required
@require_GET
def inbox(request):
    page = inbox_page(request.user, request.GET.get("page"))
    return render(request, "reminders/inbox.html", {"page": page})


@login_required
@require_GET
def message_open(request, pk):
    message = get_message_for_user(request.user, pk)
    message_mark_read(message=message)
    safe = url_has_allowed_host_and_scheme(message.link, allowed_hosts={request.get_host()})
    return render(request, "reminders/message.html", {"message": message, "link_safe": safe})


@login_required
@require_POST
def inbox_read_all(request):
    count = inbox_mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return redirect("reminders:inbox")


def _period(request) -> tuple[datetime.date, str]:
    this_month = clock.month_start(clock.today())
    raw = request.GET.get("period") or request.POST.get("period")
    try:
        period = parse_period(raw)
    except BadValue as exc:
        return this_month, f"月份{exc}，已显示本月。"
    if period is not None and period > this_month:
        return this_month, f"“{period:%Y-%m}”是未来月份，已显示本月。"
    return period or this_month, ""


def _board(request) -> tuple[FilingBoard | None, dict]:
    if not can_chase_reports(request.user):
        raise PermissionDenied("报送情况和催报仅限专班。")
    period, error = _period(request)
    campaign = campaign_current(request.GET.get("campaign"), among=campaign_choices(request.user))
    context = {"period": period, "period_error": error, "campaign": campaign}
    context["period_value"] = f"{period:%Y-%m}"
    context["previous"] = f"{clock.month_start(period - datetime.timedelta(days=1)):%Y-%m}"
    following = clock.month_start(period + datetime.timedelta(days=31))
    if following <= clock.month_start(clock.today()):
        context["next"] = f"{following:%Y-%m}"
    board = filing_board(request.user, campaign, period) if campaign else None
    context["board"] = board
    return board, context


@login_required
@require_GET
def filing_board_page(request):
    _, context = _board(request)
    return render(request, "reminders/filing_board.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def filing_chase(request):
    board, context = _board(request)
    rows = board.unfiled if board else []
    recipients = reporter_accounts([row.unit for row in rows])
    today = clock.today()
    # Sent "today" by the clock the records carry (the pinned demo day is not the sending's).
    sent_today = timezone.localdate()
    chased_today = [
        row for row in rows if row.chased_on(sent_today) and recipients.get(row.unit.pk)
    ]
    text = chase_default_text(context["period"], board.deadline, today) if board else ""
    initial = {"text": text, "batch": uuid.uuid4().hex}
    form = ChaseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        resubmitted = chase_batch_sent(form.cleaned_data["batch"])
        if chased_today and not form.cleaned_data["again"] and not resubmitted:
            form.add_error("again", "今天已向以下单位催报过；如需再次发送，请勾选“仍再次发送”。")
        else:
            return _send(request, form, context["period"], rows, recipients)
    context.update(
        form=form,
        rows=[(row, recipients.get(row.unit.pk, [])) for row in rows],
        chased_today=chased_today,
        board_url=f"{reverse('reminders:filing_board')}?period={context['period_value']}",
    )
    return render(request, "reminders/filing_chase.html", context)


def _send(request, form, period, rows, recipients):
    targets = {row.unit: recipients.get(row.unit.pk, []) for row in rows}
    if not any(targets.values()):
        messages.error(request, "未报送的单位都没有可用的填报员账号，没有发送催报。")
        return redirect(f"{reverse('reminders:filing_board')}?period={period:%Y-%m}")
    try:
        chases = chase_send(
            by=request.user, period=period, text=form.cleaned_data["text"],
            batch=form.cleaned_data["batch"], recipients=targets,
        )  # fmt: skip
    except IntegrityError:  # the same batch posted twice at once: the other request sent it
        chases = []
    if chases:
        people = sum(c.recipients for c in chases)
        messages.success(request, f"已向 {len(chases)} 个单位的 {people} 名填报员发送催报。")
    else:
        messages.info(request, "这次催报已经发送过（表单重复提交），未再次发送。")
    return redirect(f"{reverse('reminders:filing_board')}?period={period:%Y-%m}")
