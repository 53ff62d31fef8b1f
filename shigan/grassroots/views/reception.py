"""The reception rota (信访接待日): the days with held/未开展, adding and editing one, a day's
page with the concerns received there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.core.editing import EditGuard

from ..access import (
    can_manage_reception,
    get_reception_day_for_user,
    reception_concerns_visible_to,
    reception_days_visible_to,
)
from ..forms.reception import ReceptionDayForm
from ..models import ReceptionDay
from ..queries.reception import is_missed, reception_concerns, reception_rows
from ..services.reception import reception_day_save


@login_required
@require_GET
def reception_list(request):
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    days = (
        ReceptionDay.objects.filter(campaign=campaign) if campaign else ReceptionDay.objects.none()
    )
    rows = reception_rows(reception_days_visible_to(request.user, days), clock.today())
    context = {
        "campaign": campaign,
        "rows": rows,
        "missed": sum(r.missed for r in rows),
        "held": sum(r.day.held for r in rows),
        "can_manage": can_manage_reception(request.user),
    }
    return render(request, "grassroots/reception_list.html", context)


def _form_page(request, day: ReceptionDay | None):
    campaign = day.campaign if day else campaign_for_user(request.user, request.GET.get("campaign"))
    if campaign is None:
        raise Http404("暂无活动，请先建立活动。")
    initial = {}
    if day is not None:
        fields = ["date", "leader", "place", "held", "visitors", "note"]
        initial = {name: getattr(day, name) for name in fields}
    form = ReceptionDayForm(request.POST or None, user=request.user, initial=initial)
    # An edit carries the day's version: a save by someone else since the form was shown
    # refuses this one (core.editing.EditGuard).
    guard = EditGuard(form, day, what=ReceptionDay._meta.verbose_name) if day else None
    if request.method == "POST" and form.is_valid():
        record = day

        def save():
            return reception_day_save(
                day=record, campaign=campaign, by=request.user, **form.cleaned_data
            )

        try:
            day = guard.save(save) if guard else save()
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"{day.date} {day.leader.name}接待已保存。")
            return redirect("grassroots:reception_detail", day.pk)
    return render(request, "grassroots/reception_form.html", {"form": form, "day": day})


@login_required
def reception_create(request):
    if not can_manage_reception(request.user):
        raise PermissionDenied("只有专班可以安排信访接待日。")
    return _form_page(request, None)


@login_required
def reception_edit(request, pk):
    return _form_page(request, get_reception_day_for_user(request.user, pk, write=True))


@login_required
@require_GET
def reception_detail(request, pk):
    day = get_reception_day_for_user(
        request.user, pk, queryset=ReceptionDay.objects.select_related("leader", "campaign")
    )
    concerns = reception_concerns_visible_to(request.user, day.concerns.all())
    context = {
        "day": day,
        "missed": is_missed(day, clock.today()),
        "concerns": reception_concerns(concerns),
        "can_manage": can_manage_reception(request.user),
    }
    return render(request, "grassroots/reception_detail.html", context)
