"""办实事 items (我为群众办实事): the list with each item's status, creating one, its page with
the 回访 (and what 办结销号 still needs)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.tasks.models import Task
from shigan.tasks.queries import status_counts

from ..access import (
    adds_to_campaign,
    can_manage_promises,
    get_promise_for_user,
    promises_visible_to,
    require_own_campaign,
)
from ..forms.promises import FollowUpForm, PromiseForm
from ..queries.promises import promise_rows
from ..services.promises import promise_create, promise_follow_up_record


@login_required
@require_GET
def promise_list(request):
    """The campaign's 办实事 items the user reads, by due date, with status and 回访."""
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    tasks = Task.objects.filter(campaign=campaign) if campaign else Task.objects.none()
    rows = promise_rows(promises_visible_to(request.user, tasks), clock.today())
    context = {
        "campaign": campaign,
        "rows": rows,
        "counts": status_counts([r.row for r in rows]),
        "can_manage": can_manage_promises(request.user)
        and adds_to_campaign(request.user, campaign),
    }
    return render(request, "grassroots/promise_list.html", context)


@login_required
def promise_create_view(request):
    if not can_manage_promises(request.user):
        raise PermissionDenied("只有专班可以录入办实事事项。")
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    if campaign is None:
        raise Http404("暂无活动，请先建立活动。")
    require_own_campaign(request.user, campaign)
    initial = {"start_date": clock.today()}
    form = PromiseForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task = promise_create(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"办实事事项“{task.title}”已录入，按任务跟踪推进。")
            return redirect("grassroots:promise_detail", task.pk)
    context = {"form": form, "campaign": campaign}
    return render(request, "grassroots/promise_form.html", context)


def _render_detail(request, task: Task, form=None):
    row = promise_rows(Task.objects.filter(pk=task.pk), clock.today())[0]
    may_manage = can_manage_promises(request.user)
    if may_manage and form is None:
        follow_up = row.follow_up
        initial = {"on": clock.today()}
        if follow_up is not None:
            initial = {"on": follow_up.on, "result": follow_up.result}
            initial["satisfaction"] = follow_up.satisfaction
        form = FollowUpForm(initial=initial)
    context = {"item": row, "task": task, "form": form if may_manage else None}
    return render(request, "grassroots/promise_detail.html", context)


@login_required
@require_GET
def promise_detail(request, pk):
    return _render_detail(request, get_promise_for_user(request.user, pk))


@login_required
@require_POST
def promise_follow_up(request, pk):
    """Record the item's 回访; on bad input its page again with the messages."""
    task = get_promise_for_user(request.user, pk, write=True)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            promise_follow_up_record(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"已录入“{task.title}”的回访结果。")
            return redirect("grassroots:promise_detail", task.pk)
    return _render_detail(request, task, form)
