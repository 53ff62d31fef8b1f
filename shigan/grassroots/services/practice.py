"""Practice activities (实践活动): the campaign's named activities and their events."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import Unit

from ..models import PracticeActivity, PracticeEvent, Visit


@transaction.atomic
def practice_activity_create(
    *, campaign: Campaign, by, name: str, description: str = ""
) -> PracticeActivity:
    """Name a practice activity of the campaign (after the last one); audited. ValidationError
    on an empty or repeated name."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写实践活动名称。"})
    if PracticeActivity.objects.filter(campaign=campaign, name=name).exists():
        raise ValidationError({"name": f"实践活动“{name}”已存在。"})
    order = PracticeActivity.objects.filter(campaign=campaign).count()
    activity = PracticeActivity.objects.create(
        campaign=campaign, name=name, description=description.strip(), sort_order=order
    )
    audit_record(actor=by, obj=activity, action=AuditAction.CREATE)
    return activity


def event_errors(activity, date, organiser, participants, beneficiaries, summary, visit) -> dict:
    errors = {}
    if date is None:
        errors["date"] = "请填写活动日期。"
    elif date > clock.today():
        errors["date"] = f"活动日期{date}晚于今天，请在活动开展后录入。"
    if participants is None or participants < 1:
        errors["participants"] = "参与人数须为正整数。"
    if beneficiaries is None or beneficiaries < 0:
        errors["beneficiaries"] = "受益群众人次须为0或正整数。"
    if not summary.strip():
        errors["summary"] = "请填写活动内容。"
    if visit is not None and visit.campaign_id != activity.campaign_id:
        errors["visit"] = "关联走访不属于该实践活动所在的活动。"
    return errors


@transaction.atomic
def practice_event_record(
    *,
    activity: PracticeActivity,
    by,
    date: datetime.date | None,
    place: str,
    organiser: Unit,
    participants: int | None,
    beneficiaries: int | None,
    summary: str,
    visit: Visit | None = None,
) -> PracticeEvent:
    """Record one event of a practice activity (held on or before today); audited.
    ValidationError (keyed by field), nothing saved, otherwise."""
    errors = event_errors(activity, date, organiser, participants, beneficiaries, summary, visit)
    if not place.strip():
        errors["place"] = "请填写活动地点。"
    if errors:
        raise ValidationError(errors)
    event = PracticeEvent.objects.create(
        activity=activity,
        date=date,
        place=place.strip(),
        organiser=organiser,
        participants=participants,
        beneficiaries=beneficiaries or 0,
        summary=summary.strip(),
        visit=visit,
        created_by=by,
    )
    audit_record(actor=by, obj=event, action=AuditAction.CREATE)
    return event


@transaction.atomic
def practice_activity_update(
    *, activity: PracticeActivity, by, name: str, description: str = ""
) -> PracticeActivity:
    """Rename a practice activity or change its description; audited with before/after.
    ValidationError on an empty name or one another activity of the campaign has."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写实践活动名称。"})
    others = PracticeActivity.objects.filter(campaign=activity.campaign_id, name=name)
    if others.exclude(pk=activity.pk).exists():
        raise ValidationError({"name": f"实践活动“{name}”已存在。"})
    activity = PracticeActivity.objects.select_for_update().get(pk=activity.pk)
    before = snapshot(activity)
    activity.name, activity.description = name, description.strip()
    activity.save()
    audit_record(actor=by, obj=activity, action=AuditAction.UPDATE, before=before)
    return activity
