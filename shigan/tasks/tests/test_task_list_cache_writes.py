"""The task list's kept figures after any sequence of writes (tasks.list_cache): the campaign's
statuses brought up to date by the tasks written since, the viewer's ids and choices kept until
a write that may change them, the rows of unchanged tasks kept — after every write of every
kind, what the list serves equals the list computed with no cache at all (band, totals, filter
choices, the page's rows as rendered), for several viewers, filters and pages.

The writes go through the services as the pages make them (the admin's deletion as the admin
makes it: its entry names no task); a write a service refuses writes nothing and is skipped."""

import datetime
import os
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.figures_cache import clear_caches
from shigan.core.models import AuditAction
from shigan.tasks import list_cache
from shigan.tasks.changes import last_change
from shigan.tasks.models import ChangeKind, ChangeRequest, ChangeState, Milestone, Task, TaskState
from shigan.tasks.services.categories import category_update
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.services.progress import progress_submit
from shigan.tasks.services.tasks import MilestoneInput, task_save
from shigan.tasks.views import tasks as views

from .test_task_list_cache import figures

START = "2023-07-20"
APPLIED: Counter = Counter()  # writes made, by kind (a run that made none of a kind tests nothing)


class NoCache:
    """Django's caches as list_cache sees them (the default and the figures') and its memory of
    them in the process (local, local_statuses), keeping nothing: the list computed afresh."""

    def get(self, key, default=None):
        return default

    def set(self, *args, **kwargs):
        pass


def served_and_fresh(clients, views_of, monkeypatch, campaign) -> tuple[list, list]:
    """What the list serves and what it computes with no cache; and the campaign's statuses as
    others read them (campaign_status_codes: every task of the campaign, no more)."""

    def statuses():
        return list_cache.campaign_status_codes(campaign, last_change(campaign), clock.today())

    served = [figures(c, **params) for c in clients for params in views_of] + [statuses()]
    with monkeypatch.context() as m:
        for name in ("cache", "figures_cache", "local", "local_statuses"):  # this process's too
            m.setattr(list_cache, name, NoCache())
        fresh = [figures(c, **params) for c in clients for params in views_of] + [statuses()]
    return served, fresh


def _tasks(world) -> list[Task]:
    return list(Task.objects.filter(campaign=world.campaign).order_by("pk"))


def _reporter(world, task: Task):
    return world.reporter_a if task.lead_unit_id == world.unit_a.pk else world.reporter_b


def _save(world, task: Task | None, **changes) -> Task:
    fields = {
        "campaign": world.campaign,
        "category": world.category,
        "number": 90,
        "title": "新增任务",
        "target": "",
        "lead_unit": world.unit_b,
        "supporting_units": [],
        "leader": None,
        "start_date": datetime.date(2023, 3, 1),
        "due_date": datetime.date(2023, 9, 30),
        "milestones": [MilestoneInput("方案报批", datetime.date(2023, 7, 10))],
    }
    if task is not None:
        fields.update(
            campaign=task.campaign,
            category=task.category,
            number=task.number,
            title=task.title,
            target=task.target,
            lead_unit=task.lead_unit,
            supporting_units=list(task.supporting_units.all()),
            leader=task.leader,
            start_date=task.start_date,
            due_date=task.due_date,
            milestones=[MilestoneInput(m.title, m.due_date, m) for m in task.milestones.all()],
        )
    fields.update(changes)
    return task_save(task=task, by=world.coordinator, **fields)


def _request(world, task: Task, kind: str, **extra) -> None:
    """A change request (its approval is a write of its own: "approve")."""
    change_request_create(
        task=task, by=_reporter(world, task), kind=kind, reason="情况变化", **extra
    )


def _approve(world, n: int) -> None:
    """Approve one of the campaign's pending change requests (a closure or an extension)."""
    pending = list(
        ChangeRequest.objects.filter(
            task__campaign=world.campaign, state=ChangeState.PENDING
        ).order_by("pk")
    )
    if not pending:
        raise ValidationError("没有待审批的申请")  # nothing to write
    request = pending[n % len(pending)]
    change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")


def apply(world, write: tuple, monkeypatch) -> None:
    """Make one write of `write`'s kind on the task it picks (by position, modulo the count)."""
    kind, n = write
    tasks = _tasks(world)
    task = tasks[n % len(tasks)] if tasks else None
    today = clock.today()
    if kind == "day":
        monkeypatch.setenv("SHIGAN_TODAY", (today + datetime.timedelta(days=n % 9 + 1)).isoformat())
    elif kind == "add":
        _save(world, None, number=100 + n, title=f"新增任务{n}")
    elif kind == "approve":
        _approve(world, n)
    elif kind == "rename_category":
        category_update(category=world.category, by=world.coordinator, name=f"路网体系{n}")
    elif kind == "rename_unit":
        unit = world.unit_a if n % 2 else world.unit_b
        before = snapshot(unit)
        unit.name = f"{unit.name[:3]}{n}"
        unit.short_name = ""
        unit.save()  # as the admin saves it
        audit_record(actor=world.coordinator, obj=unit, action=AuditAction.UPDATE, before=before)
    elif task is None or task.state != TaskState.ACTIVE:
        return
    elif kind == "report":
        progress_submit(
            task=task,
            unit=task.lead_unit,
            period=clock.month_start(today),
            by=_reporter(world, task),
            text=f"第{n}次进展",
            milestones_reached={},
            uploads=[],
            **_correction(task, today),
        )
    elif kind == "milestone":
        undone = task.milestones.filter(done_on__isnull=True).order_by("due_date").first()
        if undone is None:
            return
        progress_submit(
            task=task,
            unit=task.lead_unit,
            period=clock.month_start(today),
            by=_reporter(world, task),
            text=f"{undone.title}完成",
            milestones_reached={undone.pk: today},
            uploads=[],
            **_correction(task, today),
        )
    elif kind == "close":
        _request(world, task, ChangeKind.CANCEL if n % 2 else ChangeKind.COMPLETE)
    elif kind == "extend":
        later = task.due_date + datetime.timedelta(days=10 * (n % 5 + 1))
        _request(world, task, ChangeKind.EXTEND, proposed_due_date=later)
    elif kind == "move":
        other = world.unit_a if task.lead_unit_id == world.unit_b.pk else world.unit_b
        _save(world, task, lead_unit=other, title=f"{task.title[:8]}（调整）")
    elif kind == "delete":
        # The fixture's own tasks stay (the viewers' pages need rows); one with reports or
        # change requests cannot be deleted (PROTECT).
        fixture = (world.task_a.pk, world.task_b.pk)
        deletable = [
            t
            for t in tasks
            if t.pk not in fixture
            and not t.progress_reports.exists()
            and not t.change_requests.exists()
        ]
        if not deletable:
            return
        task = deletable[n % len(deletable)]
        audit_record(  # as the admin deletes it: the entry names no task
            actor=world.coordinator, obj=task, action=AuditAction.DELETE, before=snapshot(task)
        )
        task.delete()
    APPLIED[kind] += 1


def _correction(task: Task, today: datetime.date) -> dict:
    """A second report for the month corrects the latest one (progress_submit's rule)."""
    latest = task.progress_reports.filter(period=clock.month_start(today)).order_by("-id").first()
    return {"corrects": latest, "reason": "更正"} if latest else {}


KINDS = [
    "report",
    "milestone",
    "close",
    "extend",
    "approve",
    "move",
    "add",
    "delete",
    "rename_category",
    "rename_unit",
    "day",
]
WRITES = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 50)), min_size=1, max_size=6)


@pytest.fixture
def lists(world, client_for, monkeypatch):
    """Two viewers (the coordinator, a reporter) and their views: the whole list and its second
    page (two rows a page: a write to one task leaves the other pages' rows kept), a status
    filter, a unit filter."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(3):  # more tasks than a page
        _save(world, None, number=10 + n, title=f"在建任务{n}", lead_unit=world.unit_a)
    clients = [client_for(world.coordinator), client_for(world.reporter_a)]
    views_of = [{}, {"page": 2}, {"status": "behind"}, {"unit": world.unit_b.pk}]
    return clients, views_of


@pytest.mark.django_db
@settings(
    max_examples=int(os.environ.get("SHIGAN_CACHE_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(writes=WRITES)
@example(writes=[("report", 0), ("report", 1), ("milestone", 2), ("day", 0), ("report", 2)])
@example(writes=[("close", 1), ("approve", 0), ("extend", 2), ("approve", 0), ("move", 3)])
@example(writes=[("add", 1), ("report", 5), ("delete", 5), ("report", 1)])
@example(writes=[("rename_category", 1), ("rename_unit", 1), ("rename_unit", 2), ("report", 0)])
@example(writes=[("move", 2), ("move", 2), ("milestone", 4), ("close", 4), ("approve", 1)])
def test_the_kept_list_is_the_list_computed_afresh_after_any_writes(
    world, lists, monkeypatch, writes
):
    clients, views_of = lists
    monkeypatch.setenv("SHIGAN_TODAY", START)
    clear_caches()
    served, fresh = served_and_fresh(clients, views_of, monkeypatch, world.campaign)
    assert served == fresh
    for write in writes:
        try:
            apply(world, write, monkeypatch)
        except (ValidationError, ProtectedError):
            pass  # refused: nothing written
        served, fresh = served_and_fresh(clients, views_of, monkeypatch, world.campaign)
        assert served == fresh, write


def test_every_kind_of_write_was_made():
    """Runs after the property (same module, in order): each kind was written at least once,
    so each was compared."""
    if not APPLIED:
        pytest.skip("the property did not run in this session")
    assert set(APPLIED) == set(KINDS), APPLIED


def test_a_report_keeps_the_other_tasks_rows_and_the_viewers_ids(world, lists, monkeypatch):
    """A progress report on one task computes that task's status and row again, and nothing
    else: the viewer's ids and choices, the statuses of the others and their rows are kept."""
    clients, views_of = lists
    monkeypatch.setenv("SHIGAN_TODAY", START)
    clear_caches()
    first, second = figures(clients[0]), figures(clients[0], page=2)
    rendered = []
    real = views._rows_html

    def counting(today):
        render = real(today)

        def wrapped(ids):
            rendered.append(list(ids))
            return render(ids)

        return wrapped

    monkeypatch.setattr(views, "_rows_html", counting)
    reported = Task.objects.get(pk=first["rows"][0][0])
    progress_submit(
        task=reported,
        unit=reported.lead_unit,
        period=datetime.date(2023, 7, 1),
        by=_reporter(world, reported),
        text="七月完成路基施工",
        milestones_reached={},
        uploads=[],
    )
    passes = []
    monkeypatch.setattr(list_cache, "_filter_options", lambda v: passes.append(v) or [])
    after_first, after_second = figures(clients[0]), figures(clients[0], page=2)
    assert rendered == [[row[0] for row in first["rows"]]]  # page 1 only: page 2 kept
    assert after_second == second
    assert after_first["rows"][0][3] == "七月完成路基施工"
    assert not passes  # the choices kept
    statuses = list_cache.figures_cache.get(list_cache.statuses_key(world.campaign, clock.today()))
    assert statuses.base != statuses.marker and set(statuses.touched) == {reported.pk}
    assert Milestone.objects.filter(task=reported).exists()
