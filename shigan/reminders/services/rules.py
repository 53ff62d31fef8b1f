"""Writes of a campaign's reminder rules (提醒规则) and filing schedule: every rule at once."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.core.audit import audit_entry, snapshot
from shigan.core.models import AuditAction, AuditEntry

from ..models import ReminderRule, RuleKind
from ..rules import MAX_RULE_DAYS, RULE_DEFAULTS, rule_settings

# The filing deadline is the N-th working day of the next month: a 0th one does not exist.
MIN_DAYS = {RuleKind.REPORT_MISSING: 1}
# The filing deadline is a working day of the next month: at most its 15th (a later one would
# turn units already chased as 逾期未报 back into 未报).
MAX_DAYS = {RuleKind.REPORT_MISSING: 15}
DEFAULT_NOTE = "原为默认设置"


@dataclass(frozen=True)
class RuleValues:
    """A rule's timing as entered; None keeps what the campaign has (a rule without that field,
    such as 滞后提醒's days or 临期提醒's repeat)."""

    enabled: bool
    days: int | None = None
    repeat_days: int | None = None


def rule_value_error(kind: str, field: str, value) -> str:
    """The message for `value` out of range in `field` ("days" or "repeat_days") of `kind`,
    naming the rule and the field as the page labels them; "" when it is in range."""
    default = RULE_DEFAULTS[kind]
    least = MIN_DAYS.get(kind, 0) if field == "days" else 0
    most = MAX_DAYS.get(kind, MAX_RULE_DAYS) if field == "days" else MAX_RULE_DAYS
    if isinstance(value, int) and not isinstance(value, bool) and least <= value <= most:
        return ""
    label = default.days_label if field == "days" else default.repeat_label
    return (
        f"“{RuleKind(kind).label}”的“{label}”应为{least}到{most}之间的整数"
        f"（工作日数），现为“{value}”。"
    )


def _problems(values: dict[str, RuleValues]) -> list[str]:
    problems = []
    for kind, entered in values.items():
        if kind not in RULE_DEFAULTS:
            problems.append(f"没有“{kind}”这条提醒规则。")
            continue
        if entered.days is not None:
            problems.append(rule_value_error(kind, "days", entered.days))
        if entered.repeat_days is not None:
            if RULE_DEFAULTS[kind].repeat_days is None:
                problems.append(f"“{RuleKind(kind).label}”不重复提醒，不能设置重复间隔。")
            else:
                problems.append(rule_value_error(kind, "repeat_days", entered.repeat_days))
    return [p for p in problems if p]


@transaction.atomic
def rule_settings_save(*, campaign, by, values: dict[str, RuleValues]) -> list[ReminderRule]:
    """Save the campaign's timing of the rules in `values` (kind → RuleValues): all or nothing —
    one value out of range (0 to rules.MAX_RULE_DAYS working days; the filing deadline's working
    day from 1) saves none and raises ValidationError naming each rule and field. A rule whose
    values change gets its ReminderRule row (created from the defaults it had until then) and an
    audit entry with the values before and after; an unchanged rule writes nothing. Returns the
    rows changed."""
    problems = _problems(values)
    if problems:
        raise ValidationError(problems)
    current = rule_settings(campaign)
    rows = {r.kind: r for r in ReminderRule.objects.select_for_update().filter(campaign=campaign)}
    changed, entries = [], []
    for kind, entered in values.items():
        now = current[kind]
        wanted = (
            entered.enabled,
            now.days if entered.days is None else entered.days,
            now.repeat_days if entered.repeat_days is None else entered.repeat_days,
        )
        if wanted == (now.enabled, now.days, now.repeat_days):
            continue
        row = rows.get(kind) or ReminderRule(
            campaign=campaign, kind=kind, enabled=now.enabled, days=now.days,
            repeat_days=now.repeat_days,
        )  # fmt: skip
        note = "" if row.pk else DEFAULT_NOTE
        before = snapshot(row)
        row.enabled, row.days, row.repeat_days = wanted
        row.save()
        entries.append(audit_entry(actor=by, obj=row, action=AuditAction.UPDATE, before=before,
                                   note=note))  # fmt: skip
        changed.append(row)
    AuditEntry.objects.bulk_create(entries)
    return changed
