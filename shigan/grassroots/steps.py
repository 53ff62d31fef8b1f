"""The rules of a concern's steps and its status — the one place they are defined.

Steps (ConcernStep), strictly in this order, none skipped:
    受理 → 转办 → 办理 → 答复 → 回访 → 办结
- a concern is created at 受理 (its 受理 action written with it);
- 转办 names the unit that handles it and makes it the concern's assigned unit;
- 回访 asks the requester's satisfaction (满意 / 基本满意 / 不满意). 不满意 reopens the
  concern: it goes back to 办理, `reopened` counts one more, and it walks 办理 → 答复 → 回访 again;
  its due date stays (a concern late before it was reopened stays late);
- 办结 only after 答复 and a satisfied (or basically satisfied) 回访.

Due date: `due_on` = `received_on` plus the category's time limit in working days on the
district's calendar (core.workdays add_workdays: the received day itself not counted); a time limit
of 0 is 马上就办 — due the day it was received.

Status, for lists and counts (first match wins):
1. 按时办结 closed on or before its due date;
2. 逾期办结 closed after it;
3. 逾期      not closed and today is past its due date;
4. 临期      not closed and due within NEARING_WORKDAYS working day of today (today or up to
             the next working day);
5. 办理中    otherwise.
`concern_status` computes it for one concern, `status_filter` as a database filter for lists;
the tests hold them to the same answers.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from shigan.core.workdays import WorkCalendar

from .models import ConcernStep, Satisfaction

ORDER = [
    ConcernStep.ACCEPTED,
    ConcernStep.ASSIGNED,
    ConcernStep.HANDLING,
    ConcernStep.ANSWERED,
    ConcernStep.FOLLOWED_UP,
    ConcernStep.CLOSED,
]
NEARING_WORKDAYS = 1


class ConcernStatus(models.TextChoices):
    OPEN = "open", "办理中"
    NEARING = "nearing", "临期"
    OVERDUE = "overdue", "逾期"
    CLOSED_ON_TIME = "closed_on_time", "按时办结"
    CLOSED_LATE = "closed_late", "逾期办结"


def due_date(received_on: datetime.date, limit_workdays: int, calendar: WorkCalendar):
    """The day a concern received on `received_on` is due (0 working days: that very day)."""
    return calendar.add_workdays(received_on, limit_workdays)


def next_step(current: str) -> str | None:
    """The only step that may follow `current` (None after 办结)."""
    index = ORDER.index(current)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def check_step(current: str, step: str, *, to_unit=None, satisfaction: str = "") -> None:
    """Raise ValidationError (in Chinese) unless `step` may be taken at `current`."""
    label = ConcernStep(step).label
    if current == ConcernStep.CLOSED:
        raise ValidationError("该诉求已办结，不能再办理。")
    if step == ConcernStep.CLOSED and ORDER.index(current) < ORDER.index(ConcernStep.FOLLOWED_UP):
        raise ValidationError("尚未答复和回访，不能办结：请先答复诉求人并回访。")
    wanted = next_step(current)
    if step != wanted:
        raise ValidationError(
            f"当前环节为“{ConcernStep(current).label}”，下一步应为“{ConcernStep(wanted).label}”，"
            f"不能{'跳过环节' if ORDER.index(step) > ORDER.index(wanted) else '退回'}办理“{label}”。"
        )
    if step == ConcernStep.ASSIGNED and to_unit is None:
        raise ValidationError("转办须选择承办单位。")
    if step == ConcernStep.FOLLOWED_UP and satisfaction not in Satisfaction.values:
        raise ValidationError("回访须选择诉求人的满意度。")


def step_after(step: str, satisfaction: str = "") -> str:
    """The concern's step once `step` is taken: 不满意 at 回访 sends it back to 办理."""
    if step == ConcernStep.FOLLOWED_UP and satisfaction == Satisfaction.UNSATISFIED:
        return ConcernStep.HANDLING
    return step


def nearing_until(today: datetime.date, calendar: WorkCalendar) -> datetime.date:
    """The last due date counted 临期 today."""
    return calendar.add_workdays(today, NEARING_WORKDAYS)


def concern_status(
    *,
    due_on: datetime.date,
    closed_on: datetime.date | None,
    today: datetime.date,
    calendar: WorkCalendar,
) -> ConcernStatus:
    if closed_on is not None:
        return ConcernStatus.CLOSED_ON_TIME if closed_on <= due_on else ConcernStatus.CLOSED_LATE
    if today > due_on:
        return ConcernStatus.OVERDUE
    if due_on <= nearing_until(today, calendar):
        return ConcernStatus.NEARING
    return ConcernStatus.OPEN


def status_filter(status: str, *, today: datetime.date, calendar: WorkCalendar) -> Q:
    """The concerns of `status` today, as a filter on Concern (the same rules as above)."""
    closed = Q(closed_on__isnull=False)
    nearing = nearing_until(today, calendar)
    return {
        ConcernStatus.CLOSED_ON_TIME: closed & Q(closed_on__lte=models.F("due_on")),
        ConcernStatus.CLOSED_LATE: closed & Q(closed_on__gt=models.F("due_on")),
        ConcernStatus.OVERDUE: ~closed & Q(due_on__lt=today),
        ConcernStatus.NEARING: ~closed & Q(due_on__gte=today, due_on__lte=nearing),
        ConcernStatus.OPEN: ~closed & Q(due_on__gt=nearing),
    }[ConcernStatus(status)]
