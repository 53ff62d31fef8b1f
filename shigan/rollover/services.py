"""The year's rollover (结转): next year's campaign made from this one, with the unfinished items
the coordinator chooses carried over.

What is copied: the campaign's organiser and slogan, its plan sections, its phases (dates moved by
the years between the campaigns), its task categories and its meeting series (dates moved the
same way, kept within the new campaign). The leading group is linked, not copied. Indicator
definitions belong to the district (indicators.Indicator.district), not to a campaign: the new
year reads them as they are; its annual targets are entered afresh. Meetings, progress reports and
indicator figures stay with the year they belong to.

A carried item is a new Task in the new campaign pointing at its origin (Task.carried_from) with
the reason; its unfinished milestones come with it. The old campaign is only read: not one of its
rows is written (shigan/rollover/tests/test_rollover.py compares them before and after).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from shigan.campaigns.models import Campaign, Phase, PlanSection
from shigan.core.audit import audit_entry
from shigan.core.models import AuditAction, AuditEntry
from shigan.meetings.models import MeetingSeries
from shigan.tasks.models import Milestone, Task, TaskCategory, TaskState


@dataclass(frozen=True)
class NextYear:
    """What the coordinator enters for the new campaign."""

    year: int
    name: str
    start_date: datetime.date
    end_date: datetime.date


@dataclass
class CarriedItem:
    """One unfinished item of the old campaign, whether it is carried, why, and its new dates."""

    task: Task
    carry: bool = False
    reason: str = ""
    due_date: datetime.date | None = None
    milestones: list[tuple[Milestone, datetime.date]] = field(default_factory=list)
    error: str = ""


@dataclass
class RolloverPlan:
    """Everything the rollover would create, shown before it is confirmed."""

    campaign: Campaign
    next: NextYear
    sections: list[PlanSection]
    phases: list[tuple[Phase, datetime.date, datetime.date]]
    categories: list[TaskCategory]
    series: list[tuple[MeetingSeries, datetime.date, datetime.date | None]]
    items: list[CarriedItem]

    @property
    def carried(self) -> list[CarriedItem]:
        return [item for item in self.items if item.carry]


def shift_years(day: datetime.date, years: int) -> datetime.date:
    """`day` moved by whole years; the last day of February stays the last day of February
    (28 February 2023 → 29 February 2024, and back)."""
    if day.month == 2 and (day + datetime.timedelta(days=1)).month == 3:
        return datetime.date(day.year + years, 3, 1) - datetime.timedelta(days=1)
    return day.replace(year=day.year + years)


def _clamp(day: datetime.date, start: datetime.date, end: datetime.date) -> datetime.date:
    return min(max(day, start), end)


def next_year_defaults(campaign: Campaign) -> NextYear:
    """The year after, the same name (its year, if it names one, moved on), 1 January–31 December."""
    year = campaign.year + 1
    name = campaign.name.replace(str(campaign.year), str(year))
    return NextYear(year, name, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def carried_due_date(task: Task, start: datetime.date, end: datetime.date) -> datetime.date:
    """A carried task keeps its due date when it falls after the new campaign's start and within
    it; otherwise (overdue, or past the new year) it is due at the new campaign's end."""
    return task.due_date if start < task.due_date <= end else end


def carried_milestone_date(
    milestone: Milestone, years: int, start: datetime.date, due: datetime.date
) -> datetime.date:
    """An unfinished milestone keeps its date when it falls after the new start and by the
    carried task's due date; otherwise it moves by the years between the campaigns, kept within
    the new start and that due date (an August milestone left open is due next August)."""
    if start < milestone.due_date <= due:
        return milestone.due_date
    return _clamp(shift_years(milestone.due_date, years), start, due)


def rollover_candidates(tasks: QuerySet) -> QuerySet:
    """The unfinished items (推进中) of `tasks` (a campaign's, narrowed by access) that no
    rollover has carried yet, with what the preview and the copy read, in a fixed number of
    queries."""
    unfinished = Milestone.objects.filter(done_on__isnull=True).order_by("due_date", "sort_order")
    return (
        tasks.filter(state=TaskState.ACTIVE, carried_into__isnull=True)
        .select_related("category", "lead_unit", "leader")
        .prefetch_related(
            "supporting_units", Prefetch("milestones", unfinished, to_attr="unfinished")
        )
        .order_by("category__sort_order", "category_id", "number", "id")
    )


def rollover_plan(
    *, campaign: Campaign, candidates: QuerySet, next_year: NextYear, carry: dict[int, str]
) -> RolloverPlan:
    """What rolling `campaign` over into `next_year` creates; `carry` maps the ids of the items
    to carry to their reasons."""
    years = next_year.year - campaign.year
    start, end = next_year.start_date, next_year.end_date
    phases = []
    for phase in campaign.phases.order_by("sort_order", "start_date", "id"):
        phase_start = _clamp(shift_years(phase.start_date, years), start, end)
        phases.append((phase, phase_start, _clamp(shift_years(phase.end_date, years), start, end)))
    series = []
    for one in campaign.meeting_series.select_related("organiser", "chair").order_by(
        "sort_order", "id"
    ):
        active_to = one.active_to and _clamp(shift_years(one.active_to, years), start, end)
        series.append((one, _clamp(shift_years(one.active_from, years), start, end), active_to))
    items = []
    for task in candidates:
        due = carried_due_date(task, start, end) if start <= end else end
        item = CarriedItem(task, task.pk in carry, carry.get(task.pk, "").strip(), due)
        item.milestones = [
            (m, carried_milestone_date(m, years, start, due)) for m in task.unfinished
        ]
        items.append(item)
    return RolloverPlan(
        campaign=campaign,
        next=next_year,
        sections=list(campaign.plan_sections.order_by("id")),
        phases=phases,
        categories=list(campaign.task_categories.order_by("sort_order", "id")),
        series=series,
        items=items,
    )


def rollover_errors(plan: RolloverPlan) -> dict[str, str]:
    """The reasons the rollover cannot be made, keyed by form field ("reason_<task id>" for an
    item), in Chinese; empty when it can."""
    nxt, campaign = plan.next, plan.campaign
    errors: dict[str, str] = {}
    if not nxt.name.strip():
        errors["name"] = "请填写下一年度活动名称。"
    if nxt.end_date < nxt.start_date:
        errors["end_date"] = f"结束日期{nxt.end_date}早于开始日期{nxt.start_date}。"
    elif not nxt.start_date.year <= nxt.year <= nxt.end_date.year:
        errors["year"] = (
            f"年度{nxt.year}不在活动起止日期（{nxt.start_date}至{nxt.end_date}）的年份之内。"
        )
    if nxt.year <= campaign.year:
        errors["year"] = f"下一年度应晚于本活动的年度{campaign.year}，而不是{nxt.year}。"
    same = Campaign.objects.filter(
        year=nxt.year,
        name=nxt.name.strip(),
        organiser__district_id=campaign.organiser.district_id,
    )
    if "name" not in errors and same.exists():
        errors["name"] = (
            f"本区（县）已有{nxt.year}年的“{nxt.name.strip()}”，不能再次结转；"
            "如需结转其余事项，请在该活动中新建任务。"
        )
    district_id = campaign.organiser.district_id
    for item in plan.carried:
        task = item.task
        if not item.reason:
            errors[f"reason_{task.pk}"] = f"请填写“{task.title}”的结转理由。"
        elif task.lead_unit.district_id != district_id:
            errors[f"reason_{task.pk}"] = (
                f"“{task.title}”的牵头单位“{task.lead_unit.name}”已不属于本区（县），"
                "请先调整该任务的牵头单位。"
            )
    return errors


def _stale_reason(task: Task | None, district_id: int | None) -> str:
    if task is None:
        return "不是本活动的任务"
    if task.state != TaskState.ACTIVE:
        return f"“{task.title}”{task.get_state_display()}"
    if task.carried_into.exists():
        return f"“{task.title}”已结转"
    if district_id is not None and task.lead_unit.district_id != district_id:
        return f"“{task.title}”的牵头单位“{task.lead_unit.name}”已不属于本区（县）"
    return f"“{task.title}”无权结转"


def _raise_stale(plan: RolloverPlan, carry: dict[int, str]) -> None:
    """Refuse items ticked on the preview that are no longer candidates, each named with why."""
    known = {item.task.pk for item in plan.items}
    gone = sorted(pk for pk in carry if pk not in known)
    if not gone:
        return
    found = plan.campaign.tasks.select_related("lead_unit").in_bulk(gone)
    district_id = plan.campaign.organiser.district_id
    reasons = "；".join(f"#{pk} {_stale_reason(found.get(pk), district_id)}" for pk in gone)
    raise ValidationError({"__all__": f"以下事项不能结转：{reasons}。请重新预览。"})


@transaction.atomic
def campaign_rollover(
    *, campaign: Campaign, by, candidates: QuerySet, next_year: NextYear, carry: dict[int, str]
) -> Campaign:
    """Create next year's campaign from `campaign` and carry the items of `carry` (task id →
    reason; each a candidate of rollover_candidates(candidates)). All or nothing; every created
    record is audited with a note naming its origin. Refused (ValidationError keyed as
    rollover_errors): what rollover_errors finds, or an item that is no longer a candidate."""
    # The old campaign's row is locked, not written: two rollovers of it queue, and the second
    # finds the first's campaign.
    campaign = Campaign.objects.select_for_update().select_related("organiser").get(pk=campaign.pk)
    plan = rollover_plan(
        campaign=campaign,
        candidates=rollover_candidates(candidates),
        next_year=next_year,
        carry=carry,
    )
    _raise_stale(plan, carry)
    errors = rollover_errors(plan)
    if errors:
        raise ValidationError(errors)
    origin = f"由{campaign}结转"
    new = Campaign.objects.create(
        year=next_year.year,
        name=next_year.name.strip(),
        slogan=campaign.slogan,
        organiser=campaign.organiser,
        leading_group_id=campaign.leading_group_id,
        start_date=next_year.start_date,
        end_date=next_year.end_date,
    )
    entries = [audit_entry(actor=by, obj=new, action=AuditAction.CREATE, note=origin)]
    copied, categories = _copy_campaign_parts(plan, new, by, origin)
    entries += copied + _carry_items(plan, new, by, categories)
    AuditEntry.objects.bulk_create(entries)
    return new


def _created(records: list, by, note: str, task_id=None) -> list[AuditEntry]:
    return [
        audit_entry(actor=by, obj=r, action=AuditAction.CREATE, note=note, task_id=task_id)
        for r in records
    ]


def _copy_campaign_parts(
    plan: RolloverPlan, new: Campaign, by, origin: str
) -> tuple[list[AuditEntry], dict[int, TaskCategory]]:
    """Copy the plan sections, phases, task categories and meeting series; returns their audit
    entries and the new category of each old one's id."""
    sections = PlanSection.objects.bulk_create(
        PlanSection(campaign=new, kind=s.kind, body=s.body) for s in plan.sections
    )
    phases = Phase.objects.bulk_create(
        Phase(campaign=new, name=p.name, start_date=a, end_date=b, sort_order=p.sort_order)
        for p, a, b in plan.phases
    )
    categories = TaskCategory.objects.bulk_create(
        TaskCategory(campaign=new, name=c.name, sort_order=c.sort_order) for c in plan.categories
    )
    series = MeetingSeries.objects.bulk_create(
        MeetingSeries(
            campaign=new,
            name=s.name,
            cadence=s.cadence,
            organiser=s.organiser,
            chair=s.chair,
            active_from=a,
            active_to=b,
            sort_order=s.sort_order,
        )
        for s, a, b in plan.series
    )
    category_map = {old.pk: c for old, c in zip(plan.categories, categories, strict=True)}
    records = [*sections, *phases, *categories, *series]
    return _created(records, by, origin), category_map


def _carry_items(
    plan: RolloverPlan, new: Campaign, by, categories: dict[int, TaskCategory]
) -> list[AuditEntry]:
    """The carried tasks, their supporting units and unfinished milestones, and audit entries."""
    carried = plan.carried
    tasks = Task.objects.bulk_create(
        Task(
            campaign=new,
            category=categories[item.task.category_id],
            number=item.task.number,
            title=item.task.title,
            target=item.task.target,
            lead_unit=item.task.lead_unit,
            leader=item.task.leader,
            start_date=new.start_date,
            due_date=item.due_date,
            origin=item.task.origin,
            carried_from=item.task,
            carry_reason=item.reason,
        )
        for item in carried
    )
    links, milestones, entries = [], [], []
    through = Task.supporting_units.through
    for item, task in zip(carried, tasks, strict=True):
        links += [through(task=task, unit=u) for u in item.task.supporting_units.all()]
        milestones += [
            Milestone(task=task, title=m.title, due_date=due, sort_order=m.sort_order)
            for m, due in item.milestones
        ]
    through.objects.bulk_create(links)
    Milestone.objects.bulk_create(milestones)
    for item, task in zip(carried, tasks, strict=True):
        note = f"由{plan.campaign}的任务“{item.task.title}”（#{item.task.pk}）结转：{item.reason}"
        entries += _created([task], by, note, task_id=task.pk)
    for milestone in milestones:
        note = f"随任务由{plan.campaign}结转"
        entries += _created([milestone], by, note, task_id=milestone.task_id)
    return entries
