"""The reception rota (信访接待日): days added and edited by coordinators, marked held with the
visitors received."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import Person

from ..models import ReceptionDay


def reception_day_errors(
    day: ReceptionDay, *, held: bool, visitors: int | None, place: str
) -> dict[str, str]:
    errors = {}
    if not place.strip():
        errors["place"] = "请填写接待地点。"
    if held and day.date and day.date > clock.today():
        errors["held"] = f"接待日{day.date}还未到，不能登记为已开展。"
    if visitors is None or visitors < 0:
        errors["visitors"] = "接待群众人次须为0或正整数。"
    elif visitors and not held:
        errors["visitors"] = "未开展的接待日不能登记接待人次；已开展请勾选“已开展”。"
    clash = ReceptionDay.objects.filter(
        campaign=day.campaign, date=day.date, leader=day.leader
    ).exclude(pk=day.pk)
    if day.date and clash.exists():
        errors["date"] = f"{day.leader.name}在{day.date}已有接待安排。"
    return errors


@transaction.atomic
def reception_day_save(
    *,
    day: ReceptionDay | None,
    campaign: Campaign,
    by,
    date: datetime.date,
    leader: Person,
    place: str,
    held: bool = False,
    visitors: int | None = 0,
    note: str = "",
) -> ReceptionDay:
    """Add a day to the rota (day=None) or edit one: date, receiving leader, place; once the day
    has come, whether it was held, the visitors received and a note. One day per leader and
    date; a future day cannot be held, visitors only on a held day. Audited with before/after;
    ValidationError (keyed by field), nothing saved, otherwise."""
    creating = day is None
    day = (
        ReceptionDay(campaign=campaign)
        if creating
        else ReceptionDay.objects.select_for_update().get(pk=day.pk)
    )
    before = None if creating else snapshot(day)
    day.date, day.leader, day.place = date, leader, place.strip()
    day.held, day.visitors, day.note = held, visitors, note.strip()
    if errors := reception_day_errors(day, held=held, visitors=visitors, place=place):
        raise ValidationError(errors)
    day.save()
    action = AuditAction.CREATE if creating else AuditAction.UPDATE
    audit_record(actor=by, obj=day, action=action, before=before)
    return day
