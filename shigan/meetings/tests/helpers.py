"""Building meetings and decisions for tests, through the services (so through their rules)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.meetings.models import Cadence, Meeting, MeetingKind, MeetingSeries
from shigan.meetings.services import decision_record, meeting_record
from shigan.orgs.models import Person
from shigan.tasks.models import ChangeKind, Task
from shigan.tasks.services.changes import change_request_create, change_request_decide

D = datetime.date
SERIES_START = D(2023, 2, 1)
MEETING_DAY = D(2023, 2, 8)
YEAR_END = D(2023, 12, 31)


def pdf(name: str = "纪要.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def make_series(
    world,
    *,
    name: str = "区作风专班月度碰头会",
    cadence: str = Cadence.MONTHLY,
    start: datetime.date = SERIES_START,
    end: datetime.date | None = None,
) -> MeetingSeries:
    return MeetingSeries.objects.create(
        name=name,
        campaign=world.campaign,
        cadence=cadence,
        organiser=world.district,
        chair=world.leader_person,
        active_from=start,
        active_to=end,
    )


def make_meeting(
    world,
    *,
    series: MeetingSeries | None = None,
    date: datetime.date = MEETING_DAY,
    kind: str = MeetingKind.TASK_FORCE,
    title: str = "碰头会",
    files=(),
) -> Meeting:
    return meeting_record(
        campaign=world.campaign,
        series=series,
        kind=kind,
        title=title,
        date=date,
        chair=world.leader_person,
        by=world.coordinator,
        attendees=Person.objects.all(),
        agenda="听取汇报",
        minutes="会议纪要正文",
        files=files,
    )


def make_decision(
    world,
    meeting: Meeting,
    *,
    title: str = "议定事项",
    unit=None,
    due: datetime.date = YEAR_END,
):
    return decision_record(
        meeting=meeting,
        by=world.coordinator,
        title=title,
        target="工作要求",
        lead_unit=unit or world.unit_a,
        leader=world.leader_person,
        due_date=due,
    )


def approve(world, task: Task, kind: str = ChangeKind.COMPLETE) -> None:
    """Complete or cancel a task the way users do: the lead unit's reporter asks, the coordinator
    approves."""
    requester = world.reporter_a if task.lead_unit_id == world.unit_a.pk else world.coordinator
    request = change_request_create(task=task, by=requester, kind=kind, reason="已落实")
    change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")
