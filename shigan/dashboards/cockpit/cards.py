"""The shapes the cockpit's page renders: a card, one line of its short list, a headline
figure, a count of the status band. No query."""

from dataclasses import dataclass, field

SHORT_LIST = 6
NOT_BY_UNIT = "未按单位筛选"


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
    hidden: int = 0  # lines counted but not made into items (另有n项)

    @property
    def empty(self) -> bool:
        return self.value is None

    @property
    def shown_items(self) -> list[CardItem]:
        return self.items[:SHORT_LIST]

    @property
    def more_items(self) -> int:
        return max(len(self.items) - SHORT_LIST, 0) + self.hidden
