"""下级对比's tasks and decisions from each campaign's counts of the day (dashboards
.campaign_counts) are exactly those counted afresh (levels._tally_tasks and _tally_decisions,
the status of every task computed by the database) after every kind of write, on the county's
page and the city's; and a write in one district counts that district's campaign again, not
the others."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from shigan.core.audit import audit_record, snapshot
from shigan.core.figures_cache import clear_caches, figures_cache
from shigan.core.models import AuditAction
from shigan.dashboards import campaign_counts as counts_module
from shigan.dashboards import kept_indicators
from shigan.dashboards import levels as levels_module
from shigan.dashboards.levels import (
    Figures,
    counted_from_cache,
    late_units,
    level_figures,
    level_scope,
    level_tree,
    report_deadline,
)
from shigan.indicators.models import Indicator
from shigan.indicators.services.actuals import actual_submit
from shigan.meetings.models import Meeting
from shigan.meetings.services.meetings import decision_record
from shigan.orgs.scope import district_id_of
from shigan.tasks.models import ChangeKind, Milestone, Task
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.services.progress import progress_submit
from shigan.tasks.services.tasks import task_save

from .levels_world import CITY, COUNTY, EAST, TODAY, WEST, build_world

D = datetime.date
JULY = D(2023, 7, 1)


@pytest.fixture
def levels(db, settings, monkeypatch):
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    clear_caches()
    return build_world()


def _plain(figures: dict[int, Figures]) -> dict:
    """Each row's task counts, decisions' tally and campaigns, empty rows left out."""
    rows = {}
    for branch, row in figures.items():
        plain = (
            {s.value: n for s, n in row.tasks.items() if n},
            dataclasses.asdict(row.decisions),
            {k: sorted(v) for k, v in row.campaigns.items() if v and k in ("tasks", "decisions")},
            row.reports_missing,
            {s.value: n for s, n in row.indicators.items() if n},
        )
        if plain[0] or plain[2] or plain[3] or plain[4]:
            rows[branch] = plain
    return rows


def _rows(user, as_of) -> dict:
    """下级对比's rows and its late units (unit → tasks due June's report, with one)."""
    as_of = as_of or datetime.date.fromisoformat(TODAY)
    root = district_id_of(user)
    tree = level_tree(root)
    scope = level_scope(user, root, tree, as_of)
    rows = _plain(level_figures(user, root, tree, as_of).by_branch)
    late = late_units(scope, tree, report_deadline(user, as_of)[1])
    rows["late"] = {unit.unit_id: (unit.due, unit.filed) for unit in late}
    return rows


def served(user, as_of=None) -> dict:
    """下级对比's figures for `user` as the page reads them (from the day's counts)."""
    root = district_id_of(user)
    day = as_of or datetime.date.fromisoformat(TODAY)
    assert counted_from_cache(level_scope(user, root, level_tree(root), day))
    return _rows(user, as_of)


def fresh(user, as_of=None) -> dict:
    """The same counted afresh, as before the cache (every task's status computed, the tasks
    owing a report read)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(levels_module, "counted_from_cache", lambda scope: False)
        return _rows(user, as_of)


def viewers(levels):
    return [levels[COUNTY].users["coordinator"], levels[CITY].users["inspector"]]


def warm(levels) -> list[dict]:
    return [served(user) for user in viewers(levels)]


def assert_served_is_fresh(levels, before: list[dict], *, changed: bool = True, as_of=None):
    after = [served(user, as_of) for user in viewers(levels)]
    assert after == [fresh(user, as_of) for user in viewers(levels)]
    if changed:
        assert after != before
    return after


def test_counts_read_from_the_cache_are_those_counted_afresh(levels):
    before = warm(levels)
    assert before == [fresh(user) for user in viewers(levels)]
    east, county = levels[EAST], levels[COUNTY]
    # The county's page: 东区 4 plain tasks (2 overdue, behind, nearing), 2 decisions done and 3
    # open (on track), 2 findings' tasks (on track).
    east_row = before[0][east.root.pk]
    assert east_row[0] == {"overdue": 2, "behind": 1, "nearing": 1, "done": 2, "on_track": 5}
    assert (east_row[1]["total"], east_row[1]["done"]) == (5, 2)
    assert east_row[2] == {"decisions": [east.campaign.pk], "tasks": [east.campaign.pk]}
    assert before[1][county.root.pk][0]["overdue"] == 1 + 2  # the county's own and 东区's
    assert warm(levels) == before  # served again from the cache


def _east_task(levels, title_end: str) -> Task:
    return Task.objects.get(campaign=levels[EAST].campaign, title__endswith=title_end)


def test_a_progress_report(levels):
    before = warm(levels)
    east = levels[EAST]
    progress_submit(
        task=_east_task(levels, "任务1"), unit=east.bureau, period=JULY,
        by=east.users["reporter"], text="七月进展", milestones_reached={}, uploads=[],
    )  # fmt: skip
    assert_served_is_fresh(levels, before, changed=False)  # a report alone moves no status


def test_june_reported_by_a_late_unit(levels):
    """东区交通局 owed June's report for its 11 tasks (逾期未报 on 31 July); 9 filed then."""
    before = warm(levels)
    east = levels[EAST]
    assert before[0][east.root.pk][3] == 1 and before[0]["late"][east.bureau.pk] == (11, 0)
    for task in Task.objects.filter(lead_unit=east.bureau):
        try:
            progress_submit(
                task=task, unit=east.bureau, period=D(2023, 6, 1), by=east.users["coordinator"],
                text="六月进展", milestones_reached={}, uploads=[],
            )  # fmt: skip
        except ValidationError:  # closed on 1 July: owes June's report, may file no more
            pass
    after = assert_served_is_fresh(levels, before)
    assert after[0]["late"][east.bureau.pk] == (11, 9)  # still late: 2 closed, without


def test_a_milestone_done(levels):
    before = warm(levels)
    east = levels[EAST]
    behind = _east_task(levels, "任务3")
    milestone = Milestone.objects.get(task=behind)
    progress_submit(
        task=behind, unit=east.bureau, period=JULY, by=east.users["reporter"], text="节点完成",
        milestones_reached={milestone.pk: D(2023, 7, 20)}, uploads=[],
    )  # fmt: skip
    after = assert_served_is_fresh(levels, before)
    assert "behind" not in after[0][east.root.pk][0]


def _approve(levels, task: Task, kind: str, **proposed):
    east = levels[EAST]
    request = change_request_create(
        task=task, by=east.users["reporter"], kind=kind, reason="理由", **proposed
    )
    change_request_decide(
        change_request=request, by=east.users["coordinator"], approve=True, note=""
    )


def test_a_closure(levels):
    before = warm(levels)
    _approve(levels, _east_task(levels, "任务4"), ChangeKind.COMPLETE)  # nearing → done
    after = assert_served_is_fresh(levels, before)
    assert after[0][levels[EAST].root.pk][0]["done"] == 3


def test_an_extension_approved(levels):
    before = warm(levels)
    _approve(
        levels, _east_task(levels, "任务1"), ChangeKind.EXTEND, proposed_due_date=D(2023, 12, 31)
    )
    after = assert_served_is_fresh(levels, before)
    assert after[0][levels[EAST].root.pk][0]["overdue"] == 1


def _save(task: Task, by, **changes) -> Task:
    fields = {
        "campaign": task.campaign, "category": task.category, "number": task.number,
        "title": task.title, "target": task.target, "lead_unit": task.lead_unit,
        "supporting_units": [], "leader": task.leader, "start_date": task.start_date,
        "due_date": task.due_date, "milestones": [],
    }  # fmt: skip
    return task_save(task=task, by=by, **{**fields, **changes})


def test_a_task_moved_to_a_unit_of_another_level(levels):
    before = warm(levels)
    county, east = levels[COUNTY], levels[EAST]
    overdue = Task.objects.get(campaign=county.campaign, title__endswith="任务1")
    _save(overdue, county.users["coordinator"], lead_unit=east.bureau)
    after = assert_served_is_fresh(levels, before)
    assert after[0][east.root.pk][0]["overdue"] == 3  # in 东区's row now, though the county's


def test_a_new_task(levels):
    before = warm(levels)
    east = levels[EAST]
    task_save(
        task=None, by=east.users["coordinator"], campaign=east.campaign, category=east.category,
        number=50, title="新任务", target="", lead_unit=east.bureau, supporting_units=[],
        leader=None, start_date=D(2023, 1, 1), due_date=D(2023, 7, 10), milestones=[],
    )  # fmt: skip
    after = assert_served_is_fresh(levels, before)
    assert after[0][east.root.pk][0]["overdue"] == 3


def test_a_decision_recorded(levels):
    before = warm(levels)
    east = levels[EAST]
    decision_record(
        meeting=Meeting.objects.get(campaign=east.campaign), by=east.users["coordinator"],
        title="新议定事项", target="", lead_unit=east.bureau, leader=None,
        due_date=D(2023, 12, 31),
    )  # fmt: skip
    after = assert_served_is_fresh(levels, before)
    assert after[0][east.root.pk][1]["total"] == 6


def test_a_unit_moved_to_another_level(levels):
    """A unit's level changes (the admin saves and audits it): its tasks count in the other
    level's row — an entry about no task, which reads every campaign anew."""
    before = warm(levels)
    east, west = levels[EAST], levels[WEST]
    unit = east.bureau
    was = snapshot(unit)
    unit.parent = west.root
    unit.save()
    audit_record(actor=None, obj=unit, action=AuditAction.UPDATE, before=was)
    after = assert_served_is_fresh(levels, before)
    assert east.root.pk not in after[0]


def test_the_next_day(levels, settings, monkeypatch):
    before = warm(levels)
    settings.SHIGAN_TODAY = "2023-08-04"
    monkeypatch.setenv("SHIGAN_TODAY", "2023-08-04")
    after = assert_served_is_fresh(levels, before, as_of=D(2023, 8, 4))
    assert "nearing" not in after[0][levels[EAST].root.pk][0]  # due 3 August: overdue now


def test_a_write_in_one_district_counts_only_its_campaign(levels, monkeypatch):
    counted = []
    original = counts_module._count

    def spy(campaign_ids, today):
        counted.append(sorted(campaign_ids))
        return original(campaign_ids, today)

    monkeypatch.setattr(counts_module, "_count", spy)
    warm(levels)
    everyone = sorted(level.campaign.pk for level in levels.values())
    assert sorted(sum(counted, [])) == everyone  # each campaign once (the county's 3, the city)
    del counted[:]
    warm(levels)
    assert counted == []  # nothing written: nothing counted
    _approve(levels, _east_task(levels, "任务4"), ChangeKind.COMPLETE)
    warm(levels)
    assert counted == [[levels[EAST].campaign.pk]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite commits writers in order")
def test_nothing_is_kept_while_another_transaction_writes(levels):
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = False
        with other.cursor() as cursor:
            cursor.execute("SELECT txid_current()")  # holds a transaction id: a writer
        before = warm(levels)
        assert before == [fresh(user) for user in viewers(levels)]
        assert figures_cache.get(counts_module.ledger_key(D(2023, 7, 31))) is None
        other.commit()
        with connection.cursor() as cursor:  # pg_stat_activity is read once per transaction
            cursor.execute("SELECT pg_stat_clear_snapshot()")
        warm(levels)
        assert figures_cache.get(counts_module.ledger_key(D(2023, 7, 31))) is not None
    finally:
        other.close()


def test_an_indicator_figure_filed(levels, monkeypatch):
    """The indicators' statuses are kept for the day until an indicator's figure or record is
    written: a task's write leaves them kept (not judged again), June's figure for 西区's
    indicator shows (test_kept_indicators: every kind of indicator write)."""
    before = warm(levels)
    west = levels[WEST]
    assert before[0][west.root.pk][4] == {"missing": 2}
    computed = []
    original = kept_indicators.indicator_statuses
    monkeypatch.setattr(
        kept_indicators,
        "indicator_statuses",
        lambda *a, **k: computed.append(1) or original(*a, **k),
    )
    _approve(levels, _east_task(levels, "任务4"), ChangeKind.COMPLETE)
    warm(levels)
    assert computed == []
    actual_submit(
        indicator=Indicator.objects.get(name="西区指标0"), year=2023, month=6,
        value=Decimal(60), is_estimate=False, note="", by=west.users["coordinator"],
        unit=west.bureau,
    )  # fmt: skip
    after = assert_served_is_fresh(levels, before)
    assert after[0][west.root.pk][4] == {"green": 1, "missing": 1}


def test_the_upper_cockpit_reads_the_same_counts(levels, client):
    """甲县's cockpit is its roll-up (dashboards.lens): its task and decision cards read the
    campaigns' counts of the day too, and say what 下级对比's 合计 counted afresh says, before
    and after a closure in 东区."""
    county = levels[COUNTY]
    coordinator = county.users["coordinator"]
    client.force_login(coordinator)

    def cards():
        response = client.get("/map/cockpit/", {"campaign": county.campaign.pk})
        found = {card.key: card for card in response.context["data"].cards}
        decisions = found["decisions"]
        tasks = {s.value: n for s, n in found["tasks"].counts.items() if n}
        return tasks, (decisions.value, [(i.label, i.value) for i in decisions.items])

    def afresh_total():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(levels_module, "counted_from_cache", lambda scope: False)
            root = county.root.pk
            total = level_figures(coordinator, root, level_tree(root), D(2023, 7, 31)).total
        tally = total.decisions
        items = [("已完成", str(tally.done)), ("推进中", str(tally.active))]
        items += [("其中逾期", str(tally.overdue)), ("其中滞后", str(tally.behind))]
        return {s.value: n for s, n in total.tasks.items() if n}, (tally.total, items)

    before = cards()
    assert before == afresh_total()
    _approve(levels, _east_task(levels, "任务4"), ChangeKind.COMPLETE)
    after = cards()
    assert after == afresh_total() and after != before
