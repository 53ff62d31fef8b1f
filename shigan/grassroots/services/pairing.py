"""Pairings (结对帮扶 / 联系基层): a cadre paired with a household, a village or an enterprise."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit

from ..models import Pairing, PairingTargetKind


@transaction.atomic
def pairing_create(
    *,
    campaign: Campaign,
    by,
    cadre: Person,
    target_kind: str,
    target_name: str,
    place_unit: Unit | None,
    started_on: datetime.date,
    note: str = "",
) -> Pairing:
    """Pair a cadre with a household, village or enterprise from `started_on` (by today);
    audited. ValidationError (keyed by field), nothing saved, on an unknown kind, an empty name
    or a day still to come."""
    errors = {}
    if target_kind not in PairingTargetKind.values:
        errors["target_kind"] = "请选择结对对象类型。"
    if not target_name.strip():
        errors["target_name"] = "请填写结对对象（户主姓名、村或企业名称）。"
    if started_on > clock.today():
        errors["started_on"] = f"结对日期{started_on}晚于今天：结对开始后再登记。"
    if errors:
        raise ValidationError(errors)
    pairing = Pairing.objects.create(
        campaign=campaign,
        cadre=cadre,
        target_kind=target_kind,
        target_name=target_name.strip(),
        place_unit=place_unit,
        started_on=started_on,
        note=note.strip(),
    )
    audit_record(actor=by, obj=pairing, action=AuditAction.CREATE)
    return pairing


@transaction.atomic
def pairing_update(
    *,
    pairing: Pairing,
    by,
    target_name: str,
    note: str,
    ended_on: datetime.date | None,
) -> Pairing:
    """Rename the target, change the help planned, or end the pairing (结束日期, not before it
    started: an ended pairing is no longer flagged); audited with before/after. ValidationError
    (keyed by field), nothing saved, otherwise."""
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    errors = {}
    if not target_name.strip():
        errors["target_name"] = "请填写结对对象（户主姓名、村或企业名称）。"
    if ended_on is not None and ended_on < pairing.started_on:
        errors["ended_on"] = f"结束日期{ended_on}早于结对日期{pairing.started_on}。"
    if errors:
        raise ValidationError(errors)
    before = snapshot(pairing)
    pairing.target_name, pairing.note, pairing.ended_on = (
        target_name.strip(),
        note.strip(),
        ended_on,
    )
    pairing.save()
    audit_record(actor=by, obj=pairing, action=AuditAction.UPDATE, before=before)
    return pairing
