"""Applying a report-up package (上报包) at the county: the district's units, campaigns, tasks
answering the county's hand-downs, milestones, progress reports and indicator figures, as
mirror records under the district's unit. Rules in shigan.exchange.__doc__."""

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import snapshot
from shigan.core.models import AuditAction
from shigan.directives.models import HandDown, HandDownState
from shigan.indicators.models import Accumulation, Actual, Aggregation, Direction, Indicator
from shigan.indicators.models.indicators import MeasureUnit
from shigan.indicators.services.actuals import value_problem
from shigan.orgs.models import Unit, UnitKind
from shigan.tasks.forms.progress import PROGRESS_MAX_CHARS
from shigan.tasks.models import Milestone, ProgressReport, Task, TaskCategory, TaskState

from . import fields as f
from .mirror import audited, upsert
from .models import Peer
from .package import PackageError, shown
from .refs import RefMap


def _units(peer: Peer, body: dict, note: str) -> RefMap:
    refs = RefMap(peer, "unit")
    district = f.record(body.get("district", {}), "区")
    root_id = f.number(district, "id")
    if refs.get(root_id) is None:
        refs.add(root_id, peer.unit_id)
    for item in f.records(body, "units"):
        remote_id = f.number(item, "id")
        if refs.get(remote_id) is not None:
            continue
        name, kind = f.text(item, "name", 100, blank=False), f.choice(item, "kind", UnitKind)
        unit = Unit.objects.filter(district=peer.unit, name=name).first()
        if unit is None:
            unit = Unit.objects.create(name=name, kind=kind, parent=peer.unit)
            audited(unit, AuditAction.CREATE, note)
        refs.add(remote_id, unit.pk)
    return refs


def _campaigns(peer: Peer, body: dict, note: str) -> RefMap:
    refs = RefMap(peer, "campaign")
    for item in f.records(body, "campaigns"):
        upsert(refs, Campaign, f.number(item, "id"), {
            "name": f.text(item, "name", 100, blank=False), "year": f.number(item, "year"),
            "organiser_id": peer.unit_id, "start_date": f.day(item, "start"),
            "end_date": f.day(item, "end"), "mirror": True,
        }, note)  # fmt: skip
    return refs


def _upper_task(peer: Peer, item: dict, note: str) -> Task | None:
    """The county's task `item` answers, its hand-down turned 已接收; None when the county
    withdrew that hand-down before the answer arrived (the answering task is not mirrored)."""
    upper_id = f.number(item, "upper")
    handdown = (
        HandDown.objects.filter(upper_task_id=upper_id, unit=peer.unit)
        .filter(state__in=[HandDownState.PENDING, HandDownState.ACCEPTED])
        .select_related("upper_task")
        .first()
    )
    withdrawn = HandDown.objects.filter(
        upper_task_id=upper_id, unit=peer.unit, state=HandDownState.WITHDRAWN
    )
    if handdown is None and withdrawn.exists():
        return None
    if handdown is None:
        raise PackageError(
            f"任务“{shown(item.get('title'))}”所答复的上级任务（编号{upper_id}）"
            f"没有交办给{peer.unit.name}，未导入。"
        )
    if handdown.state == HandDownState.PENDING:
        before = snapshot(handdown)
        handdown.state, handdown.answered_on = HandDownState.ACCEPTED, clock.today()
        handdown.save(update_fields=["state", "answered_on", "updated_at"])
        audited(handdown, AuditAction.UPDATE, note, before, task_id=upper_id)
    return handdown.upper_task


def _task_fields(item: dict, units: RefMap, campaigns: RefMap, upper: Task) -> dict:
    campaign_id, lead_id = (
        campaigns.get(f.number(item, "campaign")),
        units.get(f.number(item, "lead_unit")),
    )
    if campaign_id is None or lead_id is None:
        raise PackageError(f"任务“{shown(item.get('title'))}”的活动或牵头单位不在包内，未导入。")
    category, _ = TaskCategory.objects.get_or_create(
        campaign_id=campaign_id, name=f.text(item, "category", 50, blank=False)
    )
    return {
        "campaign_id": campaign_id, "category_id": category.pk, "number": f.number(item, "number"),
        "title": f.text(item, "title", 200, blank=False), "target": f.text(item, "target", f.TARGET_MAX_CHARS),
        "lead_unit_id": lead_id, "start_date": f.day(item, "start"), "due_date": f.day(item, "due"),
        "state": f.choice(item, "state", TaskState), "closed_on": f.day(item, "closed_on", optional=True),
        "upper_task_id": upper.pk,
    }  # fmt: skip


def skipped_notice(peer: Peer, item: dict) -> str:
    """What the operator is told of a task left out because its hand-down was withdrawn."""
    withdrawn = (
        HandDown.objects.filter(
            upper_task_id=f.number(item, "upper"), unit=peer.unit, state=HandDownState.WITHDRAWN
        )
        .select_related("upper_task")
        .first()
    )
    on = f"于{withdrawn.withdrawn_on:%Y-%m-%d}" if withdrawn and withdrawn.withdrawn_on else ""
    upper = f"“{shown(withdrawn.upper_task.title)}”" if withdrawn else ""
    return (
        f"{peer.unit.name}的任务“{shown(item.get('title'))}”未导入（连同其节点和进展报告）："
        f"所答复的交办任务{upper}已{on}撤回"
    )


def _tasks(peer: Peer, body: dict, units: RefMap, note: str, notices: list[str]) -> RefMap:
    refs, campaigns = RefMap(peer, "task"), _campaigns(peer, body, note)
    for item in f.records(body, "tasks"):
        upper = _upper_task(peer, item, note)
        if upper is None:
            refs.skipped.add(f.number(item, "id"))
            notices.append(skipped_notice(peer, item))
            continue
        upsert(refs, Task, f.number(item, "id"), _task_fields(item, units, campaigns, upper), note)
    milestones = RefMap(peer, "milestone")
    for item in f.records(body, "milestones"):
        task_id = refs.get(f.number(item, "task"))
        if task_id is None and item["task"] in refs.skipped:
            continue
        if task_id is None:
            raise PackageError("交换包内容不完整：节点所属的任务不在包内。")
        upsert(milestones, Milestone, f.number(item, "id"), {
            "task_id": task_id, "title": f.text(item, "title", 200, blank=False),
            "due_date": f.day(item, "due"), "done_on": f.day(item, "done_on", optional=True),
            "sort_order": f.number(item, "sort"),
        }, note)  # fmt: skip
    return refs


def _reports(peer: Peer, body: dict, tasks: RefMap, units: RefMap, user, note: str) -> None:
    """Progress reports are append-only: only those not yet imported are added; a correction
    points at the mirror of the report it corrects."""
    refs = RefMap(peer, "report")
    for item in f.records(body, "reports"):
        remote_id = f.number(item, "id")
        if refs.get(remote_id) is not None:
            continue
        task_id, unit_id = tasks.get(f.number(item, "task")), units.get(f.number(item, "unit"))
        if task_id is None and item["task"] in tasks.skipped:
            continue
        if task_id is None or unit_id is None:
            raise PackageError("交换包内容不完整：进展报告所属的任务或填报单位不在包内。")
        corrects_id = refs.get(f.number(item, "corrects", optional=True))
        report = ProgressReport.append(
            current=ProgressReport.objects.get(pk=corrects_id) if corrects_id else None,
            reason=f.text(item, "reason", f.REASON_MAX_CHARS) or "上报包更正", task_id=task_id, unit_id=unit_id,
            period=f.day(item, "period"), text=f.text(item, "text", PROGRESS_MAX_CHARS, blank=False),
            milestones_reached=[], submitted_by=user,
        )  # fmt: skip
        audited(report, AuditAction.CREATE, note, task_id=task_id)
        refs.add(remote_id, report.pk)


def _indicators(peer: Peer, body: dict, units: RefMap, note: str) -> RefMap:
    refs = RefMap(peer, "indicator")
    for item in f.records(body, "indicators"):
        upper_id, remote_id = f.number(item, "upper"), f.number(item, "id")
        upper = Indicator.objects.filter(pk=upper_id, district=peer.home).first()
        unit_id = units.get(f.number(item, "unit"))
        if upper is None or unit_id is None:
            raise PackageError(
                f"指标“{shown(item.get('name'))}”所汇入的上级指标或责任单位不存在，未导入。"
            )
        name = f.text(item, "name", 100, blank=False)
        if refs.get(remote_id) is None and (
            same := Indicator.objects.filter(district=peer.unit, name=name).first()
        ):
            refs.add(remote_id, same.pk)
        upsert(refs, Indicator, remote_id, {
            "name": name, "measure_unit": f.choice(item, "measure_unit", MeasureUnit),
            "accumulation": f.choice(item, "accumulation", Accumulation),
            "direction": f.choice(item, "direction", Direction),
            "aggregation": f.choice(item, "aggregation", Aggregation),
            "responsible_unit_id": unit_id, "upper_id": upper.pk,
        }, note)  # fmt: skip
    return refs


def _actuals(peer: Peer, body: dict, indicators: RefMap, note: str) -> None:
    """Figures: a month not yet accepted is added; one accepted with the same value is left as
    it is; a correction of the accepted figure (its reason with it) is added as a correction;
    any other change of an accepted figure refuses the whole package."""
    refs = RefMap(peer, "actual")
    for item in f.records(body, "actuals"):
        remote_id = f.number(item, "id")
        if refs.get(remote_id) is not None:
            continue
        indicator_id = indicators.get(f.number(item, "indicator"))
        if indicator_id is None:
            raise PackageError("交换包内容不完整：完成值所属的指标不在包内。")
        year, month, value = (
            f.number(item, "year"),
            f.number(item, "month"),
            f.decimal(item, "value"),
        )
        if not 1 <= month <= 12 or value_problem(value):
            raise PackageError(
                f"完成值{f.figure(value)}（{year}年{month}月）无法保存：{value_problem(value) or '月份不对'}。"
            )
        current = (
            Actual.objects.filter(indicator_id=indicator_id, year=year, month=month)
            .order_by("-pk")
            .first()
        )
        corrects = refs.get(f.number(item, "corrects", optional=True))
        estimate = f.flag(item, "is_estimate")
        if current is not None and corrects != current.pk:
            if current.value == value and current.is_estimate == estimate:
                refs.add(remote_id, current.pk)
                continue
            raise PackageError(_changed(current, value, estimate))
        actual = Actual.append(
            current=current, reason=f.text(item, "reason", f.REASON_MAX_CHARS) or "上报包更正", indicator_id=indicator_id,
            year=year, month=month, value=value, is_estimate=estimate, note=f.text(item, "note", f.NOTE_MAX_CHARS),
            unit_id=peer.unit_id, submitted_by=None,
        )  # fmt: skip
        audited(actual, AuditAction.CREATE, f"{note} {actual.correction_note}".strip())
        refs.add(remote_id, actual.pk)


def _changed(current: Actual, value, estimate: bool) -> str:
    shown = f"{f.figure(value)}{'（预计）' if estimate else ''}"
    accepted = f"{f.figure(current.value)}{'（预计）' if current.is_estimate else ''}"
    return (
        f"指标“{current.indicator.name}”{current.year}年{current.month}月已接收{accepted}，"
        f"本包为{shown}，且不是对已接收数的更正：整包未导入。"
        "如需更正，请在下级填报更正（附更正原因）后重新导出。"
    )


def _returns(peer: Peer, body: dict, note: str) -> None:
    """Hand-downs the district returned: the county's one still waiting turns 已退回 with the
    district's reason (one answered meanwhile is left as it is)."""
    refs = RefMap(peer, "return")
    for item in f.records(body, "returns"):
        remote_id = f.number(item, "id")
        if refs.get(remote_id) is not None:
            continue
        waiting = HandDown.objects.filter(
            upper_task_id=f.number(item, "upper"), unit=peer.unit, state=HandDownState.PENDING
        ).first()
        if waiting is not None:
            before = snapshot(waiting)
            waiting.state, waiting.answered_on = HandDownState.RETURNED, clock.today()
            waiting.return_reason = f.text(item, "reason", f.NOTE_MAX_CHARS, blank=False)
            waiting.save(update_fields=["state", "answered_on", "return_reason", "updated_at"])
            audited(waiting, AuditAction.UPDATE, note, before, task_id=waiting.upper_task_id)
            refs.add(remote_id, waiting.pk)


def apply_report(peer: Peer, body: dict, *, user, note: str) -> list[str]:
    """Apply a report-up package's body; what was left out, for the operator (a task whose
    hand-down the county withdrew meanwhile)."""
    notices: list[str] = []
    _returns(peer, body, note)
    units = _units(peer, body, note)
    tasks = _tasks(peer, body, units, note, notices)
    _reports(peer, body, tasks, units, user, note)
    _actuals(peer, body, _indicators(peer, body, units, note), note)
    return notices
