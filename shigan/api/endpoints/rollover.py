"""The year's rollover (结转到下一年) as its page (rollover:campaign_rollover): the preview of
what rolling a campaign over would create, and the rollover itself, through the page's form
(rollover.forms.NextYearForm: the same fields and messages) and service
(rollover.services.campaign_rollover: all or nothing, every created record audited with a note
naming its origin). Who: whoever manages the campaign (rollover.access.get_campaign_to_roll_over
— 404 outside the caller's district, 403 for a role that only reads it, before the body is
read); the items offered are the campaign's unfinished tasks the caller reads.

Twice: as on the page, a campaign of the same year and name in the district refuses the
rollover (422, 本区（县）已有…不能再次结转), so a second rollover of a campaign creates no second
next-year campaign; a retry with the same Idempotency-Key replays the first answer (201, the
same campaign), nothing written again. The page too lets another name through: a second
campaign of the year is then made on purpose, as on the page."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict
from ninja import Field, Query, Router, Schema, Status

from shigan.core.params import YEAR_RANGE
from shigan.rollover.access import get_campaign_to_roll_over, rollover_tasks
from shigan.rollover.forms import NextYearForm, carried_choices
from shigan.rollover.services import (
    RolloverPlan,
    campaign_rollover,
    next_year_defaults,
    rollover_candidates,
    rollover_errors,
    rollover_plan,
)

from ..body import body_documented, body_parsed
from ..pageforms import form_refused, refused, service_refused
from ..params import known_only
from ..schemas import RECORD_ERRORS, WRITE_ERRORS, CampaignOut, RecordId

router = Router(tags=["组织与活动"])


class NextYearQuery(Schema):
    year: int | None = Field(
        None, ge=YEAR_RANGE[0], le=YEAR_RANGE[1], description="下一年度（默认本活动年度加1）"
    )
    name: str | None = Field(None, max_length=100, description="下一年度活动名称（默认年份顺延）")
    start_date: datetime.date | None = Field(None, description="开始日期（默认1月1日）")
    end_date: datetime.date | None = Field(None, description="结束日期（默认12月31日）")
    carry: list[int] = Field([], description="拟结转的事项（任务编号，可重复给出）")


class NextYearOut(Schema):
    year: int
    name: str
    start_date: datetime.date
    end_date: datetime.date


class PhaseCopyOut(Schema):
    name: str
    start_date: datetime.date = Field(description="新活动中的开始日期")
    end_date: datetime.date = Field(description="新活动中的结束日期")


class SeriesCopyOut(Schema):
    name: str
    active_from: datetime.date
    active_to: datetime.date | None


class MilestoneCopyOut(Schema):
    id: int
    title: str
    due_date: datetime.date = Field(description="结转后的完成时限")


class CandidateOut(Schema):
    task_id: int
    number: int
    title: str
    category: str | None
    lead_unit: str
    carry: bool = Field(description="是否在本次拟结转之列（carry）")
    due_date: datetime.date = Field(description="结转后的完成时限")
    milestones: list[MilestoneCopyOut] = Field(description="随之结转的未完成节点")


class RolloverPreviewOut(Schema):
    campaign_id: int
    next: NextYearOut
    plan_sections: list[str] = Field(description="复制的实施方案章节（类别）")
    phases: list[PhaseCopyOut]
    categories: list[str] = Field(description="复制的任务分类")
    meeting_series: list[SeriesCopyOut]
    candidates: list[CandidateOut] = Field(description="可结转的未完成事项")
    errors: dict[str, str] = Field(
        description="确认结转时会被拒绝的原因（字段 → 说明），为空表示可以结转"
    )


def _preview(plan: RolloverPlan, errors: dict[str, str]) -> dict:
    nxt = plan.next
    return {
        "campaign_id": plan.campaign.pk,
        "next": vars(nxt) | {"name": nxt.name.strip()},
        "plan_sections": [s.get_kind_display() for s in plan.sections],
        "phases": [{"name": p.name, "start_date": s, "end_date": e} for p, s, e in plan.phases],
        "categories": [c.name for c in plan.categories],
        "meeting_series": [
            {"name": m.name, "active_from": f, "active_to": t} for m, f, t in plan.series
        ],
        "candidates": [_candidate(item) for item in plan.items],
        "errors": errors,
    }


def _candidate(item) -> dict:
    task = item.task
    return {
        "task_id": task.pk,
        "number": task.number,
        "title": task.title,
        "category": task.category.name if task.category else None,
        "lead_unit": task.lead_unit.name,
        "carry": item.carry,
        "due_date": item.due_date,
        "milestones": [{"id": m.pk, "title": m.title, "due_date": d} for m, d in item.milestones],
    }


def _form(campaign, values: dict) -> NextYearForm:
    """NextYearForm over the given values, the page's defaults for those left out."""
    defaults = vars(next_year_defaults(campaign))
    data = {k: str(defaults[k] if values.get(k) is None else values[k]) for k in defaults}
    return NextYearForm(data)


@router.get(
    "/campaigns/{campaign_id}/rollover",
    response={200: RolloverPreviewOut, **RECORD_ERRORS},
    summary="结转到下一年：预览",
)
def rollover_preview(request, campaign_id: RecordId, query: Query[NextYearQuery]):
    """What rolling the campaign over would create (the page's 预览): next year's campaign
    (defaults for what is left out), the plan sections, phases (dates moved), task categories
    and meeting series copied, and every unfinished item that may be carried with its new due
    date; `errors` holds what the rollover would be refused for (the page's messages, keyed as
    the body's fields), empty when it can be made. Writes nothing."""
    known_only(request, NextYearQuery)
    campaign = get_campaign_to_roll_over(request.user, campaign_id)
    form = _form(campaign, query.model_dump(exclude={"carry"}))
    if not form.is_valid():
        raise form_refused(form)
    carry = dict.fromkeys(query.carry, "")
    plan = rollover_plan(
        campaign=campaign,
        candidates=rollover_candidates(rollover_tasks(request.user, campaign)),
        next_year=form.next_year(),
        carry=carry,
    )
    errors = {
        k: v for k, v in rollover_errors(plan).items() if not k.startswith("reason_")
    }  # a reason is given on the rollover itself
    return _preview(plan, errors)


class CarryIn(Schema):
    task: RecordId = Field(description="结转的事项（任务编号）")
    reason: str = Field(max_length=500, description="结转理由")


class RolloverIn(Schema):
    """The rollover as the page confirms it (NextYearForm and the ticked items)."""

    year: int = Field(description="下一年度", examples=[2024])
    name: str = Field(max_length=100, description="下一年度活动名称")
    start_date: str = Field(description="开始日期，YYYY-MM-DD", examples=["2024-01-01"])
    end_date: str = Field(description="结束日期，YYYY-MM-DD", examples=["2024-12-31"])
    carry: list[CarryIn] = Field([], max_length=1000, description="结转的未完成事项及理由")


class RolloverOut(Schema):
    campaign: CampaignOut = Field(description="新建的下一年度活动")
    carried: int = Field(description="结转的事项数")


def _carried(payload: RolloverIn) -> tuple[dict[int, str], dict[str, str]]:
    """The page's reading of the ticked items (carried_choices), and each item's body name."""
    posted = MultiValueDict({"carry": [str(c.task) for c in payload.carry]})
    fields = {}
    for i, item in enumerate(payload.carry):
        posted[f"reason_{item.task}"] = item.reason
        fields[f"reason_{item.task}"] = f"carry[{i}].reason"
    carry, _ = carried_choices(posted)  # every task a RecordId: no problem left to name
    return carry, fields


@router.post(
    "/campaigns/{campaign_id}/rollover",
    response={201: RolloverOut, **WRITE_ERRORS},
    summary="结转到下一年",
    url_name="rollover_preview",
    openapi_extra=body_documented(RolloverIn),
)
def rollover_create(request, campaign_id: RecordId):
    """Create next year's campaign and carry the chosen items, as the page's 确认结转 (all or
    nothing, every created record audited): refused (422, the page's messages) for a name,
    year or dates the page refuses, an item without a reason, an item that is no longer
    unfinished or was carried meanwhile, and a campaign of that year and name already in the
    district — so a second rollover creates no second campaign. An item listed twice is
    refused (422)."""
    campaign = get_campaign_to_roll_over(request.user, campaign_id)
    payload = body_parsed(request, RolloverIn)
    form = NextYearForm({k: str(v) for k, v in payload.model_dump(exclude={"carry"}).items()})
    if not form.is_valid():
        raise form_refused(form)
    carry, fields = _carried(payload)
    if len(carry) != len(payload.carry):
        raise refused({"carry": ["同一事项只能列出一次。"]})
    try:
        new = campaign_rollover(
            campaign=campaign,
            by=request.user,
            candidates=rollover_tasks(request.user, campaign),
            next_year=form.next_year(),
            carry=carry,
        )
    except ValidationError as error:
        raise service_refused(error, fields) from None
    return Status(201, {"campaign": new, "carried": len(carry)})
