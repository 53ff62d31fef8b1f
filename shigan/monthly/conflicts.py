"""Two people filing one unit's monthly report at once (its reporter and a coordinator, each
holding the form): what each card was shown with, and the conflict said on the card.

Each figure card posts the id of the figure it was shown with (`seen`). A card whose figure
someone filed since is `stale`; it is then compared with the figure it was shown with, not
with the new one, so a card the reporter did not change is left out of the submission and a
colleague's figure on another card never refuses his report. A card he did change is refused
by the service's stale check (in the transaction that writes, so no figure is overwritten
unseen), and the refusal is said here: who filed what, when, and that his value was not saved.
The report stays all or nothing; the form is shown again with every typed value and the
current `seen`, so a second submission, after comparing, is a deliberate correction.
"""

from django.utils import timezone

from shigan.core.models import user_display_name
from shigan.indicators.calc import plain
from shigan.indicators.models import Actual, ProjectFigure
from shigan.tasks.forms.fields import posted_id
from shigan.tasks.models import ProgressReport

# The service problems a conflict replaces: the stale correction, and the reason asked for a
# correction of a figure the form did not show.
CONFLICT_FIELDS = {"corrects", "reason"}


def filed_since(record) -> str:
    """“您打开表单后，周专班于7月20日 14:05” for a figure or report filed since."""
    when = timezone.localtime(record.submitted_at)
    who = user_display_name(record.submitted_by)
    return f"您打开表单后，{who}于{when.month}月{when.day}日 {when:%H:%M}"


def mark_stale(indicator_cards, project_cards) -> None:
    """Give each figure card the figure it was shown with (the posted `seen`): the month's
    current one, or — when someone filed since — that earlier figure, marking the card stale
    (one query per kind of card, and only when one is stale)."""
    for cards, model in ((indicator_cards, Actual), (project_cards, ProjectFigure)):
        stale = {}
        for card in cards:
            seen, problem = posted_id(card.data.get(card.add_prefix("seen")))
            current = card.row.current
            if not problem and seen != (current.pk if current else None):
                stale[card] = seen
        if not stale:
            continue
        earlier = model.objects.in_bulk([pk for pk in stale.values() if pk is not None])
        for card, seen in stale.items():
            card.stale, card.shown = True, _own(card, earlier.get(seen))


def _own(card, figure):
    """`figure` if it is one of the card's own indicator or project, else None: `seen` is
    posted, and a forged one naming another unit's figure must not show its value."""
    if figure is None:
        return None
    own = card.row.indicator if isinstance(figure, Actual) else card.row.project
    owner = figure.indicator_id if isinstance(figure, Actual) else figure.project_id
    return figure if owner == own.pk else None


def _actual(actual: Actual | None) -> str:
    if actual is None:
        return "未填报"
    return plain(actual.value) + ("（预计）" if actual.is_estimate else "")


def indicator_conflict(card) -> str:
    """The conflict of an indicator card the reporter changed whose figure someone filed since
    the form was shown; "" when there is none."""
    if not (card.stale and card.touched()) or card.row.current is None:
        return ""
    now = card.row.current
    return (
        f"“{card.name}”：{filed_since(now)}已将本月完成填报为{_actual(now)}"
        f"（您打开表单时为{_actual(card.shown)}）；您填写的{plain(card.cleaned_data['value'])}"
        f"未保存。请核对后重新提交，如仍需改动请填写更正原因。"
    )


def project_conflict(card) -> str:
    """The same for a key project's card."""
    if not (card.stale and card.is_filed()) or card.row.current is None:
        return ""
    now = card.row.current
    return (
        f"“{card.name}”：{filed_since(now)}已填报本月数据（完成投资"
        f"{plain(now.completed_investment)}，到位{plain(now.funds_in_place)}）；"
        f"您填写的内容未保存。请核对后重新提交，如仍需改动请填写更正原因。"
    )


def task_conflicts(cards) -> dict:
    """card → the conflict of each task card refused as stale (a report was filed on the task
    since the form was shown): who reported, when (one query, none without a card)."""
    cards = list(cards)
    if not cards:
        return {}
    latest = ProgressReport.objects.select_related("submitted_by__person").in_bulk(
        [card.row.task.latest_report_id for card in cards]
    )
    said = {}
    for card in cards:
        report = latest.get(card.row.task.latest_report_id)
        since = filed_since(report) if report else "您打开表单后，已有人"
        said[card] = (
            f"“{card.row.task.title}”：{since}已提交了该任务的新进展；您填写的进展未保存。"
            f"请阅读最新进展后重新提交（已填写的内容保留在下方）。"
        )
    return said
