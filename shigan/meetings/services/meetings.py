"""Recording meetings and their decisions (议定事项).

Every service checks its whole input first and raises one ValidationError, keyed by field, before
writing anything; each record it writes goes to the audit trail. A decision is created as a
tracked item (tasks.services.items.tracked_item_create), so its progress reports, change requests
and battle-map place are the tasks app's. Meeting files are accepted, stored and served as
core.files has it.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record, snapshot
from shigan.core.files import files_discarded_on_error, upload_errors
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit
from shigan.tasks.models import TaskOrigin
from shigan.tasks.services.items import tracked_item_create
from shigan.tasks.services.tasks import supporting_error

from ..models import (
    Decision,
    Meeting,
    MeetingFile,
    MeetingKind,
    MeetingSeries,
)

DUPLICATE_MESSAGE = "“{series}”在{date}已有一次会议，请勿重复录入。"


def _names(people: Iterable[Person]) -> str:
    return "、".join(p.name for p in sorted(people, key=lambda p: (p.sort_order, p.pk))) or "无"


def _raise(errors: dict[str, str | None]) -> None:
    found = {field: message for field, message in errors.items() if message}
    if found:
        raise ValidationError(found)


def campaign_date_error(campaign: Campaign, day: datetime.date | None, what: str) -> str | None:
    if day is None:
        return f"请填写{what}。"
    if not campaign.start_date <= day <= campaign.end_date:
        return f"{what}{day}不在活动起止日期（{campaign.start_date}至{campaign.end_date}）之内。"
    return None


def series_error(
    series: MeetingSeries | None,
    campaign: Campaign,
    day: datetime.date | None,
    meeting: Meeting | None = None,
) -> tuple[str | None, str | None]:
    """(problem with the series, problem with the date in that series) for a meeting on `day`."""
    if series is None:
        return None, None
    if series.campaign_id != campaign.pk:
        return f"会议系列“{series.name}”不属于活动“{campaign}”。", None
    if day is None:
        return None, None
    if not series.active_from <= day <= series.ends_on:
        return None, (
            f"会议日期{day}不在“{series.name}”的起止日期"
            f"（{series.active_from}至{series.ends_on}）之内。"
        )
    same_day = Meeting.objects.filter(series=series, date=day)
    if meeting is not None:
        same_day = same_day.exclude(pk=meeting.pk)
    if same_day.exists():
        return None, DUPLICATE_MESSAGE.format(series=series.name, date=day)
    return None, None


def _check_meeting(fields: dict, files: list, meeting: Meeting | None) -> None:
    campaign, day, series = fields["campaign"], fields["date"], fields["series"]
    series_problem, date_problem = series_error(series, campaign, day, meeting)
    _raise(
        {
            "title": None if fields["title"].strip() else "请填写会议名称。",
            "kind": None if fields["kind"] in MeetingKind.values else "请选择会议类型。",
            "chair": None if fields["chair"] is not None else "请选择会议主持人。",
            "date": campaign_date_error(campaign, day, "会议日期") or date_problem,
            "series": series_problem,
            "files": " ".join(upload_errors(files)) or None,
        }
    )


def _save(meeting: Meeting) -> None:
    # The partial unique index uniq_series_meeting_date settles a race between two recorders.
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        message = DUPLICATE_MESSAGE.format(series=meeting.series, date=meeting.date)
        raise ValidationError({"date": message}) from None


def _store_files(meeting: Meeting, files: list, by) -> None:
    with files_discarded_on_error() as stored:
        for upload in files:
            meeting_file = MeetingFile(meeting=meeting)
            meeting_file.store(upload, by=by)
            stored.append(meeting_file)


@transaction.atomic
def meeting_record(
    *,
    campaign: Campaign,
    series: MeetingSeries | None,
    kind: str,
    title: str,
    date: datetime.date,
    chair: Person | None,
    by,
    attendees: Iterable[Person] = (),
    agenda: str = "",
    minutes: str = "",
    files: Iterable = (),
) -> Meeting:
    """Record a meeting with its attendees and files. Refused, with nothing saved: no title, kind
    or chair; a date outside the campaign or the series' active dates; a second meeting of the
    same series on the same day; a file of a refused type or size."""
    fields = dict(campaign=campaign, series=series, kind=kind, title=title, date=date, chair=chair)
    files, attendees = list(files), list(attendees)
    _check_meeting(fields, files, None)
    meeting = Meeting(**fields, agenda=agenda.strip(), minutes=minutes.strip())
    meeting.title = title.strip()
    _save(meeting)
    meeting.attendees.set(attendees)
    audit_record(
        actor=by, obj=meeting, action=AuditAction.CREATE, note=f"参会人员：{_names(attendees)}"
    )
    _store_files(meeting, files, by)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    campaign: Campaign,
    series: MeetingSeries | None,
    kind: str,
    title: str,
    date: datetime.date,
    chair: Person | None,
    by,
    attendees: Iterable[Person] = (),
    agenda: str = "",
    minutes: str = "",
    files: Iterable = (),
) -> Meeting:
    """Change a meeting's record under the same rules as meeting_record; files are added to the
    ones it has. The before/after values, attendees included, are audited."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    fields = dict(campaign=campaign, series=series, kind=kind, title=title, date=date, chair=chair)
    files, attendees = list(files), list(attendees)
    _check_meeting(fields, files, meeting)
    if date != meeting.date and meeting.decisions.exists():
        # A decision's task starts on its meeting's date; moving the meeting would move tasks.
        _raise({"date": "该会议已有议定事项，不能修改会议日期（议定事项的开始日期即会议日期）。"})
    before, names_before = snapshot(meeting), _names(meeting.attendees.all())
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.title, meeting.agenda, meeting.minutes = title.strip(), agenda.strip(), minutes.strip()
    _save(meeting)
    meeting.attendees.set(attendees)
    names_after = _names(attendees)
    note = f"参会人员：{names_before} → {names_after}" if names_before != names_after else ""
    audit_record(actor=by, obj=meeting, action=AuditAction.UPDATE, before=before, note=note)
    _store_files(meeting, files, by)
    return meeting


def decision_errors(
    meeting: Meeting,
    *,
    title: str,
    lead_unit: Unit | None,
    due_date: datetime.date | None,
    supporting_units: list[Unit],
) -> dict[str, str | None]:
    due_problem = None
    if due_date is None:
        due_problem = "请填写完成时限。"
    elif due_date < meeting.date:
        due_problem = f"完成时限{due_date}早于会议日期{meeting.date}。"
    return {
        "title": None if title.strip() else "请填写议定事项。",
        "lead_unit": None if lead_unit is not None else "请选择牵头单位。",
        "due_date": due_problem,
        "supporting_units": supporting_error(lead_unit, supporting_units) if lead_unit else None,
    }


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    by,
    title: str,
    target: str,
    lead_unit: Unit | None,
    leader: Person | None,
    due_date: datetime.date | None,
    supporting_units: Iterable[Unit] = (),
) -> Decision:
    """Record a decision of `meeting` as a tracked item starting on the meeting's date, numbered
    next in the meeting. Refused, with nothing saved: no title or lead unit, no deadline or one
    before the meeting date, the lead unit also among the supporting units."""
    meeting = Meeting.objects.select_for_update().select_related("campaign").get(pk=meeting.pk)
    supporting_units = list(supporting_units)
    _raise(
        decision_errors(
            meeting,
            title=title,
            lead_unit=lead_unit,
            due_date=due_date,
            supporting_units=supporting_units,
        )
    )
    task = tracked_item_create(
        campaign=meeting.campaign,
        origin=TaskOrigin.DECISION,
        title=title.strip(),
        target=target.strip(),
        lead_unit=lead_unit,
        leader=leader,
        start_date=meeting.date,
        due_date=due_date,
        by=by,
        supporting_units=supporting_units,
    )
    last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
    decision = Decision.objects.create(meeting=meeting, number=last + 1, task=task)
    audit_record(actor=by, obj=decision, action=AuditAction.CREATE, task_id=task.pk)
    return decision
