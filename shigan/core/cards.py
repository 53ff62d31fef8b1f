"""The card a dashboard shows for an app: a headline figure, its breakdown, the page behind it."""

from dataclasses import dataclass, field


@dataclass
class Card:
    key: str
    title: str
    value: int
    unit: str
    url: str
    note: str = ""
    tone: str = ""
    items: list[tuple[str, int]] = field(default_factory=list)
