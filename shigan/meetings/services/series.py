"""Setting up meeting series (会议系列) on their pages. A series is never deleted from the pages:
it is ended (停用) by giving it a closing date (截止日期), after which its cadence is no longer
checked; its meetings stay."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit

from ..models import Cadence, MeetingSeries
from .meetings import _raise


def _duplicate(name: str) -> str:
    return f"本活动已有会议系列“{name}”，名称不能重复。"


def _date_errors(
    fields: dict, series: MeetingSeries | None
) -> tuple[str | None, str | None, str | None]:
    """(campaign, active_from, active_to) problems."""
    campaign, start, end = fields["campaign"], fields["active_from"], fields["active_to"]
    if series is not None and campaign.pk != series.campaign_id and series.meetings.exists():
        return f"“{series.name}”已有会议记录，不能改到其他活动。", None, None
    if start is None:
        return None, "请填写起始日期。", None
    if not campaign.start_date <= start <= campaign.end_date:
        span = f"（{campaign.start_date}至{campaign.end_date}）"
        return None, f"起始日期{start}不在活动起止日期{span}之内。", None
    if end is not None and end < start:
        return None, None, f"截止日期{end}早于起始日期{start}。"
    if end is not None and end > campaign.end_date:
        return None, None, f"截止日期{end}晚于活动结束日期{campaign.end_date}。"
    if series is not None:
        last = end or campaign.end_date
        outside = series.meetings.exclude(date__range=(start, last)).order_by("date")
        dates = [f"{d:%Y-%m-%d}" for d in outside.values_list("date", flat=True)[:5]]
        if dates:
            return (
                None,
                None,
                (f"本系列在{'、'.join(dates)}有会议，不在新的起止日期（{start}至{last}）之内。"),
            )
    return None, None, None


def _errors(fields: dict, series: MeetingSeries | None) -> dict[str, str | None]:
    name = fields["name"].strip()
    same = MeetingSeries.objects.filter(campaign=fields["campaign"], name=name)
    if series is not None:
        same = same.exclude(pk=series.pk)
    name_error = "请填写会议系列名称。" if not name else None
    if name and same.exists():
        name_error = _duplicate(name)
    campaign_error, from_error, to_error = _date_errors(fields, series)
    return {
        "name": name_error,
        "cadence": None if fields["cadence"] in Cadence.values else "请选择召开频次。",
        "organiser": None if fields["organiser"] is not None else "请选择组织单位。",
        "campaign": campaign_error,
        "active_from": from_error,
        "active_to": to_error,
    }


def _save(series: MeetingSeries) -> None:
    # uniq_meeting_series_name settles a race between two coordinators.
    try:
        with transaction.atomic():
            series.save()
    except IntegrityError:
        raise ValidationError({"name": _duplicate(series.name)}) from None


@transaction.atomic
def series_create(
    *,
    by,
    campaign: Campaign,
    name: str,
    cadence: str,
    organiser: Unit | None,
    active_from: datetime.date | None,
    active_to: datetime.date | None = None,
    chair: Person | None = None,
) -> MeetingSeries:
    """Set up a meeting series, listed after the campaign's others. Refused, with nothing saved:
    no name or one the campaign's series have, no cadence or organiser, a start outside the
    campaign, an end before the start or after the campaign."""
    fields = dict(
        campaign=campaign,
        name=name,
        cadence=cadence,
        organiser=organiser,
        chair=chair,
        active_from=active_from,
        active_to=active_to,
    )
    _raise(_errors(fields, None))
    last = MeetingSeries.objects.filter(campaign=campaign).aggregate(n=Max("sort_order"))["n"]
    series = MeetingSeries(**fields, sort_order=(last or 0) + 1)
    series.name = name.strip()
    _save(series)
    audit_record(actor=by, obj=series, action=AuditAction.CREATE)
    return series


@transaction.atomic
def series_update(
    *,
    series: MeetingSeries,
    by,
    campaign: Campaign,
    name: str,
    cadence: str,
    organiser: Unit | None,
    active_from: datetime.date | None,
    active_to: datetime.date | None = None,
    chair: Person | None = None,
) -> MeetingSeries:
    """Change a series under series_create's rules; besides, its meetings must stay within its
    new active dates, and a series with meetings stays in its campaign. Ending it (停用) is
    giving it an active_to date. The before/after values are audited."""
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    fields = dict(
        campaign=campaign,
        name=name,
        cadence=cadence,
        organiser=organiser,
        chair=chair,
        active_from=active_from,
        active_to=active_to,
    )
    _raise(_errors(fields, series))
    before = snapshot(series)
    for field, value in fields.items():
        setattr(series, field, value)
    series.name = name.strip()
    _save(series)
    note = ""
    if active_to is not None and before.get("截止日期") != active_to.isoformat():
        note = f"本系列截至{active_to}停用，此后不再检查召开频次。"
    audit_record(actor=by, obj=series, action=AuditAction.UPDATE, before=before, note=note)
    return series
