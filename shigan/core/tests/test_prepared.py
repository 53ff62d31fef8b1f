"""core.prepared: a statement compiled once per process gives, for every argument, the same rows
as the ORM's own queryset (model instances with select_related and annotations, prefetches,
value lists, counts), compiles nothing on later calls, and refuses an argument that is not one
parameter of the statement (it would be served for every value)."""

import pytest
from django.db.models import Exists, OuterRef
from django.db.models.sql.compiler import SQLCompiler

from shigan.core import prepared
from shigan.orgs.models import LeadingGroupMember, Person
from shigan.tasks.models import Milestone, Task


@pytest.fixture(autouse=True)
def _fresh():
    prepared.clear()
    yield
    prepared.clear()


def _people(user_pk):
    seats = LeadingGroupMember.objects.filter(person=OuterRef("pk"))
    people = Person.objects.select_related("unit__district").annotate(seats=Exists(seats))
    return people.filter(user_id=user_pk).order_by("pk")


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_same_instances_as_the_orm_for_each_argument(world):
    for user in (world.coordinator, world.reporter_a, world.reporter_b, world.leader):
        [mine] = prepared.rows(("test_people",), _people, user.pk)
        [orm] = list(_people(user.pk))
        assert mine.pk == orm.pk and _fields(mine) == _fields(orm)
        assert mine.seats == orm.seats
        # select_related: the unit and its district are there, read in the same statement
        assert _fields(mine.unit) == _fields(orm.unit)
        assert mine.unit.district_id == orm.unit.district_id
        assert "unit" in mine._state.fields_cache
    assert prepared.rows(("test_people",), _people, -1) == []


def test_prefetches_value_lists_and_counts(world, django_assert_num_queries):
    def tasks_with_milestones(campaign_pk):
        return Task.objects.filter(campaign_id=campaign_pk).prefetch_related("milestones")

    mine = prepared.rows(("test_tasks",), tasks_with_milestones, world.campaign.pk)
    orm = list(tasks_with_milestones(world.campaign.pk))
    assert [t.pk for t in mine] == [t.pk for t in orm] and len(mine) >= 2
    with django_assert_num_queries(0):  # prefetched with them
        assert [list(t.milestones.all()) for t in mine] == [list(t.milestones.all()) for t in orm]

    def titles(task_pk):
        return Milestone.objects.filter(task_id=task_pk).values_list("title", flat=True)

    for task in orm:
        assert prepared.rows(("test_titles",), titles, task.pk) == list(titles(task.pk))
        assert prepared.count(("test_titles",), titles, task.pk) == titles(task.pk).count()


def test_compiled_once_then_only_run(world, monkeypatch, django_assert_num_queries):
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    prepared.rows(("test_people",), _people, world.coordinator.pk)
    assert compiled  # the first call compiles
    compiled.clear()
    with django_assert_num_queries(1):
        [found] = prepared.rows(("test_people",), _people, world.reporter_a.pk)
    assert found.user_id == world.reporter_a.pk
    assert compiled == []  # later calls, whatever the argument, only run it


def test_an_argument_written_into_the_statement_is_refused(world):
    def inlined(pk):
        return Task.objects.extra(where=[f"tasks_task.id <> {int(pk)}"]).filter(pk=pk)

    with pytest.raises(ValueError, match="argument 0"):
        prepared.rows(("test_inlined",), inlined, world.task_a.pk)
