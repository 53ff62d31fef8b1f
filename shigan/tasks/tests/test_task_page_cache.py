"""What the task page keeps between requests (issue 18) and that it shows every write at once:
the change request form's fields, rendered once per process while unbound (never a form with
its messages), and the chain's remembered hashes (shigan.core.chain) — after each kind of write
the page shows it and verifies, and a record changed behind the app's back is still named."""

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string

from shigan.core import chain
from shigan.core.models import AuditEntry
from shigan.tasks.forms.changes import ChangeRequestForm
from shigan.tasks.models import ChangeKind, Milestone, ProgressReport, Task
from shigan.tasks.services.changes import change_request_create
from shigan.tasks.services.progress import progress_submit
from shigan.tasks.services.tasks import MilestoneInput, task_save
from shigan.tasks.views import tasks as views

JULY = datetime.date(2023, 7, 1)
FIELDS = "tasks/_change_request_fields.html"
TAMPERED = 'data-warning="tampered"'


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch):
    monkeypatch.setattr(views, "_UNBOUND_CHANGE_FIELDS", [])
    chain.memo_clear()
    yield
    chain.memo_clear()


def url(task):
    return f"/tasks/{task.pk}/"


def rendered(response) -> list[str]:
    return [t.name for t in response.templates]


def test_the_unbound_form_fields_are_rendered_once_and_are_a_fresh_forms(world, client_for):
    c = client_for(world.reporter_a)
    first = c.get(url(world.task_a))
    assert FIELDS in rendered(first)
    again = c.get(url(world.task_a))
    assert FIELDS not in rendered(again)
    fresh = render_to_string(FIELDS, {"change_form": ChangeRequestForm(task=world.task_b)})
    assert 'name="reason"' in fresh
    for page in (first, again, client_for(world.reporter_b).get(url(world.task_b))):
        assert fresh in page.content.decode()


def _bad_request(c, task):
    """A change request without its reason: the page again, with the form's message."""
    return c.post(f"/tasks/{task.pk}/request/", {"kind": ChangeKind.EXTEND, "reason": ""})


@pytest.mark.parametrize("shown_before", [False, True])
def test_a_form_with_its_messages_is_never_the_kept_one(world, client_for, shown_before):
    c = client_for(world.reporter_a)
    if shown_before:
        assert "请填写申请理由。" not in c.get(url(world.task_a)).content.decode()
    bad = _bad_request(c, world.task_a).content.decode()
    assert "请填写申请理由。" in bad
    assert re.search(r'value="extend"[^>]*checked', bad)  # the choice made, kept
    after = c.get(url(world.task_a)).content.decode()
    assert "请填写申请理由。" not in after and "checked" not in after


def _file(world):
    progress_submit(
        task=world.task_a, unit=world.unit_a, period=JULY, by=world.reporter_a,
        text="七月完成路基3公里", milestones_reached={}, uploads=[],
    )  # fmt: skip
    return "七月完成路基3公里"


def _correct(world):
    _file(world)
    progress_submit(
        task=world.task_a, unit=world.unit_a, period=JULY, by=world.reporter_a,
        text="七月完成路基4公里", milestones_reached={}, uploads=[],
        corrects=ProgressReport.objects.get(task=world.task_a), reason="数字写错",
    )  # fmt: skip
    return "数字写错"


def _edit(world, *, title=None, milestone_title=None):
    task = Task.objects.get(pk=world.task_a.pk)
    milestones = [
        MilestoneInput(title=m.title, due_date=m.due_date, milestone=m)
        for m in Milestone.objects.filter(task=task).order_by("due_date")
    ]
    if milestone_title:
        last = milestones[-1]
        milestones[-1] = MilestoneInput(milestone_title, last.due_date, last.milestone)
    task_save(
        task=task, by=world.coordinator, campaign=task.campaign, category=task.category,
        number=task.number, title=title or task.title, target=task.target,
        lead_unit=task.lead_unit, supporting_units=list(task.supporting_units.all()),
        leader=task.leader, start_date=task.start_date, due_date=task.due_date,
        milestones=milestones,
    )  # fmt: skip


def _milestone(world):
    _edit(world, milestone_title="完成整体方案（修订）")
    return "完成整体方案（修订）"


def _task(world):
    _edit(world, title="兴业大道建设（一期）")
    return "兴业大道建设（一期）"


def _request(world):
    change_request_create(
        task=world.task_a, by=world.reporter_a, kind=ChangeKind.EXTEND, reason="汛期停工",
        proposed_due_date=datetime.date(2024, 3, 31),
    )  # fmt: skip
    return "汛期停工"


def _sql(statement: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.parametrize("write", [_file, _correct, _milestone, _task, _request])
def test_each_write_shows_at_once_verifies_and_a_tamper_after_it_is_named(world, client_for, write):
    c = client_for(world.coordinator)
    if write is _milestone:
        _file(world)  # a report whose hashes are remembered
    before = c.get(url(world.task_a)).content.decode()
    assert TAMPERED not in before
    shown = write(world)
    after = c.get(url(world.task_a)).content.decode()
    assert shown in after and shown not in before
    assert TAMPERED not in after
    # what the page verified (and remembered) changed behind the app's back: named
    newest = AuditEntry.objects.filter(task_id=world.task_a.pk).order_by("-id").first()
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    _sql(f"UPDATE {table} SET note = %s WHERE id = %s", [newest.note + "改", newest.pk])
    tampered = c.get(url(world.task_a)).content.decode()
    assert TAMPERED in tampered and f"操作记录 #{newest.pk} 被改动" in tampered
