"""Spot checks (随机抽查) as their pages: the draws of the caller's district's campaigns
(supervision.access.spot_checks_visible_to — the task force, inspectors and leaders; 403 for
anyone else, as the page), a draw with its drawn items in the order drawn, its recorded seed and
population and the check that redrawing gives the same result, and a new draw as the page's
抽取 does: its form (supervision.forms.SpotCheckForm: the district's campaigns and units, the
same messages) and its service (supervision.services.spot_check_draw: random.Random(seed) over
the ids ascending, ceil(share × N / 100) drawn, the seed given or a fresh one recorded; audited)
for the task force and inspectors."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status

from shigan.campaigns.access import campaign_for_user
from shigan.core.models import user_display_name
from shigan.supervision.access import (
    can_read_spot_checks,
    can_record_supervision,
    get_spot_check_for_user,
    spot_checks_visible_to,
)
from shigan.supervision.draw import MAX_SHARE, MIN_SHARE
from shigan.supervision.forms import SpotCheckForm
from shigan.supervision.models import SpotCheck
from shigan.supervision.queries import spot_check_tasks, spot_checks_listed
from shigan.supervision.services import spot_check_draw
from shigan.supervision.services.spot_checks import SEED_LENGTH
from shigan.tasks.models import TaskOrigin

from ..body import body_documented, body_parsed
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, ProblemOut, RecordId

router = Router(tags=["督查"])
READ_REFUSAL = "抽查记录仅供专班、督查人员和领导查看。"


class SpotCheckFilters(PageFilters):
    campaign: RecordId | None = Field(None, description="活动编号")


class SpotCheckOut(Schema):
    id: int
    campaign_id: int
    campaign: str
    share: int = Field(description="抽查比例（%）")
    unit_id: int | None = Field(description="限定牵头单位编号（全部单位为 null）")
    unit: str = Field(description="限定牵头单位（全部单位为空）")
    origin: str = Field(description="限定事项来源（全部来源为空）")
    origin_label: str
    seed: str = Field(description="随机种子")
    population_count: int = Field(description="抽取范围内已办结事项数")
    drawn_count: int = Field(description="抽中事项数（向上取整）")
    note: str
    created_by: str = Field(description="抽取人")
    created_at: datetime.datetime = Field(description="抽取时间")


class SpotCheckPage(Schema):
    items: list[SpotCheckOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


class DrawnTaskOut(Schema):
    order: int = Field(description="抽取顺序（从1起）")
    id: int = Field(description="任务编号")
    title: str
    lead_unit_id: int
    lead_unit: str
    origin: str
    origin_label: str
    closed_on: datetime.date | None = Field(description="办结日期")


class SpotCheckDetailOut(SpotCheckOut):
    population: list[int] = Field(description="抽取范围（任务编号，从小到大）")
    drawn: list[int] = Field(description="抽中名单（任务编号，按抽取顺序）")
    reproduces: bool = Field(description="复核：以记录的种子和范围重新抽取，结果一致")
    redrawn: list[int] = Field(description="重新抽取得到的名单")
    tasks: list[DrawnTaskOut] = Field(description="抽中事项，按抽取顺序")


def _out(spot_check: SpotCheck) -> dict:
    return {
        "id": spot_check.pk,
        "campaign_id": spot_check.campaign_id,
        "campaign": str(spot_check.campaign),
        "share": spot_check.share,
        "unit_id": spot_check.unit_id,
        "unit": spot_check.unit.name if spot_check.unit else "",
        "origin": spot_check.origin,
        "origin_label": spot_check.get_origin_display() if spot_check.origin else "",
        "seed": spot_check.seed,
        "population_count": len(spot_check.population),
        "drawn_count": len(spot_check.drawn),
        "note": spot_check.note,
        "created_by": user_display_name(spot_check.created_by),
        "created_at": spot_check.created_at,
    }


def _detail(spot_check: SpotCheck) -> dict:
    tasks = spot_check_tasks(spot_check)
    return _out(spot_check) | {
        "population": list(spot_check.population),
        "drawn": list(spot_check.drawn),
        "reproduces": spot_check.reproduces(),
        "redrawn": spot_check.redraw(),
        "tasks": [
            {
                "order": order,
                "id": task.pk,
                "title": task.title,
                "lead_unit_id": task.lead_unit_id,
                "lead_unit": task.lead_unit.label,
                "origin": task.origin,
                "origin_label": task.get_origin_display(),
                "closed_on": task.closed_on,
            }
            for order, task in enumerate(tasks, start=1)
        ],
    }


@router.get(
    "/spot-checks",
    response={200: SpotCheckPage, **READ_ERRORS, 403: ProblemOut},
    summary="随机抽查列表",
)
def spot_check_list(request, filters: Query[SpotCheckFilters]):
    """The draws of the caller's district's campaigns (as the 随机抽查 page: the task force,
    inspectors and leaders; 403 for anyone else), by id. Two queries whatever the page's size:
    the page's ids, the rows."""
    known_only(request, SpotCheckFilters)
    if not can_read_spot_checks(request.user):
        raise PermissionDenied(READ_REFUSAL)
    visible = spot_checks_visible_to(request.user, SpotCheck.objects.all())
    if filters.campaign is not None:
        visible = visible.filter(campaign_id=filters.campaign)
    page, next_cursor = page_of(visible.only("id"), filters.cursor, filters.limit)
    rows = spot_checks_listed(SpotCheck.objects.filter(pk__in=[s.pk for s in page]))
    return {"items": [_out(s) for s in rows.order_by("pk")], "next": next_cursor}


@router.get(
    "/spot-checks/{spot_check_id}",
    response={200: SpotCheckDetailOut, **RECORD_ERRORS},
    summary="抽查记录详情",
)
def spot_check_detail(request, spot_check_id: RecordId):
    """A draw as its page shows it (404 for whoever does not read it, the same message as an
    unknown id): the scope, share, seed and population recorded, the drawn items in the order
    drawn, and 复核 — the draw recomputed from the seed and population (random.Random(seed)
    .sample(范围从小到大, 抽取数)) and whether it equals the recorded one. Two queries."""
    spot_check = get_spot_check_for_user(
        request.user, spot_check_id, queryset=spot_checks_listed(SpotCheck.objects.all())
    )
    return _detail(spot_check)


class SpotCheckIn(Schema):
    """A draw as the page's 新的抽查 form takes it (supervision.forms.SpotCheckForm)."""

    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")
    share: int = Field(description=f"抽查比例（%），{MIN_SHARE}到{MAX_SHARE}的整数")
    unit: RecordId | None = Field(None, description="限定牵头单位编号（不填为全部单位）")
    origin: TaskOrigin | None = Field(None, description="限定事项来源（不填为全部来源）")
    seed: str = Field(
        "", description=f"随机种子，最多{SEED_LENGTH}个字符（留空则由系统随机生成并记录）"
    )
    note: str = Field("", description="说明")


@router.post(
    "/spot-checks",
    response={201: SpotCheckDetailOut, **{k: v for k, v in WRITE_ERRORS.items() if k != 404}},
    summary="随机抽查（抽取）",
    url_name="spot_check_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(SpotCheckIn),
)
def spot_check_new(request):
    """Draw as the page's 抽取 does (the same form and service, audited): the task force and
    inspectors (403 for anyone else, before the body is read). ceil(share × N / 100) of the N
    completed (已办结) items of the campaign — of one lead unit or one origin when given — are
    drawn with random.Random(seed) over their ids in ascending order; the seed given, or a fresh
    one, is recorded with the population, so the draw can be redone (GET …/{id}: reproduces).
    Nothing completed in scope is refused (422) with the page's message. An Idempotency-Key
    replays a retried draw instead of drawing again."""
    if not can_record_supervision(request.user):
        raise PermissionDenied("只有督查人员或专班可以抽查。")
    payload = body_parsed(request, SpotCheckIn)
    if payload.campaign is None:
        current = campaign_for_user(request.user)
        payload = payload.model_copy(update={"campaign": current.pk if current else None})
    form = SpotCheckForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        spot_check = spot_check_draw(by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _detail(spot_checks_listed(SpotCheck.objects.all()).get(pk=spot_check.pk)))
