from shigan.orgs.models import Unit, UnitKind
from shigan.orgs.scope import subtree_ids
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task


def test_subtree_holds_every_level_below_and_nothing_beside(world):
    street = Unit.objects.create(name="城关街道", kind=UnitKind.OFFICE, parent=world.unit_a)
    village = Unit.objects.create(name="清凉村", kind=UnitKind.VILLAGE, parent=street)
    assert subtree_ids([world.unit_a.pk]) == {world.unit_a.pk, street.pk, village.pk}
    assert world.unit_b.pk not in subtree_ids([world.unit_a.pk])
    assert subtree_ids([]) == set()
    everything = set(Unit.objects.values_list("pk", flat=True))
    assert subtree_ids([world.district.pk]) == everything


def test_reporter_reads_tasks_his_unit_supports(world):
    world.task_b.supporting_units.add(world.unit_a)
    visible = set(tasks_visible_to(world.reporter_a, Task.objects.all()))
    assert visible == {world.task_a, world.task_b}
    assert set(tasks_visible_to(world.reporter_b, Task.objects.all())) == {world.task_b}
