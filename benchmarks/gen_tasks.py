"""One district's campaign: plan, phases, categories, tasks, milestones, progress reports and the
audit entries a task's history shows (task created, each report submitted).

Dates are spread so that, on BENCH_TODAY (2023-10-31), the battle map shows every status:
some tasks overdue, some behind their milestones, some nearing, most on track, some done or
cancelled. Reports fall in the months before today's (the monthly report of October is still
open); the first report of a month is a filing, later ones of the same month are corrections
with a reason, as the progress service would record them.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from shigan.campaigns.models import Campaign, Phase, PlanSection, PlanSectionKind
from shigan.core.models import AuditAction, AuditEntry
from shigan.tasks.models import Milestone, ProgressReport, Task, TaskCategory, TaskState

from . import shapes as s
from .bulk import Ids
from .gen_org import DistrictOrg

YEAR = 2023
TODAY = datetime.date(2023, 10, 31)
LAST_REPORTED_MONTH = 9
PLACES = [
    "兴业大道",
    "清凉河",
    "新场村",
    "产业园",
    "老旧小区",
    "滨江片区",
    "高铁站前区",
    "油茶基地",
]
WORKS = ["改扩建工程", "综合治理", "提升行动", "建设项目", "专项攻坚", "标准化建设", "示范创建"]
DONE = ["完成施工图设计", "完成征地拆迁", "主体工程完工过半", "完成招标", "召开推进会3次"]
ISSUES = ["资金到位偏慢", "雨季影响施工", "个别农户协调难度大", "审批手续仍在办理", "暂无"]
NEXT = ["加快推进主体施工", "协调落实配套资金", "开展阶段性验收", "强化督导调度"]


@dataclass
class TaskPlan:
    """A task with its milestones, built before insertion; reports are derived from it."""

    task: Task
    milestones: list[Milestone]


def _aware(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def _campaign(org: DistrictOrg, ids: Ids) -> Campaign:
    campaign = Campaign(
        pk=ids.take(Campaign),
        year=YEAR,
        name=f"{org.name}作风建设“实干年”",
        slogan="跑好第一棒、实干开新局",
        organiser_id=org.units[s.ROOT].pk,
        leading_group_id=org.group.pk,
        start_date=datetime.date(YEAR, 1, 1),
        end_date=datetime.date(YEAR, 12, 31),
    )
    org.add(campaign)
    for kind in PlanSectionKind:
        org.add(PlanSection(campaign_id=campaign.pk, kind=kind, body=f"{org.name}{kind.label}。"))
    phases = [("动员部署", 2, 3), ("组织实施", 3, 11), ("总结提升", 12, 12)]
    for order, (name, first, last) in enumerate(phases):
        end = datetime.date(YEAR, last, 28)
        org.add(
            Phase(
                campaign_id=campaign.pk,
                name=name,
                start_date=datetime.date(YEAR, first, 1),
                end_date=end,
                sort_order=order,
            )
        )
    return campaign


def _categories(org: DistrictOrg, ids: Ids, campaign: Campaign) -> list[TaskCategory]:
    categories = [
        TaskCategory(pk=ids.take(TaskCategory), campaign_id=campaign.pk, name=name, sort_order=i)
        for i, name in enumerate(s.CATEGORY_NAMES)
    ]
    for category in categories:
        org.add(category)
    return categories


def _dates(rng: random.Random) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(YEAR, 1, 9) + datetime.timedelta(days=rng.randint(0, 80))
    roll = rng.random()
    if roll < 0.15:  # due already: overdue unless completed
        due = datetime.date(YEAR, 6, 30) + datetime.timedelta(days=rng.randint(0, 120))
    elif roll < 0.25:  # due within the next weeks
        due = TODAY + datetime.timedelta(days=rng.randint(0, 20))
    else:
        due = datetime.date(YEAR, 11, 30) + datetime.timedelta(days=rng.randint(0, 210))
    return start, due


def _state(rng: random.Random, due: datetime.date) -> tuple[str, datetime.date | None]:
    roll = rng.random()
    if roll < 0.10:
        return TaskState.COMPLETED, min(TODAY, due) - datetime.timedelta(days=rng.randint(0, 20))
    if roll < 0.12:
        return TaskState.CANCELLED, TODAY - datetime.timedelta(days=rng.randint(5, 60))
    return TaskState.ACTIVE, None


def _lead_unit_index(number: int) -> int:
    """Spread tasks over the district's units (task force to the last enterprise)."""
    span = s.UNITS_PER_DISTRICT - s.TASK_FORCE
    return s.TASK_FORCE + (number * 7) % span


def _task(org, ids, rng, campaign, category, number) -> Task:
    start, due = _dates(rng)
    state, closed = _state(rng, due)
    unit_index = _lead_unit_index(number)
    title = f"{rng.choice(PLACES)}{rng.choice(WORKS)}（{number}）"
    leader = org.leaders[org.overseer.get(unit_index, 0)]
    return Task(
        pk=ids.take(Task),
        campaign_id=campaign.pk,
        category_id=category.pk,
        number=number,
        title=title,
        target=f"{YEAR}年底前完成{title}各项目标任务。",
        lead_unit_id=org.units[unit_index].pk,
        leader_id=leader.pk,
        start_date=start,
        due_date=due,
        state=state,
        closed_on=closed,
    )


def _milestones(ids: Ids, rng: random.Random, task: Task, count: int) -> list[Milestone]:
    span = (task.due_date - task.start_date).days
    found = []
    for k in range(count):
        due = task.start_date + datetime.timedelta(days=span * (k + 1) // count)
        done = None
        if task.state == TaskState.COMPLETED:
            done = min(due, task.closed_on)
        elif due <= TODAY and rng.random() < 0.8:
            done = max(task.start_date, due - datetime.timedelta(days=rng.randint(0, 12)))
        title = s.MILESTONE_TITLES[k % len(s.MILESTONE_TITLES)]
        found.append(
            Milestone(
                pk=ids.take(Milestone),
                task_id=task.pk,
                title=title,
                due_date=due,
                done_on=done,
                sort_order=k,
            )
        )
    return found


def _supporting(org: DistrictOrg, rng: random.Random, task: Task) -> None:
    through = Task.supporting_units.through
    others = [u for u in org.units[s.OFFICE : s.FIRST_STREET] if u.pk != task.lead_unit_id]
    for unit in rng.sample(others, rng.randint(0, 2)):
        org.add(through(task_id=task.pk, unit_id=unit.pk))


def _task_created(org: DistrictOrg, ids: Ids, task: Task) -> None:
    org.add(
        AuditEntry(
            pk=ids.take(AuditEntry),
            at=_aware(datetime.date(YEAR, 1, 5), 9),
            actor_id=org.coordinator.pk,
            action=AuditAction.CREATE,
            record_type="tasks.task",
            record_id=task.pk,
            record_repr=task.title,
            task_id=task.pk,
            changes={"任务名称": [None, task.title], "完成时限": [None, task.due_date.isoformat()]},
        )
    )


def district_tasks(org: DistrictOrg, ids: Ids, shape: s.Shape) -> list[TaskPlan]:
    """Build the district's campaign and tasks with milestones (reports: district_reports)."""
    rng = random.Random(f"tasks-{org.key}")
    campaign = _campaign(org, ids)
    categories = _categories(org, ids, campaign)
    plans = []
    for i in range(shape.tasks):
        category = categories[i * len(categories) // shape.tasks]
        task = _task(org, ids, rng, campaign, category, number=i + 1)
        org.add(task)
        _supporting(org, rng, task)
        _task_created(org, ids, task)
        milestones = _milestones(ids, rng, task, shape.milestones_per_task)
        for ms in milestones:
            org.add(ms)
        plans.append(TaskPlan(task=task, milestones=milestones))
    return plans


def _report_months(task: Task) -> list[int]:
    last = LAST_REPORTED_MONTH
    if task.closed_on:
        last = min(last, task.closed_on.month)
    return list(range(task.start_date.month, max(last, task.start_date.month) + 1))


def _text(rng: random.Random, task: Task, month: int) -> str:
    return (
        f"{month}月，{task.title}{rng.choice(DONE)}，累计完成年度目标的{rng.randint(20, 95)}%。"
        f"存在问题：{rng.choice(ISSUES)}。下步将{rng.choice(NEXT)}，确保按期完成各节点任务。"
    )


def _reached(plan: TaskPlan, month: int) -> list[dict]:
    return [
        {"id": ms.pk, "title": ms.title, "done_on": ms.done_on.isoformat()}
        for ms in plan.milestones
        if ms.done_on and ms.done_on.month == month
    ]


def _report(org, ids, rng, plan, month, nth, corrects) -> ProgressReport:
    task = plan.task
    day = datetime.date(YEAR, month, min(20 + nth, 28))
    return ProgressReport(
        pk=ids.take(ProgressReport),
        task_id=task.pk,
        unit_id=task.lead_unit_id,
        period=datetime.date(YEAR, month, 1),
        text=_text(rng, task, month),
        milestones_reached=[] if corrects else _reached(plan, month),
        submitted_by_id=org.reporter_for_unit(task.lead_unit_id).pk,
        submitted_at=_aware(day, 16, nth % 60),
        corrects_id=corrects,
        correction_reason="补充完善本月进展" if corrects else "",
    )


def _report_submitted(org: DistrictOrg, ids: Ids, report: ProgressReport, title: str) -> None:
    changes = {"进展情况": [None, report.text], "所属月份": [None, report.period.isoformat()]}
    note = f"更正原因：{report.correction_reason}" if report.corrects_id else ""
    org.add(
        AuditEntry(
            pk=ids.take(AuditEntry),
            at=report.submitted_at,
            actor_id=report.submitted_by_id,
            action=AuditAction.SUBMIT,
            record_type="tasks.progressreport",
            record_id=report.pk,
            record_repr=f"{title} {report.period:%Y年%m月}进展",
            task_id=report.task_id,
            changes=changes,
            note=note,
        )
    )


def district_reports(org: DistrictOrg, ids: Ids, plans: list[TaskPlan], per_task: int) -> None:
    """`per_task` reports per task over its reporting months, each with its audit entry."""
    rng = random.Random(f"reports-{org.key}")
    for plan in plans:
        months = _report_months(plan.task)
        latest: dict[int, int] = {}
        count: dict[int, int] = {}
        for k in range(per_task):
            month = months[k * len(months) // per_task]
            nth = count[month] = count.get(month, 0) + 1
            report = _report(org, ids, rng, plan, month, nth - 1, latest.get(month))
            latest[month] = report.pk
            org.add(report)
            _report_submitted(org, ids, report, plan.task.title)
