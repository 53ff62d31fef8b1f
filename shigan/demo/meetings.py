"""The demo district's meetings, decisions and study sessions (the seed's 动员会 on 2023-02-08,
领导小组每季度会议, 专班每月碰头会, 党委中心组学习 and 集中学习), as of the demo's day.

Everything is written through this app's services, so it is validated and audited like user
input; a decision completed in the demo is completed through the tasks app's change-request
approval (办结销号), then dated back to the day it happened. People and units are looked up by the
demo loader's keys, falling back to the first suitable record, so the function works whatever
names the loader uses.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction, AuditSource
from shigan.meetings.models import Cadence, MeetingKind, MeetingSeries, StudyKind
from shigan.meetings.services import decision_record, meeting_record, study_session_record
from shigan.orgs.models import Person, Role, Unit, UnitKind
from shigan.tasks.models import ChangeKind, ChangeRequest, Task, TaskState
from shigan.tasks.services.changes import change_request_create, change_request_decide

from .base import AUDIT_NOTE, DEMO_TODAY

D = datetime.date

MOBILISATION_AGENDA = """一、为什么抓：传达贯彻县委、县政府关于开展作风建设“实干年”活动的文件精神，讲清开展活动的重要意义。
二、抓什么：明确“跑好第一棒、实干开新局”的目标任务，部署“实干年”任务清单。
三、怎么抓：党委班子成员对分管部门负责，一级抓一级、一级带一级；领导小组每季度召开工作会议，区作风专班每月召开碰头会。"""

MOBILISATION_MINUTES = (
    "区党委召开“实干年”活动动员会议，传达贯彻了县委、县政府文件精神，安排部署了我区“实干年”活动，"
    "着重从“为什么抓”、“抓什么”、“怎么抓”三个方面进行宣讲，使“实干年”活动有组织、有计划、"
    "有步骤、有目的地进行。"
)


@dataclass(frozen=True)
class DecisionData:
    title: str
    lead_unit: str
    leader: str
    due: datetime.date
    completed_on: datetime.date | None = None
    target: str = ""


@dataclass(frozen=True)
class MeetingData:
    series: str | None
    kind: str
    title: str
    date: datetime.date
    chair: str
    attendees: tuple[str, ...]
    agenda: str
    minutes: str
    decisions: tuple[DecisionData, ...] = ()


LEADERS = ("secretary", "chief", "deputy_secretary", "vice_chief", "discipline", "organisation")
TASK_FORCE = ("task_force_head", "inspector", "office_head")
UNIT_HEADS = ("transport_head", "water_head", "investment_head", "economy_head", "agriculture_head")

SERIES = {
    "leading_group": (
        "“实干年”活动领导小组季度工作会议",
        Cadence.QUARTERLY,
        "district",
        "secretary",
        D(2023, 2, 8),
    ),
    "task_force": (
        "区作风专班月度碰头会",
        Cadence.MONTHLY,
        "task_force",
        "task_force_head",
        D(2023, 2, 1),
    ),
}


def _lg(date, title, minutes, *decisions) -> MeetingData:
    return MeetingData(
        "leading_group",
        MeetingKind.LEADING_GROUP,
        title,
        date,
        "secretary",
        LEADERS + TASK_FORCE,
        "听取“实干年”活动开展情况汇报；研究解决活动推进中的问题；安排部署下一阶段工作。",
        minutes,
        decisions,
    )


def _tf(date, month: int, *decisions) -> MeetingData:
    return MeetingData(
        "task_force",
        MeetingKind.TASK_FORCE,
        f"区作风专班{month}月碰头会",
        date,
        "task_force_head",
        TASK_FORCE + UNIT_HEADS,
        "听取各责任单位“实干年”任务清单推进情况汇报；梳理滞后事项；研究相关问题。",
        f"会议听取了{month}月各责任单位任务推进情况，对照挂图作战清单逐项梳理，明确了下步工作要求。",
        decisions,
    )


MEETINGS: list[MeetingData] = [
    MeetingData(
        None,
        MeetingKind.MOBILISATION,
        "区党委召开“实干年”活动动员会议",
        D(2023, 2, 8),
        "secretary",
        LEADERS + TASK_FORCE + UNIT_HEADS,
        MOBILISATION_AGENDA,
        MOBILISATION_MINUTES,
        (
            DecisionData(
                "建立“实干年”任务清单，实行挂图作战",
                "task_force",
                "secretary",
                D(2023, 2, 28),
                D(2023, 2, 27),
                "梳理全区“实干年”重点任务，逐项明确牵头单位、责任领导和完成时限。",
            ),
        ),
    ),
    _tf(D(2023, 2, 24), 2),
    _tf(D(2023, 3, 30), 3),
    _lg(
        D(2023, 3, 28),
        "“实干年”活动领导小组第一季度工作会议",
        "会议听取了一季度“实干年”活动开展情况汇报，研究了兴业大道建设、油茶种植等重点工作。",
        DecisionData(
            "完成兴业大道专项债项目规划设计和实地测量",
            "transport",
            "vice_chief",
            D(2023, 6, 30),
            D(2023, 6, 20),
        ),
        DecisionData(
            "制定油茶种植推进方案，落实2000亩种植面积",
            "agriculture",
            "deputy_secretary",
            D(2023, 12, 31),
        ),
    ),
    _tf(
        D(2023, 4, 27),
        4,
        DecisionData(
            "开展作风建设专项督查", "task_force", "discipline", D(2023, 5, 31), D(2023, 5, 26)
        ),
    ),
    _tf(
        D(2023, 5, 30),
        5,
        DecisionData(
            "梳理零傲、佳仑、宏羽、楚汉源等重点企业用工用地需求，形成帮扶清单",
            "economy",
            "chief",
            D(2023, 6, 30),
        ),
    ),
    _lg(
        D(2023, 6, 27),
        "“实干年”活动领导小组第二季度工作会议",
        "会议听取了上半年“实干年”活动开展情况汇报，研究部署下半年重点工作。",
        DecisionData("8月底前完成兴业大道项目整体方案", "transport", "vice_chief", D(2023, 8, 31)),
        DecisionData(
            "推进清凉河治理二期工程纳入全县重点项目建设并启动堤防建设",
            "water",
            "vice_chief",
            D(2023, 10, 31),
        ),
    ),
    _tf(
        D(2023, 6, 29),
        6,
        DecisionData(
            "整理上半年“实干年”主题宣传报道，报送县作风办",
            "office",
            "organisation",
            D(2023, 7, 15),
            D(2023, 7, 14),
        ),
    ),
    _tf(
        D(2023, 7, 28),
        7,
        DecisionData(
            "起草“实干年”活动半年总结及下一步工作计划", "office", "secretary", D(2023, 8, 10)
        ),
    ),
]

STUDY_SESSIONS = [
    (
        D(2023, 2, 20),
        StudyKind.CENTRAL_GROUP,
        "学习党的二十大精神",
        LEADERS,
        "推动学习贯彻党的二十大精神走深走实、入脑入心。",
    ),
    (
        D(2023, 3, 15),
        StudyKind.COLLECTIVE,
        "党员干部集中学习作风建设“实干年”活动实施方案",
        None,
        "逐条学习实施方案，明确“跑好第一棒、实干开新局”的目标任务。",
    ),
    (
        D(2023, 4, 18),
        StudyKind.CENTRAL_GROUP,
        "学习新时代中国特色社会主义思想",
        LEADERS,
        "坚持理论联系实际，把学习成效转化为工作实效。",
    ),
    (
        D(2023, 5, 25),
        StudyKind.COLLECTIVE,
        "学习整治形式主义为基层减负有关规定",
        None,
        "对照有关规定查摆问题，坚决反对弄虚作假。",
    ),
    (
        D(2023, 6, 20),
        StudyKind.CENTRAL_GROUP,
        "巩固深化党史学习教育成果",
        LEADERS,
        "认真落实党委中心组学习制度，巩固深化党史学习教育成果。",
    ),
]


@dataclass(frozen=True)
class MeetingsDemoSummary:
    series: int
    meetings: int
    decisions: int
    completed: int
    study_sessions: int


class _Lookup:
    """People and units by the demo loader's keys, with a fallback to the first suitable one."""

    def __init__(self, people: dict[str, Person], units: dict[str, Unit]):
        self.people, self.units = people, units
        self.leaders = [p for p in people.values() if p.role == Role.LEADER] or list(
            people.values()
        )

    def person(self, key: str) -> Person:
        if key in self.people:
            return self.people[key]
        if key in LEADERS and self.leaders:
            return self.leaders[0]
        wanted = Role.COORDINATOR if key in TASK_FORCE else None
        found = [p for p in self.people.values() if wanted and p.role == wanted]
        return (found or self.leaders or list(Person.objects.all()[:1]))[0]

    def group(self, keys) -> list[Person]:
        return list(dict.fromkeys(self.person(k) for k in keys)) if keys else []

    def unit(self, key: str) -> Unit:
        if key in self.units:
            return self.units[key]
        kinds = {"district": UnitKind.PARTY_GOVERNMENT, "task_force": UnitKind.TASK_FORCE}
        found = [u for u in self.units.values() if u.kind == kinds.get(key, UnitKind.OFFICE)]
        return (found or list(self.units.values()) or list(Unit.objects.all()[:1]))[0]

    def user_for(self, unit: Unit, by):
        """Who files a completion request for a unit's item: its reporter, else a coordinator."""
        for role in (Role.REPORTER, Role.COORDINATOR):
            for person in self.people.values():
                if (
                    person.user_id
                    and person.role == role
                    and (role == Role.COORDINATOR or person.unit_id == unit.pk)
                ):
                    return person.user
        return by


def _complete(task: Task, on: datetime.date, lookup: _Lookup, by) -> None:
    """Complete a decision's task through 办结销号 approval, dated back to `on`. Without any
    account to file and approve the request, the state is set directly and audited."""
    requester = lookup.user_for(task.lead_unit, by)
    approver = by or lookup.user_for(lookup.unit("task_force"), None)
    if requester is None or approver is None:
        before = snapshot(task)
        task.state, task.closed_on = TaskState.COMPLETED, on
        task.save(update_fields=["state", "closed_on", "updated_at"])
        audit_record(
            actor=None,
            obj=task,
            action=AuditAction.APPROVE,
            before=before,
            note=AUDIT_NOTE,
            source=AuditSource.DEMO,
        )
        return
    request = change_request_create(
        task=task, by=requester, kind=ChangeKind.COMPLETE, reason="议定事项已落实，申请办结销号。"
    )
    change_request_decide(change_request=request, by=approver, approve=True, note="同意办结。")
    # The approval is dated today by the tasks app; the demo dates it to when it happened.
    when = timezone.make_aware(datetime.datetime.combine(on, datetime.time(17, 0)))
    ChangeRequest.objects.filter(pk=request.pk).update(requested_at=when, decided_at=when)
    Task.objects.filter(pk=task.pk).update(closed_on=on)


def _series(campaign: Campaign, lookup: _Lookup, by) -> dict[str, MeetingSeries]:
    created = {}
    for order, (key, (name, cadence, unit, chair, start)) in enumerate(SERIES.items()):
        series = MeetingSeries.objects.create(
            name=name,
            campaign=campaign,
            cadence=cadence,
            organiser=lookup.unit(unit),
            chair=lookup.person(chair),
            active_from=start,
            sort_order=order,
        )
        audit_record(actor=by, obj=series, action=AuditAction.CREATE, note=AUDIT_NOTE)
        created[key] = series
    return created


@transaction.atomic
def load_meetings_demo(
    *,
    campaign: Campaign,
    people: dict[str, Person],
    units: dict[str, Unit],
    by=None,
    today: datetime.date = DEMO_TODAY,
) -> MeetingsDemoSummary:
    """Create the demo's meeting series, the meetings held on or before `today` with their
    decisions (completed ones approved through 办结销号), and the study sessions held by then."""
    lookup = _Lookup(people, units)
    series = _series(campaign, lookup, by)
    meetings = decisions = completed = 0
    for data in (m for m in MEETINGS if m.date <= today):
        meeting = meeting_record(
            campaign=campaign,
            series=series[data.series] if data.series else None,
            kind=data.kind,
            title=data.title,
            date=data.date,
            chair=lookup.person(data.chair),
            by=by,
            attendees=lookup.group(data.attendees),
            agenda=data.agenda,
            minutes=data.minutes,
        )
        meetings += 1
        for item in data.decisions:
            decision = decision_record(
                meeting=meeting,
                by=by,
                title=item.title,
                target=item.target,
                lead_unit=lookup.unit(item.lead_unit),
                leader=lookup.person(item.leader),
                due_date=item.due,
            )
            decisions += 1
            if item.completed_on and item.completed_on <= today:
                _complete(decision.task, item.completed_on, lookup, by)
                completed += 1
    sessions = 0
    for day, kind, topic, attendee_keys, notes in (s for s in STUDY_SESSIONS if s[0] <= today):
        attendees = lookup.group(attendee_keys) if attendee_keys else list(people.values())
        study_session_record(
            campaign=campaign,
            topic=topic,
            date=day,
            kind=kind,
            by=by,
            attendees=attendees,
            notes=notes,
        )
        sessions += 1
    return MeetingsDemoSummary(len(series), meetings, decisions, completed, sessions)
