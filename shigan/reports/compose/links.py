"""Sources of figures: the record, its stored value, and the page in the app that shows it.

`record` is "<app_label>.<model>:<pk>" (e.g. "indicators.actual:17"), so tests and the appendix
can find the row again. Pages are reversed by URL name; records without a page of their own
(indicator figures, key enterprises, agreements) link to their admin change page, which
coordinators read — other roles see the label and value in the tooltip.
"""

import datetime
from functools import cache
from urllib.parse import urlencode

from django.db import models
from django.urls import NoReverseMatch, reverse

from shigan.reports.document import Source
from shigan.tasks.models import TaskOrigin


def record_id(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def _reverse(name: str, *args, query: dict | None = None) -> str:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


@cache
def _has_route(name: str) -> bool:
    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True


def admin_page(obj: models.Model) -> str:
    return _reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", obj.pk)


def indicator_page(indicator_id: int, fallback: models.Model) -> str:
    """The indicator's own page when the app has one, else the figure's admin page."""
    if _has_route("indicators:indicator_detail"):
        return _reverse("indicators:indicator_detail", indicator_id)
    return admin_page(fallback)


def media_list_page(campaign_id: int, as_of: datetime.date, level: str = "") -> str:
    query = {"campaign": campaign_id, "date_from": f"{as_of.year}-01-01", "date_to": str(as_of)}
    if level:
        query["level"] = level
    return _reverse("publicity:report_list", query=query)


TASK_PAGES = {"tasks.milestone", "tasks.progressreport"}
CAMPAIGN_PAGES = {"campaigns.plansection", "campaigns.campaign"}
GRASSROOTS_PAGES = {
    "grassroots.visit": "grassroots:visit_detail",
    "grassroots.concern": "grassroots:concern_detail",
    "grassroots.receptionday": "grassroots:reception_detail",
}


def page_for(obj: models.Model) -> str:
    """The page that shows `obj` (see the module docstring)."""
    label = obj._meta.label_lower
    if label == "tasks.task":
        if obj.origin == TaskOrigin.PROMISE:  # 办实事 items have the ledger's page
            return _reverse("grassroots:promise_detail", obj.pk)
        return _reverse("tasks:task_detail", obj.pk)
    if label in GRASSROOTS_PAGES:
        return _reverse(GRASSROOTS_PAGES[label], obj.pk)
    if label == "grassroots.practiceevent":
        return _reverse("grassroots:practice_list", query={"campaign": obj.activity.campaign_id})
    if label == "timebank.servicerecord":
        return _reverse("timebank:account_detail", obj.account_id)
    if label in TASK_PAGES:
        return _reverse("tasks:task_detail", obj.task_id)
    if label == "meetings.meeting":
        return _reverse("meetings:meeting_detail", obj.pk)
    if label == "meetings.meetingseries":
        return _reverse("meetings:meeting_list", query={"campaign": obj.campaign_id})
    if label == "meetings.studysession":
        return _reverse("meetings:study_list", query={"campaign": obj.campaign_id})
    if label == "supervision.notice":
        return _reverse("supervision:notice_detail", obj.pk)
    if label == "supervision.exemplar":
        return _reverse("supervision:notice_detail", obj.notice_id)
    if label == "supervision.inspection":
        return _reverse("supervision:inspection_detail", obj.pk)
    if label == "supervision.finding":
        return _reverse("supervision:finding_detail", obj.pk)
    if label in {"indicators.actual", "indicators.indicatoryear", "indicators.sameperiodvalue"}:
        return indicator_page(obj.indicator_id, obj)
    if label in CAMPAIGN_PAGES:
        campaign_id = obj.pk if label == "campaigns.campaign" else getattr(obj, "campaign_id", None)
        if campaign_id:
            return _reverse("campaigns:campaign_detail", campaign_id)
    return admin_page(obj)


def source(obj: models.Model, label: str, value: str, *, url: str | None = None) -> Source:
    """A Source for `obj`: its label and stored value, its page, its record id."""
    return Source(
        label=label, value=value, url=page_for(obj) if url is None else url, record=record_id(obj)
    )
