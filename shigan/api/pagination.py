"""Cursor pagination by id: stable whatever is added or changed meanwhile (a new record has a
higher id and comes on a later page), no duplicates and no misses. The cursor is opaque to
clients: the last id of the page, encoded.

An empty cursor (`?cursor=`) is the first page, as a missing one: every list declares `cursor`
as an optional string of at most 40 characters with no minimum, so "" is schema-valid and is
answered as such — one rule here for every list (cursor_decode). A non-empty cursor we did not
give is refused (422 on `cursor`)."""

import base64

from ninja import Field, Schema

from .problems import Problem

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
_MARK = "v1:"


class PageFilters(Schema):
    """The query parameters every list takes: a list's Filters schema extends this one."""

    cursor: str | None = Field(None, max_length=40, description="上一页返回的 next")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数")


def cursor_encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_MARK}{last_id}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str | None) -> int:
    """The id after which the page starts (0: the first page, for a missing or empty cursor); a
    cursor we did not give: 422."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    digits = text.removeprefix(_MARK) if text.startswith(_MARK) else ""
    if not digits.isascii() or not digits.isdigit() or len(digits) > 18:
        detail = "分页游标无效，请使用上一页返回的 next。"
        raise Problem(422, detail, errors=[{"field": "cursor", "detail": "无效的游标"}])
    return int(digits)


def page_of(queryset, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """The page after `cursor` of `queryset` (ordered by id here) and the next page's cursor
    (None on the last page): one query, limit+1 rows."""
    after = cursor_decode(cursor)
    rows = list(queryset.filter(pk__gt=after).order_by("pk")[: limit + 1])
    if len(rows) > limit:
        return rows[:limit], cursor_encode(rows[limit - 1].pk)
    return rows, None
