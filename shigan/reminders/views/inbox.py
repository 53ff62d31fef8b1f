"""The inbox (站内消息) and each person's 提醒方式."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shigan.orgs.scope import person_of

from .. import channels
from ..access import (
    can_manage_robots,
    get_message_for_user,
)
from ..forms import DeliveryPreferenceForm
from ..queries import (
    inbox_page,
)
from ..queries.delivery import delivery_preference_of
from ..queries.messages import message_lines
from ..services import (
    delivery_preference_save,
    inbox_mark_all_read,
    message_mark_read,
)
from ..services.handdowns import handdown_messages_for


@login_required
@require_GET
def inbox(request):
    handdown_messages_for(request.user)  # hand-downs made or withdrawn: told at once
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
    messages.success(request, f"已将{count}条消息标为已读。" if count else "没有未读消息。")
    return redirect("reminders:inbox")


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
        "manages_robots": can_manage_robots(user),
    }
    return render(request, "reminders/delivery_settings.html", context)
