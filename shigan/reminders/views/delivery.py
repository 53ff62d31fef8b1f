"""群机器人 and 外发记录: the district's robots and its delivery log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shigan.core.history import history_of
from shigan.orgs.scope import district_units

from .. import channels
from ..access import (
    can_manage_robots,
    get_delivery_for_user,
    get_robot_for_user,
)
from ..forms import RobotForm
from ..models import Channel, DeliveryState
from ..queries.delivery import delivery_page, robot_rows
from ..services import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    delivery_resend,
    robot_create,
    robot_delete,
    robot_update,
)
from ..services.delivery_setup import mask_secret, mask_webhook


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
    context = {"rows": rows, "hosts": hosts, "site_url": settings.SHIGAN_SITE_URL}
    return render(request, "reminders/robot_list.html", context)


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
    unit = channels.markdown_text(str(robot.unit))
    text = (
        f"{unit}的{Channel(robot.channel).label}已接入实干平台。发送时间：{sent_at:%Y-%m-%d %H:%M}"
    )
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
        "site_url": settings.SHIGAN_SITE_URL,
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
