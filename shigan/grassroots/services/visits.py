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

from ..models import ConcernSource, Visit, VisitPhoto
from .concerns import ConcernInput, concerns_create

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


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
) -> Visit:
    """Record a visit, its photos and the concerns raised (source 走访, received the visit's
    day). Raises ValidationError, nothing saved and no file left, on bad input."""
    if date > clock.today():
        raise ValidationError("走访日期不能晚于今天。")
    if not cadres:
        raise ValidationError("请选择走访干部。")
    problems = photo_errors(photos)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), files_discarded_on_error() as stored:
        visit = Visit.objects.create(
            campaign=campaign, kind=kind, date=date, unit=unit, place_kind=place_kind,
            place=place.strip(), place_unit=place_unit, people_met=people_met.strip(),
            what_done=what_done.strip(), created_by=by,
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
