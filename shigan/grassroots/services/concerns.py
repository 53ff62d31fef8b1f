"""Writes of concerns and disputes: recording one (its number and due date computed, never
typed), taking a step (grassroots.steps' rules), showing a requester's full numbers (recorded),
and the categories. Every write is audited; the requester's phone and ID number are masked in
the audit trail, which others read."""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import audit_entry, snapshot
from shigan.core.masking import mask_id_number, mask_phone
from shigan.core.models import AuditAction
from shigan.orgs.models import Unit
from shigan.orgs.workdays import calendar_for

from .. import steps
from ..models import (
    Concern,
    ConcernAction,
    ConcernCategory,
    ConcernKind,
    ConcernSource,
    ConcernStep,
    ReceptionDay,
    Visit,
)

PHONE_FIELD = str(Concern._meta.get_field("requester_phone").verbose_name)
ID_FIELD = str(Concern._meta.get_field("requester_id_number").verbose_name)
MASKS = {PHONE_FIELD: mask_phone, ID_FIELD: mask_id_number}


def concern_audit(*, actor, concern: Concern, action: str, before=None, note: str = ""):
    """Audit one change of a concern with the requester's numbers masked (before and after)."""
    entry = audit_entry(actor=actor, obj=concern, action=action, before=before, note=note)
    entry.changes = {k: [MASKS[k](v) if v else v for v in pair] if k in MASKS else pair
                     for k, pair in entry.changes.items()}  # fmt: skip
    entry.save()
    return entry


@dataclass
class ConcernInput:
    """What is typed for one concern (a visit's formset row, the form, an imported row)."""

    kind: str
    category: ConcernCategory
    requester_name: str
    content: str
    requester_phone: str = ""
    requester_id_number: str = ""
    parties: str = ""
    assigned_unit: Unit | None = None
    external_ref: str = ""


def next_numbers(campaign: Campaign, count: int) -> list[str]:
    """The next `count` numbers of the campaign's concerns: 2023-0001, 2023-0002 … (the year's
    highest number plus one; the caller's transaction keeps them its own)."""
    # The campaign's row is locked so that two concerns recorded at once (PostgreSQL) do not
    # both take the same number; SQLite's IMMEDIATE transactions already run one at a time.
    list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk"))
    prefix = f"{campaign.year}-"
    numbers = Concern.objects.filter(campaign=campaign, number__startswith=prefix)
    highest = 0
    for number in numbers.values_list("number", flat=True):
        tail = number.removeprefix(prefix)
        highest = max(highest, int(tail) if tail.isdigit() else 0)
    return [f"{prefix}{highest + i:04d}" for i in range(1, count + 1)]


ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
PHONE = re.compile(r"[0-9][0-9 -]{5,28}[0-9]")


def contact_problems(phone: str, id_number: str) -> list[str]:
    """What is wrong with a requester's phone and ID number as typed (blank is allowed)."""
    problems = []
    if phone.strip() and not PHONE.fullmatch(phone.strip()):
        problems.append(f"联系电话“{phone.strip()}”不是有效的号码（只能填数字，可含空格或“-”）。")
    if id_number.strip() and not ID_NUMBER.fullmatch(id_number.strip().upper()):
        problems.append(f"身份证号“{id_number.strip()}”不是有效的18位身份证号（末位可为X）。")
    return problems


def _create(*, campaign, item: ConcernInput, by, source, received_on, number, calendar, **links):
    problems = contact_problems(item.requester_phone, item.requester_id_number)
    if problems:
        raise ValidationError(problems)
    if item.kind == ConcernKind.DISPUTE and not item.parties.strip():
        raise ValidationError("矛盾纠纷须填写纠纷当事人。")
    if item.category.district_id != campaign.organiser.district_id:
        raise ValidationError("诉求类别不属于本区（县）。")
    limit = item.category.time_limit_workdays
    concern = Concern.objects.create(
        campaign=campaign, number=number, kind=item.kind, source=source, category=item.category,
        requester_name=item.requester_name.strip(), requester_phone=item.requester_phone.strip(),
        requester_id_number=item.requester_id_number.strip().upper(),
        content=item.content.strip(), parties=item.parties.strip(), received_on=received_on,
        due_on=steps.due_date(received_on, limit, calendar), assigned_unit=item.assigned_unit,
        external_ref=item.external_ref.strip(), **links,
    )  # fmt: skip
    ConcernAction.objects.create(
        concern=concern, step=ConcernStep.ACCEPTED, by=by, on=received_on,
        note=f"{ConcernSource(source).label}受理",
    )  # fmt: skip
    if item.assigned_unit is not None:
        # Assigned as it is received: the 转办 step is taken the same day, in order.
        concern.step = ConcernStep.ASSIGNED
        concern.save(update_fields=["step", "updated_at"])
        ConcernAction.objects.create(
            concern=concern, step=ConcernStep.ASSIGNED, by=by, on=received_on,
            note=f"受理时转办至{item.assigned_unit.name}", to_unit=item.assigned_unit,
        )  # fmt: skip
    concern_audit(actor=by, concern=concern, action=AuditAction.CREATE)
    return concern


def concerns_create(
    *,
    campaign: Campaign,
    items: list[ConcernInput],
    by,
    source: str,
    received_on: datetime.date,
    visit: Visit | None = None,
    reception_day: ReceptionDay | None = None,
) -> list[Concern]:
    """Record concerns received on `received_on` from `source`, numbered in order, each due
    its category's time limit in working days later on the district's calendar, 受理 (and
    转办 when a unit is named) recorded. Raises ValidationError (nothing saved) on bad input."""
    if received_on > clock.today():
        raise ValidationError("受理日期不能晚于今天。")
    if source == ConcernSource.VISIT and visit is None:
        raise ValidationError("来源为走访的诉求须随走访记录录入。")
    if source == ConcernSource.RECEPTION and reception_day is None:
        raise ValidationError("来源为信访接待日的诉求须选择接待日。")
    if reception_day is not None and reception_day.date != received_on:
        raise ValidationError(
            f"受理日期{received_on}与所选接待日{reception_day.date}不符："
            "接待日收到的诉求，受理日期即接待日。"
        )
    calendar = calendar_for(campaign.organiser.district_id)
    links = {"visit": visit, "reception_day": reception_day}
    with transaction.atomic():
        numbers = next_numbers(campaign, len(items))
        return [
            _create(campaign=campaign, item=item, by=by, source=source, received_on=received_on,
                    number=number, calendar=calendar, **links)
            for item, number in zip(items, numbers, strict=True)
        ]  # fmt: skip


def concern_create(*, campaign: Campaign, item: ConcernInput, by, source: str, received_on,
                   reception_day: ReceptionDay | None = None) -> Concern:  # fmt: skip
    """One concern (see concerns_create)."""
    return concerns_create(
        campaign=campaign, items=[item], by=by, source=source, received_on=received_on,
        reception_day=reception_day,
    )[0]  # fmt: skip


def ticket_number(raw: str) -> str:
    """Another system's ticket number as one ticket is always written: full-width characters as
    their ASCII (NFKC: １２３４５ is 12345), no space or invisible character at either end.
    Compared without regard to case (12345-a1 is 12345-A1's ticket). Raises ValidationError on
    `external_ref` when a space, control or invisible character is left inside: a number
    differing only by one would be another ticket, the same one sent twice."""
    ref = unicodedata.normalize("NFKC", raw).strip()
    if any(ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf"} for ch in ref):
        raise ValidationError({"external_ref": "外部工单号不能含空格或不可见字符。"})
    return ref


@transaction.atomic
def concern_receive(
    *, campaign: Campaign, item: ConcernInput, by, source: str, received_on,
    reception_day: ReceptionDay | None = None,
) -> tuple[Concern, bool]:  # fmt: skip
    """A concern sent by another system (12345 热线, 一网通办 …) under its own ticket number
    `item.external_ref` (as ticket_number writes it): recorded once (concern_create), and
    (concern, True); the same ticket of the same source sent again — in another case or in
    full-width characters — is the concern already recorded, (concern, False), nothing
    written: a retried request does not double the ledger. Without a ticket number, recorded."""
    ref = ticket_number(item.external_ref)
    item.external_ref = ref
    if ref:
        # The campaign's row locked first (as next_numbers does): two sendings of one ticket at
        # once wait for each other, and the second finds the first's concern.
        list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk"))
        found = Concern.objects.filter(
            campaign=campaign, source=source, external_ref__iexact=ref
        ).first()
        if found is not None:
            return found, False
    concern = concern_create(campaign=campaign, item=item, by=by, source=source,
                             received_on=received_on, reception_day=reception_day)  # fmt: skip
    return concern, True


@transaction.atomic
def concern_step(
    *,
    concern: Concern,
    by,
    step: str,
    on: datetime.date,
    note: str,
    to_unit: Unit | None = None,
    satisfaction: str = "",
) -> ConcernAction:
    """Take the next step of a concern (grassroots.steps: strictly in order; 回访 不满意 sends it
    back to 办理 and counts a reopening; 办结 only after 答复 and 回访). Raises ValidationError
    with the reason in Chinese, nothing written."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    steps.check_step(concern.step, step, to_unit=to_unit, satisfaction=satisfaction)
    if on < concern.received_on:
        raise ValidationError(f"办理日期不能早于受理日期（{concern.received_on}）。")
    if on > clock.today():
        raise ValidationError("办理日期不能晚于今天。")
    if not note.strip():
        raise ValidationError("请填写办理情况。")
    before = snapshot(concern)
    action = ConcernAction.objects.create(
        concern=concern, step=step, by=by, on=on, note=note.strip(),
        to_unit=to_unit if step == ConcernStep.ASSIGNED else None,
        satisfaction=satisfaction if step == ConcernStep.FOLLOWED_UP else "",
    )  # fmt: skip
    _apply(concern, step, on=on, note=note.strip(), to_unit=to_unit, satisfaction=satisfaction)
    concern.save()
    label = ConcernStep(step).label
    if concern.step == ConcernStep.HANDLING and step == ConcernStep.FOLLOWED_UP:
        label = f"{label}（不满意，重新办理）"
    concern_audit(actor=by, concern=concern, action=AuditAction.UPDATE, before=before, note=label)
    return action


def _apply(concern: Concern, step: str, *, on, note, to_unit, satisfaction) -> None:
    concern.step = steps.step_after(step, satisfaction)
    if step == ConcernStep.ASSIGNED:
        concern.assigned_unit = to_unit
    elif step == ConcernStep.FOLLOWED_UP:
        concern.satisfaction = satisfaction
        if concern.step == ConcernStep.HANDLING:
            concern.reopened += 1
    elif step == ConcernStep.CLOSED:
        concern.closed_on = on
        concern.outcome = note


def concern_contact_view(*, concern: Concern, by) -> Concern:
    """Record that `by` was shown the requester's full phone and ID number (查看)."""
    concern_audit(actor=by, concern=concern, action=AuditAction.VIEW, before=snapshot(concern),
                  note="查看诉求人完整联系电话和身份证号")  # fmt: skip
    return concern


@transaction.atomic
def concern_category_save(
    *,
    district: Unit,
    by,
    name: str,
    time_limit_workdays: int,
    sort_order: int = 0,
    category: ConcernCategory | None = None,
) -> ConcernCategory:
    """Add a category to the district (or change `category`): its name and time limit in
    working days (0 = 当日, 马上就办). Concerns already received keep their due dates."""
    name = name.strip()
    clash = ConcernCategory.objects.filter(district=district, name=name)
    if category is not None:
        clash = clash.exclude(pk=category.pk)
    if clash.exists():
        raise ValidationError(f"类别“{name}”已存在。")
    before = snapshot(category) if category is not None else None
    category = category or ConcernCategory(district=district)
    category.name, category.time_limit_workdays = name, time_limit_workdays
    category.sort_order = sort_order
    category.save()
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit_entry(actor=by, obj=category, action=action, before=before).save()
    return category
