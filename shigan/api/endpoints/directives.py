"""Directives (上级文件与下发文件): read as their pages read them (directives.access) — the
task force and inspectors read the directives issued within their level's scope and those
handed down to it; anyone else is refused the list (403) and finds no directive (404). A
directive answers its points, the hand-downs made from each that the caller reads (a district:
its own), and its attachments (downloaded at /directive-files/{id}; added at POST
/directives/{id}/files)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from ninja import Field, Query, Router, Schema

from shigan.core import clock
from shigan.directives.access import (
    can_read_directives,
    directives_visible_to,
    get_directive_for_user,
    handdown_scope_q,
    handdowns_seen_by,
)
from shigan.directives.models import Directive, HandDownState
from shigan.directives.queries import directive_points, directive_rows

from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, ProblemOut, RecordId
from .files import FileOut, _file_out

router = Router(tags=["上级文件"])


class DirectiveFilters(Schema):
    cursor: str | None = Field(None, max_length=40, description="上一页返回的 next")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数")


class DirectiveOut(Schema):
    id: int
    issuer_id: int = Field(description="发文单位编号（上级机关不在本系统时为本级党委政府）")
    issuer: str = Field(description="发文机关：上级机关按文件所写，否则为发文单位")
    number: str = Field(description="文号")
    title: str
    issued_on: datetime.date
    point_count: int = Field(description="要求事项数")
    handdown_count: int = Field(description="由要求事项交办、调用者可查看的交办数")


class DirectivePage(Schema):
    items: list[DirectiveOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


class HandDownOut(Schema):
    id: int
    upper_task_id: int
    unit_id: int = Field(description="承接区县（党委政府单位）编号")
    unit: str
    state: HandDownState
    state_label: str
    handed_on: datetime.date


class PointOut(Schema):
    id: int
    text: str
    sort_order: int
    handdowns: list[HandDownOut] = Field(description="由该事项交办、调用者可查看的交办")


class DirectiveDetailOut(DirectiveOut):
    points: list[PointOut]
    files: list[FileOut]


def _directive_out(directive: Directive) -> dict:
    return {
        "id": directive.pk,
        "issuer_id": directive.issuer_id,
        "issuer": directive.issuer_label,
        "number": directive.number,
        "title": directive.title,
        "issued_on": directive.issued_on,
        "point_count": directive.point_count,
        "handdown_count": directive.seen_handdowns,
    }


def _rows(user, directives):
    """directive_rows with the hand-downs counted as the list page counts them: those the user
    reads (one query)."""
    return directive_rows(directives).annotate(
        seen_handdowns=Count(
            "points__handdowns",
            filter=handdown_scope_q(user, "points__handdowns__"),
            distinct=True,
        )
    )


@router.get(
    "/directives",
    response={200: DirectivePage, **READ_ERRORS, 403: ProblemOut},
    summary="上级文件列表",
)
def directive_list(request, filters: Query[DirectiveFilters]):
    """The directives the caller reads, by id (two queries whatever their number): the task
    force and inspectors only, as the page (403 for anyone else)."""
    known_only(request, DirectiveFilters)
    if not can_read_directives(request.user):
        raise PermissionDenied("只有专班和督查可以查看上级文件。")
    visible = directives_visible_to(request.user, Directive.objects.all())
    page, next_cursor = page_of(visible.only("id"), filters.cursor, filters.limit)
    rows = _rows(request.user, Directive.objects.filter(pk__in=[d.pk for d in page]))
    return {"items": [_directive_out(d) for d in rows.order_by("pk")], "next": next_cursor}


@router.get(
    "/directives/{directive_id}",
    response={200: DirectiveDetailOut, **RECORD_ERRORS},
    summary="上级文件详情",
)
def directive_detail(request, directive_id: RecordId):
    """A directive the caller reads (404 otherwise), with its points, each with the hand-downs
    made from it that he reads (a district: its own, as its page), and its attachments; a fixed
    number of queries whatever the number of points and hand-downs."""
    directive = get_directive_for_user(request.user, directive_id)
    (row,) = _rows(request.user, Directive.objects.filter(pk=directive.pk))
    points = directive_points(directive, clock.today())
    files = directive.files.select_related("uploaded_by__person")
    return _directive_out(row) | {
        "points": [
            {
                "id": p.pk,
                "text": p.text,
                "sort_order": p.sort_order,
                "handdowns": [
                    {
                        "id": h.pk,
                        "upper_task_id": h.upper_task_id,
                        "unit_id": h.unit_id,
                        "unit": h.unit.name,
                        "state": h.state,
                        "state_label": h.get_state_display(),
                        "handed_on": h.handed_on,
                    }
                    for g in p.groups
                    for h in handdowns_seen_by(request.user, g.handdowns)
                ],
            }
            for p in points
        ],
        "files": [_file_out(f, "directive-files") for f in files],
    }
