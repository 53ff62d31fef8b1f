"""Recording study sessions (学习) and correcting one after entry: a correction changes the
record in place, with a reason that is required and kept in its audit entry's note, so the
session's page shows what changed, who changed it and why."""

import datetime
from collections.abc import Iterable

from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import Person

from ..models import StudyKind, StudySession
from .meetings import _names, _raise, campaign_date_error

REASON_MAX = 500


def _study_errors(campaign: Campaign, topic: str, date, kind: str) -> dict[str, str | None]:
    return {
        "topic": None if topic.strip() else "请填写学习主题。",
        "kind": None if kind in StudyKind.values else "请选择学习形式。",
        "date": campaign_date_error(campaign, date, "学习日期"),
    }


@transaction.atomic
def study_session_record(
    *,
    campaign: Campaign,
    topic: str,
    date: datetime.date | None,
    kind: str,
    by,
    attendees: Iterable[Person] = (),
    notes: str = "",
) -> StudySession:
    """Record a study session with its attendees. Refused, with nothing saved: no topic or kind,
    a date outside the campaign."""
    attendees = list(attendees)
    _raise(_study_errors(campaign, topic, date, kind))
    session = StudySession.objects.create(
        campaign=campaign, topic=topic.strip(), date=date, kind=kind, notes=notes.strip()
    )
    session.attendees.set(attendees)
    audit_record(
        actor=by, obj=session, action=AuditAction.CREATE, note=f"参加人员：{_names(attendees)}"
    )
    return session


@transaction.atomic
def study_session_correct(
    *,
    session: StudySession,
    by,
    reason: str,
    topic: str,
    date: datetime.date | None,
    kind: str,
    attendees: Iterable[Person] = (),
    notes: str = "",
) -> StudySession:
    """Correct a recorded study session. Refused, with nothing changed: no reason (or one over
    500 characters), the rules of study_session_record, a correction that changes nothing.
    Audited with the before/after values and the reason (and the attendees when they change)."""
    session = StudySession.objects.select_for_update().select_related("campaign").get(pk=session.pk)
    attendees = list(attendees)
    reason = reason.strip()
    reason_error = None if reason else "请填写更正原因。"
    if len(reason) > REASON_MAX:
        reason_error = f"更正原因最多{REASON_MAX}个字（现为{len(reason)}个字）。"
    _raise({**_study_errors(session.campaign, topic, date, kind), "reason": reason_error})
    before, names_before = snapshot(session), _names(session.attendees.all())
    session.topic, session.date, session.kind = topic.strip(), date, kind
    session.notes = notes.strip()
    names_after = _names(attendees)
    if snapshot(session) == before and names_before == names_after:
        _raise({"reason": "没有修改任何内容，无需更正。"})
    session.save()
    session.attendees.set(attendees)
    note = f"更正原因：{reason}"
    if names_before != names_after:
        note += f"；参加人员：{names_before} → {names_after}"
    audit_record(actor=by, obj=session, action=AuditAction.UPDATE, before=before, note=note)
    return session
