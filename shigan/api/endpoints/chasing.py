"""催报 and 催办 as their pages (reminders:filing_board, filing_chase, item_chase,
handdown_chase): the 报送情况 board (who has filed the month's report, who has not, and the
催报 each has had), 一键催报 of the units that have not filed, the overdue items and 一键催办 of
them, and 催办 of a hand-down to a district's 专班 — the coordinators' (reminders.access; 403 for
anyone else, as the pages), of their own level's units only (a level below is chased through its
hand-down: 403 with the pages' explanation when every unit is of a level below).

The sendings go through the pages' forms and services (reminders.forms.ChaseForm and
ItemChaseForm; reminders.services chase_send, item_chase_send, handdown_chase_send): the same
recipients (the units' active reporter accounts; a district's 专班 for a hand-down), the same
inbox messages (queued by email and to the units' group robots), the same audit entries and the
same once-a-day rule — a unit (or an item) chased by hand today is not chased again unless
`again` is set. A retried sending does not send twice: the same `batch` (as the page's form
carries) or the same Idempotency-Key answers without sending again."""

import datetime
import uuid

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import IntegrityError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from shigan.campaigns.queries import CampaignNotFound, campaign_current
from shigan.core import clock
from shigan.core.params import BadValue, parse_period
from shigan.reminders.access import (
    LOWER_LEVEL_CHASE,
    can_chase_items,
    can_chase_reports,
    chase_targets_split,
    get_handdown_to_chase,
    require_chase_targets,
)
from shigan.reminders.forms import (
    CHASE_TEXT_MAX,
    HANDDOWN_CHASE_MAX_CHARS,
    ITEM_CHASE_TEXT_MAX,
    ChaseForm,
    HandDownChaseForm,
    ItemChaseForm,
)
from shigan.reminders.queries import (
    FilingBoard,
    FilingStatus,
    chase_batch_sent,
    chase_default_text,
    filing_board,
    reported_period_default,
    reporter_accounts,
)
from shigan.reminders.queries.items import (
    ITEM_CHASE_TEXT,
    item_chase_batch_sent,
    overdue_items,
)
from shigan.reminders.services import chase_send
from shigan.reminders.services.handdowns import HANDDOWN_CHASE_TEXT, handdown_chase_send
from shigan.reminders.services.item_chase import item_chase_send
from shigan.tasks.queries import campaign_choices

from ..body import body_documented, body_parsed
from ..pageforms import form_data, form_refused, refused
from ..params import known_only
from ..schemas import READ_ERRORS, WRITE_ERRORS, ProblemOut, RecordId

router = Router(tags=["催报与催办"])
CREATE_ERRORS = {k: v for k, v in WRITE_ERRORS.items() if k != 404}  # no record in the path
REPORTS_REFUSAL = "报送情况和催报仅限专班。"
ITEMS_REFUSAL = "一键催办仅限专班。"
BATCH = r"^[0-9a-f]{32}$"


def _campaign(user, raw, *, in_body: bool = False):
    """The campaign the pages pick (campaign_current among campaign_choices): the one named or
    the current one; an id naming none of the caller's is 404 as on the page — in a write's body
    422 on `campaign`, as any id of a body."""
    try:
        return campaign_current(raw, among=campaign_choices(user))
    except CampaignNotFound as missing:
        if in_body:
            raise refused({"campaign": [str(missing) or "活动不存在或无权查看。"]}) from None
        raise


def _period(raw: str | None, campaign) -> datetime.date:
    """The month as the board's `period`: YYYY-MM, not a future month; by default the month being
    reported (last month, unless the campaign began this month). Where the page falls back to the
    default with a note, the API refuses (422 naming `period`) with the page's words."""
    try:
        period = parse_period(raw)
    except BadValue as bad:
        raise refused({"period": [f"月份{bad}。"]}) from None
    if period is not None and period > clock.month_start(clock.today()):
        raise refused({"period": [f"“{period:%Y-%m}”是未来月份，不能催报或查看报送情况。"]})
    return period or reported_period_default(campaign)


def _board(user, campaign_raw, period_raw, *, in_body: bool = False) -> tuple:
    if not can_chase_reports(user):
        raise PermissionDenied(REPORTS_REFUSAL)
    campaign = _campaign(user, campaign_raw, in_body=in_body)
    period = _period(period_raw, campaign)
    board = filing_board(user, campaign, period) if campaign else None
    return campaign, period, board


# --- 报送情况 -----------------------------------------------------------------------------------


class BoardFilters(Schema):
    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")
    period: str | None = Field(
        None,
        max_length=20,
        description="月份，YYYY-MM（默认正在报送的月份：上月，活动本月开始时为本月）",
        examples=["2023-06"],
    )


class BoardRowOut(Schema):
    unit_id: int
    unit: str
    status: FilingStatus = Field(description="filed 已报、pending 未报、overdue 逾期未报")
    status_label: str
    due: int = Field(description="该月应报送进展的事项数")
    filed: int = Field(description="已报送的事项数")
    filed_at: datetime.datetime | None = Field(description="最近一次报送时间")
    filed_by: str = Field(description="最近一次报送人")
    filed_late: bool = Field(description="已报，但在截止日期之后")
    chases: int = Field(description="该月已催报次数（一键催报与逾期未报自动提醒）")
    last_chased_at: datetime.datetime | None = Field(description="最近一次一键催报时间")
    last_reminded_at: datetime.datetime | None = Field(description="最近一次催报或自动提醒时间")
    chased_today: bool = Field(description="今天已一键催报过（再次催报须 again）")
    may_chase: bool = Field(
        description="本级单位、未报：可以一键催报（下级区县的单位经交办催其专班）"
    )
    reporters: int = Field(description="可接收催报的填报员账号数")


class BoardOut(Schema):
    campaign_id: int | None = Field(description="活动编号（本区还没有活动时为 null）")
    period: str = Field(description="月份，YYYY-MM")
    deadline: datetime.date | None = Field(description="报送截止日期（次月第N个工作日）")
    deadline_workday: int | None = Field(description="截止于次月第几个工作日")
    calendar_note: str = Field(description="截止日期所在年度的节假日未导入时的说明")
    counts: dict[str, int] = Field(description="已报、未报、逾期未报的单位数")
    rows: list[BoardRowOut]
    lower_level_note: str = Field(description="有下级区县的单位时的说明（不直接催报）")


def _board_out(user, campaign, period, board: FilingBoard | None) -> dict:
    out = {
        "campaign_id": campaign.pk if campaign else None,
        "period": f"{period:%Y-%m}",
        "deadline": board.deadline if board else None,
        "deadline_workday": board.deadline_workday if board else None,
        "calendar_note": board.calendar_note if board else "",
        "counts": {s.value: board.count(s) for s in FilingStatus} if board else {},
        "rows": [],
        "lower_level_note": "",
    }
    if board is None:
        return out
    unfiled = [row.unit for row in board.unfiled]
    own, lower = chase_targets_split(user, unfiled)
    own_ids = {u.pk for u in own}
    accounts = reporter_accounts(own)
    sent_today = timezone.localdate()  # the records' own clock, as the page
    own_campaign, _ = chase_targets_split(user, [campaign.organiser])
    out["lower_level_note"] = LOWER_LEVEL_CHASE if lower or not own_campaign else ""
    out["rows"] = [
        {
            "unit_id": row.unit.pk,
            "unit": row.unit.name,
            "status": row.status,
            "status_label": row.status.label,
            "due": row.filing.due,
            "filed": row.filing.filed,
            "filed_at": row.filing.filed_at,
            "filed_by": row.filing.filed_by,
            "filed_late": row.filed_late,
            "chases": row.chases,
            "last_chased_at": row.last_chased_at,
            "last_reminded_at": row.last_reminded_at,
            "chased_today": row.chased_on(sent_today),
            "may_chase": row.unit.pk in own_ids,
            "reporters": len(accounts.get(row.unit.pk, [])),
        }
        for row in board.rows
    ]
    return out


@router.get(
    "/filing-board",
    response={200: BoardOut, **READ_ERRORS, 403: ProblemOut, 404: ProblemOut},
    summary="报送情况（谁未报送）",
)
def filing_board_read(request, filters: Query[BoardFilters]):
    """The 报送情况 board as its page: each unit leading the campaign's tasks that report for the
    month — 已报, 未报 or 逾期未报 (not all filed and the deadline, the campaign's Nth working day
    of the next month, passed) — with its filing and the 催报 it has had that month, and whether
    the caller may 一键催报 it (his own level's units not yet filed). Coordinators only (403 for
    anyone else); a campaign naming none of his is 404, a malformed or future month 422. A
    fixed number of queries whatever the number of units."""
    known_only(request, BoardFilters)
    campaign, period, board = _board(request.user, filters.campaign, filters.period)
    return _board_out(request.user, campaign, period, board)


# --- 一键催报 -----------------------------------------------------------------------------------


class ChaseUnitOut(Schema):
    unit_id: int
    unit: str
    recipients: int = Field(description="收到催报的填报员人数")


class FilingChaseOut(Schema):
    sent: bool = Field(description="本次发送了催报（同一 batch 已发送过则为 false，不再发送）")
    detail: str
    batch: str = Field(description="本次发送的批次号（重试时带上同一 batch 不会重复发送）")
    period: str
    units: list[ChaseUnitOut] = Field(description="收到催报的单位（未报送且有填报员账号）")


class FilingChaseIn(Schema):
    """一键催报 as the page's confirmation form takes it (reminders.forms.ChaseForm)."""

    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")
    period: str | None = Field(
        None, max_length=20, description="月份，YYYY-MM（默认正在报送的月份）"
    )
    text: str | None = Field(
        None,
        description=f"催报内容，最多{CHASE_TEXT_MAX}字（不填为页面的默认内容：报送截止日期和月份）",
    )
    batch: str | None = Field(
        None,
        pattern=BATCH,
        description="批次号（32位小写十六进制，如页面表单所带）：同一批次只发送一次；不填则新生成",
    )
    again: bool = Field(False, description="今天已催报过的单位，仍再次发送")


@router.post(
    "/filing-chases",
    response={201: FilingChaseOut, 200: FilingChaseOut, **CREATE_ERRORS},
    summary="一键催报",
    openapi_extra=body_documented(FilingChaseIn),
)
def filing_chase(request):
    """一键催报 as the page: every unit of the caller's own level that has not filed the month
    (the board's 未报 and 逾期未报) is chased — a Chase record (audited) and one inbox message
    to each of its active reporter accounts (also queued by email and to the unit's group
    robots); units without a reporter account are not chased. Coordinators only (403 for anyone
    else, before the body is read; 403 with the page's explanation when every unit not filed is
    of a level below). When a unit was chased by hand today, the sending is refused (422 on
    `again`) unless `again` is true. A `batch` already sent answers 200 with sent false and
    sends nothing (the page's resubmitted form); an Idempotency-Key replays the first answer."""
    user = request.user
    if not can_chase_reports(user):
        raise PermissionDenied(REPORTS_REFUSAL)
    payload = body_parsed(request, FilingChaseIn)
    campaign, period, board = _board(user, payload.campaign, payload.period, in_body=True)
    if board is None:
        raise refused({NON_FIELD_ERRORS: ["本区还没有活动，没有可催报的单位。"]})
    rows = board.unfiled
    own = {u.pk for u in require_chase_targets(user, [row.unit for row in rows])}
    rows = [row for row in rows if row.unit.pk in own]
    recipients = reporter_accounts([row.unit for row in rows])
    sent_today = timezone.localdate()
    chased_today = [
        row for row in rows if row.chased_on(sent_today) and recipients.get(row.unit.pk)
    ]
    if payload.text is None:
        payload.text = chase_default_text(period, board.deadline, clock.today())
    batch = payload.batch or uuid.uuid4().hex
    form = ChaseForm(form_data(payload, batch=batch, campaign=None, period=None))
    if not form.is_valid():
        raise form_refused(form)
    batch = form.cleaned_data["batch"]
    if chase_batch_sent(batch):
        return Status(200, _chase_answer(False, batch, period, []))
    if chased_today and not form.cleaned_data["again"]:
        names = "、".join(row.unit.name for row in chased_today)
        raise refused(
            {"again": [f"今天已向以下单位催报过：{names}；如需再次发送，请将 again 设为 true。"]}
        )
    if not rows:
        raise refused(
            {NON_FIELD_ERRORS: [f"{period.year}年{period.month}月没有未报送的单位，无需催报。"]}
        )
    targets = {row.unit: recipients.get(row.unit.pk, []) for row in rows}
    if not any(targets.values()):
        raise refused({NON_FIELD_ERRORS: ["未报送的单位都没有可用的填报员账号，没有发送催报。"]})
    try:
        chases = chase_send(
            by=user, period=period, text=form.cleaned_data["text"], batch=batch,
            recipients=targets,
        )  # fmt: skip
    except IntegrityError:  # the same batch posted twice at once: the other request sent it
        chases = []
    if not chases:
        return Status(200, _chase_answer(False, batch, period, []))
    return Status(201, _chase_answer(True, batch, period, chases))


def _chase_answer(sent: bool, batch: str, period: datetime.date, chases) -> dict:
    if sent:
        people = sum(c.recipients for c in chases)
        detail = f"已向{len(chases)}个单位的{people}名填报员发送催报。"
    else:
        detail = "这次催报已经发送过（同一批次重复提交），未再次发送。"
    units = sorted(chases, key=lambda c: c.unit_id)
    return {
        "sent": sent,
        "detail": detail,
        "batch": batch,
        "period": f"{period:%Y-%m}",
        "units": [
            {"unit_id": c.unit_id, "unit": c.unit.name, "recipients": c.recipients} for c in units
        ],
    }


# --- 一键催办 of overdue items --------------------------------------------------------------


class ItemFilters(Schema):
    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")


class OverdueItemOut(Schema):
    task_id: int
    title: str
    due_date: datetime.date
    days_overdue: int = Field(description="逾期天数")
    chases: int = Field(description="已催办次数（专班催办与自动催办）")
    last_chased_at: datetime.datetime | None
    chased_today: bool = Field(description="今天已由专班催办过（再次催办须 again）")


class OverdueUnitOut(Schema):
    unit_id: int
    unit: str
    recipients: int = Field(description="收到催办消息的填报员账号数（0则只记入事项历史）")
    items: list[OverdueItemOut]


class LowerUnitOut(Schema):
    id: int
    name: str


class OverdueOut(Schema):
    campaign_id: int | None
    groups: list[OverdueUnitOut] = Field(description="本级牵头单位的逾期事项，按单位顺序")
    lower_units: list[LowerUnitOut] = Field(
        description="有逾期事项的下级区县单位（不直接催办，经交办催其专班）"
    )


def _overdue(user, campaign_raw, *, in_body: bool = False):
    if not can_chase_items(user):
        raise PermissionDenied(ITEMS_REFUSAL)
    campaign = _campaign(user, campaign_raw, in_body=in_body)
    groups = overdue_items(user, campaign, clock.today()) if campaign else []
    own = {u.pk for u in require_chase_targets(user, [g.unit for g in groups])}
    lower = [g.unit for g in groups if g.unit.pk not in own]
    return campaign, [g for g in groups if g.unit.pk in own], lower


@router.get(
    "/overdue-items",
    response={200: OverdueOut, **READ_ERRORS, 403: ProblemOut, 404: ProblemOut},
    summary="逾期事项（一键催办）",
)
def overdue_item_list(request, filters: Query[ItemFilters]):
    """The 一键催办 page's read: the campaign's open items (list tasks, decisions, findings) that
    are 逾期 today, by lead unit of the caller's own level, the most overdue first, each with
    how often it was chased; the ids POST /item-chases takes. Coordinators only (403 for anyone
    else, and with the page's explanation when every unit is of a level below). A fixed number
    of queries whatever the number of items."""
    known_only(request, ItemFilters)
    campaign, groups, lower = _overdue(request.user, filters.campaign)
    sent_today = timezone.localdate()
    return {
        "campaign_id": campaign.pk if campaign else None,
        "groups": [
            {
                "unit_id": g.unit.pk,
                "unit": g.unit.name,
                "recipients": len(g.recipients),
                "items": [
                    {
                        "task_id": i.task.pk,
                        "title": i.task.title,
                        "due_date": i.task.due_date,
                        "days_overdue": i.days_overdue,
                        "chases": i.chases.count,
                        "last_chased_at": i.chases.last_at,
                        "chased_today": i.chases.on(sent_today),
                    }
                    for i in g.items
                ],
            }
            for g in groups
        ],
        "lower_units": [{"id": u.pk, "name": u.name} for u in lower],
    }


class ItemChaseIn(Schema):
    """一键催办 as the page's confirmation form takes it (reminders.forms.ItemChaseForm)."""

    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")
    items: list[RecordId] = Field(
        max_length=10000, description="要催办的事项（任务编号，须为当前逾期事项，至少一项）"
    )
    text: str | None = Field(
        None, description=f"催办内容，最多{ITEM_CHASE_TEXT_MAX}字（不填为页面的默认内容）"
    )
    batch: str | None = Field(
        None,
        pattern=BATCH,
        description="批次号（32位小写十六进制，如页面表单所带）：同一批次只发送一次；不填则新生成",
    )
    again: bool = Field(False, description="今天已催办过的事项，仍再次催办")


class ItemChaseOut(Schema):
    sent: bool = Field(description="本次发送了催办（同一 batch 已发送过则为 false，不再发送）")
    detail: str
    batch: str
    items: list[int] = Field(description="催办的事项（任务编号）")
    units: int = Field(description="收到催办消息的单位数")
    recipients: int = Field(description="收到催办消息的填报员人数")


@router.post(
    "/item-chases",
    response={201: ItemChaseOut, 200: ItemChaseOut, **CREATE_ERRORS},
    summary="一键催办逾期事项",
    openapi_extra=body_documented(ItemChaseIn),
)
def item_chase(request):
    """一键催办 as the page: each item chosen among the overdue ones of the caller's own level
    gets a 专班催办 recorded on its history (audited, 第N次), and each lead unit's reporter
    accounts one inbox message listing its items (also queued by email and to its group robots);
    a unit without a reporter account has its items recorded only. Coordinators only (403 for
    anyone else, before the body is read). An item no longer overdue is refused on `items`
    (422, the page's message); an item chased by hand today refused on `again` unless `again`
    is true. A `batch` already sent answers 200 with sent false and sends nothing; an
    Idempotency-Key replays the first answer."""
    user = request.user
    if not can_chase_items(user):
        raise PermissionDenied(ITEMS_REFUSAL)
    payload = body_parsed(request, ItemChaseIn)
    campaign, groups, _ = _overdue(user, payload.campaign, in_body=True)
    chosen = {item.task.pk: item for group in groups for item in group.items}
    text = ITEM_CHASE_TEXT if payload.text is None else payload.text
    batch = payload.batch or uuid.uuid4().hex
    data = form_data(payload, text=text, batch=batch, campaign=None)
    form = ItemChaseForm(data, item_ids=list(chosen))
    if not form.is_valid():
        raise form_refused(form)
    batch = form.cleaned_data["batch"]
    if item_chase_batch_sent(batch):
        return Status(200, _item_answer(False, batch, [], groups))
    picked = [chosen[pk] for pk in dict.fromkeys(form.cleaned_data["items"])]
    sent_today = timezone.localdate()
    again = [i for i in picked if i.chases.on(sent_today)]
    if again and not form.cleaned_data["again"]:
        names = "、".join(f"“{i.task.title}”" for i in again)
        raise refused(
            {"again": [f"今天已催办过其中的事项：{names}；如需再次催办，请将 again 设为 true。"]}
        )
    try:
        reminders = item_chase_send(
            by=user, items=[i.task for i in picked], text=form.cleaned_data["text"], batch=batch
        )
    except IntegrityError:  # the same batch posted twice at once: the other request sent it
        reminders = []
    if not reminders:
        return Status(200, _item_answer(False, batch, [], groups))
    return Status(201, _item_answer(True, batch, picked, groups))


def _item_answer(sent: bool, batch: str, picked, groups) -> dict:
    units = {i.task.lead_unit_id for i in picked}
    reached = [g for g in groups if g.unit.pk in units and g.recipients]
    people = sum(len(g.recipients) for g in reached)
    if sent:
        detail = f"已催办{len(picked)}项事项，向{len(reached)}个单位的{people}名填报员发送消息。"
        if len(reached) < len(units):
            detail += f"另有{len(units) - len(reached)}个单位没有填报员账号，催办只记入事项历史。"
    else:
        detail = "这次催办已经发送过（同一批次重复提交），未再次发送。"
    return {
        "sent": sent,
        "detail": detail,
        "batch": batch,
        "items": [i.task.pk for i in picked],
        "units": len(reached),
        "recipients": people,
    }


# --- 催办 of a hand-down (to the district's 专班) ---------------------------------------------


class HandDownChaseIn(Schema):
    text: str = Field(
        "",
        description=f"催办内容，最多{HANDDOWN_CHASE_MAX_CHARS}字（不填为默认内容：{HANDDOWN_CHASE_TEXT}）",
    )


class HandDownChaseOut(Schema):
    handdown_id: int
    unit_id: int = Field(description="承接区县编号")
    unit: str
    recipients: int = Field(description="收到催办的专班人数（0则只记入任务历史）")
    detail: str


@router.post(
    "/handdowns/{handdown_id}/chase",
    response={201: HandDownChaseOut, **WRITE_ERRORS},
    summary="催办交办任务（催下级专班）",
    openapi_extra=body_documented(HandDownChaseIn),
)
def handdown_chase(request, handdown_id: RecordId):
    """催办 a hand-down as the upper task's 下级落实情况 does (reminders.services
    .handdown_chase_send): one inbox message to each coordinator of the receiving district (its
    专班, never its units) and a 催办 entry on the upper task's history. The coordinators of the
    level that made it (404 for whoever does not read it, 403 for whoever reads it but did not
    make it); only one owed — still 待接收, or accepted with the district's task 滞后 or 逾期 —
    else 403 with the page's reason. The page has no daily limit here: a retry is kept from
    sending twice by an Idempotency-Key."""
    handdown = get_handdown_to_chase(request.user, handdown_id)
    payload = body_parsed(request, HandDownChaseIn)
    form = HandDownChaseForm(form_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    text = form.cleaned_data["text"]
    sent = handdown_chase_send(by=request.user, handdown=handdown, text=text)
    name = handdown.unit.name
    if sent:
        detail = f"已向{name}专班的{len(sent)}人发送催办。"
    else:
        detail = f"{name}没有可用的专班账号，催办只记入任务历史。"
    return Status(
        201,
        {
            "handdown_id": handdown.pk,
            "unit_id": handdown.unit_id,
            "unit": name,
            "recipients": len(sent),
            "detail": detail,
        },
    )
