"""Reading a package's body safely: each value checked for its type, length and range, a missing
or wrong one refused with a Chinese message naming the record and the field (never a JSON key,
never a KeyError's traceback). Strings are kept as text, whatever they hold (<script>, =formula):
pages escape them, exports quote them. A string longer than the form that writes it allows
refuses the whole package (mirror_up/mirror_down pass the forms' limits)."""

import datetime
from decimal import Decimal, InvalidOperation

from shigan.indicators.calc import plain

from .package import PackageError, shown

INT_MAX = 2**31 - 1  # a PositiveIntegerField's largest value
# Text fields the models leave open, capped as their forms are (the others pass the model's
# max_length or the form's constant): a task's target (no form limit: capped at 2000), a
# correction's reason (修改原因, 500), a figure's note and a hand-down's note or reasons (1000).
TARGET_MAX_CHARS = 2000
REASON_MAX_CHARS = 500
NOTE_MAX_CHARS = 1000
RECORDS = {
    "units": "单位", "campaigns": "活动", "tasks": "任务", "milestones": "节点",
    "reports": "进展报告", "indicators": "指标", "actuals": "完成值", "returns": "退回的交办",
    "handdowns": "交办", "withdrawals": "撤回的交办",
}  # fmt: skip
FIELDS = {
    "id": "编号", "name": "名称", "kind": "类型", "year": "年度", "month": "月份",
    "start": "开始日期", "end": "结束日期", "campaign": "所属活动", "category": "类别",
    "number": "序号", "title": "名称", "target": "目标任务", "lead_unit": "牵头单位",
    "due": "完成时限", "state": "状态", "closed_on": "办结日期", "upper": "上级编号",
    "task": "所属任务", "done_on": "完成日期", "sort": "排序", "unit": "单位", "period": "月份",
    "text": "内容", "corrects": "更正对象", "reason": "原因", "measure_unit": "计量单位",
    "accumulation": "统计方式", "direction": "考核方向", "aggregation": "汇总方式",
    "indicator": "所属指标", "value": "数值", "is_estimate": "是否预计", "note": "说明",
    "handed_on": "交办日期", "withdrawn_on": "撤回日期", "issuer": "发文机关",
    "issued_on": "发文日期",
}  # fmt: skip
OVERRIDES = {"文件": {"number": "文号", "title": "文件标题"}}


class Record(dict):
    """One record of a package's body, knowing what it is called (任务, 进展报告…)."""

    label = "记录"


def record(item, label: str) -> Record:
    """`item` as a record called `label`; refused if it is not one."""
    if not isinstance(item, dict):
        raise PackageError(f"交换包内容不完整：{label}应为一条记录。")
    found = Record(item)
    found.label = label
    return found


def records(body: dict, key: str) -> list[Record]:
    items = body.get(key, [])
    label = RECORDS.get(key, "记录")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise PackageError(f"交换包内容不完整：{label}应为记录列表。")
    return [record(item, label) for item in items]


def _what(item: dict, key: str) -> str:
    """'任务的“序号”': the record and the field, in Chinese."""
    label = getattr(item, "label", "记录")
    return f"{label}的“{OVERRIDES.get(label, {}).get(key) or FIELDS.get(key, key)}”"


def _named(item: dict, key: str, value: str) -> str:
    """'进展报告“6月进展…”的内容': the record named by its title, name or the value itself."""
    label = getattr(item, "label", "记录")
    field = OVERRIDES.get(label, {}).get(key) or FIELDS.get(key, key)
    name = next(
        (item[k] for k in ("title", "name") if k != key and isinstance(item.get(k), str)), value
    )
    return f"{label}“{shown(name, 20)}”的{field}"


def number(item: dict, key: str, *, optional: bool = False) -> int | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= INT_MAX:
        raise PackageError(
            f"交换包内容不完整：{_what(item, key)}应为非负整数，实为{shown(value)}。"
        )
    return value


def text(item: dict, key: str, limit: int, *, blank: bool = True) -> str:
    value = item.get(key, "" if blank else None)
    if not isinstance(value, str) or (not blank and not value.strip()):
        raise PackageError(f"交换包内容不完整：{_what(item, key)}应为文字。")
    if len(value) > limit:
        raise PackageError(
            f"{_named(item, key, value)}超过{limit}字（实为{len(value)}字），整包未导入。"
        )
    return value


def choice(item: dict, key: str, choices) -> str:
    value = item.get(key)
    if value not in choices.values:
        raise PackageError(
            f"交换包内容不完整：{_what(item, key)}的取值{shown(value)}不在允许范围内。"
        )
    return value


def day(item: dict, key: str, *, optional: bool = False) -> datetime.date | None:
    value = item.get(key)
    if value is None and optional:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise PackageError(
            f"交换包内容不完整：{_what(item, key)}应为日期，实为{shown(value)}。"
        ) from None


def decimal(item: dict, key: str) -> Decimal:
    value = item.get(key)
    try:
        result = Decimal(value) if isinstance(value, str) and len(value) <= 40 else None
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise PackageError(f"交换包内容不完整：{_what(item, key)}应为数值，实为{shown(value)}。")
    return result


def figure(value: Decimal) -> str:
    """A figure as the pages print it (no trailing zeros, no exponent)."""
    return plain(value)


def flag(item: dict, key: str) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        raise PackageError(f"交换包内容不完整：{_what(item, key)}应为是或否。")
    return value
