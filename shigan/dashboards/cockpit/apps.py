"""The cards other apps compute in one shape (core.cards.Card): supervision, 马上就办
(grassroots), publicity, adapted to the cockpit's card; and 招商引资's tallies."""

from shigan.core import clock
from shigan.core.cards import Card
from shigan.grassroots.queries.cards import service_card
from shigan.indicators.access import can_read_investment
from shigan.indicators.calc import plain
from shigan.indicators.queries import investment_tallies
from shigan.publicity.queries import publicity_cards
from shigan.supervision.access import findings_visible_to
from shigan.supervision.models import Finding
from shigan.supervision.queries import finding_tally_in_year, findings_card, supervision_cards
from shigan.supervision.status import FindingStatus

from ..lens import Lens
from .cards import NOT_BY_UNIT, CardItem, CockpitCard

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
