"""The report checks its own narrative: figures people typed (已签订协议项目4个, 完成投资1.2亿元)
compared with the records that hold the same figure, for the report page and `shigan report`.

narrative_check() loads the narratives and the records of their scopes (records.py, a fixed
number of queries) and compares them with compare.check_narratives, a pure function."""

import datetime

from shigan.campaigns.models import Campaign
from shigan.reports.compose.data import task_facts
from shigan.reports.document import Document

from .activities import activity_known
from .compare import check_narratives
from .facts import Finding, Known, Narrative, NarrativeCheck, warning_line
from .notes import actual_notes, project_notes
from .records import Scopes, progress_narratives, text_narratives

__all__ = [
    "Finding",
    "Known",
    "Narrative",
    "NarrativeCheck",
    "check_narratives",
    "narrative_check",
    "warning_line",
]


def narratives_of(document: Document, campaign: Campaign, as_of: datetime.date) -> list[Narrative]:
    """Every narrative the report rests on, with the figures of its scope (a fixed number of
    queries: records.py and notes.py)."""
    rows = task_facts(campaign, as_of).rows
    scopes = Scopes(campaign, as_of, rows, activity_known(campaign, as_of))
    return [
        *progress_narratives(rows, scopes, document.text),
        *text_narratives(campaign, as_of, rows, scopes, document.text),
        *project_notes(campaign, as_of),
        *actual_notes(scopes.indicator_facts),
    ]


def narrative_check(
    *, document: Document, campaign: Campaign, as_of: datetime.date
) -> NarrativeCheck:
    """The statements of the narratives behind `document` that the records can check."""
    return check_narratives(narratives_of(document, campaign, as_of), as_of.month)
