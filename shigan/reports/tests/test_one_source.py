"""One source per figure: on the demo district, the cockpit, the apps' pages and the summary
report state the same figures on three dates.

Each figure is computed once, in its app's query module — tasks.queries.task_tally;
meetings.queries decision_tally, meetings_held, series_cadence_in, study_tally;
supervision.queries finding_tally, inspection_tally, notice_tally; publicity.queries
media_report_counts; indicators.queries indicator_summary, latest_actuals, investment_tallies —
and the cockpit reads it for its viewer, a page for its filters, the report for the whole
district. The coordinator reads everything, so on the demo all of them must agree.

The test reads what each one shows — the cockpit's cards and the pages' context as rendered, the
report's printed figures parsed back into numbers — and compares every figure stated in more than
one place. Pages that take a date (?as_of=, ?date_to=, ?period=) are read on every date; those
that show only today (the meeting list's cadence, the decision table, the study list, the
findings list) on the demo's today, 2023-07-31. A clause the report leaves out for want of
records states zero.
"""

import datetime
import re
from collections import defaultdict
from decimal import Decimal

import pytest

from shigan.demo.district import load_demo
from shigan.indicators.calc import IndicatorStatus, TimeProgressMode
from shigan.indicators.models import Indicator
from shigan.meetings.completion import Completion, completion_of
from shigan.meetings.models import Cadence, MeetingSeries, StudyKind
from shigan.meetings.tests.helpers import make_meeting, make_series
from shigan.orgs.models import Person
from shigan.publicity.models import MediaLevel
from shigan.reports.compose import ReportOptions, build_summary
from shigan.reports.models import IndicatorPhrasing
from shigan.supervision.models import InspectionKind
from shigan.supervision.status import OPEN_STATUSES, FindingStatus
from shigan.tasks.models import TaskOrigin
from shigan.tasks.status import TaskStatus

from .reportdata import add_indicator

D = datetime.date
TODAY = D(2023, 7, 31)  # the demo's day: SHIGAN_TODAY, as `shigan demo` pins it
DATES = [D(2023, 3, 31), D(2023, 5, 31), TODAY]

NUMBER = re.compile(r"\d+(?:\.\d+)?")
MONTH = re.compile(r"年(\d{1,2})月")
MEDIA_LEVELS = re.compile(r"在(.+?)(?:等各级|级)媒体发表")

# Figures every date must see stated, and where (pages showing only today add theirs on it).
REQUIRED = {
    "tasks.total": {"cockpit", "battle map"},
    "decisions.total": {"cockpit", "battle map"},
    "meetings.held": {"cockpit", "meeting list"},
    "study.total": {"cockpit", "report"},
    "findings.total": {"cockpit", "report"},
    "inspections.total": {"cockpit", "inspection list", "report"},
    "exemplars.positive": {"cockpit", "report"},
    "media.total": {"cockpit", "media list", "report"},
    "media.levels": {"cockpit", "media list", "report"},
    "investment.agreements": {"cockpit", "investment page", "report"},
    "investment.contract": {"cockpit", "investment page", "report"},
    "indicators.behind": {"cockpit", "indicator dashboard"},
}
REQUIRED_TODAY = {
    "decisions.total": {"decision table"},
    "decisions.rate": {"cockpit", "decision table", "battle map"},
    "study.total": {"study list"},
    "findings.total": {"finding list"},
    "findings.open": {"cockpit", "finding list"},
    "notices.total": {"cockpit", "notice list"},
}


def number(text: str) -> Decimal:
    """The number a printed figure states: "13篇" → 13, "44.5％" → 44.5, "31500万元" → 31500."""
    return Decimal(NUMBER.search(text).group())


class Stated:
    """Figures by name, with each place stating it and what it states."""

    def __init__(self) -> None:
        self.places: dict[str, dict[str, object]] = defaultdict(dict)

    def add(self, place: str, name: str, value) -> None:
        self.places[name][place] = value

    def disagreements(self, day: datetime.date) -> list[str]:
        return [
            f"{day} {name}: " + ", ".join(f"{place}={value!r}" for place, value in stated.items())
            for name, stated in sorted(self.places.items())
            if len(set(stated.values())) > 1
        ]

    def missing(self, required: dict[str, set[str]]) -> list[str]:
        return [
            f"{name} not stated by {sorted(places - set(self.places[name]))}"
            for name, places in required.items()
            if not places <= set(self.places[name])
        ]


def _completion(stated: Stated, place: str, tally: Completion) -> None:
    for field in ("total", "done", "active", "overdue", "behind", "cancelled"):
        stated.add(place, f"decisions.{field}", getattr(tally, field))
    stated.add(place, "decisions.rate", tally.rate_label)


# The cockpit ----------------------------------------------------------------------------------


def cockpit(stated: Stated, client, day: datetime.date) -> int:
    """Every card's figures; returns the month its indicator card reads."""
    response = client.get("/map/cockpit/", {"as_of": day.isoformat()})
    cards = {card.key: card for card in response.context["data"].cards}
    items = {key: {i.label: i.value for i in card.items} for key, card in cards.items()}
    add = lambda name, value: stated.add("cockpit", name, value)  # noqa: E731

    add("tasks.total", cards["tasks"].value or 0)
    for status in TaskStatus:
        add(f"tasks.{status.value}", int(items["tasks"].get(status.label, 0)))

    decisions, done = cards["decisions"], items["decisions"]
    add("decisions.total", decisions.value or 0)
    for label, field in [("已完成", "done"), ("推进中", "active"), ("已取消", "cancelled")]:
        add(f"decisions.{field}", int(done.get(label, 0)))
    add("decisions.overdue", int(done.get("其中逾期", 0)))
    add("decisions.behind", int(done.get("其中滞后", 0)))
    add("decisions.rate", decisions.note.removeprefix("完成率 ") if decisions.value else "—")

    add("meetings.held", cards["meetings"].value or 0)
    for label, value in items["meetings"].items():
        kind = "missed" if value.startswith("缺会") else "held"
        add(f"series.{label}.{kind}", number(value))

    add("study.total", cards["study"].value or 0)
    for kind in StudyKind:
        add(f"study.{kind.label}", number(items["study"].get(kind.label, "0")))

    findings = cards["findings"]
    total, closed = (number(n) for n in NUMBER.findall(findings.note)) if findings.note else (0, 0)
    add("findings.total", total)
    add("findings.open", findings.value or 0)
    add("findings.closed", closed)
    for status in FindingStatus:
        add(f"findings.{status.value}", int(items["findings"].get(status.label, 0)))

    add("inspections.total", cards["inspections"].value or 0)
    for kind in InspectionKind:
        add(f"inspections.{kind.value}", int(items["inspections"].get(kind.label, 0)))

    add("notices.total", cards["notices"].value or 0)
    add("exemplars.positive", int(items["notices"].get("先进典型", 0)))
    add("exemplars.negative", int(items["notices"].get("反面典型", 0)))

    media = cards["media_reports"]
    add("media.total", media.value or 0)
    add("media.levels", frozenset(label for label, n in items["media_reports"].items() if n != "0"))
    for level in MediaLevel:
        add(f"media.{level.value}", int(items["media_reports"].get(level.label, 0)))
    if media.value:
        add("media.this_month", number(media.note.rsplit("本月", 1)[1]))

    investment = items.get("investment", {})
    add("investment.agreements", cards["investment"].value or 0)
    for label, name in [
        ("外出招商", "trips"),
        ("合同资金", "contract"),
        ("实际落地", "landed"),
        ("到位资金", "funds"),
    ]:
        add(f"investment.{name}", number(investment.get(label, "0")))

    indicators = cards["indicators"]
    month = int(MONTH.search(indicators.note).group(1))
    missing = re.search(r"(\d+)项未填报", indicators.note)
    add("indicators.behind", indicators.value or 0)
    add("indicators.rows", number(indicators.note.split("共", 1)[1]))
    add("indicators.missing", int(missing.group(1)) if missing else 0)
    for item in indicators.items:
        completion, benchmark = (number(n) for n in NUMBER.findall(item.hint))
        point_in_time = "时点指标" in item.hint  # its benchmark is the target, no time progress
        add(f"indicator.{item.label}.{month}.completion", completion)
        add(f"indicator.{item.label}.{month}.time_progress", None if point_in_time else benchmark)
        add(f"indicator.{item.label}.{month}.gap", number(item.value))
        add(f"indicator.{item.label}.{month}.status", item.tone)
    return month


# The apps' pages ------------------------------------------------------------------------------


def battle_map(stated: Stated, client, day: datetime.date) -> None:
    data = client.get("/map/", {"as_of": day.isoformat()}).context["data"]
    stated.add("battle map", "tasks.total", data.total)
    for tile in data.tiles:
        stated.add("battle map", f"tasks.{tile.status.value}", tile.count)
    decisions = [r.status for r in data.rows if r.task.origin == TaskOrigin.DECISION]
    _completion(stated, "battle map", completion_of(decisions))


def dated_pages(stated: Stated, client, day: datetime.date, campaign, month: int) -> None:
    """The pages that take a date: meetings, inspections and media up to it, investment as of
    it, the indicator table of the cockpit's month."""
    until = {"campaign": campaign.pk, "date_to": day.isoformat()}
    meetings = client.get("/meetings/", until).context["page"]
    stated.add("meeting list", "meetings.held", meetings.paginator.count)

    inspections = client.get("/supervision/", until).context["page"]
    stated.add("inspection list", "inspections.total", inspections.paginator.count)
    for kind in InspectionKind:
        page = client.get("/supervision/", {**until, "kind": kind.value}).context["page"]
        stated.add("inspection list", f"inspections.{kind.value}", page.paginator.count)

    counts = client.get("/publicity/", until).context["counts"]
    stated.add("media list", "media.total", counts.total)
    stated.add("media list", "media.levels", frozenset(lbl for _, lbl, n in counts.level_rows if n))
    stated.add("media list", "media.this_month", counts.periods[-1].total)
    for level, n in counts.by_level.items():
        stated.add("media list", f"media.{level}", n)

    query = {"campaign": campaign.pk, "as_of": day.isoformat()}
    tallies = client.get("/indicators/investment/", query).context["tallies"]
    for name, value in [
        ("trips", tallies.trips),
        ("agreements", tallies.agreements),
        ("contract", tallies.contract_amount),
        ("landed", tallies.landed),
        ("landed_contract", tallies.landed_contract_amount),
        ("funds", tallies.funds_in_place),
    ]:
        stated.add("investment page", f"investment.{name}", Decimal(value))

    context = client.get("/indicators/", {"period": f"{day.year}-{month:02d}"}).context
    tiles = dict(context["tiles"])
    behind = tiles[IndicatorStatus.RED] + tiles[IndicatorStatus.YELLOW]
    stated.add("indicator dashboard", "indicators.behind", behind)
    stated.add("indicator dashboard", "indicators.rows", len(context["rows"]))
    stated.add("indicator dashboard", "indicators.missing", tiles[IndicatorStatus.MISSING])
    for row in context["rows"]:
        name = f"indicator.{row.indicator.name}.{month}"
        if row.completion_pct is not None:
            stated.add("indicator dashboard", f"{name}.completion", row.completion_pct)
        if row.status in (IndicatorStatus.RED, IndicatorStatus.YELLOW):
            stated.add("indicator dashboard", f"{name}.time_progress", row.time_progress_pct)
            stated.add("indicator dashboard", f"{name}.gap", abs(row.gap_points))
            stated.add("indicator dashboard", f"{name}.status", row.status.value)


def todays_pages(stated: Stated, client, campaign) -> None:
    """The pages that show only today: the meeting list's cadence cards, the decision table,
    the study list, the findings list and the notice list."""
    of_campaign = {"campaign": campaign.pk}
    for cadence in client.get("/meetings/", of_campaign).context["cadences"]:
        stated.add("meeting list", f"series.{cadence.series.name}.held", cadence.held_count)
        stated.add("meeting list", f"series.{cadence.series.name}.missed", len(cadence.missed))

    table = client.get("/meetings/decisions/", of_campaign).context["table"]
    _completion(stated, "decision table", table.overall)

    study = client.get("/meetings/study/", of_campaign).context["counts"]
    stated.add("study list", "study.total", sum(study.values()))
    for label, n in study.items():
        stated.add("study list", f"study.{label}", n)

    counts = client.get("/supervision/findings/", of_campaign).context["counts"]
    stated.add("finding list", "findings.total", sum(counts.values()))
    stated.add("finding list", "findings.open", sum(counts[s] for s in OPEN_STATUSES))
    stated.add("finding list", "findings.closed", counts[FindingStatus.CLOSED])
    for status, n in counts.items():
        stated.add("finding list", f"findings.{status.value}", n)

    notices = client.get("/supervision/notices/", of_campaign).context["page"]
    stated.add("notice list", "notices.total", notices.paginator.count)


# The report -----------------------------------------------------------------------------------


def report(stated: Stated, campaign, day: datetime.date) -> None:
    """The printed figures of the summary report, by the keys the builder gives them."""
    document = build_summary(campaign=campaign, as_of=day)
    printed = {f.key: f for f in document.figures}
    add = lambda name, value: stated.add("report", name, value)  # noqa: E731
    stated_or_zero = lambda key: number(printed[key].text) if key in printed else 0  # noqa: E731

    for series in MeetingSeries.objects.filter(campaign=campaign):
        add(f"series.{series.name}.held", stated_or_zero(f"series.{series.pk}"))
        add(f"series.{series.name}.missed", 0)
    for figure in document.figures:
        if figure.key == "missed":  # its source is the series
            series = MeetingSeries.objects.get(pk=figure.sources[0].record.split(":")[1])
            add(f"series.{series.name}.missed", number(figure.text))

    study = {kind: stated_or_zero(f"study.{kind.value}") for kind in StudyKind}
    add("study.total", sum(study.values()))
    for kind, n in study.items():
        add(f"study.{kind.label}", n)

    inspections = {kind: stated_or_zero(f"inspections.{kind.value}") for kind in InspectionKind}
    add("inspections.total", sum(inspections.values()))
    for kind, n in inspections.items():
        add(f"inspections.{kind.value}", n)
    add("findings.total", stated_or_zero("findings"))
    add("exemplars.positive", stated_or_zero("exemplars.positive"))
    add("exemplars.negative", stated_or_zero("exemplars.negative"))

    add("media.total", stated_or_zero("media.total"))
    levels = MEDIA_LEVELS.search(document.text)
    add("media.levels", frozenset(levels.group(1).split("、")) if levels else frozenset())

    if any(key.startswith("investment.") for key in printed):  # the narrative names 【招商引资】
        for name in ("trips", "agreements", "contract", "landed", "landed_contract", "funds"):
            add(f"investment.{name}", stated_or_zero(f"investment.{name}"))

    names = dict(Indicator.objects.values_list("pk", "name"))
    for figure in document.figures:
        parts = figure.key.split(".")
        if parts[0] == "indicator" and parts[2] in {"share", "gap"}:
            month = MONTH.search(figure.sources[0].label).group(1)
            kind = "completion" if parts[2] == "share" else "gap"
            add(f"indicator.{names[int(parts[1])]}.{month}.{kind}", number(figure.text))


# The test -------------------------------------------------------------------------------------


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())
    return load_demo(today=TODAY)


def test_cockpit_pages_and_report_state_the_same_figures_on_three_dates(demo, client_for):
    client = client_for(Person.objects.get(user__username="zhuanban").user)
    problems, seen = [], []
    for day in DATES:
        stated = Stated()
        month = cockpit(stated, client, day)
        battle_map(stated, client, day)
        dated_pages(stated, client, day, demo.campaign, month)
        required = dict(REQUIRED)
        for series in MeetingSeries.objects.filter(campaign=demo.campaign):
            places = {"cockpit", "report"} | ({"meeting list"} if day == TODAY else set())
            required[f"series.{series.name}.held"] = places
        if day == TODAY:
            todays_pages(stated, client, demo.campaign)
            required |= {k: required.get(k, set()) | v for k, v in REQUIRED_TODAY.items()}
        report(stated, demo.campaign, day)
        problems += stated.disagreements(day)
        problems += [f"{day} {gap}" for gap in stated.missing(required)]
        both = [n for n, places in stated.places.items() if n.startswith("indicator.")]
        shared = [n for n in both if {"cockpit", "report"} <= set(stated.places[n])]
        if not shared:
            problems.append(f"{day}: no indicator figure stated by both cockpit and report")
        seen.append({n: next(iter(p.values())) for n, p in stated.places.items()})
    assert not problems, "\n".join(problems)
    # The dates differ: the same figures are not compared three times over.
    assert seen[0]["media.total"] < seen[1]["media.total"] < seen[2]["media.total"]
    assert seen[0]["findings.total"] == 0 < seen[2]["findings.total"]


# Where they disagreed before ----------------------------------------------------------------


def test_a_series_without_cadence_counts_its_meetings_on_the_cockpit_list_and_report(
    world, client_for, monkeypatch
):
    """A 不定期 series has no cadence periods; its 已召开 count was their sum, 0, on the meeting
    list and the cockpit while the report counted its meetings."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-06-30")
    series = make_series(world, name="重点项目推进会", cadence=Cadence.NONE)
    for day in (D(2023, 3, 10), D(2023, 5, 12)):
        make_meeting(world, series=series, date=day, title="重点项目推进会")
    client = client_for(world.coordinator)
    cards = client.get("/map/cockpit/").context["data"].cards
    items = {i.label: i.value for c in cards if c.key == "meetings" for i in c.items}
    cadences = client.get("/meetings/", {"campaign": world.campaign.pk}).context["cadences"]
    document = build_summary(campaign=world.campaign, as_of=D(2023, 6, 30))
    printed = {f.key: f.text for f in document.figures}
    assert items["重点项目推进会"] == "已开2次"
    assert [c.held_count for c in cadences if c.series == series] == [2]
    assert printed[f"series.{series.pk}"] == "2次"


def test_in_days_mode_the_report_judges_a_months_figure_as_the_indicator_table_does(
    world, client_for, monkeypatch
):
    """序时进度 by days for June's figure read on 20 July: to 30 June, as the indicator table
    of June shows it; the report measured it to 20 July (15.4 points behind instead of 10.0).
    Both print 39.6 − 49.6 = 10.0 (the derived-figure rule), not the raw 9.95 → 9.9."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    output = add_indicator("工业总产值", world.unit_a, target=55500, values={6: 22000})
    IndicatorPhrasing.objects.create(campaign=world.campaign, indicator=output, show_time_gap=True)
    options = ReportOptions(time_progress_mode=TimeProgressMode.DAYS)
    document = build_summary(campaign=world.campaign, as_of=D(2023, 7, 20), options=options)
    gap = next(f for f in document.figures if f.key == f"indicator.{output.pk}.gap")
    page = client_for(world.coordinator).get("/indicators/", {"period": "2023-06", "mode": "days"})
    [row] = [r for r in page.context["rows"] if r.indicator == output]
    assert number(gap.text) == abs(row.gap_points) == Decimal("10.0")
