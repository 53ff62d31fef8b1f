"""Visits: the list (month, unit, kind), recording one with its photos and the concerns raised
(all or nothing), a visit's page and its photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.core.editing import EditGuard
from shigan.core.history import history_of
from shigan.orgs.workdays import calendar_for

from ..access import (
    can_correct_visit,
    can_record_visits,
    concerns_visible_to,
    get_visit_for_user,
    get_visit_photo_for_user,
    visits_visible_to,
)
from ..forms.visits import ConcernFormSet, VisitEditForm, VisitFilterForm, VisitForm
from ..models import Concern, Visit
from ..queries.concerns import concern_rows
from ..queries.visits import visit_rows, visits_filtered
from ..services.corrections import visit_correct
from ..services.visits import visit_record

PAGE_SIZE = 50


@login_required
@require_GET
def visit_list(request):
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    form = VisitFilterForm(request.GET or None, user=request.user)
    visits = visits_visible_to(request.user, Visit.objects.filter(campaign=campaign))
    visits = visit_rows(visits_filtered(visits, form.values()))
    context = {
        "campaign": campaign,
        "filter_form": form,
        "page": Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page")),
        "may_record": can_record_visits(request.user),
    }
    return render(request, "grassroots/visit_list.html", context)


@login_required
def visit_create(request):
    """A visit with its photos and the concerns raised there, saved all or nothing."""
    if not can_record_visits(request.user):
        raise PermissionDenied("只有专班或单位填报员可以录入走访。")
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = VisitForm(*data, user=request.user, campaign=campaign, initial={"date": clock.today()})
    formset = ConcernFormSet(
        request.POST or None, prefix="concern", form_kwargs={"user": request.user}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = dict(form.cleaned_data)
        concerns = [f.concern_input() for f in formset if f.has_changed() and f.cleaned_data]
        try:
            visit = visit_record(campaign=campaign, by=request.user, concerns=concerns, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"走访已录入，同时登记诉求{len(concerns)}件。")
            return redirect(visit)
    context = {"form": form, "formset": formset, "campaign": campaign}
    return render(request, "grassroots/visit_form.html", context)


@login_required
@require_GET
def visit_detail(request, pk):
    visit = get_visit_for_user(
        request.user,
        pk,
        queryset=Visit.objects.select_related("unit", "place_unit", "campaign", "pairing__cadre"),
    )
    concerns = concerns_visible_to(request.user, Concern.objects.filter(visit=visit))
    calendar = calendar_for(visit.campaign.organiser.district_id)
    context = {
        "visit": visit,
        "cadres": list(visit.cadres.all()),
        "photos": list(visit.photos.all()),
        "concerns": concern_rows(concerns, today=clock.today(), calendar=calendar),
        "history": history_of(visit),
        "may_correct": can_correct_visit(request.user, visit),
    }
    return render(request, "grassroots/visit_detail.html", context)


@login_required
def visit_edit(request, pk):
    """Correct a visit's facts after entry (更正), with a reason; its unit and photos stay."""
    visit = get_visit_for_user(request.user, pk, write=True)
    form = VisitEditForm(request.POST or None, visit=visit, user=request.user)
    guard = EditGuard(form, visit, what="走访")
    if request.method == "POST" and form.is_valid():
        try:
            visit = guard.save(
                lambda: visit_correct(visit=visit, by=request.user, **form.cleaned_data)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "走访已更正，更正原因记入历史记录。")
            return redirect(visit)
    context = {
        "form": form,
        "visit": visit,
        "concern_count": visit.concerns.count(),
        "history": history_of(visit),
    }
    return render(request, "grassroots/visit_edit.html", context)


@login_required
@require_GET
def visit_photo(request, pk):
    return get_visit_photo_for_user(request.user, pk).download()
