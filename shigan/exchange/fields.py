"""Reading a package's body safely: each value checked for its type and length, a missing or
wrong one refused with a Chinese message naming it (never a KeyError's traceback). Strings are
kept as text, whatever they hold (<script>, =formula): pages escape them, exports quote them."""

import datetime
from decimal import Decimal, InvalidOperation

from .package import PackageError


def records(body: dict, key: str) -> list[dict]:
    items = body.get(key, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise PackageError(f"交换包内容不完整：“{key}”应为记录列表。")
    return items


def number(item: dict, key: str, *, optional: bool = False) -> int | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PackageError(f"交换包内容不完整：记录的“{key}”应为非负整数，实为{value!r:.40}。")
    return value


def text(item: dict, key: str, limit: int | None = None, *, blank: bool = True) -> str:
    value = item.get(key, "" if blank else None)
    if not isinstance(value, str) or (not blank and not value.strip()):
        raise PackageError(f"交换包内容不完整：记录的“{key}”应为文字。")
    if limit is not None and len(value) > limit:
        raise PackageError(f"交换包中“{value[:20]}…”超过{limit}字（{key}），未导入。")
    return value


def choice(item: dict, key: str, choices) -> str:
    value = item.get(key)
    if value not in choices.values:
        raise PackageError(f"交换包内容不完整：“{key}”的取值{value!r:.40}不在允许范围内。")
    return value


def day(item: dict, key: str, *, optional: bool = False) -> datetime.date | None:
    value = item.get(key)
    if value is None and optional:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise PackageError(f"交换包内容不完整：“{key}”应为日期，实为{value!r:.40}。") from None


def decimal(item: dict, key: str) -> Decimal:
    value = item.get(key)
    try:
        result = Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise PackageError(f"交换包内容不完整：“{key}”应为数值，实为{value!r:.40}。")
    return result


def flag(item: dict, key: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise PackageError(f"交换包内容不完整：“{key}”应为是或否。")
    return value
