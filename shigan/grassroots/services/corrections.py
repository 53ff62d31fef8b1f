"""Correcting visits and concerns after entry (更正).

A correction names its reason; it is saved in one transaction and audited with the fields before
and after (a concern's phone and ID number masked) and the reason as the entry's note, so the
record's 历史记录 shows it. The rules of entry still hold. Steps already taken on a concern
(ConcernAction) are never rewritten: a visit whose concerns were received on its date keeps its
date; a concern's category change recomputes its due date from the day it was received on the
district's working-day calendar, except once it is closed (its due date is what its closing was
judged against). Nothing is deleted.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.core import clock
from shigan.core.audit import audit_entry, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit
from shigan.orgs.workdays import calendar_for

from .. import steps
from ..models import Concern, ConcernCategory, ConcernKind, Pairing, Visit
from .concerns import MASKS, contact_problems
from .visits import pairing_problem

CORRECTION_NOTE = "更正原因："
REASON_REQUIRED = "请填写更正原因。"
NOTHING_CHANGED = "没有修改任何内容，无需更正。"
KEEP = None  # a requester's number left as it is (the form never shows it in full)


def _names(objects) -> str:
    return "、".join(o.name for o in sorted(objects, key=lambda o: o.pk))


def _audit(*, by, obj, before: dict, reason: str, extra: dict | None = None, masks=None) -> bool:
    """Audit the correction of `obj` (`extra`: {label: [before, after]} for what the row does
    not hold); nothing written and False when nothing differs."""
    entry = audit_entry(
        actor=by, obj=obj, action=AuditAction.UPDATE, before=before,
        note=f"{CORRECTION_NOTE}{reason}",
    )  # fmt: skip
    entry.changes.update({k: v for k, v in (extra or {}).items() if v[0] != v[1]})
    if masks:
        entry.changes = {k: [masks[k](v) if v else v for v in pair] if k in masks else pair
                         for k, pair in entry.changes.items()}  # fmt: skip
    if not entry.changes:
        return False
    entry.save()
    return True


@transaction.atomic
def visit_correct(
    *,
    visit: Visit,
    by,
    reason: str,
    kind: str,
    date: datetime.date,
    cadres: Sequence[Person],
    place_kind: str,
    place: str,
    what_done: str,
    place_unit: Unit | None = None,
    people_met: str = "",
    pairing: Pairing | None = None,
) -> Visit:
    """Correct a visit's facts with a reason, audited (cadres included). Its date stays while
    concerns were received on it (their 受理 step carries the date); its pairing (结对帮扶) is
    set or cleared under the rule of entry (services.visits.pairing_problem, against the
    visit's campaign, unit and corrected date). Raises ValidationError (keyed by field),
    nothing saved, on bad input, a missing reason or no change."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    reason, place, what_done = reason.strip(), place.strip(), what_done.strip()
    errors: dict[str, str] = {}
    if date > clock.today():
        errors["date"] = "走访日期不能晚于今天。"
    elif date != visit.date and (n := visit.concerns.count()):
        errors["date"] = (
            f"本次走访已登记{n}件诉求，其受理日期即走访日期{visit.date}，已记入办理过程，"
            "不能更改走访日期。"
        )
    if not cadres:
        errors["cadres"] = "请选择走访干部。"
    if not place:
        errors["place"] = "请填写地点。"
    if not what_done:
        errors["what_done"] = "请填写工作内容。"
    if pairing is not None and (
        problem := pairing_problem(
            pairing, campaign_id=visit.campaign_id, unit_id=visit.unit_id, date=date
        )
    ):
        errors["pairing"] = problem
    if not reason:
        errors["reason"] = REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    before, cadres_before = snapshot(visit), _names(visit.cadres.all())
    visit.kind, visit.date, visit.place_kind, visit.place = kind, date, place_kind, place
    visit.place_unit, visit.people_met, visit.what_done = place_unit, people_met.strip(), what_done
    visit.pairing = pairing
    visit.save()
    visit.cadres.set(cadres)
    extra = {"走访干部": [cadres_before, _names(cadres)]}
    if not _audit(by=by, obj=visit, before=before, reason=reason, extra=extra):
        raise ValidationError(NOTHING_CHANGED)
    return visit


def _category_errors(concern: Concern, category: ConcernCategory, due_on) -> str | None:
    if category.district_id != concern.campaign.organiser.district_id:
        return "诉求类别不属于本区（县）。"
    if concern.is_closed and due_on != concern.due_on:
        return (
            f"诉求已于{concern.closed_on}办结，是否按时办结以原办理时限{concern.due_on}评价，"
            f"不能改为办理时限不同的类别（“{category.name}”的时限为{due_on}）。"
        )
    return None


@transaction.atomic
def concern_correct(
    *,
    concern: Concern,
    by,
    reason: str,
    kind: str,
    category: ConcernCategory,
    requester_name: str,
    content: str,
    parties: str = "",
    requester_phone: str | None = KEEP,
    requester_id_number: str | None = KEEP,
) -> Concern:
    """Correct a concern's facts with a reason, audited with the numbers masked. A phone or ID
    number given as None stays as it is; "" clears it. A new category recomputes the due date
    (its time limit in working days from the day received, on the district's calendar); a
    closed concern keeps its due date. Steps taken are not touched. Raises ValidationError
    (keyed by field), nothing saved, on bad input, a missing reason or no change."""
    queryset = Concern.objects.select_for_update(of=("self",))
    concern = queryset.select_related("campaign__organiser").get(pk=concern.pk)
    reason, requester_name, content = reason.strip(), requester_name.strip(), content.strip()
    parties = parties.strip()
    phone = concern.requester_phone if requester_phone is KEEP else requester_phone.strip()
    id_number = concern.requester_id_number if requester_id_number is KEEP else requester_id_number
    id_number = id_number.strip().upper()
    calendar = calendar_for(concern.campaign.organiser.district_id)
    due_on = steps.due_date(concern.received_on, category.time_limit_workdays, calendar)
    errors: dict[str, str] = {}
    if problem := _category_errors(concern, category, due_on):
        errors["category"] = problem
    if not requester_name:
        errors["requester_name"] = "请填写诉求人。"
    if not content:
        errors["content"] = "请填写诉求内容。"
    if kind == ConcernKind.DISPUTE and not parties:
        errors["parties"] = "矛盾纠纷须填写纠纷当事人。"
    if requester_phone is not KEEP and (problems := contact_problems(phone, "")):
        errors["requester_phone"] = problems[0]
    if requester_id_number is not KEEP and (problems := contact_problems("", id_number)):
        errors["requester_id_number"] = problems[0]
    if not reason:
        errors["reason"] = REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    before = snapshot(concern)
    concern.kind, concern.category, concern.due_on = kind, category, due_on
    concern.requester_name, concern.requester_phone = requester_name, phone
    concern.requester_id_number, concern.content, concern.parties = id_number, content, parties
    concern.save()
    if not _audit(by=by, obj=concern, before=before, reason=reason, masks=MASKS):
        raise ValidationError(NOTHING_CHANGED)
    return concern
