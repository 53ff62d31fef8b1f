"""Applying a hand-down package (交办包) at the district: each of the county's hand-downs becomes
a HandDown waiting in the district's inbox (待接收), linked to a mirror of the county's task (in
a campaign of the county's unit here) and, when it comes from a directive point, to a mirror of
that directive; the county's indicators are mirrored too, for the district's own indicators to
count into (汇入上级指标); a hand-down the county withdrew turns 已撤回 with its reason. Rules in
shigan.exchange.__doc__."""

import datetime

from shigan.campaigns.models import Campaign
from shigan.core.audit import snapshot
from shigan.core.models import AuditAction
from shigan.directives.models import (
    DIRECTIVE_TITLE_MAX_CHARS,
    ISSUER_NAME_MAX_CHARS,
    POINT_MAX_CHARS,
    Directive,
    DirectivePoint,
    HandDown,
    HandDownState,
)
from shigan.indicators.models import Accumulation, Aggregation, Direction, Indicator
from shigan.indicators.models.indicators import MeasureUnit
from shigan.tasks.models import Task, TaskCategory, TaskState

from . import fields as f
from .mirror import audited, upsert
from .models import Peer
from .package import PackageError
from .refs import RefMap

CATEGORY = "上级交办"
DIRECTIVE_NUMBER_MAX_CHARS = Directive._meta.get_field("number").max_length


def _category(peer: Peer, year: int, note: str) -> TaskCategory:
    campaign = Campaign.objects.filter(organiser=peer.unit, year=year).first()
    if campaign is None:
        campaign = Campaign.objects.create(
            organiser=peer.unit, year=year, name=f"{peer.unit.name[:80]}交办任务",
            start_date=datetime.date(year, 1, 1), end_date=datetime.date(year, 12, 31),
            mirror=True,
        )  # fmt: skip
        audited(campaign, AuditAction.CREATE, note)
    return TaskCategory.objects.get_or_create(campaign=campaign, name=CATEGORY)[0]


def _upper_task(peer: Peer, refs: RefMap, item: dict, note: str) -> Task:
    item = f.record(item, "交办任务")
    start = f.day(item, "start")
    category = _category(peer, start.year, note)
    return upsert(refs, Task, f.number(item, "id"), {
        "campaign_id": category.campaign_id, "category_id": category.pk,
        "title": f.text(item, "title", 200, blank=False), "target": f.text(item, "target", f.TARGET_MAX_CHARS),
        "lead_unit_id": peer.unit_id, "start_date": start, "due_date": f.day(item, "due"),
        "state": f.choice(item, "state", TaskState),
    }, note)  # fmt: skip


def _point(peer: Peer, item, user, note: str) -> DirectivePoint | None:
    if item is None:
        return None
    if not isinstance(item, dict) or not isinstance(item.get("point"), dict):
        raise PackageError("交换包内容不完整：交办所依据的文件不完整。")
    item = f.record(item, "文件")
    refs, remote_id = RefMap(peer, "directive"), f.number(item, "id")
    number = f.text(item, "number", DIRECTIVE_NUMBER_MAX_CHARS, blank=False)
    if refs.get(remote_id) is None and (
        same := Directive.objects.filter(issuer=peer.unit, number=number).first()
    ):
        refs.add(remote_id, same.pk)
    directive = upsert(refs, Directive, remote_id, {
        "issuer_id": peer.unit_id, "issuer_name": f.text(item, "issuer", ISSUER_NAME_MAX_CHARS), "number": number,
        "title": f.text(item, "title", DIRECTIVE_TITLE_MAX_CHARS, blank=False), "issued_on": f.day(item, "issued_on"),
        "created_by": user,
    }, note)  # fmt: skip
    point = f.record(item["point"], "要求事项")
    return upsert(RefMap(peer, "point"), DirectivePoint, f.number(point, "id"), {
        "directive_id": directive.pk, "text": f.text(point, "text", POINT_MAX_CHARS, blank=False),
        "sort_order": f.number(point, "sort"),
    }, note)  # fmt: skip


def _handdowns(peer: Peer, body: dict, user, note: str) -> None:
    tasks, refs = RefMap(peer, "task"), RefMap(peer, "handdown")
    for item in f.records(body, "handdowns"):
        upper = _upper_task(peer, tasks, item.get("task"), note)
        point = _point(peer, item.get("directive"), user, note)
        remote_id = f.number(item, "id")
        if refs.get(remote_id) is not None:
            continue
        handdown = HandDown.objects.create(
            upper_task=upper, unit=peer.home, note=f.text(item, "note", f.NOTE_MAX_CHARS), point=point,
            handed_by=user, handed_on=f.day(item, "handed_on"),
        )  # fmt: skip
        audited(handdown, AuditAction.CREATE, note, task_id=upper.pk)
        refs.add(remote_id, handdown.pk)


def _indicators(peer: Peer, body: dict, note: str) -> None:
    refs = RefMap(peer, "indicator")
    for item in f.records(body, "indicators"):
        remote_id, name = f.number(item, "id"), f.text(item, "name", 100, blank=False)
        if refs.get(remote_id) is None and (
            same := Indicator.objects.filter(district=peer.unit, name=name).first()
        ):
            refs.add(remote_id, same.pk)
        upsert(refs, Indicator, remote_id, {
            "name": name, "measure_unit": f.choice(item, "measure_unit", MeasureUnit),
            "accumulation": f.choice(item, "accumulation", Accumulation),
            "direction": f.choice(item, "direction", Direction),
            "aggregation": f.choice(item, "aggregation", Aggregation),
            "responsible_unit_id": peer.unit_id,
        }, note)  # fmt: skip


def _withdrawals(peer: Peer, body: dict, user, note: str) -> None:
    """Hand-downs the county withdrew (撤回): the district's one still waiting turns 已撤回 with
    the county's reason and day (one never received, or answered meanwhile, is left as it is:
    the district's answer goes up in its report)."""
    refs = RefMap(peer, "handdown")
    for item in f.records(body, "withdrawals"):
        local_id = refs.get(f.number(item, "id"))
        waiting = HandDown.objects.filter(pk=local_id, state=HandDownState.PENDING).first()
        if local_id is None or waiting is None:
            continue
        before = snapshot(waiting)
        waiting.state, waiting.withdrawn_by = HandDownState.WITHDRAWN, user
        waiting.withdrawn_on = f.day(item, "withdrawn_on")
        waiting.withdraw_reason = f.text(item, "reason", f.NOTE_MAX_CHARS, blank=False)
        waiting.save(update_fields=[
            "state", "withdrawn_by", "withdrawn_on", "withdraw_reason", "updated_at",
        ])  # fmt: skip
        audited(waiting, AuditAction.UPDATE, note, before, task_id=waiting.upper_task_id)


def apply_handdowns(peer: Peer, body: dict, *, user, note: str) -> None:
    _handdowns(peer, body, user, note)
    _withdrawals(peer, body, user, note)
    _indicators(peer, body, note)
