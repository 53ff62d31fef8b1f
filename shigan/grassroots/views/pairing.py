"""Pairings (结对帮扶 / 联系基层): the list with each one's last visit and the 90-day flag,
creating one, its page with the visits made under it."""

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
    adds_to_campaign,
    can_manage_pairings,
    get_pairing_for_user,
    pairings_visible_to,
    require_own_campaign,
    visits_readable_by,
)
from ..forms.pairing import PairingEditForm, PairingForm
from ..models import Pairing, Visit
from ..queries.pairing import STALE_DAYS, pairing_detail, pairing_rows
from ..services.pairing import pairing_create, pairing_update


@login_required
@require_GET
def pairing_list(request):
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    pairings = Pairing.objects.filter(campaign=campaign) if campaign else Pairing.objects.none()
    rows = pairing_rows(pairings_visible_to(request.user, pairings), clock.today())
    context = {
        "campaign": campaign,
        "rows": rows,
        "stale": sum(r.stale for r in rows),
        "stale_days": STALE_DAYS,
        "can_manage": can_manage_pairings(request.user)
        and adds_to_campaign(request.user, campaign),
    }
    return render(request, "grassroots/pairing_list.html", context)


@login_required
def pairing_create_view(request):
    if not can_manage_pairings(request.user):
        raise PermissionDenied("只有专班可以安排结对帮扶。")
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    if campaign is None:
        raise Http404("暂无活动，请先建立活动。")
    require_own_campaign(request.user, campaign)
    form = PairingForm(
        request.POST or None, user=request.user, initial={"started_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            pairing = pairing_create(campaign=campaign, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"结对“{pairing}”已保存。")
            return redirect("grassroots:pairing_detail", pairing.pk)
    return render(request, "grassroots/pairing_form.html", {"form": form})


@login_required
@require_GET
def pairing_detail_view(request, pk):
    pairing = get_pairing_for_user(request.user, pk)
    visible = pairings_visible_to(request.user, Pairing.objects.all())
    readable = visits_readable_by(request.user, Visit.objects.all())
    row = pairing_detail(visible, pairing.pk, clock.today(), readable=readable)
    listed = row.pairing.visits.all()
    context = {
        "row": row,
        "pairing": row.pairing,
        "visits": listed,
        "unlisted": row.visits - len(listed),
        "stale_days": STALE_DAYS,
        "can_manage": can_manage_pairings(request.user),
    }
    return render(request, "grassroots/pairing_detail.html", context)


@login_required
def pairing_edit(request, pk):
    """Rename the target, change the help planned or end the pairing (coordinators); a save by
    someone else since the form was shown refuses this one (core.editing.EditGuard)."""
    pairing = get_pairing_for_user(request.user, pk, write=True)
    initial = {"target_name": pairing.target_name, "note": pairing.note}
    initial["ended_on"] = pairing.ended_on
    form = PairingEditForm(request.POST or None, initial=initial)
    guard = EditGuard(form, pairing, what=Pairing._meta.verbose_name)
    if request.method == "POST" and form.is_valid():
        try:
            pairing = guard.save(
                lambda: pairing_update(pairing=pairing, by=request.user, **form.cleaned_data)
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"结对“{pairing}”已保存。")
            return redirect("grassroots:pairing_detail", pairing.pk)
    return render(request, "grassroots/pairing_form.html", {"form": form, "pairing": pairing})
