"""The site's door: `/` opens the page where the user's work is (orgs.access.landing_page_for)."""

from django.shortcuts import redirect

from shigan.orgs.access import (
    LANDING_BATTLE_MAP,
    LANDING_COCKPIT,
    LANDING_MONTHLY_REPORT,
    landing_page_for,
)

LANDING_URLS = {
    LANDING_MONTHLY_REPORT: "monthly:report",
    LANDING_COCKPIT: "dashboards:cockpit",
    LANDING_BATTLE_MAP: "dashboards:battle_map",
}


def home(request):
    """A reporter his unit's monthly report, a leader 工作总览, everyone else 挂图作战
    (LoginRequiredMiddleware sends an anonymous visitor to the log-in page first)."""
    return redirect(LANDING_URLS[landing_page_for(request.user)])
