"""逾期未报 on an upper level's own cockpit: the units of the viewer's subtree whose tasks lack
the month's progress report after its deadline — the figure of 下级对比's 合计 row, by the same
rule and query (dashboards.levels.late_units over the same unit tree and scope), linking to the
same list of the late units (dashboards:levels_late)."""

from shigan.orgs.models import Unit
from shigan.orgs.scope import district_id_of

from ..lens import Lens
from ..level_rows import late_url
from ..levels import OWN, LateUnit, late_units, level_scope, level_tree, report_deadline
from .cards import SHORT_LIST, CardItem, CockpitCard


def _late_items(late: list[LateUnit]) -> list[CardItem]:
    """The units missing the most reports first, with the row of 下级对比 each counts in, by
    their short names (one query for the shown units and their rows; none when none is late)."""
    shown = sorted(late, key=lambda u: (u.filed - u.due, u.unit_id))[:SHORT_LIST]
    wanted = {u.unit_id for u in shown} | {u.branch for u in shown if u.branch != OWN}
    units = Unit.objects.filter(pk__in=wanted).only("name", "short_name") if wanted else []
    names = {unit.pk: unit.label for unit in units}
    return [
        CardItem(
            names[u.unit_id],
            f"缺{u.due - u.filed}项",
            "overdue",
            hint=f"{'本级' if u.branch == OWN else names[u.branch]} · 应报{u.due}项",
        )
        for u in shown
    ]


def late_reports_card(lens: Lens) -> list[CockpitCard]:
    """The count of units 逾期未报 in the viewer's subtree on the lens's date, on a roll-up
    without a unit filter (a unit's own tasks are on its filing board); no card elsewhere.
    Before the deadline the card says when it counts. Four queries whatever the number of
    units and tasks (the unit tree, the report lines, the shown units' names; the calendar)."""
    if not lens.rollup or lens.unit is not None:
        return []
    root = district_id_of(lens.user)
    tree = level_tree(root)
    period, deadline = report_deadline(lens.user, lens.as_of)
    late = late_units(level_scope(lens.user, root, tree, lens.as_of), tree, deadline)
    url = late_url(None, lens.date_param)
    card = CockpitCard("late_reports", "逾期未报", None, "个单位逾期未报", url)
    card.scope_tag = lens.wide
    when = f"{deadline.month}月{deadline.day}日"
    due = f"{period.month}月工作进展（{when}截止）"
    if lens.as_of <= deadline:
        card.empty_text = f"{period.month}月工作进展{when}截止：截止后在此统计仍有任务未报的单位。"
        return [card]
    card.value = len(late)
    if not late:
        card.note = f"{due}各单位均已报送"
        return [card]
    card.note = f"{due}仍有任务未报的牵头单位"
    card.items = _late_items(late)
    card.hidden = len(late) - len(card.items)
    card.tone = "overdue"
    return [card]
