"""Who is looking, for every page's frame: his name and role, and which parts of the site the
navigation offers him — each answer from the access module of the app that owns the page."""

import functools

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from shigan.api.access import can_manage_webhooks
from shigan.dashboards.access import can_view_levels
from shigan.directives.access import can_manage_directives
from shigan.navigation import Entry, Navigation, navigation_for
from shigan.orgs.access import can_manage_accounts, can_manage_setup, password_change_required
from shigan.orgs.scope import is_leader, person_of, role_of
from shigan.reminders.access import can_chase_reports
from shigan.reminders.queries import inbox_unread_count
from shigan.reports.access import can_generate_report
from shigan.supervision.access import can_read_spot_checks
from shigan.tasks.access import can_decide_change_requests, can_file_monthly_report
from shigan.timebank.access import can_enter_services


@functools.lru_cache(maxsize=256)
def _nav_markup(prefix: str, main: tuple[Entry, ...], more: tuple[Entry, ...]) -> str:
    """_nav.html for one bar: keyed on every entry shown (label, URL, marked current) and the
    script prefix, so a role or permission changed is a new key at once, never a stale bar.
    Rendering the template on every page cost the frame ~0.3 ms (issue 18)."""
    nav = Navigation(list(main), list(more))
    return render_to_string("_nav.html", {"viewer_nav": nav})


def nav_html(nav: Navigation) -> str:
    """The top bar's markup for `nav` (shigan/templates/_nav.html), rendered once per bar."""
    return mark_safe(_nav_markup(get_script_prefix(), tuple(nav.main), tuple(nav.more)))


def viewer(request):
    # Absent when a request is refused before authentication runs (a bad Host header → 400).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    may = {
        "setup": can_manage_setup(user),
        "accounts": can_manage_accounts(user),
        "monthly_report": can_file_monthly_report(user),
        "approve": can_decide_change_requests(user),
        # Called when asked (a leader's leading-group seat: a query): by the frame's navigation.
        "report": lambda: can_generate_report(user),
        "spot_checks": can_read_spot_checks(user),
        "chase_reports": can_chase_reports(user),
        # Directives and hand-downs (上级文件与交办): coordinators, under 更多.
        "directives": can_manage_directives(user),
        # 下级对比: coordinators and inspectors with levels below (a query, when the bar is shown).
        "levels": lambda: can_view_levels(user),
        # Webhooks out (数据推送, the API's subscriptions and their delivery logs): coordinators.
        "webhooks": can_manage_webhooks(user),
        # Called by the template (a coordinator's district: a query) on the time bank's pages only.
        "timebank_entry": lambda: can_enter_services(user),
    }
    nav = SimpleLazyObject(lambda: navigation_for(user, may, request.path))
    return {
        "viewer_person": person_of(user),
        "viewer_role": role_of(user),
        "viewer_oversees": is_leader(user),
        # An initial or reset password: no navigation until it is changed (orgs.middleware).
        "viewer_must_change_password": password_change_required(user),
        "viewer_may": may,
        # The top bar's destinations (shigan/navigation.py), worked out once when the frame is shown.
        "viewer_nav": nav,
        # Its markup, kept per bar (_nav_markup): what base.html shows.
        "viewer_nav_html": SimpleLazyObject(lambda: nav_html(nav)),
        # Called by the template (one query), so a page without the frame does not count.
        "viewer_unread": lambda: inbox_unread_count(user),
    }
