"""The coordinator's 报送情况 board with 一键催报, and 一键催办 for overdue items."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shigan.campaigns.queries import campaign_current
from shigan.core import clock
from shigan.core.params import BadValue, parse_period
from shigan.tasks.queries import campaign_choices

from ..access import (
    LOWER_LEVEL_CHASE,
    can_chase_items,
    can_chase_reports,
    can_edit_reminder_rules,
    chase_targets_split,
    get_handdown_to_chase,
    require_chase_targets,
)
from ..forms import ChaseForm, HandDownChaseForm, ItemChaseForm
from ..queries import (
    FilingBoard,
    chase_batch_sent,
    chase_default_text,
    filing_board,
    reported_period_default,
    reporter_accounts,
)
from ..queries.items import (
    ITEM_CHASE_TEXT,
    item_chase_batch_sent,
    overdue_item_count,
    overdue_items,
)
from ..services import (
    chase_send,
)
from ..services.handdowns import handdown_chase_send
from ..services.item_chase import item_chase_send


def _period(request, campaign) -> tuple[datetime.date, str]:
    this_month = clock.month_start(clock.today())
    default = reported_period_default(campaign)
    raw = request.GET.get("period") or request.POST.get("period")
    try:
        period = parse_period(raw)
    except BadValue as exc:
        return default, f"月份{exc}，已显示{default.year}年{default.month}月。"
    if period is not None and period > this_month:
        return default, f"“{period:%Y-%m}”是未来月份，已显示{default.year}年{default.month}月。"
    return period or default, ""


def _board(request) -> tuple[FilingBoard | None, dict]:
    if not can_chase_reports(request.user):
        raise PermissionDenied("报送情况和催报仅限专班。")
    campaign = campaign_current(request.GET.get("campaign"), among=campaign_choices(request.user))
    period, error = _period(request, campaign)
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
    board, context = _board(request)
    campaign = context["campaign"]
    if campaign is not None:
        # Offer only what is allowed: 催报/催办 are the own level's (a county's coordinator
        # reading a district's board chases its 专班 through the hand-down instead).
        unfiled = [row.unit for row in board.unfiled]
        context["chase_units"], lower = chase_targets_split(request.user, unfiled)
        own_campaign, _ = chase_targets_split(request.user, [campaign.organiser])
        if own_campaign:
            context["overdue_count"] = overdue_item_count(request.user, campaign, clock.today())
        context["lower_level_note"] = LOWER_LEVEL_CHASE if lower or not own_campaign else ""
        context["may_edit_rules"] = can_edit_reminder_rules(request.user, campaign)
    return render(request, "reminders/filing_board.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def filing_chase(request):
    board, context = _board(request)
    rows = board.unfiled if board else []
    own = {u.pk for u in require_chase_targets(request.user, [row.unit for row in rows])}
    context["lower_units"] = [row.unit for row in rows if row.unit.pk not in own]
    rows = [row for row in rows if row.unit.pk in own]
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
        messages.success(request, f"已向{len(chases)}个单位的{people}名填报员发送催报。")
    else:
        messages.info(request, "这次催报已经发送过（表单重复提交），未再次发送。")
    return redirect(f"{reverse('reminders:filing_board')}?period={period:%Y-%m}")


@login_required
@require_http_methods(["GET", "POST"])
def item_chase(request):
    if not can_chase_items(request.user):
        raise PermissionDenied("一键催办仅限专班。")
    campaign = campaign_current(request.GET.get("campaign"), among=campaign_choices(request.user))
    groups = overdue_items(request.user, campaign, clock.today()) if campaign else []
    own = {u.pk for u in require_chase_targets(request.user, [g.unit for g in groups])}
    lower_units = [g.unit for g in groups if g.unit.pk not in own]
    groups = [g for g in groups if g.unit.pk in own]
    chosen = {item.task.pk: item for group in groups for item in group.items}
    initial = {"items": list(chosen), "text": ITEM_CHASE_TEXT, "batch": uuid.uuid4().hex}
    data = request.POST if request.method == "POST" else None
    form = ItemChaseForm(data, item_ids=list(chosen), initial=initial)
    sent_today = timezone.localdate()  # the records' own clock, as for 催报
    if data is not None and form.is_valid():
        picked = [chosen[pk] for pk in form.cleaned_data["items"]]
        again = [i for i in picked if i.chases.on(sent_today)]
        if (
            again
            and not form.cleaned_data["again"]
            and not item_chase_batch_sent(form.cleaned_data["batch"])
        ):
            form.add_error("again", "今天已催办过其中的事项；如需再次催办，请勾选“仍再次催办”。")
        else:
            return _send_item_chase(request, form, campaign, picked, groups)
    context = {
        "campaign": campaign,
        "groups": groups,
        "form": form,
        "checked": {str(pk) for pk in (form["items"].value() or [])},
        "chased_today": [i for i in chosen.values() if i.chases.on(sent_today)],
        "board_url": reverse("reminders:filing_board"),
        "lower_units": lower_units,
    }
    return render(request, "reminders/item_chase.html", context)


def _send_item_chase(request, form, campaign, picked, groups):
    here = f"{reverse('reminders:item_chase')}?campaign={campaign.pk}"
    try:
        reminders = item_chase_send(
            by=request.user, items=[i.task for i in picked], text=form.cleaned_data["text"],
            batch=form.cleaned_data["batch"],
        )  # fmt: skip
    except IntegrityError:  # the same batch posted twice at once: the other request sent it
        reminders = []
    if not reminders:
        messages.info(request, "这次催办已经发送过（表单重复提交），未再次发送。")
        return redirect(here)
    units = {i.task.lead_unit_id for i in picked}
    reached = [g for g in groups if g.unit.pk in units and g.recipients]
    people = sum(len(g.recipients) for g in reached)
    text = f"已催办{len(reminders)}项事项，向{len(reached)}个单位的{people}名填报员发送消息。"
    if len(reached) < len(units):
        text += f"另有{len(units) - len(reached)}个单位没有填报员账号，催办只记入事项历史。"
    messages.success(request, text)
    return redirect(here)


@login_required
@require_POST
def handdown_chase(request, pk):
    """催办 a hand-down of the user's level (waiting or accepted): a message to the receiving
    district's 专班, never to its units; back to the upper task's 下级落实情况."""
    handdown = get_handdown_to_chase(request.user, pk)
    form = HandDownChaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["text"][0])
    else:
        text = form.cleaned_data["text"]
        sent = handdown_chase_send(by=request.user, handdown=handdown, text=text)
        if sent:
            messages.success(request, f"已向{handdown.unit.name}专班的{len(sent)}人发送催办。")
        else:
            messages.warning(
                request, f"{handdown.unit.name}没有可用的专班账号，催办只记入任务历史。"
            )
    return redirect("directives:upper_task", handdown.upper_task_id)
