"""The cockpit (工作总览): one page of cards for a campaign, scoped to the user."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from shigan.campaigns.queries import campaign_current, mixes_levels
from shigan.core.clock import today
from shigan.core.params import date_or_default, id_or_none
from shigan.tasks.queries import campaign_choices

from ..cockpit import cockpit_build, cockpit_units, scope_text, unit_groups
from ..lens import lens_for


def optional_url(name: str) -> str:
    """The URL of a page another app may not have yet; "" until it exists."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def unit_pick(units: list, raw: str | None):
    """The unit asked for among those the user may filter by; 404 for any other."""
    if not (raw or "").strip():
        return None
    wanted = id_or_none(raw)
    unit = next((u for u in units if u.pk == wanted), None)
    if unit is None:
        raise Http404("单位不存在或无权查看。")
    return unit


@login_required
@require_GET
def cockpit(request):
    params = request.GET
    campaigns = campaign_choices(request.user)
    campaign = campaign_current(params.get("campaign"), among=campaigns)
    as_of, as_of_error = date_or_default(params.get("as_of"), today())
    units = cockpit_units(request.user)
    unit = unit_pick(units, params.get("unit"))
    context = {"campaigns": campaigns, "units": units, "as_of_error": as_of_error}
    context["campaigns_mixed"] = mixes_levels(campaigns)
    context["unit_groups"] = unit_groups(request.user, units)
    context.update(today=today(), data=None)
    if campaign is not None:
        date_param = "" if as_of == today() else as_of.isoformat()
        lens = lens_for(request.user, campaign, as_of, unit, date_param)
        scope = scope_text(request.user, units, unit)
        context["data"] = cockpit_build(
            lens,
            scope=scope,
            indicator_url=optional_url("indicators:dashboard"),
            investment_url=optional_url("indicators:investment"),
        )
    return render(request, "dashboards/cockpit.html", context)
