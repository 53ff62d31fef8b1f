"""The demo district's 我为群众办实事 items, reception rota, pairings and practice activities,
January to July 2023: four promised items tracked as tasks (one closed with its evidence and
回访, one awaiting its 回访, one late), a monthly reception day of the district's leaders (the May
one not held: 未开展), five cadres paired with households, a village and an enterprise (one not
visited for over 90 days on the demo's day), and three named practice activities with their
events.

Everything goes through the services; the dates the services stamp with the real clock (the
closing) are then set to the demo's 2023 days. Deterministic: no random draw."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.models import (
    Concern,
    ConcernAction,
    ConcernCategory,
    ConcernKind,
    ConcernSource,
    ConcernStep,
    PairingTargetKind,
    PlaceKind,
    PracticeEvent,
    PromiseFollowUp,
    ReceptionDay,
    Satisfaction,
    VisitKind,
)
from shigan.grassroots.services.concerns import ConcernInput, concern_step, concerns_create
from shigan.grassroots.services.pairing import pairing_create
from shigan.grassroots.services.practice import practice_activity_create, practice_event_record
from shigan.grassroots.services.promises import promise_create, promise_follow_up_record
from shigan.grassroots.services.reception import reception_day_save
from shigan.grassroots.services.visits import visit_record
from shigan.orgs.models import Person, Unit
from shigan.tasks.models import ChangeKind, ChangeRequest, Task
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.services.tasks import MilestoneInput

D = datetime.date

# fmt: off
# (title, target, unit key, leader key, start, due, milestones)
PROMISES = [
    ("兴业社区老旧小区加装电梯", "为兴业社区3栋老旧住宅加装电梯，解决老年居民上下楼难",
     "planning", "vice_chief", D(2023, 2, 15), D(2023, 10, 31),
     [("完成居民意见征集和设计", D(2023, 4, 30)), ("首台电梯投入使用", D(2023, 8, 31))]),
    ("清凉村村组道路硬化3.2公里", "硬化清凉村三组、五组通组道路，解决雨天出行难",
     "transport", "vice_chief", D(2023, 1, 10), D(2023, 6, 30),
     [("完成招标", D(2023, 3, 15)), ("完成路基", D(2023, 5, 15))]),
    ("新场村安全饮水巩固提升", "新建加压泵站一座、改造管网5公里，解决高峰时段水压不足",
     "water", "vice_chief", D(2023, 3, 1), D(2023, 7, 20),
     [("泵站主体完工", D(2023, 6, 15))]),
    ("灵活就业人员参保补贴“一站办”", "在兴业社区党群服务中心设立参保补贴窗口，材料一次提交",
     "economy", "chief", D(2023, 3, 1), D(2023, 9, 30), []),
]
CLOSED, AWAITING_FOLLOW_UP = 1, 0
YEAR_START = D(2023, 1, 3)

# (date, leader key, place, held, visitors)
ROTA = [
    (D(2023, 1, 11), "secretary", "区信访接待中心", True, 14),
    (D(2023, 2, 15), "chief", "区信访接待中心", True, 11),
    (D(2023, 3, 15), "deputy_secretary", "清凉村党群服务中心", True, 9),
    (D(2023, 4, 12), "vice_chief", "区信访接待中心", True, 12),
    (D(2023, 5, 17), "secretary", "新场村村委会", False, 0),
    (D(2023, 6, 14), "chief", "兴业社区党群服务中心", True, 16),
    (D(2023, 7, 12), "deputy_secretary", "区信访接待中心", True, 8),
    (D(2023, 8, 16), "vice_chief", "区信访接待中心", False, 0),
    (D(2023, 9, 13), "secretary", "区信访接待中心", False, 0),
]

# Concerns received on reception days: (day, category, requester, what, unit key, closed on)
RECEIVED = [
    (D(2023, 6, 14), "供水排水", "刘女士", "兴业社区5栋二次供水水箱清洗不及时", "water", D(2023, 6, 20)),
    (D(2023, 6, 14), "就业社保", "陈先生", "咨询失地农民养老保险补缴政策", "economy", D(2023, 6, 16)),
    (D(2023, 7, 12), "道路交通", "赵老伯", "新场村通村公路弯道缺少护栏", "transport", None),
]

# (cadre key, target kind, target, place unit key, started, visits: (date, what was done))
PAIRINGS = [
    ("transport_head", PairingTargetKind.HOUSEHOLD, "清凉村三组 王大爷家", "qingliang",
     D(2023, 1, 5), [(D(2023, 2, 8), "帮助申请临时救助，协调修缮漏雨屋顶"),
                     (D(2023, 5, 10), "跟进屋顶修缮完工，送去夏季防汛物资"),
                     (D(2023, 7, 12), "协助办理医保慢特病认定")]),
    ("water_head", PairingTargetKind.VILLAGE, "新场村", "xinchang",
     D(2023, 1, 5), [(D(2023, 3, 1), "调研高峰时段水压不足，确定加压泵站选址"),
                     (D(2023, 6, 20), "现场查看泵站建设进度，解决用地协调问题")]),
    ("investment_head", PairingTargetKind.ENTERPRISE, "零傲科技有限公司", None,
     D(2023, 1, 16), [(D(2023, 2, 20), "协调解决用工招聘，对接区人社局招聘会"),
                      (D(2023, 5, 18), "为企业申报高新技术企业认定提供辅导")]),
    ("agriculture_head", PairingTargetKind.HOUSEHOLD, "新场村五组 李阿姨家", "xinchang",
     D(2023, 2, 1), [(D(2023, 3, 8), "帮助联系农技员指导蔬菜大棚种植")]),
    ("economy_head", PairingTargetKind.VILLAGE, "兴业社区", "xingye",
     D(2023, 6, 1), []),
]

ACTIVITIES = [
    ("红色屋场", "在村组屋场召开群众会，宣讲政策、听取意见、现场解决问题"),
    ("美好环境与幸福生活共同缔造", "发动群众共谋共建共管共评共享，改善人居环境"),
    ("下基层察民情解民忧暖民心", "机关干部下沉村（社区），走访群众、解决急难愁盼"),
]
# (activity index, date, place, organiser key, participants, beneficiaries, summary)
EVENTS = [
    (0, D(2023, 2, 24), "清凉村三组屋场", "agriculture", 46, 120, "宣讲春耕备耕政策，收集道路硬化意见6条"),
    (0, D(2023, 4, 21), "新场村五组屋场", "water", 38, 95, "通报安全饮水工程进度，现场答复水压问题"),
    (0, D(2023, 6, 16), "兴业社区小区广场", "economy", 52, 160, "宣讲灵活就业参保补贴政策，现场受理12件"),
    (1, D(2023, 3, 18), "清凉村", "agriculture", 85, 300, "村庄清洁行动，清理房前屋后垃圾40余吨"),
    (1, D(2023, 5, 20), "兴业社区", "planning", 60, 420, "老旧小区改造方案居民议事会，确定加装电梯楼栋"),
    (1, D(2023, 7, 8), "新场村", "water", 44, 260, "共建村级供水管护队，签订管护公约"),
    (2, D(2023, 3, 10), "新场村", "transport", 18, 35, "走访农户20户，收集道路、饮水诉求"),
    (2, D(2023, 5, 26), "零傲科技有限公司", "investment", 12, 80, "现场办公解决企业用工和物流通道问题"),
]
# fmt: on


@dataclass(frozen=True)
class ActivitiesDemo:
    promises: int
    reception_days: int
    pairings: int
    events: int


def load_activities_demo(
    *,
    campaign: Campaign,
    units: dict[str, Unit],
    people: dict[str, Person],
    users: dict[str, object],
    today: datetime.date,
) -> ActivitiesDemo:
    """The ledger's 办实事 items, reception rota, pairings and practice activities up to
    `today` (2023-07-31 in the demo)."""
    coordinator = users["zhuanban"]
    promises = _promises(campaign, units, people, users, coordinator, today)
    for date, leader, place, held, visitors in ROTA:
        reception_day_save(
            day=None, campaign=campaign, by=coordinator, date=date, leader=people[leader],
            place=place, held=held and date <= today, visitors=visitors if date <= today else 0,
            note="接待群众来访，现场答复和交办。" if held and date <= today else "",
        )  # fmt: skip
    _received(campaign, units, coordinator, today)
    pairings = _pairings(campaign, units, people, coordinator, today)
    events = _events(campaign, units, coordinator, today)
    _dated(campaign, promises)
    return ActivitiesDemo(len(promises), len(ROTA), pairings, events)


def _promises(campaign, units, people, users, coordinator, today) -> list[Task]:
    """The 办实事 items; the 回访 and the closing only when they happened by the demo's day (and
    by the clock the services check: a 回访 is never recorded ahead of today)."""
    known = min(today, clock.today())
    tasks = []
    for title, target, unit, leader, start, due, milestones in PROMISES:
        task = promise_create(
            campaign=campaign, by=coordinator, title=title, target=target,
            lead_unit=units[unit], leader=people[leader], start_date=start, due_date=due,
            milestones=[MilestoneInput(name, on) for name, on in milestones],
        )  # fmt: skip
        tasks.append(task)
    if known >= D(2023, 7, 7):
        _close(tasks[CLOSED], users["tianbao"], coordinator)
    if known < D(2023, 7, 25):
        return tasks
    promise_follow_up_record(
        task=tasks[AWAITING_FOLLOW_UP], by=coordinator, on=D(2023, 7, 25),
        result="已完成2栋居民意见征集，居民盼早日动工", satisfaction=Satisfaction.BASIC,
    )  # fmt: skip
    return tasks


def _close(task: Task, reporter, coordinator) -> None:
    """The road: finished in June, 回访 in July, 办结销号 with the acceptance report."""
    report = SimpleUploadedFile(
        "清凉村道路硬化验收报告.pdf", b"%PDF-1.4\n% demo\n", content_type="application/pdf"
    )
    request = change_request_create(
        task=task, by=reporter, kind=ChangeKind.COMPLETE,
        reason="3.2公里道路硬化已于6月28日完工并通过验收。", files=[report],
    )  # fmt: skip
    promise_follow_up_record(
        task=task, by=coordinator, on=D(2023, 7, 6),
        result="走访沿线15户群众，均反映出行方便了，希望加装路灯", satisfaction=Satisfaction.SATISFIED,
    )  # fmt: skip
    change_request_decide(change_request=request, by=coordinator, approve=True, note="同意办结。")
    # The tasks app dates the request and approval now; the demo dates them to when they happened.
    ChangeRequest.objects.filter(pk=request.pk).update(
        requested_at=_at(D(2023, 7, 3), 10), decided_at=_at(D(2023, 7, 7), 15)
    )
    Task.objects.filter(pk=task.pk).update(closed_on=D(2023, 7, 7))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _received(campaign, units, coordinator, today) -> None:
    """A few concerns received on reception days, when the district has its concern categories
    (load_concerns_demo creates them: call this loader after it)."""
    categories = {c.name: c for c in ConcernCategory.objects.filter(district=units["district"])}
    for day, category, name, what, unit, closed in RECEIVED:
        if category not in categories or day > today:
            continue
        reception_day = ReceptionDay.objects.get(campaign=campaign, date=day)
        item = ConcernInput(kind=ConcernKind.REQUEST, category=categories[category],
                            requester_name=name, content=what, assigned_unit=units[unit])  # fmt: skip
        [concern] = concerns_create(
            campaign=campaign, items=[item], by=coordinator, source=ConcernSource.RECEPTION,
            received_on=day, reception_day=reception_day,
        )  # fmt: skip
        if closed is None:
            continue
        for step, note in [(ConcernStep.HANDLING, "已安排办理"), (ConcernStep.ANSWERED, "已答复")]:
            concern_step(concern=concern, by=coordinator, step=step, on=closed, note=note)
        concern_step(concern=concern, by=coordinator, step=ConcernStep.FOLLOWED_UP, on=closed,
                     note="电话回访", satisfaction=Satisfaction.SATISFIED)  # fmt: skip
        concern_step(concern=concern, by=coordinator, step=ConcernStep.CLOSED, on=closed,
                     note="已办结。")  # fmt: skip


def _pairings(campaign, units, people, coordinator, today) -> int:
    for cadre, kind, target, place, started, visits in PAIRINGS:
        pairing = pairing_create(
            campaign=campaign, by=coordinator, cadre=people[cadre], target_kind=kind,
            target_name=target, place_unit=units[place] if place else None, started_on=started,
            note=f"{people[cadre].name}结对联系{target}",
        )  # fmt: skip
        place_kind = {
            PairingTargetKind.HOUSEHOLD: PlaceKind.HOUSEHOLD,
            PairingTargetKind.VILLAGE: PlaceKind.VILLAGE,
            PairingTargetKind.ENTERPRISE: PlaceKind.ENTERPRISE,
        }[kind]
        for date, what in visits:
            if date > today:
                continue
            visit_record(
                campaign=campaign, by=coordinator, kind=VisitKind.VISIT, date=date,
                unit=people[cadre].unit, cadres=[people[cadre]], place_kind=place_kind,
                place=target, place_unit=pairing.place_unit, what_done=what, pairing=pairing,
            )  # fmt: skip
    return len(PAIRINGS)


def _events(campaign, units, coordinator, today) -> int:
    activities = [
        practice_activity_create(campaign=campaign, by=coordinator, name=name, description=text)
        for name, text in ACTIVITIES
    ]
    count = 0
    for index, date, place, unit, participants, beneficiaries, summary in EVENTS:
        if date > today:
            continue
        practice_event_record(
            activity=activities[index], by=coordinator, date=date, place=place,
            organiser=units[unit], participants=participants, beneficiaries=beneficiaries,
            summary=summary,
        )  # fmt: skip
        count += 1
    return count


def _stamp(obj, day: datetime.date, hour: int, action: str | None = None) -> None:
    """Date `obj`'s audit entries (those of `action`, else all) and, unless only a later action
    is dated, its created_at."""
    entries = AuditEntry.objects.filter(record_type=obj._meta.label_lower, record_id=obj.pk)
    if action is not None:
        entries = entries.filter(action=action)
    entries.update(at=_at(day, hour))
    if hasattr(obj, "created_at") and action in (None, AuditAction.CREATE):
        type(obj).objects.filter(pk=obj.pk).update(created_at=_at(day, hour))


def _dated(campaign: Campaign, promises: list[Task]) -> None:
    """Stamp what the services dated with the real clock with the demo's 2023 days: each record
    when it was entered (the rota and the activities at the year's start, 2023-01-03)."""
    for task in promises:
        _stamp(task, task.start_date, 9, action=AuditAction.CREATE)
        for milestone in task.milestones.all():
            _stamp(milestone, task.start_date, 9)
        follow_up = PromiseFollowUp.objects.filter(task=task).first()
        if follow_up is not None:
            _stamp(follow_up, follow_up.on, 16)
        for request in task.change_requests.all():
            asked = timezone.localtime(request.requested_at).date()
            decided = timezone.localtime(request.decided_at).date()
            _stamp(request, asked, 10, action=AuditAction.SUBMIT)
            _stamp(request, decided, 15, action=AuditAction.APPROVE)
            _stamp(task, decided, 15, action=AuditAction.APPROVE)
            for evidence in request.evidence.all():
                _stamp(evidence, asked, 10)
    for category in {task.category for task in promises}:
        _stamp(category, min(t.start_date for t in promises), 9)
    for record in [*campaign.reception_days.all(), *campaign.practice_activities.all()]:
        _stamp(record, YEAR_START, 9)
    for pairing in campaign.pairings.all():
        _stamp(pairing, pairing.started_on, 9)
        for visit in pairing.visits.all():
            _stamp(visit, visit.date, 17)
    for event in PracticeEvent.objects.filter(activity__campaign=campaign):
        _stamp(event, event.date, 18)
    for concern in Concern.objects.filter(campaign=campaign, reception_day__isnull=False):
        _stamp(concern, concern.received_on, 10)
        ConcernAction.objects.filter(concern=concern).update(
            at=_at(concern.closed_on or concern.received_on, 15)
        )
        updates = AuditEntry.objects.filter(
            record_type="grassroots.concern", record_id=concern.pk, action=AuditAction.UPDATE
        )
        updates.update(at=_at(concern.closed_on or concern.received_on, 15))
