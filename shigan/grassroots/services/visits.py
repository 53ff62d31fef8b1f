"""Recording a visit (走访 / 下访 / 现场办公) with its photos and the concerns raised there, all
or nothing: a concern entered with its visit has the visit's date as its received day and links
to it, so its page shows the visit's photos (a fact entered once)."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import audit_record
from shigan.core.files import files_discarded_on_error, upload_errors
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit

from ..models import ConcernSource, Pairing, Visit, VisitPhoto
from .concerns import ConcernInput, concerns_create

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


def pairing_problem(
    pairing: Pairing, *, campaign_id: int, unit_id: int | None, date: datetime.date | None
) -> str | None:
    """Why a visit may not be recorded under `pairing` (结对帮扶), None when it may: the pairing
    is of the visit's campaign, its cadre is of the visit's organising unit, and it is in force
    on the visit's day (started by then, not ended before it)."""
    name = f"结对帮扶“{pairing.cadre.name} ↔ {pairing.target_name}”"
    if pairing.campaign_id != campaign_id:
        return f"{name}不属于本次走访的活动。"
    if unit_id is not None and pairing.cadre.unit_id != unit_id:
        return f"{name}的结对干部不属于本次走访的组织单位：只能选择本单位干部的结对。"
    if date is not None and date < pairing.started_on:
        return f"{name}于{pairing.started_on}开始结对，走访日期{date}在其之前。"
    if date is not None and pairing.ended_on is not None and date > pairing.ended_on:
        return f"{name}已于{pairing.ended_on}结束，走访日期{date}在其之后。"
    return None


def photo_errors(photos: Sequence) -> list[str]:
    """Why each refused photo is refused: only JPEG and PNG images (content sniffed)."""
    problems = []
    for photo in photos:
        if not photo.name.lower().endswith(PHOTO_SUFFIXES):
            problems.append(f"文件“{photo.name}”不是照片：只接受 JPG、PNG 图片。")
    return problems or upload_errors(photos)


def visit_record(
    *,
    campaign: Campaign,
    by,
    kind: str,
    date: datetime.date,
    unit: Unit,
    cadres: Sequence[Person],
    place_kind: str,
    place: str,
    what_done: str,
    place_unit: Unit | None = None,
    people_met: str = "",
    photos: Sequence = (),
    concerns: Sequence[ConcernInput] = (),
    pairing: Pairing | None = None,
) -> Visit:
    """Record a visit, its photos and the concerns raised (source 走访, received the visit's
    day), under a pairing (结对帮扶, optional: pairing_problem's rule). Raises ValidationError,
    nothing saved and no file left, on bad input."""
    if date > clock.today():
        raise ValidationError("走访日期不能晚于今天。")
    if not cadres:
        raise ValidationError("请选择走访干部。")
    if pairing is not None and (
        problem := pairing_problem(pairing, campaign_id=campaign.pk, unit_id=unit.pk, date=date)
    ):
        raise ValidationError(problem)
    problems = photo_errors(photos)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), files_discarded_on_error() as stored:
        visit = Visit.objects.create(
            campaign=campaign, kind=kind, date=date, unit=unit, place_kind=place_kind,
            place=place.strip(), place_unit=place_unit, people_met=people_met.strip(),
            what_done=what_done.strip(), pairing=pairing, created_by=by,
        )  # fmt: skip
        visit.cadres.set(cadres)
        audit_record(actor=by, obj=visit, action=AuditAction.CREATE)
        for upload in photos:
            photo = VisitPhoto(visit=visit)
            photo.store(upload, by=by)
            stored.append(photo)
        if concerns:
            concerns_create(campaign=campaign, items=list(concerns), by=by,
                            source=ConcernSource.VISIT, received_on=date, visit=visit)  # fmt: skip
    return visit
