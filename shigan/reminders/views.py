"""The inbox (站内消息), the coordinator's 报送情况 board with 一键催报 and 一键催办, and a
campaign's 提醒规则 and 日程."""

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shigan.campaigns.queries import campaign_current
from shigan.core import clock
from shigan.core.history import history_of
from shigan.core.params import BadValue, parse_period
from shigan.orgs.scope import district_units, person_of
from shigan.tasks.queries import campaign_choices

from . import channels
from .access import (
    can_chase_items,
    can_chase_reports,
    can_manage_robots,
    get_delivery_for_user,
    get_message_for_user,
    get_robot_for_user,
    get_rules_campaign_for_user,
)
from .forms import ChaseForm, DeliveryPreferenceForm, ItemChaseForm, RobotForm, RuleForm
from .models import Channel, DeliveryState, RuleKind
from .queries import (
    FilingBoard,
    chase_batch_sent,
    chase_default_text,
    filing_board,
    inbox_page,
    reporter_accounts,
)
from .queries.delivery import delivery_page, delivery_preference_of, robot_rows
from .queries.items import (
    ITEM_CHASE_TEXT,
    item_chase_batch_sent,
    overdue_item_count,
    overdue_items,
)
from .queries.messages import message_lines
from .queries.schedules import campaign_schedule, rule_settings_history
from .rules import RULE_DEFAULTS, rule_settings
from .services import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    chase_send,
    delivery_preference_save,
    delivery_resend,
    inbox_mark_all_read,
    message_mark_read,
    robot_create,
    robot_delete,
    robot_update,
)
from .services.delivery_setup import mask_secret, mask_webhook
from .services.item_chase import item_chase_send
from .services.rules import rule_settings_save


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
    context = {"message": message, "link_safe": safe, "lines": message_lines(message)}
    return render(request, "reminders/message.html", context)


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
    campaign = context["campaign"]
    if campaign is not None:
        context["overdue_count"] = overdue_item_count(request.user, campaign, clock.today())
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


def _rules_url(campaign) -> str:
    return f"{reverse('reminders:rule_settings')}?campaign={campaign.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def rule_settings_page(request):
    campaign = get_rules_campaign_for_user(request.user, request.GET.get("campaign"))
    if campaign is None:
        return render(request, "reminders/rule_settings.html", {"campaign": None})
    settings = rule_settings(campaign)
    data = request.POST if request.method == "POST" else None
    rule_forms = [RuleForm(data, kind=kind, setting=settings[kind]) for kind in RULE_DEFAULTS]
    errors: list[str] = []
    if data is not None and all([form.is_valid() for form in rule_forms]):
        values = {form.kind: form.values() for form in rule_forms}
        try:
            changed = rule_settings_save(campaign=campaign, by=request.user, values=values)
        except ValidationError as exc:
            errors = exc.messages
        else:
            names = "、".join(RuleKind(r.kind).label for r in changed)
            messages.success(request, f"已保存：{names}。" if changed else "设置没有变化。")
            return redirect(_rules_url(campaign))
    context = {
        "campaign": campaign,
        "campaigns": campaign_choices(request.user),
        "forms": rule_forms,
        "filing_form": next(f for f in rule_forms if f.kind == RuleKind.REPORT_MISSING),
        "errors": errors + [e for f in rule_forms for errs in f.errors.values() for e in errs],
        "schedule": campaign_schedule(request.user, campaign, clock.today()),
        "history": rule_settings_history(campaign),
    }
    return render(request, "reminders/rule_settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def item_chase(request):
    if not can_chase_items(request.user):
        raise PermissionDenied("一键催办仅限专班。")
    campaign = campaign_current(request.GET.get("campaign"), among=campaign_choices(request.user))
    groups = overdue_items(request.user, campaign, clock.today()) if campaign else []
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
    text = f"已催办 {len(reminders)} 项事项，向 {len(reached)} 个单位的 {people} 名填报员发送消息。"
    if len(reached) < len(units):
        text += f"另有 {len(units) - len(reached)} 个单位没有填报员账号，催办只记入事项历史。"
    messages.success(request, text)
    return redirect(here)


@login_required
@require_http_methods(["GET", "POST"])
def delivery_settings(request):
    user = request.user
    preference = delivery_preference_of(user)
    initial = {
        "email": user.email,
        "email_enabled": preference.email if preference else True,
        "robot_mention": preference.robot_mention if preference else True,
        "quiet_start": preference.quiet_start if preference else None,
        "quiet_end": preference.quiet_end if preference else None,
    }
    form = DeliveryPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        delivery_preference_save(
            user=user, email=data["email"], email_enabled=data["email_enabled"],
            robot_mention=data["robot_mention"], quiet_start=data["quiet_start"],
            quiet_end=data["quiet_end"],
        )  # fmt: skip
        messages.success(request, "提醒方式已保存。")
        return redirect("reminders:delivery_settings")
    person = person_of(user)
    phone = person.phone if person else ""
    context = {
        "form": form,
        "email_server": channels.email_enabled(),
        "default_quiet": settings.SHIGAN_QUIET_HOURS,
        "phone": phone,
        "mobile": channels.mobiles([phone]),
    }
    return render(request, "reminders/delivery_settings.html", context)


def _managing(request) -> None:
    if not can_manage_robots(request.user):
        raise PermissionDenied("群机器人和外发记录仅限专班管理。")


@login_required
@require_GET
def robot_list(request):
    _managing(request)
    rows = [(robot, mask_webhook(robot.webhook), mask_secret(robot.secret)) for robot in
            robot_rows(request.user)]  # fmt: skip
    hosts = [h for h in channels.robot_hosts() if "://" not in h]
    return render(request, "reminders/robot_list.html", {"rows": rows, "hosts": hosts})


def _robot_form_page(request, form, *, robot=None):
    context = {"form": form, "robot": robot}
    if robot is not None:
        context["masked_secret"] = mask_secret(robot.secret)
        context["history"] = history_of(robot)
    return render(request, "reminders/robot_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def robot_new(request):
    _managing(request)
    form = RobotForm(request.POST or None, units=district_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        robot = robot_create(
            by=request.user, unit=data["unit"], channel=data["channel"],
            webhook=data["webhook"], secret=form.secret_value(), enabled=data["enabled"],
        )  # fmt: skip
        messages.success(request, f"已添加{robot}。可点“发送测试消息”检查配置。")
        return redirect("reminders:robot_list")
    return _robot_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def robot_edit(request, pk):
    _managing(request)
    robot = get_robot_for_user(request.user, pk)
    units = district_units(request.user)
    form = RobotForm(request.POST or None, units=units, robot=robot)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        robot_update(
            by=request.user, robot=robot, unit=data["unit"], channel=data["channel"],
            webhook=data["webhook"], secret=form.secret_value(), enabled=data["enabled"],
        )  # fmt: skip
        messages.success(request, f"{robot}已保存。")
        return redirect("reminders:robot_list")
    return _robot_form_page(request, form, robot=robot)


@login_required
@require_http_methods(["GET", "POST"])
def robot_remove(request, pk):
    _managing(request)
    robot = get_robot_for_user(request.user, pk)
    if request.method == "POST":
        shown = str(robot)
        robot_delete(by=request.user, robot=robot)
        messages.success(request, f"已删除{shown}。")
        return redirect("reminders:robot_list")
    count = robot.deliveries.count()
    return render(request, "reminders/robot_delete.html", {"robot": robot, "count": count})


@login_required
@require_POST
def robot_test(request, pk):
    """发送测试消息: one message now through the same transport, the robot's answer shown."""
    _managing(request)
    robot = get_robot_for_user(request.user, pk)
    sent_at = timezone.localtime()
    text = f"{robot.unit}的{Channel(robot.channel).label}已接入实干平台。发送时间：{sent_at:%Y-%m-%d %H:%M}"
    try:
        answer = channels.send_robot(
            channel=robot.channel, webhook=robot.webhook, secret=robot.secret,
            title="实干平台测试消息", text=text, mentions=[],
        )  # fmt: skip
    except channels.ChannelError as error:
        messages.error(request, f"{robot}测试消息发送失败：{error.message}")
    else:
        messages.success(request, f"{robot}测试消息已发送，机器人答复：{answer}")
    return redirect("reminders:robot_list")


@login_required
@require_GET
def delivery_list(request):
    _managing(request)
    state = request.GET.get("state", "")
    if state not in DeliveryState.values:
        state = ""
    page = delivery_page(request.user, request.GET.get("page"), state)
    context = {
        "page": page, "state": state, "states": DeliveryState.choices,
        "backoff": "、".join(str(m) for m in BACKOFF_MINUTES), "max_attempts": MAX_ATTEMPTS,
    }  # fmt: skip
    return render(request, "reminders/delivery_list.html", context)


@login_required
@require_POST
def delivery_retry(request, pk):
    """重新发送 a failed delivery: pending again from its first attempt (the next run sends it)."""
    _managing(request)
    delivery = get_delivery_for_user(request.user, pk)
    if delivery.state != DeliveryState.FAILED:
        messages.error(request, f"“{delivery.title}”不是发送失败的记录，无需重新发送。")
    else:
        delivery_resend(by=request.user, delivery=delivery, now=timezone.now())
        messages.success(
            request, f"“{delivery.title}”已重新排队，将在下次定时发送时发出（免打扰时段顺延）。"
        )
    return redirect("reminders:delivery_list")
