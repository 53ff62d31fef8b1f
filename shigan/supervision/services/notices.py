"""Notices (通报) and the exemplar cases (典型) they name."""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit

from ..models import Exemplar, Notice, NoticeKind, Polarity

# GB/T 9704-2012 puts the year of a document number in hexagonal brackets 〔〕; square and
# round variants typed by hand are read as the same number.
YEAR_BRACKETS = re.compile(r"[\[［【(（〔]\s*(\d{4})\s*[\]］】)）〕]")


def normalise_doc_number(text: str) -> str:
    """示作风办 [2023] 3 号 → 示作风办〔2023〕3号."""
    return YEAR_BRACKETS.sub(r"〔\1〕", "".join(text.split()))


def doc_number_error(doc_number: str) -> str | None:
    """Why `doc_number` cannot be used for a new notice, or None."""
    if not doc_number:
        return "请填写文号。"
    existing = Notice.objects.filter(doc_number=doc_number).first()
    if existing is not None:
        return f"文号“{doc_number}”已被通报《{existing.title}》使用，请核对文号。"
    return None


@dataclass
class ExemplarInput:
    """One exemplar case as a form gives it."""

    polarity: str
    title: str
    description: str = ""
    units: Sequence[Unit] = field(default_factory=list)
    people: Sequence[Person] = field(default_factory=list)


def exemplar_errors(exemplar: ExemplarInput, number: int) -> list[str]:
    errors = []
    label = f"第 {number} 个典型"
    if exemplar.polarity not in Polarity.values:
        errors.append(f"{label}：请选择先进典型或反面典型。")
    if not exemplar.title.strip():
        errors.append(f"{label}：请填写典型名称。")
    if not exemplar.units and not exemplar.people:
        errors.append(f"{label}：请至少选择一个涉及的单位或人员。")
    return errors


def _notice_errors(doc_number, date, title, kind) -> dict:
    errors: dict[str, str] = {}
    if problem := doc_number_error(doc_number):
        errors["doc_number"] = problem
    if date is None:
        errors["date"] = "请填写印发日期。"
    if not title:
        errors["title"] = "请填写通报标题。"
    if kind not in NoticeKind.values:
        errors["kind"] = "请选择通报类别。"
    return errors


def _exemplar_create(notice: Notice, data: ExemplarInput, order: int, by) -> Exemplar:
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
    audit_record(
        actor=by, obj=exemplar, action=AuditAction.CREATE, note=f"涉及：{'、'.join(named)}"
    )
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
