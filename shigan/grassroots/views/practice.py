"""Practice activities (实践活动): counts by activity, unit and month with the events; naming an
activity; entering an event."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from shigan.campaigns.access import campaign_for_user
from shigan.core.editing import EditGuard

from ..access import (
    adds_to_campaign,
    can_manage_practice_activities,
    can_record_practice_event,
    get_practice_activity_for_user,
    practice_activities_for_entry,
    practice_activities_visible_to,
    practice_event_units,
    practice_events_visible_to,
    require_own_campaign,
    visits_visible_to,
)
from ..forms.practice import PracticeActivityForm, PracticeEventForm
from ..models import PracticeActivity, PracticeEvent, Visit
from ..queries.practice import practice_counts, practice_events_listed
from ..services.practice import (
    practice_activity_create,
    practice_activity_update,
    practice_event_record,
)

PAGE_SIZE = 30


def _campaign_or_404(request):
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    if campaign is None:
        raise Http404("暂无活动，请先建立活动。")
    return campaign


def _render_list(request, campaign, activity_form=None):
    events = PracticeEvent.objects.filter(activity__campaign=campaign)
    events = practice_events_visible_to(request.user, events if campaign else events.none())
    page = Paginator(practice_events_listed(events), PAGE_SIZE).get_page(request.GET.get("page"))
    activities = PracticeActivity.objects.filter(campaign=campaign)
    may_manage = can_manage_practice_activities(request.user) and adds_to_campaign(
        request.user, campaign
    )
    context = {
        "campaign": campaign,
        "counts": practice_counts(events),
        "page": page,
        "activities": practice_activities_visible_to(request.user, activities),
        "can_manage": may_manage,
        "can_record": can_record_practice_event(request.user),
        "activity_form": activity_form or (PracticeActivityForm() if may_manage else None),
    }
    return render(request, "grassroots/practice_list.html", context)


@login_required
@require_GET
def practice_list(request):
    return _render_list(request, campaign_for_user(request.user, request.GET.get("campaign")))


@login_required
@require_POST
def practice_activity_create_view(request):
    if not can_manage_practice_activities(request.user):
        raise PermissionDenied("只有专班可以设置实践活动。")
    campaign = _campaign_or_404(request)
    require_own_campaign(request.user, campaign)
    form = PracticeActivityForm(request.POST)
    if form.is_valid():
        try:
            activity = practice_activity_create(
                campaign=campaign, by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"实践活动“{activity.name}”已添加。")
            return redirect("grassroots:practice_list")
    return _render_list(request, campaign, form)


@login_required
def practice_event_create(request):
    if not can_record_practice_event(request.user):
        raise PermissionDenied("只有专班和单位填报员可以录入实践活动开展情况。")
    campaign = _campaign_or_404(request)
    require_own_campaign(request.user, campaign)
    activities = practice_activities_for_entry(
        request.user, PracticeActivity.objects.filter(campaign=campaign)
    )
    form = PracticeEventForm(
        request.POST or None,
        user=request.user,
        activities=activities,
        units=practice_event_units(request.user),
        visits=visits_visible_to(request.user, Visit.objects.filter(campaign=campaign)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = practice_event_record(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"已录入{event.date}“{event.activity.name}”开展情况。")
            return redirect("grassroots:practice_list")
    return render(request, "grassroots/practice_event_form.html", {"form": form})


@login_required
def practice_activity_edit(request, pk):
    """Rename a practice activity or change its description (coordinators); a save by someone
    else since the form was shown refuses this one (core.editing.EditGuard)."""
    activity = get_practice_activity_for_user(request.user, pk, write=True)
    initial = {"name": activity.name, "description": activity.description}
    form = PracticeActivityForm(request.POST or None, initial=initial)
    guard = EditGuard(form, activity, what=PracticeActivity._meta.verbose_name)
    if request.method == "POST" and form.is_valid():
        try:
            activity = guard.save(
                lambda: practice_activity_update(
                    activity=activity, by=request.user, **form.cleaned_data
                )
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"实践活动“{activity.name}”已保存。")
            return redirect("grassroots:practice_list")
    context = {"form": form, "activity": activity}
    return render(request, "grassroots/practice_activity_form.html", context)
