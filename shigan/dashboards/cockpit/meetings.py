"""The meeting cards: decisions' completion (议定事项落实), meetings held and each series'
cadence, study sessions."""

from shigan.indicators.calc import pct_text
from shigan.meetings.access import meetings_visible_to
from shigan.meetings.completion import Completion, completion_of
from shigan.meetings.models import Meeting, MeetingSeries, StudySession
from shigan.meetings.queries import (
    SeriesCadence,
    StudyTally,
    decision_rows_in,
    meetings_held,
    series_cadence_in,
    study_tally,
)

from ..lens import Lens
from .cards import CardItem, CockpitCard


def _series_item(cadence) -> CardItem:
    name = cadence.series.name
    if cadence.missed:
        labels = "、".join(p.label for p in cadence.missed)
        return CardItem(name, f"缺会{len(cadence.missed)}次", "overdue", hint=f"缺会：{labels}")
    return CardItem(name, f"已开{cadence.held_count}次", "on_track")


def meetings_card(lens: Lens, series: list[SeriesCadence], held: int) -> CockpitCard:
    """Meetings held (meetings_held) and each series' cadence (series_cadence_in)."""
    card = CockpitCard("meetings", "会议", None, "次会议", lens.link("meetings:meeting_list"))
    card.empty_text, card.scope_tag = "暂无会议记录：专班录入会议后在此统计。", lens.campaign_wide
    if not series and not held:
        return card
    missed = [c for c in series if c.missed]
    card.value = held
    card.items = [_series_item(c) for c in series]
    card.note = f"{len(missed)}个会议系列缺会" if missed else "各会议系列均按频次召开"
    card.tone = "overdue" if missed else ""
    return card


def decisions_card(lens: Lens, tally: Completion, campaigns: set[int]) -> CockpitCard:
    """议定事项 N, 已完成 M, 推进中 K and the completion rate, as meetings.completion counts them;
    linking to the decision table of their campaign (下级对比 when a roll-up spans several)."""
    url = lens.decisions_url(campaigns)
    card = CockpitCard(
        "decisions", "议定事项落实", None, "项议定事项", url, scope_tag=lens.unit_tag
    )
    card.empty_text = "暂无议定事项：会议录入的议定事项在此跟踪落实。"
    if not tally.total:
        return card
    card.value, card.note = tally.total, f"完成率 {pct_text(tally.rate)}"
    card.items = [
        CardItem("已完成", str(tally.done), "done"),
        CardItem("推进中", str(tally.active)),
        CardItem("其中逾期", str(tally.overdue), "overdue" if tally.overdue else ""),
        CardItem("其中滞后", str(tally.behind), "behind" if tally.behind else ""),
    ]
    if tally.cancelled:
        card.items.append(CardItem("已取消", str(tally.cancelled), "cancelled"))
    card.tone = "overdue" if tally.overdue else "behind" if tally.behind else ""
    return card


def study_card(lens: Lens, study: StudyTally) -> CockpitCard:
    url = lens.link("meetings:study_list")
    card = CockpitCard("study", "学习", None, "次", url, scope_tag=lens.campaign_wide)
    card.empty_text = f"{lens.as_of.year}年暂无学习记录：专班录入学习后在此统计。"
    if study.total:
        card.value = study.total
        card.note = f"{lens.as_of.year}年截至{lens.as_of.month}月{lens.as_of.day}日"
        card.items = [CardItem(k, f"{n}次") for k, n in study.counts.items() if n]
    return card


def meeting_cards(lens: Lens) -> list[CockpitCard]:
    """Decisions of the tasks in the lens's scope (a roll-up's: of the subtree's campaigns);
    meetings, series and study of the campaign as the user reads them (meetings.access)."""
    user, campaign, as_of = lens.user, lens.campaign, lens.as_of
    # A roll-up's decisions are those of its tracked tasks (下级对比's), else the campaign's
    # meetings' (meetings.queries.decision_tally).
    kept = lens.kept_counts  # a roll-up's, from the campaigns' counts of the day
    if kept is not None:
        tally, campaigns = Completion(), set()
        for pk, found in kept.items():
            for status, n in found["decisions"].items():
                if n:
                    tally.add(status, n)
                    campaigns.add(pk)
    else:
        if lens.rollup:
            rows = decision_rows_in(lens.tracked(), as_of)
        else:
            rows = decision_rows_in(lens.tasks(), as_of, campaign=campaign)
        tally = completion_of(r.row.status for r in rows)
        campaigns = {r.row.task.campaign_id for r in rows} if lens.rollup else {campaign.pk}
    all_series = meetings_visible_to(user, MeetingSeries.objects.all())
    series = series_cadence_in(campaign, as_of, all_series)
    held = meetings_held(campaign, as_of, meetings_visible_to(user, Meeting.objects.all()))
    study = study_tally(campaign, as_of, meetings_visible_to(user, StudySession.objects.all()))
    return [
        decisions_card(lens, tally, campaigns),
        meetings_card(lens, series, held.count()),
        study_card(lens, study),
    ]
