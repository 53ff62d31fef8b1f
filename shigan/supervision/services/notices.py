"""Notices (通报) and the exemplar cases (典型) they name."""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit

from ..models import Exemplar, Notice, NoticeKind, Polarity
from .corrections import CORRECTION_NOTE, NOTHING_CHANGED, correction_audit, names, reason_error

# GB/T 9704-2012 puts the year of a document number in hexagonal brackets 〔〕; square and
# round variants typed by hand are read as the same number.
YEAR_BRACKETS = re.compile(r"[\[［【(（〔]\s*(\d{4})\s*[\]］】)）〕]")


def normalise_doc_number(text: str) -> str:
    """示作风办 [2023] 3 号 → 示作风办〔2023〕3号."""
    return YEAR_BRACKETS.sub(r"〔\1〕", "".join(text.split()))


def doc_number_error(doc_number: str, *, exclude: int | None = None) -> str | None:
    """Why `doc_number` cannot be used for a new notice (or for the notice `exclude` being
    corrected), or None."""
    if not doc_number:
        return "请填写文号。"
    existing = Notice.objects.filter(doc_number=doc_number).exclude(pk=exclude).first()
    if existing is not None:
        return f"文号“{doc_number}”已被通报《{existing.title}》使用，请核对文号。"
    return None


@dataclass
class ExemplarInput:
    """One exemplar case as a form gives it; on a correction `exemplar` is the existing row it
    changes (None for a new one) and `remove` takes that row off the notice."""

    polarity: str
    title: str
    description: str = ""
    units: Sequence[Unit] = field(default_factory=list)
    people: Sequence[Person] = field(default_factory=list)
    exemplar: Exemplar | None = None
    remove: bool = False


def exemplar_errors(exemplar: ExemplarInput, number: int) -> list[str]:
    errors = []
    label = f"第{number}个典型"
    if exemplar.polarity not in Polarity.values:
        errors.append(f"{label}：请选择先进典型或反面典型。")
    if not exemplar.title.strip():
        errors.append(f"{label}：请填写典型名称。")
    if not exemplar.units and not exemplar.people:
        errors.append(f"{label}：请至少选择一个涉及的单位或人员。")
    return errors


def _notice_errors(doc_number, date, title, kind, exclude=None) -> dict:
    errors: dict[str, str] = {}
    if problem := doc_number_error(doc_number, exclude=exclude):
        errors["doc_number"] = problem
    if date is None:
        errors["date"] = "请填写印发日期。"
    if not title:
        errors["title"] = "请填写通报标题。"
    if kind not in NoticeKind.values:
        errors["kind"] = "请选择通报类别。"
    return errors


def _exemplar_create(
    notice: Notice, data: ExemplarInput, order: int, by, note: str = ""
) -> Exemplar:
    exemplar = Exemplar.objects.create(
        notice=notice,
        polarity=data.polarity,
        title=data.title.strip(),
        description=data.description.strip(),
        sort_order=order,
    )
    exemplar.units.set(data.units)
    exemplar.people.set(data.people)
    named = [u.name for u in data.units] + [p.name for p in data.people]
    note = "；".join(n for n in [f"涉及：{'、'.join(named)}", note] if n)
    audit_record(actor=by, obj=exemplar, action=AuditAction.CREATE, note=note)
    return exemplar


@transaction.atomic
def notice_record(
    *,
    campaign: Campaign,
    doc_number: str,
    date: datetime.date,
    title: str,
    kind: str,
    by,
    body: str = "",
    exemplars: Sequence[ExemplarInput] = (),
) -> Notice:
    """Record a notice with the exemplar cases it names, all audited.

    The document number is normalised (spaces removed, the year in 〔〕) and must be unique.
    Raises ValidationError and saves nothing on a duplicate number, a missing field, or an
    exemplar without a name or without any unit or person.
    """
    doc_number, title = normalise_doc_number(doc_number), title.strip()
    errors: dict[str, list[str] | str] = _notice_errors(doc_number, date, title, kind)
    problems = [p for i, e in enumerate(exemplars, 1) for p in exemplar_errors(e, i)]
    if problems:
        errors["__all__"] = problems
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                campaign=campaign,
                doc_number=doc_number,
                date=date,
                title=title,
                body=body.strip(),
                kind=kind,
            )
    except IntegrityError:
        raise ValidationError({"doc_number": f"文号“{doc_number}”已被使用。"}) from None
    audit_record(actor=by, obj=notice, action=AuditAction.CREATE)
    for order, data in enumerate(exemplars):
        _exemplar_create(notice, data, order, by)
    return notice


def _exemplars_summary(exemplars) -> str:
    return "；".join(f"{e.get_polarity_display()}：{e.title}" for e in exemplars)


def _exemplar_update(exemplar: Exemplar, data: ExemplarInput, by, reason: str) -> bool:
    """Change one exemplar as `data` says, audited with its units and people; False when
    nothing differs."""
    before = snapshot(exemplar)
    units_before, people_before = names(exemplar.units.all()), names(exemplar.people.all())
    exemplar.polarity, exemplar.title = data.polarity, data.title.strip()
    exemplar.description = data.description.strip()
    exemplar.save()
    exemplar.units.set(data.units)
    exemplar.people.set(data.people)
    extra = {
        "涉及单位": [units_before, names(data.units)],
        "涉及人员": [people_before, names(data.people)],
    }
    return correction_audit(by=by, obj=exemplar, before=before, reason=reason, extra=extra)


def _exemplars_correct(notice: Notice, exemplars: Sequence[ExemplarInput], by, reason) -> bool:
    note = f"{CORRECTION_NOTE}{reason}"
    changed = False
    order = max((e.sort_order for e in notice.exemplars.all()), default=-1) + 1
    for data in exemplars:
        if data.exemplar is None:
            _exemplar_create(notice, data, order, by, note=note)
            order, changed = order + 1, True
        elif data.remove:
            audit_record(actor=by, obj=data.exemplar, action=AuditAction.DELETE, note=note)
            data.exemplar.delete()
            changed = True
        else:
            changed = _exemplar_update(data.exemplar, data, by, reason) or changed
    return changed


def _correction_problems(notice: Notice, exemplars: Sequence[ExemplarInput]) -> list[str]:
    problems = []
    for number, data in enumerate(exemplars, 1):
        if data.exemplar is not None and data.exemplar.notice_id != notice.pk:
            problems.append(f"第{number}个典型“{data.exemplar.title}”不属于本通报。")
        elif not data.remove:
            problems += exemplar_errors(data, number)
    return problems


@transaction.atomic
def notice_correct(
    *,
    notice: Notice,
    by,
    reason: str,
    campaign: Campaign,
    doc_number: str,
    date: datetime.date,
    title: str,
    kind: str,
    body: str = "",
    exemplars: Sequence[ExemplarInput] = (),
) -> Notice:
    """Correct a notice after entry, with a reason: its fields and the exemplars it names
    (`exemplars` lists the changed ones: new, changed, or `remove`d from the notice). One
    transaction; every changed row is audited with before/after and the reason as its note, the
    notice's entry also listing its exemplars before and after.

    The document number stays unique. Raises ValidationError and saves nothing on a missing
    reason or field, a number another notice uses (naming it), an exemplar of another notice
    or without a name or anyone concerned, or when nothing changes.
    """
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    doc_number, title, reason = normalise_doc_number(doc_number), title.strip(), reason.strip()
    errors: dict = _notice_errors(doc_number, date, title, kind, exclude=notice.pk)
    if problem := reason_error(reason):
        errors["reason"] = problem
    if problems := _correction_problems(notice, exemplars):
        errors["__all__"] = problems
    if errors:
        raise ValidationError(errors)
    before, listed_before = snapshot(notice), _exemplars_summary(notice.exemplars.all())
    notice.campaign, notice.doc_number, notice.date = campaign, doc_number, date
    notice.title, notice.kind, notice.body = title, kind, body.strip()
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        raise ValidationError({"doc_number": f"文号“{doc_number}”已被使用。"}) from None
    changed = _exemplars_correct(notice, exemplars, by, reason)
    extra = {"典型": [listed_before, _exemplars_summary(notice.exemplars.all())]}
    changed = (
        correction_audit(by=by, obj=notice, before=before, reason=reason, extra=extra) or changed
    )
    if not changed:
        raise ValidationError(NOTHING_CHANGED)
    return notice
