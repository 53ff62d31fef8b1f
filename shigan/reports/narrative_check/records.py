"""The narratives a report rests on and the figures their records hold, loaded in a fixed
number of queries whatever the number of tasks, agreements, projects or indicators.

Narratives: each list task's latest progress report as known on the report's date (the one the
report quotes as 最新进展; also when the 专班's own paragraph replaces it, marked 未写入报告), and
the 专班's narrative texts current for the report's month (the words around the 【】 clauses);
notes filed with figures are in notes.py.

Scopes (a small explicit table: a label means a figure only where the records hold one the
writer can mean):
- 招商引资 (trips, agreements, their amounts, landed projects, funds in place; the campaign's,
  up to the report's date): the 专班's texts, and the progress of the task of investment
  attraction (招商 in its title or category);
- a key project (完成投资, 到位资金, 合同投资; the project's figures): the progress of the task
  that holds the project's nodes, and the 专班's paragraph for that task — only when exactly one
  project names the task;
- an indicator (its name or its wording in the report; the latest actual up to the report's
  month): the 专班's texts, and the progress of a task of the indicator's responsible unit that
  holds no project's nodes.
"""

import datetime
import re
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.clock import month_start
from shigan.core.models import user_display_name
from shigan.indicators.models import KeyProject, MeasureUnit
from shigan.indicators.queries import investment_records
from shigan.reports.compose.indicator_data import IndicatorFacts, IndicatorFigure, indicator_facts
from shigan.reports.models import NarrativeSlot, NarrativeText
from shigan.reports.queries import narrative_current
from shigan.tasks.models import ProgressReport
from shigan.tasks.queries import TaskRow

from .facts import Known, Narrative

INVESTMENT_WORD = "招商"
PLACEHOLDER = re.compile(r"【[^】]*】")
MONEY = frozenset({"元"})
PROJECTS = frozenset({"个", "项", "宗"})
# quantity, label pattern, units, the tally's field, unit, the label that selects it, records
INVESTMENT = [
    ("investment.trips", r"外出招商", frozenset({"次"}), "trips", "次", "", "外出招商记录"),
    (
        "investment.agreements",
        r"签订(?:招商|投资)?(?:引资)?(?:合作)?协议(?:项目)?|签约(?:招商)?项目",
        PROJECTS,
        "agreements",
        "个",
        "",
        "招商协议",
    ),
    (
        "investment.landed",
        r"(?:实际)?落地(?:项目)?",
        PROJECTS,
        "landed",
        "个",
        "",
        "已落地的招商协议",
    ),
    (
        "investment.contract",
        r"合同(?:资金|金额|总额)",
        MONEY,
        "contract_amount",
        "万元",
        "",
        "招商协议合同金额合计",
    ),
    (
        "investment.landed_contract",
        r"合同(?:资金|金额|总额)",
        MONEY,
        "landed_contract_amount",
        "万元",
        "investment.landed",
        "已落地协议合同金额合计",
    ),
    (
        "investment.funds",
        r"到位资金|资金到位",
        MONEY,
        "funds_in_place",
        "万元",
        "",
        "招商协议到位资金合计",
    ),
]
PROJECT = [  # label pattern, field
    (r"(?:累计)?完成(?:项目)?投资(?:额)?", "completed_investment_this_year"),
    (r"到位资金|资金到位", "funds_in_place"),
    (r"合同投资", "contracted_investment"),
]
NO_STATEMENT = {MeasureUnit.PERCENT}


def page_url(name: str, *args, query: dict | None = None) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


# Tallies that are 0 because nothing of the kind is recorded, not because none happened: a
# district that keeps no trips (or no amounts) in Shigan has no figure to compare with.
ZERO_UNKNOWN = {"trips", "contract_amount", "landed_contract_amount", "funds_in_place"}


def investment_known(campaign: Campaign, as_of: datetime.date) -> tuple[Known, ...]:
    """The campaign's investment tallies up to the date; none when it records no trip and no
    agreement (two queries)."""
    tally = investment_records(campaign, as_of).tallies
    if not tally.trips and not tally.agreements:
        return ()
    url = page_url("indicators:investment", query={"campaign": campaign.pk, "as_of": str(as_of)})
    until = f"（截至{as_of.year}年{as_of.month}月{as_of.day}日）"
    return tuple(
        Known(key, pattern, units, getattr(tally, field), unit, f"{what}{until}", url, after)
        for key, pattern, units, field, unit, after, what in INVESTMENT
        if getattr(tally, field) or field not in ZERO_UNKNOWN
    )


def field_name(project: KeyProject, field: str) -> str:
    """本年完成投资 (the verbose name without its unit)."""
    return str(project._meta.get_field(field).verbose_name).split("（")[0]


def project_known(project: KeyProject) -> tuple[Known, ...]:
    url = page_url("indicators:project_list", query={"year": project.year})
    return tuple(
        Known(
            f"project.{project.pk}.{field}",
            pattern,
            MONEY,
            getattr(project, field),
            "万元",
            f"重点项目“{project.name}”{field_name(project, field)}",
            url,
        )
        for pattern, field in PROJECT
    )


NAME_SUFFIX = re.compile(r"(?:面积|总额|数量)$")


def indicator_names(figure: IndicatorFigure) -> list[str]:
    """The words a sentence names an indicator by: its wording in the report, its name, and the
    name without 面积/总额/数量 (订单种植面积 → 订单种植), longest first."""
    name = figure.indicator.name
    names = {figure.label, name, NAME_SUFFIX.sub("", name)}
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def indicator_figure_known(figure: IndicatorFigure) -> Known | None:
    indicator = figure.indicator
    names = indicator_names(figure)
    if indicator.measure_unit in NO_STATEMENT or not names:
        return None
    estimate = "（预计）" if figure.actual.is_estimate else ""
    unit = indicator.get_measure_unit_display()
    return Known(
        f"indicator.{indicator.pk}",
        "|".join(re.escape(n) for n in names),
        frozenset({unit[1:] if unit[:1] in "万亿" else unit}),
        figure.actual.value,
        unit,
        f"指标“{indicator.name}”{figure.actual.year}年{figure.month}月完成值{estimate}",
        page_url("indicators:indicator_detail", indicator.pk),
    )


def indicator_known(facts: IndicatorFacts) -> dict[int, list[Known]]:
    """Per responsible unit, the known figures of its indicators (key 0: all of them)."""
    by_unit: dict[int, list[Known]] = defaultdict(list)
    for figure in facts.figures.values():
        known = indicator_figure_known(figure)
        if known is not None:
            by_unit[figure.indicator.responsible_unit_id].append(known)
            by_unit[0].append(known)
    return by_unit


def authors_of(reports: list, attribute: str) -> dict[int, str]:
    ids = {getattr(r, attribute) for r in reports if getattr(r, attribute)}
    users = get_user_model().objects.filter(pk__in=ids).select_related("person")
    return {u.pk: user_display_name(u) for u in users}


def latest_reports(rows: list[TaskRow]) -> dict[int, ProgressReport]:
    """The progress report each row quotes (one query)."""
    filed = [r.last_progress_at for r in rows if r.last_progress_at]
    reports = ProgressReport.objects.filter(
        task_id__in=[r.task.pk for r in rows], submitted_at__in=filed
    ).select_related("unit", "submitted_by__person")
    wanted = {(r.task.pk, r.last_progress_at, r.last_progress_period) for r in rows}
    found = {}
    for report in reports.order_by("id"):
        if (report.task_id, report.submitted_at, report.period) in wanted:
            found[report.task_id] = report
    return found


def quoted(text: str, report_text: str) -> bool:
    """Whether the report prints the text (as compose.tasks quotes a progress report)."""
    return text.strip().rstrip("。；，、 \n") in report_text


def printed(version: NarrativeText, report_text: str) -> bool:
    """Whether the report prints the words the 专班 typed around the clauses of `version`
    (not when its section is left out, nor a draft part of another month): each piece between
    placeholders is in the report's text."""
    pieces = [p.strip().strip("。；，、：: \n") for p in PLACEHOLDER.split(version.body)]
    pieces = [p for p in pieces if p] or [version.title.strip()]
    return all(p and p in report_text for p in pieces)


def is_investment_task(row: TaskRow) -> bool:
    task = row.task
    return INVESTMENT_WORD in task.title or INVESTMENT_WORD in task.category.name


def project_scopes(rows: list[TaskRow], year: int) -> dict[int, tuple[Known, ...]]:
    """Per task, the figures of the one key project whose nodes it holds (one query)."""
    projects = KeyProject.objects.filter(year=year, task_id__in=[r.task.pk for r in rows])
    by_task: dict[int, list[KeyProject]] = defaultdict(list)
    for project in projects.order_by("id"):
        by_task[project.task_id].append(project)
    return {task: project_known(ps[0]) for task, ps in by_task.items() if len(ps) == 1}


def _unique(known: list[Known]) -> tuple[Known, ...]:
    return tuple({k.quantity: k for k in known}.values())


class Scopes:
    """The figures each narrative may state (see the module docstring)."""

    def __init__(
        self,
        campaign: Campaign,
        as_of: datetime.date,
        rows: list[TaskRow],
        activities: list[Known] = (),
    ):
        self.investment = investment_known(campaign, as_of)
        self.indicator_facts = indicator_facts(campaign, as_of)
        self.indicators = indicator_known(self.indicator_facts)
        self.projects = project_scopes(rows, as_of.year)
        self.activities = list(activities)

    def district(self) -> tuple[Known, ...]:
        return _unique([*self.investment, *self.indicators.get(0, []), *self.activities])

    def task(self, row: TaskRow) -> tuple[Known, ...]:
        known = list(self.investment) if is_investment_task(row) else []
        project = self.projects.get(row.task.pk)
        if project:
            known += project
        else:
            known += self.indicators.get(row.task.lead_unit_id, [])
        return _unique(known)


def progress_narratives(rows: list[TaskRow], scopes: Scopes, report_text: str) -> list[Narrative]:
    reports = latest_reports(rows)
    narratives = []
    for row in rows:
        report = reports.get(row.task.pk)
        if report is None:
            continue
        period = report.period
        narratives.append(
            Narrative(
                kind="任务进展",
                title=f"任务“{row.task.title}”{period.year}年{period.month}月进展",
                author=f"{user_display_name(report.submitted_by)}（{report.unit.name}）",
                url=page_url("tasks:task_detail", row.task.pk),
                text=report.text,
                in_report=quoted(report.text, report_text),
                known=scopes.task(row),
            )
        )
    return narratives


def _slot_title(version: NarrativeText, titles: dict[int, str]) -> str:
    if version.slot == NarrativeSlot.TASK:
        return f"报告文字（任务“{titles.get(version.order, version.order)}”段落）"
    if version.slot == NarrativeSlot.PLAN_ITEM:
        return f"报告文字（下一步工作计划第{version.order}条）"
    return f"报告文字（{NarrativeSlot(version.slot).label}）"


def text_narratives(
    campaign: Campaign,
    as_of: datetime.date,
    rows: list[TaskRow],
    scopes: Scopes,
    report_text: str,
) -> list[Narrative]:
    """The 专班's texts current for the report's month: the words typed around the clauses,
    each marked whether the report prints it."""
    period = month_start(as_of)
    versions = [v for v in narrative_current(campaign, period).values() if not v.is_blank]
    authors = authors_of(versions, "written_by_id")
    by_task = {r.task.pk: r for r in rows}
    titles = {pk: r.task.title for pk, r in by_task.items()}
    url = page_url(
        "reports:narrative_edit", query={"campaign": campaign.pk, "period": f"{period:%Y-%m}"}
    )
    narratives = []
    for version in sorted(versions, key=lambda v: (v.slot, v.order)):
        task = by_task.get(version.order) if version.slot == NarrativeSlot.TASK else None
        known = scopes.task(task) if task else scopes.district()
        body = PLACEHOLDER.sub("；", version.body)
        narratives.append(
            Narrative(
                kind="报告文字",
                title=_slot_title(version, titles),
                author=authors.get(version.written_by_id, "系统"),
                url=url,
                text=f"{version.title}。{body}" if version.title else body,
                in_report=printed(version, report_text),
                known=known,
            )
        )
    return narratives
