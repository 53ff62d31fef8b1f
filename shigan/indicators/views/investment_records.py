"""Investment trips and agreements, created and edited by coordinators with their history, and
an agreement marked landed (落地) in one audited step with its date."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from shigan.campaigns.queries import campaigns_current_first

from ..access import get_agreement_for_user, get_investment_trip_for_user, investment_campaigns
from ..forms.records import AgreementForm, LandForm, TripForm, initial_of
from ..services import agreement_land, agreement_save, trip_save
from .pages import form_page, require_manager

TRIP_FIELDS = ["campaign", "date", "destination", "leader", "contacts"]
AGREEMENT_FIELDS = [
    "campaign", "investor", "project_name", "contract_amount", "signed_on", "funds_in_place",
    "trip",
]  # fmt: skip


def _back(campaign=None) -> str:
    url = reverse("indicators:investment")
    return f"{url}?campaign={campaign.pk}" if campaign else url


def _current_campaign(user):
    return campaigns_current_first(investment_campaigns(user)).first()


def _trip_url(trip) -> str:
    return reverse("indicators:trip_edit", args=[trip.pk])


@login_required
@require_http_methods(["GET", "POST"])
def trip_create(request):
    require_manager(request.user)
    initial = {"campaign": _current_campaign(request.user)}
    form = TripForm(request.POST or None, user=request.user, initial=initial)

    def save(form):
        return _trip_url(trip_save(trip=None, by=request.user, **form.values()))

    return form_page(
        request, form=form, record=None, save=save, done="外出招商记录已新建。",
        back=_back(), title="新建外出招商",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def trip_edit(request, pk):
    trip = get_investment_trip_for_user(request.user, pk, write=True)
    require_manager(request.user)
    form = TripForm(request.POST or None, user=request.user, initial=initial_of(trip, TRIP_FIELDS))

    def save(form):
        trip_save(trip=trip, by=request.user, **form.values())
        return _trip_url(trip)

    return form_page(
        request, form=form, record=trip, save=save, done="外出招商记录已保存。",
        back=_back(trip.campaign), title=f"编辑外出招商：{trip}",
    )  # fmt: skip


def _agreement_url(agreement) -> str:
    return reverse("indicators:agreement_edit", args=[agreement.pk])


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    require_manager(request.user)
    initial = {"campaign": _current_campaign(request.user)}
    form = AgreementForm(request.POST or None, user=request.user, initial=initial)

    def save(form):
        return _agreement_url(agreement_save(agreement=None, by=request.user, **form.values()))

    return form_page(
        request, form=form, record=None, save=save, done="招商协议已新建。", back=_back(),
        title="新建招商协议",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request, pk):
    """An agreement's form and history, with the 标记落地 button while it has not landed."""
    agreement = get_agreement_for_user(request.user, pk, write=True)
    require_manager(request.user)
    initial = initial_of(agreement, AGREEMENT_FIELDS)
    form = AgreementForm(request.POST or None, user=request.user, initial=initial)

    def save(form):
        agreement_save(agreement=agreement, by=request.user, **form.values())
        return _agreement_url(agreement)

    return form_page(
        request, form=form, record=agreement, save=save, done="招商协议已保存。",
        back=_back(agreement.campaign), title=f"编辑招商协议：{agreement}",
        template="indicators/agreement_form.html", agreement=agreement, land_form=LandForm(),
    )  # fmt: skip


@login_required
@require_POST
def agreement_land_view(request, pk):
    """Mark the agreement landed on the posted date (落地日期); errors come back as messages."""
    agreement = get_agreement_for_user(request.user, pk, write=True)
    require_manager(request.user)
    form = LandForm(request.POST)
    if form.is_valid():
        try:
            agreement_land(agreement=agreement, on=form.cleaned_data["landed_on"], by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"“{agreement.project_name}”已标记落地。")
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, problem)
    return redirect(_agreement_url(agreement))
