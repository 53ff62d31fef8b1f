"""The API's shapes (what the OpenAPI schema documents)."""

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator

from shigan.core.params import BadValue, parse_date

# An id as the database holds it (1 to 10^18): a bigger number is refused (422), not an overflow.
RecordId = Annotated[int, Field(ge=1, le=10**18)]


def _day(raw):
    """A body's date as the forms read one (core.params.parse_date: YYYY-MM-DD within the
    project's years, the message in Chinese); a number is refused, not read as a timestamp."""
    if not isinstance(raw, str):
        raise ValueError("应为日期（YYYY-MM-DD）")
    try:
        day = parse_date(raw)
    except BadValue as bad:
        raise ValueError(f"日期{bad}") from None
    if day is None:
        raise ValueError("应为日期（YYYY-MM-DD）")
    return day


# The record's edit version (core.editing) a write that edits a record sends back, as read from
# its detail (or list): required, so that no write overwrites someone else's change unseen (the
# pages always post theirs); missing, it is a 422 on `version` (problems.VERSION_MISSING), and a
# stale one too (the guard's conflict).
Version = Annotated[
    int,
    Field(
        ge=0,
        le=10**18,
        description="读取时（详情、列表）返回的 version（必填）：其间若有他人修改则拒绝，防止覆盖他人的修改",
    ),
]

# A date in a write's body: a text YYYY-MM-DD only (pydantic alone reads 0 as 1970-01-01).
Day = Annotated[datetime.date, BeforeValidator(_day)]


class ProblemOut(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict] | None = None


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    district_id: int | None


class CampaignOut(Schema):
    id: int
    year: int
    name: str
    slogan: str
    organiser_id: int
    start_date: datetime.date
    end_date: datetime.date


class LatestProgress(Schema):
    period: datetime.date = Field(description="所属月份（该月第一天）")
    text: str
    submitted_at: datetime.datetime


class TaskOut(Schema):
    id: int
    number: int
    title: str
    campaign_id: int
    category_id: int | None
    category: str | None
    lead_unit_id: int
    lead_unit: str
    state: str
    status: str = Field(description="今天的状态：overdue 逾期、behind 滞后、nearing 临期、…")
    status_label: str
    start_date: datetime.date
    due_date: datetime.date
    milestones_total: int
    milestones_done: int
    latest_progress: LatestProgress | None


class TaskPage(Schema):
    items: list[TaskOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: datetime.date
    done_on: datetime.date | None


class ProgressOut(Schema):
    id: int
    period: datetime.date
    text: str
    unit_id: int
    submitted_by: str
    submitted_at: datetime.datetime
    corrects_id: int | None
    correction_reason: str


class TaskDetailOut(TaskOut):
    target: str
    milestones: list[MilestoneOut]
    progress_reports: list[ProgressOut]


class MilestoneReached(Schema):
    id: RecordId
    done_on: datetime.date


class ProgressIn(Schema):
    period: str = Field(description="所属月份，YYYY-MM", examples=["2023-07"])
    text: str = Field(max_length=5000, description="本月进展")
    reason: str = Field("", max_length=1000, description="更正原因：该月已填报过时必填")
    milestones_reached: list[MilestoneReached] = []
    seen: RecordId | None = Field(
        None,
        description="提交者看到的该任务最新报告编号；填写后，其间若有他人提交则拒绝（防止覆盖）",
    )


class ChangeRequestOut(Schema):
    id: int
    kind: str
    kind_label: str
    reason: str
    proposed_due_date: datetime.date | None
    state: str
    state_label: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_note: str


# The errors each kind of operation answers with (problem+json): every one is reachable.
READ_ERRORS = {401: ProblemOut, 422: ProblemOut, 429: ProblemOut}
RECORD_ERRORS = READ_ERRORS | {403: ProblemOut, 404: ProblemOut}
WRITE_ERRORS = RECORD_ERRORS | {400: ProblemOut, 413: ProblemOut}
