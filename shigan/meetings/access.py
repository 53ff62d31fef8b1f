"""Who may read and record meetings, their decisions and study sessions.

Meeting series, meetings and study sessions are read by every role and recorded by coordinators
(those of a district below a county are read-only to the county's: orgs.scope.require_own_level);
a meeting's decisions are tracked as tasks and read by whoever reads the task (tasks.access).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from shigan.orgs.scope import (
    at_own_level,
    get_visible,
    has_role,
    is_coordinator,
    reads_everything,
    require_own_level,
    within_district,
)
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task

from .models import Decision, Meeting, MeetingSeries, StudySession


def can_record_meetings(user) -> bool:
    """Coordinators record meetings, their decisions and study sessions; every role reads them."""
    return is_coordinator(user)


def can_correct_meeting_record(user, record) -> bool:
    """Edit a meeting, series or study session (`record.campaign` loaded) or add a meeting's
    decisions: a coordinator, for a record of his own level's campaign (a district's are
    read-only to its county; no query unless his scope holds levels below his own)."""
    return can_record_meetings(user) and at_own_level(user, record.campaign.organiser_id)


def meetings_visible_to(user, records: QuerySet) -> QuerySet:
    """Meeting series, meetings and study sessions are read by every role (an account with no
    role reads none), those of his district's campaigns. A meeting's decisions are scoped
    separately, by decisions_visible_to."""
    if not has_role(user):
        return records.none()
    return within_district(user, records, "campaign__organiser_id")


def get_meeting_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The meeting `pk` (404 if absent or the user has no role); with write=True also 403 unless
    he records meetings."""
    base = queryset if queryset is not None else Meeting.objects.all()
    meeting = get_visible(meetings_visible_to(user, base), pk, "会议不存在。")
    if write and not can_record_meetings(user):
        raise PermissionDenied("只有专班可以录入会议。")
    if write:
        require_own_level(user, meeting, "campaign__organiser_id")
    return meeting


def _recorded(user, model, pk, *, write: bool, queryset: QuerySet | None, missing: str):
    base = queryset if queryset is not None else model.objects.all()
    record = get_visible(meetings_visible_to(user, base), pk, missing)
    if write and not can_record_meetings(user):
        raise PermissionDenied("只有专班可以设置会议系列和录入学习。")
    if write:
        require_own_level(user, record, "campaign__organiser_id")
    return record


def get_series_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The meeting series `pk` (404 if absent or outside the user's meetings); with write=True
    also 403 unless he records meetings."""
    return _recorded(
        user, MeetingSeries, pk, write=write, queryset=queryset, missing="会议系列不存在。"
    )


def get_study_session_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The study session `pk` (404 if absent or outside the user's meetings); with write=True
    (a correction) also 403 unless he records meetings."""
    return _recorded(
        user, StudySession, pk, write=write, queryset=queryset, missing="学习记录不存在。"
    )


def decisions_visible_to(user, decisions: QuerySet) -> QuerySet:
    """Decisions whose tasks the user may read (tasks_visible_to)."""
    if reads_everything(user):
        return within_district(user, decisions, "meeting__campaign__organiser_id")
    return decisions.filter(task__in=tasks_visible_to(user, Task.objects.all()))


def get_decision_for_user(user, pk, *, queryset: QuerySet | None = None):
    """The decision `pk` if the user may read its task; 404 otherwise."""
    base = queryset if queryset is not None else Decision.objects.all()
    return get_visible(decisions_visible_to(user, base), pk, "议定事项不存在或无权查看。")
