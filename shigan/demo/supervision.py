"""The demo district's supervision: the May 2023 作风建设专项督查 with four findings at different
stages, the notice of its negative case, and the commendation of advanced models at the
economic work conference.

Everything goes through the services (findings become rectification tasks, closure is an approved
办结销号); the timestamps those services stamp with the real clock are then set back to the
demo's 2023 dates, as the demo loader does for progress reports.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.orgs.models import Person, Role, Unit, UnitKind
from shigan.supervision.models import (
    Finding,
    Inspection,
    InspectionKind,
    Notice,
    NoticeKind,
    Polarity,
    Severity,
)
from shigan.supervision.models import VerificationResult as Result
from shigan.supervision.services import (
    ExemplarInput,
    finding_record,
    inspection_record,
    notice_record,
    verification_record,
)
from shigan.tasks.models import ChangeKind, ChangeRequest, PeriodOpening, ProgressReport, Task
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.services.periods import period_open, period_state
from shigan.tasks.services.progress import progress_submit

INSPECTION_DATE = datetime.date(2023, 5, 16)
INSPECTED = ["transport", "water", "investment", "agriculture"]
NOT_INSPECTED_KINDS = [UnitKind.PARTY_GOVERNMENT, UnitKind.TASK_FORCE, UnitKind.ENTERPRISE]


@dataclass(frozen=True)
class SupervisionDemo:
    inspection: Inspection
    findings: list[Finding]
    notices: list[Notice]


def _at(day: datetime.date, hour: int = 16) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _pick_units(units: dict) -> list[Unit]:
    """The four inspected units: from the dict by key, else the first other working units."""
    chosen = [units[k] for k in INSPECTED if units.get(k) is not None]
    spare = Unit.objects.exclude(kind__in=NOT_INSPECTED_KINDS).exclude(
        pk__in=[u.pk for u in chosen]
    )
    chosen += list(spare.order_by("sort_order", "id")[: len(INSPECTED) - len(chosen)])
    if len(chosen) < 2:
        raise ValueError("演示督查至少需要两个被督查单位。")
    return chosen


def _person(people: dict, key: str, role: str) -> Person | None:
    return people.get(key) or Person.objects.filter(role=role).order_by("sort_order", "id").first()


def _user_of(person: Person | None, fallback):
    return person.user if person is not None and person.user_id else fallback


def _reporter_user(unit: Unit, fallback):
    reporter = Person.objects.filter(unit=unit, role=Role.REPORTER, user__isnull=False).first()
    return _user_of(reporter, fallback)


def _open_if_closed(task: Task, period: datetime.date, coordinator) -> None:
    """Loaded after the fact (the real clock is later than 2023), a month past the default
    filing window is opened by the coordinator first, as a late report would be."""
    state = period_state(task.lead_unit, period, clock.today())
    if state.is_open or state.is_future:
        return
    opening = period_open(
        unit=task.lead_unit, period=period, by=coordinator, reason="演示数据：按当时的月份补录"
    )
    PeriodOpening.objects.filter(pk=opening.pk).update(opened_at=_at(period, 9))


def _report(task: Task, user, day: datetime.date, text: str, coordinator) -> None:
    _open_if_closed(task, day.replace(day=1), coordinator)
    report = progress_submit(
        task=task,
        unit=task.lead_unit,
        period=day.replace(day=1),
        by=user,
        text=text,
        milestones_reached={},
        uploads=[],
    )
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=_at(day))


def _close(task: Task, reporter, coordinator, requested: datetime.date, approved: datetime.date):
    request = change_request_create(
        task=task,
        by=reporter,
        kind=ChangeKind.COMPLETE,
        reason="整改已完成，经核查通过，申请销号。",
    )
    change_request_decide(
        change_request=request, by=coordinator, approve=True, note="核查通过，同意销号。"
    )
    ChangeRequest.objects.filter(pk=request.pk).update(
        requested_at=_at(requested, 10), decided_at=_at(approved, 15)
    )
    Task.objects.filter(pk=task.pk).update(closed_on=approved)


FINDINGS = [
    (
        "兴业大道项目前期工作台账不完整，规划设计、实地测量资料未及时归档。",
        Severity.GENERAL,
        "6月15日前补齐项目前期工作台账，建立资料归档责任制。",
        datetime.date(2023, 6, 15),
    ),
    (
        "清凉河治理二期施工现场安全文明施工措施落实不到位，围挡和警示标志缺失。",
        Severity.SERIOUS,
        "立即完善施工围挡和警示标志，8月底前建立施工现场日巡查制度。",
        datetime.date(2023, 8, 31),
    ),
    (
        "落地项目跟踪服务不及时，企业反映办理手续需多次往返，存在“门好进、脸好看、事难办”现象。",
        Severity.GRAVE,
        "6月30日前逐一回访落地企业，推行“马上就办”和帮办代办，公开服务承诺。",
        datetime.date(2023, 6, 30),
    ),
    (
        "油茶种植整地进度台账与实地核对不一致，部分地块进度虚报。",
        Severity.GENERAL,
        "9月底前重新核实整地面积，如实更新台账，杜绝弄虚作假。",
        datetime.date(2023, 9, 30),
    ),
]


def _findings(inspection, units, by) -> list[Finding]:
    return [
        finding_record(
            inspection=inspection,
            unit=unit,
            problem=problem,
            severity=severity,
            requirement=requirement,
            deadline=deadline,
            by=by,
        )
        for unit, (problem, severity, requirement, deadline) in zip(units, FINDINGS, strict=False)
    ]


def _rectification(findings: list[Finding], inspector: Person, coordinator) -> None:
    """First closed after a passed verification, second in progress, third overdue after a
    failed verification; a fourth, if any, is still pending."""
    checker = _user_of(inspector, coordinator)
    done, ongoing, late = findings[0], findings[1], findings[2] if len(findings) > 2 else None
    reporter = _reporter_user(done.unit, coordinator)
    _report(
        done.task,
        reporter,
        datetime.date(2023, 6, 8),
        "已补齐项目前期工作台账并归档，建立资料归档责任制。",
        coordinator,
    )
    verification_record(
        finding=done,
        verified_by=inspector,
        date=datetime.date(2023, 6, 12),
        result=Result.PASSED,
        note="实地查阅台账，资料齐全，整改到位。",
        by=checker,
    )
    _close(done.task, reporter, coordinator, datetime.date(2023, 6, 13), datetime.date(2023, 6, 15))
    _report(
        ongoing.task,
        _reporter_user(ongoing.unit, coordinator),
        datetime.date(2023, 7, 10),
        "已完善施工围挡和警示标志，施工现场日巡查制度正在制定。",
        coordinator,
    )
    if late is not None:
        _report(
            late.task,
            _reporter_user(late.unit, coordinator),
            datetime.date(2023, 6, 26),
            "已回访落地企业2家，帮办代办制度正在起草。",
            coordinator,
        )
        verification_record(
            finding=late,
            verified_by=inspector,
            date=datetime.date(2023, 7, 5),
            result=Result.FAILED,
            note="仍有1家落地企业反映手续办理需多次往返，服务承诺未公开。",
            by=checker,
        )


def _notices(campaign, units: dict, people: dict, inspected: list[Unit], by) -> list[Notice]:
    negative_unit = inspected[2] if len(inspected) > 2 else inspected[-1]
    criticism = notice_record(
        campaign=campaign,
        doc_number="示作风办〔2023〕3号",
        date=datetime.date(2023, 6, 5),
        title="关于作风建设专项督查发现问题的通报",
        kind=NoticeKind.CRITICISM,
        body="5月16日，区作风专班对4个单位开展作风建设专项督查，发现问题4个，已逐一交办整改。"
        "现将影响干部形象和发展环境的典型问题通报如下，各单位要引以为戒、举一反三。",
        exemplars=[
            ExemplarInput(
                polarity=Polarity.NEGATIVE,
                title="落地项目跟踪服务不及时",
                description="企业反映办理手续需多次往返，“门好进、脸好看、事难办”，影响发展环境。",
                units=[negative_unit],
            )
        ],
        by=by,
    )
    advanced_units = [u for u in (units.get("economy"), units.get("investment")) if u]
    enterprises = [units[k] for k in ("lingao", "jialun", "hongyu", "chuhanyuan") if units.get(k)]
    advanced_people = [p for p in (people.get("economy_head"), people.get("transport_head")) if p]
    commendation = notice_record(
        campaign=campaign,
        doc_number="示发〔2023〕6号",
        date=datetime.date(2023, 2, 20),
        title="关于表彰2022年度经济工作先进集体和先进个人的决定",
        kind=NoticeKind.PRAISE,
        body="在全区经济工作会议上，对2022年度经济工作中成绩突出的先进集体、先进个人和优秀企业予以表彰。",
        exemplars=[
            ExemplarInput(
                polarity=Polarity.POSITIVE,
                title="经济工作先进集体",
                units=advanced_units or inspected[:2],
            ),
            ExemplarInput(
                polarity=Polarity.POSITIVE,
                title="经济工作先进个人",
                people=advanced_people,
                units=[] if advanced_people else inspected[:1],
            ),
            ExemplarInput(
                polarity=Polarity.POSITIVE,
                title="稳健经营优秀企业",
                units=enterprises or inspected[1:2],
            ),
        ],
        by=by,
    )
    return [criticism, commendation]


@transaction.atomic
def load_supervision_demo(
    *, campaign: Campaign, people: dict, units: dict, by=None
) -> SupervisionDemo:
    """Create the demo inspection, its findings at their stages, and the two notices.

    `people` and `units` are the demo's dicts by key (inspector, task_force_head, economy_head …;
    transport, water, investment, agriculture, economy, lingao …); missing keys fall back to the
    first suitable records. Needs a coordinator account to approve 办结销号.
    """
    inspector = _person(people, "inspector", Role.INSPECTOR)
    head = _person(people, "task_force_head", Role.COORDINATOR)
    coordinator = _user_of(head, by)
    if coordinator is None or inspector is None:
        raise ValueError("演示督查需要一名督查人员和一个专班账号。")
    inspected = _pick_units(units)
    inspection = inspection_record(
        campaign=campaign,
        topic="作风建设专项督查",
        kind=InspectionKind.SPECIAL,
        date=INSPECTION_DATE,
        inspectors=[p for p in (inspector, head) if p is not None],
        units=inspected,
        summary="采取听取汇报、查阅台账、实地察看、走访企业群众等方式，重点督查“实干年”任务清单推进、"
        "服务企业群众和干部作风情况，发现问题4个，已逐一交办、限期整改。",
        by=by,
    )
    findings = _findings(inspection, inspected, by)
    _rectification(findings, inspector, coordinator)
    return SupervisionDemo(inspection, findings, _notices(campaign, units, people, inspected, by))
