"""服务效能 (马上就办): the efficiency figures of the concerns the user reads
(queries.efficiency computes them; this page only shows them)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.orgs.workdays import calendar_for

from ..access import concerns_visible_to
from ..forms.efficiency import EfficiencyFilterForm
from ..models import Concern
from ..queries.efficiency import AGE_BANDS, efficiency


@login_required
@require_GET
def efficiency_page(request):
    campaign = campaign_for_user(request.user, request.GET.get("campaign"))
    form = EfficiencyFilterForm(request.GET or None, user=request.user)
    concerns = concerns_visible_to(request.user, Concern.objects.filter(campaign=campaign))
    unit = form.chosen_unit()
    if unit is not None:
        concerns = concerns.filter(assigned_unit=unit)
    today = clock.today()
    figures = None
    if campaign is not None:
        calendar = calendar_for(campaign.organiser.district_id)
        figures = efficiency(concerns, year=campaign.year, today=today, calendar=calendar)
    context = {
        "campaign": campaign,
        "filter_form": form,
        "figures": figures,
        "bands": [label for label, _, _ in AGE_BANDS],
        "today": today,
    }
    return render(request, "grassroots/efficiency.html", context)
