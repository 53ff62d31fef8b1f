"""The pages and actions measured, each as the role that uses it, on the fixed subjects.

The indicator and report pages are measured when their apps have URLs; otherwise they are
skipped with a note, so the runner keeps working while the product grows. Add a page here when
one lands.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from shigan.core import clock
from shigan.indicators.access import key_projects_for_report
from shigan.indicators.services.projects import figures_current
from shigan.monthly.forms import ProjectReportForm, ProjectRow

from .env import BENCH_TODAY
from .measure import Call
from .subjects import Subjects, latest_report_id
from .urls import EMPTY_PAGE_PATH, FLOOR_PATH


@dataclass
class Page:
    """A measured request: its name, the role making it, how to build it, what it returns."""

    name: str
    role: str  # "coordinator" | "leader" | "reporter" | "city" | "province" (Subjects' fields)
    build: Callable[[Subjects], Call]
    expect: int = 200
    ok_text: str = ""  # must appear in the response (e.g. an import's success message)
    max_repeat: int | None = None  # for slow writes


def _get(path: str, **params) -> Call:
    query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
    return Call("GET", f"{path}?{query}" if query else path)


def _map(subj: Subjects, **params) -> Call:
    return _get(reverse("dashboards:battle_map"), campaign=subj.campaign.pk, **params)


def _project_cards(subj: Subjects, period) -> dict[str, str]:
    """The unit's key project cards as the form shows them: a browser posts every field, and a
    card posted without the dates it showed would read as changed and need its amounts."""
    projects = key_projects_for_report(subj.reporter).filter(
        responsible_unit=subj.task.lead_unit_id, year=period.year
    )
    known = figures_current([p.pk for p in projects], [period.month - 1, period.month])
    data = {}
    for project in projects:
        row = ProjectRow(project, known.get((project.pk, period.month)), None)
        card = ProjectReportForm(row=row)
        data[card.add_prefix("seen")] = card.seen_value()
        for name, value in card.initial.items():
            data[card.add_prefix(name)] = "" if value is None else str(value)
    return data


def report_post(subj: Subjects) -> Call:
    """File one task's report for this month as its unit's form would post it. A second filing
    in the month is a correction: the reason is always sent (ignored on a first filing) and
    `seen` is the task's latest report, so every repetition is accepted."""
    task = subj.task.pk
    period = clock.month_start(clock.today())
    return Call(
        "POST",
        reverse("monthly:report"),
        {
            "period": f"{period:%Y-%m}",
            f"task-{task}-text": "本月完成主体工程30%，下步加快推进。",
            f"task-{task}-reason": "补充本月进展",
            f"task-{task}-seen": str(latest_report_id(task) or ""),
            **_project_cards(subj, period),
        },
    )


_rounds = itertools.count(1)


def import_post(subj: Subjects) -> Call:
    """Upload the 1,000-row actuals workbook; each round changes every value, so every import
    writes 1,000 entries (see workbooks.py)."""
    from .workbooks import actuals_workbook

    upload = actuals_workbook(subj.campaign.organiser, next(_rounds))
    return Call("POST", reverse("indicators:import_upload"), {"file": upload})


def _indicator_pages() -> list[Page]:
    """Pages of shigan.indicators, when its URLs are installed."""
    try:
        table = reverse("indicators:export_indicator_table")
    except NoReverseMatch:
        return []
    dashboard = reverse("indicators:dashboard")
    return [
        Page("indicator dashboard (leader)", "leader", lambda s: _get(dashboard, period="2023-10")),
        Page(
            "indicator dashboard (coordinator: all)",
            "coordinator",
            lambda s: _get(dashboard, period="2023-10"),
        ),
        Page(
            "key projects page (leader)",
            "leader",
            lambda s: _get(reverse("indicators:project_list"), year=2023),
        ),
        Page("indicator table xlsx (leader)", "leader", lambda s: _get(table, period="2023-10")),
        Page(
            "key projects xlsx (leader)",
            "leader",
            lambda s: _get(reverse("indicators:export_key_projects"), year=2023),
        ),
        Page(
            "xlsx import of 1,000 actuals",
            "coordinator",
            import_post,
            ok_text="导入成功",
            max_repeat=5,
        ),
    ]


PAGES = [
    Page("framework floor (trivial view)", "coordinator", lambda s: _get(FLOOR_PATH)),
    Page("empty page in base template", "coordinator", lambda s: _get(EMPTY_PAGE_PATH)),
    Page("battle map: whole campaign", "coordinator", lambda s: _map(s)),
    Page("battle map: one unit", "coordinator", lambda s: _map(s, unit=s.unit.pk)),
    Page("battle map: leader's units", "leader", lambda s: _map(s)),
    Page("battle map: timeline", "coordinator", lambda s: _map(s, view="timeline")),
    Page(
        "battle map xlsx export",
        "coordinator",
        lambda s: _get(reverse("dashboards:battle_map_xlsx"), campaign=s.campaign.pk),
    ),
    Page("task list: first page (all)", "coordinator", lambda s: _get(reverse("tasks:task_list"))),
    Page(
        "task list: campaign + status",
        "coordinator",
        lambda s: _get(reverse("tasks:task_list"), campaign=s.campaign.pk, status="behind"),
    ),
    Page("task list: own unit", "reporter", lambda s: _get(reverse("tasks:task_list"))),
    Page(
        "task detail + history",
        "reporter",
        lambda s: _get(reverse("tasks:task_detail", args=[s.task.pk])),
    ),
    Page("monthly report: GET", "reporter", lambda s: _get(reverse("monthly:report"))),
    Page("monthly report: POST one task", "reporter", report_post, expect=302),
    Page(
        "campaign overview",
        "coordinator",
        lambda s: _get(reverse("campaigns:campaign_detail", args=[s.campaign.pk])),
    ),
]


def long_report_text() -> str:
    """A report text of 200 paragraphs, 19,000 characters, in which the checker finds 800 figure
    claims (shares of a target, changes on last year, growth rates, 序时进度 gaps), the same at
    every scale: the checker reads only the text."""
    parts = []
    for i in range(200):
        done, plan = 1000 + 37 * i, 2500 + 53 * i
        last, now = 700 + 11 * i, 760 + 13 * i
        share = done * 100 / plan
        parts.append(
            f"（{i + 1}）第{i + 1}项指标完成{done}万元，占年计划{plan}万元的{share:.1f}％，"
            f"低于序时进度{83.3 - share:.1f}个百分点；产量{now}吨，比去年增加{now - last}吨，"
            f"同比增长{(now - last) * 100 / last:.1f}％。各责任单位倒排工期、挂图作战。"
        )
    return "\n".join(parts)


def _report_pages() -> list[Page]:
    """Pages of shigan.reports, when its URLs are installed."""
    try:
        preview = reverse("reports:report_page")
    except NoReverseMatch:
        return []
    docx = reverse("reports:report_download", args=["docx"])
    check = reverse("reports:check")
    return [
        Page(
            "report preview (HTML)",
            "coordinator",
            lambda s: _get(preview, campaign=s.campaign.pk, as_of=BENCH_TODAY),
        ),
        Page(
            "docx report of the district",
            "coordinator",
            lambda s: _get(docx, campaign=s.campaign.pk, as_of=BENCH_TODAY),
        ),
        Page(
            "report checker on a long text",
            "coordinator",
            lambda s: Call("POST", check, {"text": long_report_text()}),
        ),
    ]


def _grassroots_pages() -> list[Page]:
    """The grassroots ledger, the time bank and the cockpit: each as the coordinator (his
    district's 3,000 concerns) and as leader 4 (the units he oversees)."""
    efficiency = reverse("grassroots:efficiency")
    concerns = reverse("grassroots:concern_list")
    visits = reverse("grassroots:visit_list")
    accounts = reverse("timebank:account_list")
    cockpit = reverse("dashboards:cockpit")
    found = []
    for role in ("coordinator", "leader"):
        found += [
            Page(
                f"efficiency page ({role})",
                role,
                lambda s: _get(efficiency, campaign=s.campaign.pk),
            ),
            Page(f"concern list ({role})", role, lambda s: _get(concerns, campaign=s.campaign.pk)),
            Page(
                f"concern list: overdue ({role})",
                role,
                lambda s: _get(concerns, campaign=s.campaign.pk, status="overdue"),
            ),
            Page(f"visit list ({role})", role, lambda s: _get(visits, campaign=s.campaign.pk)),
            Page(f"time bank accounts ({role})", role, lambda s: _get(accounts)),
            Page(f"cockpit ({role})", role, lambda s: _get(cockpit, campaign=s.campaign.pk)),
        ]
    return found


# The upper levels' rows (issue 17) are named "level: …"; compare.level_checks sets each beside
# the district coordinator's own cockpit of the same run.
LEVEL_PREFIX = "level: "
COCKPIT = "cockpit (coordinator)"


def _level_pages() -> list[Page]:
    """A city's and the province's pages, as their coordinators (roles "city", "province": run
    skips them where the scale has no such level): the comparison of the levels below
    (/levels/, when installed), an upper task's 下级落实情况, an upper indicator's roll-up."""
    found = []
    try:
        levels = reverse("dashboards:levels")
    except NoReverseMatch:
        levels = None
    for role, below in (("city", "districts"), ("province", "cities")):
        if levels:
            found.append(Page(f"{LEVEL_PREFIX}{role}'s {below} (/levels/)", role, _levels_call))
        found += [
            Page(
                f"{LEVEL_PREFIX}{role}'s upper task, 下级落实情况",
                role,
                lambda s, r=role: _get(reverse("directives:upper_task", args=[_of(s, r, "task")])),
            ),
            Page(
                f"{LEVEL_PREFIX}{role}'s upper indicator, roll-up",
                role,
                lambda s, r=role: _get(
                    reverse("indicators:indicator_detail", args=[_of(s, r, "indicator")]),
                    year=2023,
                ),
            ),
        ]
    return found


def _levels_call(subj: Subjects) -> Call:
    return _get(reverse("dashboards:levels"))


def _of(subj: Subjects, role: str, what: str) -> int:
    return getattr(subj, f"{role}_{what}").pk


def pages() -> tuple[list[Page], list[str]]:
    """The pages to measure, and a note for each app whose pages are not installed yet."""
    indicator_pages, report_pages = _indicator_pages(), _report_pages()
    notes = [] if indicator_pages else ["indicator pages: skipped, shigan.indicators has no URLs"]
    notes += [] if report_pages else ["report pages: skipped, shigan.reports has no URLs"]
    try:
        reverse("dashboards:levels")
    except NoReverseMatch:
        notes.append("level comparison (/levels/): skipped, dashboards:levels has no URL")
    found = [*PAGES, *indicator_pages, *report_pages, *_grassroots_pages(), *_level_pages()]
    return found, notes
