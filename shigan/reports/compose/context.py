"""What every section builder reads: the options, the loaded records, the narrative."""

import datetime
from dataclasses import dataclass, field

from shigan.campaigns.models import Campaign
from shigan.indicators.calc import TimeProgressMode
from shigan.reports import wording
from shigan.reports.document import Figure, Source

from .data import ActivityFacts, EconomyFacts, PeopleFacts, TaskFacts
from .indicator_data import IndicatorFacts
from .levels_data import LevelFacts
from .plan_data import PlanFacts


@dataclass(frozen=True)
class ReportOptions:
    """Choices of whoever generates the report.

    percent_sign: "％" (full-width, as the seed) or "%". appendix: renderers add the table of
    every figure and its sources. time_progress_mode: 序时进度 by months elapsed ÷ 12 (default)
    or by days. next_milestones: how many coming milestones a task paragraph states.
    date: 成文日期 (default: the report's as-of date).
    """

    percent_sign: str = wording.FULL_WIDTH_PERCENT
    appendix: bool = False
    time_progress_mode: str = TimeProgressMode.MONTHS
    next_milestones: int = 2
    plan_months: int = 1
    date: datetime.date | None = None

    def __post_init__(self) -> None:
        if self.percent_sign not in wording.PERCENT_SIGNS:
            raise ValueError(f"percent sign must be one of {wording.PERCENT_SIGNS}")


@dataclass
class Ctx:
    campaign: Campaign
    as_of: datetime.date
    options: ReportOptions
    activity: ActivityFacts
    economy: EconomyFacts
    indicators: IndicatorFacts
    tasks: TaskFacts
    people: PeopleFacts
    plan: PlanFacts
    narrative: dict  # (slot, order) -> NarrativeText, the versions current for the period
    referenced: set[int] = field(default_factory=set)  # indicators named in the narrative
    # Milestones the printed task paragraphs (二、) already state: the next-step draft's
    # 到期节点 does not repeat them (set by compose.sections before 三、 is built).
    stated_milestones: set[int] = field(default_factory=set)
    cache: dict = field(default_factory=dict)
    # The levels below the organiser (a county's districts): empty for a district.
    levels: LevelFacts = field(default_factory=lambda: LevelFacts([]))

    @property
    def short_name(self) -> str:
        """“实干年” — the quoted part of the campaign's name."""
        return wording.quoted_short_name(self.campaign.name)

    @property
    def organiser_label(self) -> str:
        return self.campaign.organiser.label

    def percent(self, value) -> str:
        return wording.percent(value, self.options.percent_sign)


def figure(text: str, sources: list[Source], key: str = "") -> Figure:
    return Figure(text=text, sources=tuple(sources), key=key)
