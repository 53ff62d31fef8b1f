"""The cockpit (工作总览): one page of cards over every app, as a user may see it on a date.

Every figure is computed once, in its app's query module, for the cockpit, the app's own pages
and the summary report alike — task_tally, indicator_summary, decision_tally, meetings_held,
series_cadence_in, study_tally, supervision_cards (finding_tally, inspection_tally,
notice_tally), publicity_cards (media_report_counts), investment_tallies — and only adapted here
to one card shape. The cockpit passes the scope: what the user may read (the apps' access
modules), narrowed by the unit filter for the cards that belong to units (tasks, indicators,
decisions, findings). The other cards are district-wide or follow the user's scope only, and
say so. An upper level's own cockpit is its roll-up (dashboards.lens): its task, decision and
finding cards count its subtree's campaigns of the year as 下级对比's 合计 does, the cards of
its campaign's own records say 本级. A fixed number of queries whatever the amount of data.
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.cards import Card
from shigan.directives.access import handdowns_received
from shigan.directives.models import HandDown, HandDownState
from shigan.directives.queries import waiting_workdays
from shigan.grassroots.queries.cards import service_card
from shigan.indicators.access import (
    can_read_investment,
    indicator_units_overseen,
    indicators_visible_to,
    reads_district_indicators,
)
from shigan.indicators.calc import IndicatorStatus, pct_number, pct_text, plain
from shigan.indicators.models import Indicator
from shigan.indicators.queries import IndicatorRow, investment_tallies
from shigan.indicators.rolled import rolled_summary, with_level_names
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
from shigan.orgs.level_words import level_wide
from shigan.orgs.models import Role, Unit
from shigan.orgs.scope import (
    district_id_of,
    person_of,
    reads_everything,
    role_of,
    visible_unit_ids,
)
from shigan.publicity.queries import publicity_cards
from shigan.reminders.access import reads_district_escalations, receives_escalations
from shigan.reminders.queries.escalations import (
    ConcernEscalation,
    EscalationLine,
    concern_escalations_for,
    escalations_for,
)
from shigan.supervision.access import findings_visible_to
from shigan.supervision.models import Finding
from shigan.supervision.queries import finding_tally_in_year, findings_card, supervision_cards
from shigan.supervision.status import FindingStatus
from shigan.tasks.queries import status_counts_by
from shigan.tasks.rollup import ACCEPT_DAYS
from shigan.tasks.status import TaskStatus

from .lens import Lens, extend

SHORT_LIST = 6
NOT_BY_UNIT = "未按单位筛选"
# Cards in reading order: what is behind first, district-wide tallies last.
CARD_ORDER = [
    "tasks",
    "indicators",
    "decisions",
    "findings",
    "service",
    "meetings",
    "inspections",
    "spot_checks",
    "notices",
    "media_reports",
    "investment",
    "study",
]


@dataclass(frozen=True)
class CardItem:
    """One line of a card's short list; `tone` is a colour key (a task or indicator status)."""

    label: str
    value: str
    tone: str = ""
    url: str = ""
    hint: str = ""


@dataclass(frozen=True)
class HeadlineFigure:
    """One of the district's headline indicators as the cockpit's top card shows it: its figure
    of the month, its completion against 序时进度 and its state; `mine` marks a leader's own
    (his overseen units')."""

    name: str
    value: str
    completion: str
    benchmark: str
    status: str
    status_label: str
    url: str = ""
    mine: bool = False


@dataclass(frozen=True)
class BandCount:
    """One count of the status band that opens the cockpit (逾期 n …), worst first."""

    key: str
    label: str
    count: int
    tone: str
    url: str = ""


@dataclass
class CockpitCard:
    """A card: title, big number (None when the app has no data yet), short list, link."""

    key: str
    title: str
    value: int | None
    unit: str = ""
    url: str = ""
    note: str = ""
    tone: str = ""
    items: list[CardItem] = field(default_factory=list)
    empty_text: str = "暂无数据：相关记录录入后在此统计。"
    scope_tag: str = ""
    counts: dict = field(default_factory=dict)
    figures: list[HeadlineFigure] = field(default_factory=list)
    status_urls: dict = field(default_factory=dict)  # the task card's: status → its list

    @property
    def empty(self) -> bool:
        return self.value is None

    @property
    def shown_items(self) -> list[CardItem]:
        return self.items[:SHORT_LIST]

    @property
    def more_items(self) -> int:
        return max(len(self.items) - SHORT_LIST, 0)


@dataclass
class Cockpit:
    campaign: Campaign
    as_of: datetime.date
    unit: Unit | None
    scope: str
    cards: list[CockpitCard]
    band: list[BandCount] = field(default_factory=list)

    @property
    def headline(self) -> CockpitCard | None:
        """The headline figures (the indicators card), shown above the other cards."""
        return next((c for c in self.cards if c.key == "indicators"), None)

    @property
    def grid(self) -> list[CockpitCard]:
        return [c for c in self.cards if c.key != "indicators"]


def cockpit_units(user) -> list[Unit]:
    """Units the unit filter offers: every unit to coordinators and inspectors, his overseen
    units to a leader, his own unit to a reporter (one query)."""
    unit_ids = visible_unit_ids(user)
    units = Unit.objects.select_related("district")
    return list(units if unit_ids is None else units.filter(id__in=unit_ids))


def unit_groups(user, units: list[Unit]) -> list[tuple[str, list[Unit]]] | None:
    """The unit filter's choices grouped by level where they span several (a county's own
    units, then each district's, named by its level: 示范区, 高新区), the user's own level
    first; None when they are of one level (a district's list stays flat). No query."""
    levels: dict[int | None, list[Unit]] = {}
    for unit in units:
        levels.setdefault(unit.district_id, []).append(unit)
    if len(levels) < 2:
        return None
    own = district_id_of(user)
    ordered = sorted(levels.items(), key=lambda item: item[0] != own)
    return [((group[0].district or group[0]).label, group) for _, group in ordered]


def scope_text(user, units: list[Unit], unit: Unit | None) -> str:
    if unit is not None:
        return unit.name
    role = role_of(user)
    if reads_everything(user):
        return level_wide(user)
    if role == Role.LEADER:
        names = "、".join(u.label for u in units[:SHORT_LIST]) or "无"
        return f"分管单位（{names}{'等' if len(units) > SHORT_LIST else ''}）"
    person = person_of(user)
    return f"本单位（{person.unit.name}）" if person else "—"


def tasks_card(lens: Lens) -> CockpitCard:
    """Tasks by computed status (counted by the database per campaign: tasks.status_sql), each
    linking to where they are listed (Lens.tasks_url): the battle map filtered by that status,
    or 下级对比 when a roll-up's tasks of that status span several campaigns."""
    by_campaign = status_counts_by(lens.tracked(), lens.as_of, "campaign_id")
    counts = {s: sum(c[s] for c in by_campaign.values()) for s in TaskStatus}
    total = sum(counts.values())
    card = CockpitCard(
        "tasks",
        "任务进度",
        total or None,
        "项任务",
        empty_text="暂无任务：专班导入任务清单后在此统计。",
        scope_tag=lens.unit_tag,
    )
    card.counts = dict(counts)
    card.url = lens.tasks_url(set(by_campaign))
    card.status_urls = {
        s: lens.tasks_url({k for k, c in by_campaign.items() if c[s]}, s.value) for s in TaskStatus
    }
    card.items = [
        CardItem(s.label, str(counts[s]), s.value, card.status_urls[s])
        for s in TaskStatus
        if counts[s]
    ]
    late = counts[TaskStatus.OVERDUE] + counts[TaskStatus.BEHIND]
    card.note = f"逾期、滞后共{late}项" if late else "无逾期、滞后任务"
    if lens.rollup:
        card.note = f"本级和下级{lens.campaign.year}年各活动 · {card.note}"
    card.tone = next((s.value for s in (TaskStatus.OVERDUE, TaskStatus.BEHIND) if counts[s]), "")
    return card


def _indicator_item(row: IndicatorRow) -> CardItem:
    tp = row.time_progress_pct
    benchmark = "时点指标，对照目标100%" if tp is None else f"序时进度{pct_text(tp)}"
    return CardItem(
        row.display_name,
        f"差{pct_number(abs(row.gap_points))}个百分点",
        row.status.value,
        hint=f"完成{pct_text(row.completion_pct)}，{benchmark}",
    )


# The headline figures worst first, as the indicator table's tiles (docs/style.md): 明显滞后,
# 略低于序时, 达序时, then those without a figure or a target.
FIGURE_ORDER = [
    IndicatorStatus.RED,
    IndicatorStatus.YELLOW,
    IndicatorStatus.GREEN,
    IndicatorStatus.MISSING,
    IndicatorStatus.GREY,
]


def _figure(row: IndicatorRow, year: int, mine: set[int]) -> HeadlineFigure:
    ind = row.indicator
    measure = ind.get_measure_unit_display()
    rolled = row.rolled
    shown = rolled.value if rolled is not None else row.value
    value = f"{plain(shown)}{measure}" if shown is not None else "未填报"
    if rolled is not None:
        value += "（下级汇总" + ("，含预计）" if rolled.estimate else "）")
    elif row.is_estimate:
        value += "（预计）"
    tp = row.time_progress_pct
    return HeadlineFigure(
        name=row.display_name,
        value=value,
        completion="" if row.completion_pct is None else f"完成{pct_text(row.completion_pct)}",
        benchmark="无年度目标"
        if row.target is None
        else ("时点指标" if tp is None else f"序时{pct_text(tp)}"),
        status=row.status.value,
        status_label=row.status.label,
        url=f"{reverse('indicators:indicator_detail', args=[ind.pk])}?year={year}",
        mine=ind.responsible_unit_id in mine,
    )


def headline_figures(rows: list[IndicatorRow], year: int, mine: set[int]) -> list:
    ranked = sorted(rows, key=lambda r: FIGURE_ORDER.index(r.status))
    return [_figure(r, year, mine) for r in ranked]


def indicators_card(lens: Lens, url: str) -> CockpitCard:
    """The district's headline figures (主要指标): every indicator the user reads with its
    completion against 序时进度, worst first, and as the card's figure those behind time
    progress, red first, as the indicator table colours them (indicators.rolled
    .rolled_summary: a level without its own figure reads its lowers' 下级汇总). A leader
    reads the district's indicators (indicators.access), tagged
    全区 (全县…: Lens.wide) beside his other cards' 分管 scope."""
    indicators = indicators_visible_to(lens.user, Indicator.objects.all())
    if lens.unit:
        indicators = indicators.filter(responsible_unit=lens.unit)
    summary = rolled_summary(indicators, lens.campaign.year, lens.as_of)
    year, month, missing = summary.year, summary.month, summary.missing
    card = CockpitCard("indicators", "主要指标", None, "项落后于序时进度")
    # Beside an upper level's cards tagged 本级 (or a lower level's name), said here too.
    if (reads_district_indicators(lens.user) or lens.own_level_tag) and lens.unit is None:
        card.scope_tag = lens.wide
    card.empty_text = (
        f"{year}年暂无指标数据：指标及年度目标由专班在「指标」页设置，各单位每月填报。"
    )
    card.url = extend(url, period=f"{year}-{month:02d}" if month else "", unit=lens.unit_id)
    if not summary.rows:
        return card
    with_level_names(summary.rows, lens.user)
    behind = summary.behind
    card.value, card.items = len(behind), [_indicator_item(r) for r in behind]
    card.figures = headline_figures(summary.rows, year, indicator_units_overseen(lens.user))
    card.counts = {s: sum(r.status == s for r in summary.rows) for s in FIGURE_ORDER}
    card.note = f"{year}年{month}月，共{len(summary.rows)}项指标" + (
        f"，{missing}项未填报" if missing else ""
    )
    card.tone = behind[0].status.value if behind else ""
    return card


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


FINDING_STATUS_BY_LABEL = {s.label: s for s in FindingStatus}
WIDE = object()  # the card counts the user's whole level: Lens.wide
SCOPE_TAGS = {
    "service": "",  # the concerns of the chosen unit when one is chosen
    "notices": WIDE,
    "spot_checks": WIDE,
    "media_reports": WIDE,
}
EMPTY_TEXTS = {
    "findings": "暂无督查问题：督查发现的问题在此跟踪整改。",
    "inspections": "暂无督查检查：督查组录入后在此统计。",
    "notices": "暂无通报：专班发出通报后在此统计。",
    "spot_checks": "暂无抽查：专班或督查组随机抽取后在此统计。",
    "media_reports": "暂无宣传报道：专班登记报道后在此统计。",
    "service": "暂无群众诉求：受理的诉求登记到「马上就办」台账后在此统计办结率和满意率。",
}


def adapt(card: Card, lens: Lens) -> CockpitCard:
    """A supervision or publicity card (the same fields in both apps) as a cockpit card; empty
    when it counts nothing at all."""
    nothing = not card.value and not any(n for _, n in card.items)
    tag = SCOPE_TAGS.get(card.key, NOT_BY_UNIT if lens.unit and card.key != "findings" else "")
    if tag is WIDE:
        tag = lens.campaign_wide
    elif card.key == "findings":
        tag = lens.unit_tag
    elif not tag:  # the campaign's inspections and concerns: 本级 beside an upper level's roll-up
        tag = lens.own_level_tag
    return CockpitCard(
        key=card.key,
        title=card.title,
        value=None if nothing else card.value,
        unit=card.unit,
        url=card.url,
        note=card.note,
        tone=card.tone,
        items=[CardItem(label, str(n)) for label, n in card.items],
        empty_text=EMPTY_TEXTS.get(card.key, CockpitCard.empty_text),
        scope_tag=tag,
    )


def _with_status_links(card: CockpitCard, lens: Lens, campaigns: dict) -> CockpitCard:
    """Each finding status line links to the finding list filtered by that status (of the
    campaigns holding findings of that status: `campaigns`, status → campaign ids)."""
    items = []
    for item in card.items:
        status = FINDING_STATUS_BY_LABEL[item.label]
        url = lens.findings_url(campaigns.get(status, set()), status.value)
        tone = "overdue" if status == FindingStatus.OVERDUE else ""
        items.append(CardItem(item.label, item.value, tone, url))
    card.items = items
    return card


def rollup_findings_card(lens: Lens) -> tuple[Card, dict]:
    """An upper level's findings card: the findings of every campaign of the year it reads
    (下级对比's), with the campaigns holding each status."""
    findings = findings_visible_to(lens.user, Finding.objects.all())
    if lens.unit_id:
        findings = findings.filter(unit_id=lens.unit_id)
    tally = finding_tally_in_year(lens.campaign.year, lens.as_of, findings)
    campaigns: dict = {}
    for row in tally.rows:
        campaigns.setdefault(row.status, set()).add(row.finding.inspection.campaign_id)
    every = set().union(*campaigns.values()) if campaigns else set()
    return findings_card(tally, lens.findings_url(every)), campaigns


def supervision_cards_for(lens: Lens) -> list[CockpitCard]:
    """The supervision app's cards; the findings card counts the filtered unit's findings, an
    upper level's those of its subtree's campaigns (rollup_findings_card)."""
    cards = supervision_cards(
        lens.user, lens.campaign, lens.as_of, unit=lens.unit_id, with_findings=not lens.rollup
    )
    campaigns = {s: {lens.campaign.pk} for s in FindingStatus}
    if lens.rollup:
        findings, campaigns = rollup_findings_card(lens)
        cards.insert(0, findings)
    adapted = [adapt(c, lens) for c in cards]
    return [_with_status_links(c, lens, campaigns) if c.key == "findings" else c for c in adapted]


def service_cards_for(lens: Lens) -> list[CockpitCard]:
    """马上就办 (grassroots): the concerns' figures today, whatever the cockpit's date."""
    return [
        adapt(service_card(lens.user, lens.campaign, clock.today(), unit_id=lens.unit_id), lens)
    ]


def publicity_cards_for(lens: Lens) -> list[CockpitCard]:
    return [adapt(c, lens) for c in publicity_cards(lens.user, lens.campaign, lens.as_of)]


def investment_card(lens: Lens, url: str) -> list[CockpitCard]:
    """招商引资 tallies: district-wide (trips and agreements belong to no unit), read by every
    role, as on the investment page."""
    if not can_read_investment(lens.user):
        return []
    url = lens.extend_date(url)
    card = CockpitCard("investment", "招商引资", None, "个协议", url, scope_tag=lens.campaign_wide)
    card.empty_text = "暂无招商记录：专班登记外出招商和协议后在此统计。"
    tally = investment_tallies(lens.campaign, lens.as_of)
    if tally.trips or tally.agreements:
        card.value = tally.agreements
        card.items = [
            CardItem("外出招商", f"{tally.trips}次"),
            CardItem("合同资金", f"{plain(tally.contract_amount)}万元"),
            CardItem("实际落地", f"{tally.landed}个"),
            CardItem("到位资金", f"{plain(tally.funds_in_place)}万元"),
        ]
    return [card]


def _escalation_item(line: EscalationLine) -> CardItem:
    chased = f"已催办{line.chases.count}次" if line.chases.count else "未催办"
    hint = f"{line.task.lead_unit.label} · {chased}"
    return CardItem(line.task.title, f"逾期{line.days_overdue}天", "overdue", line.url, hint)


def _concern_item(line: ConcernEscalation) -> CardItem:
    unit = line.concern.assigned_unit
    hint = f"{unit.label if unit else '未转办'} · 群众诉求"
    return CardItem(line.title, f"逾期{line.days_overdue}天", "overdue", line.url, hint)


def escalations_card(lens: Lens) -> list[CockpitCard]:
    """督办事项: the items escalated (逾期督办) to the viewing leader — to a coordinator, every
    escalated item of the district — still open and overdue today (reminders.queries
    .escalations_for), within the cockpit's scope; today's whatever the cockpit's date."""
    if not receives_escalations(lens.user):
        return []
    today = clock.today()
    lines = escalations_for(lens.user, today, campaign=lens.campaign, tasks=lens.tasks())
    # The people's concerns past their time limit, on the whole scope (not a unit's tasks).
    concerns = (
        concern_escalations_for(lens.user, today, campaign=lens.campaign)
        if lens.unit is None
        else []
    )
    count = len(lines) + len(concerns)
    card = CockpitCard("escalations", "督办事项", count or None, "项逾期督办")
    card.empty_text = "暂无督办事项：逾期事项报分管领导督办后列于此。"
    card.items = [_escalation_item(line) for line in lines] + [_concern_item(c) for c in concerns]
    card.note = "逾期已督办（报分管领导，无账号时报专班），仍未办结" + (
        f"（截至今天{today.month}月{today.day}日）" if lens.as_of != today else ""
    )
    card.tone = "overdue" if count else ""
    if reads_district_escalations(lens.user) and lens.unit is None:
        card.scope_tag = lens.campaign_wide
    return [card]


def handdowns_card(lens: Lens) -> list[CockpitCard]:
    """待接收交办: the hand-downs waiting for the coordinator's district to answer, each as
    新交办：<task> with the working days it has waited (滞后 past tasks.rollup.ACCEPT_DAYS, as
    the upper level's roll-up counts it); no card when none waits (one query, none for a role
    that answers no hand-down)."""
    received = handdowns_received(lens.user, HandDown.objects.filter(state=HandDownState.PENDING))
    if lens.unit is not None or received.query.is_empty():
        return []
    rows = list(received.select_related("upper_task").order_by("handed_on", "id"))
    if not rows:
        return []
    today, url = clock.today(), reverse("directives:inbox")
    waits = [waiting_workdays(h.handed_on, today) for h in rows]
    late = any(days > ACCEPT_DAYS for days in waits)  # the upper level's roll-up: 滞后
    card = CockpitCard("handdowns", "待接收交办", len(rows), "项上级交办待接收", url,
                       tone="behind" if late else "")  # fmt: skip
    card.items = [
        CardItem(f"新交办：{h.upper_task.title}", f"已等待{days}个工作日", url=url,
                 tone="behind" if days > ACCEPT_DAYS else "")
        for h, days in zip(rows, waits, strict=True)
    ]  # fmt: skip
    return [card]


def card_rank(card: CockpitCard) -> int:
    if card.key == "handdowns":  # the upper level's work waiting for an answer: first
        return -2
    if card.key == "escalations":  # what a leader must act on: first, unless there is none
        return -1 if not card.empty else len(CARD_ORDER) + 1
    return CARD_ORDER.index(card.key) if card.key in CARD_ORDER else len(CARD_ORDER)


def cockpit_build(
    lens: Lens, *, scope: str, indicator_url: str = "", investment_url: str = ""
) -> Cockpit:
    """Every card of the cockpit for `lens` (a fixed number of queries)."""
    cards = [
        tasks_card(lens),
        indicators_card(lens, indicator_url),
        *meeting_cards(lens),
        *supervision_cards_for(lens),
        *service_cards_for(lens),
        *publicity_cards_for(lens),
        *investment_card(lens, investment_url),
        *escalations_card(lens),
        *handdowns_card(lens),
    ]
    cards.sort(key=card_rank)
    return Cockpit(lens.campaign, lens.as_of, lens.unit, scope, cards, status_band(cards))


BAND_TASK_STATUSES = [TaskStatus.OVERDUE, TaskStatus.BEHIND, TaskStatus.NEARING]


def status_band(cards: list[CockpitCard]) -> list[BandCount]:
    """The counts a leader must see first, worst first: tasks 逾期 / 滞后 / 临期 (zeros too, so
    the band reads the same every day), items escalated to him (督办), and headline indicators
    明显滞后 / 略低于序时; each links to where they are listed."""
    by_key = {c.key: c for c in cards}
    band = []
    tasks = by_key.get("tasks")
    if tasks is not None:
        for s in BAND_TASK_STATUSES:
            url = tasks.status_urls.get(s, "")
            band.append(BandCount(s.value, s.label, tasks.counts.get(s, 0), s.value, url))
    escalations = by_key.get("escalations")
    if escalations is not None:
        n = escalations.value or 0
        band.append(BandCount("escalations", "督办", n, "overdue" if n else "", "#ck-escalations"))
    indicators = by_key.get("indicators")
    if indicators is not None and indicators.counts:
        for s in (IndicatorStatus.RED, IndicatorStatus.YELLOW):
            band.append(
                BandCount(
                    f"ind-{s.value}",
                    f"指标{s.label}",
                    indicators.counts[s],
                    s.value,
                    "#ck-headline",
                )
            )
    return band
