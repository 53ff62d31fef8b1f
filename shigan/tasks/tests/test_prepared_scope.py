"""The task page's task and the campaign pickers' campaigns are read by statements compiled once
per viewer's scope and process (tasks.access.statement_scope, core.prepared; issue 18). Nothing
is kept but the statement: a change of what decides which tasks someone reads — his unit, his
oversight, his role — is read on his next request, as it was when the ORM built the statement
each time."""

from django.contrib.auth import get_user_model

from shigan.orgs.models import Oversight, Person, Role, Unit, UnitKind
from shigan.tasks.queries import campaign_choices


def fresh(user):
    """The account as the next request loads it (nothing remembered on the object)."""
    return get_user_model().objects.get(pk=user.pk)


def status(client_for, user, task) -> int:
    return client_for(fresh(user)).get(f"/tasks/{task.pk}/").status_code


def test_a_reporter_moved_to_another_unit_reads_its_tasks_only(world, client_for):
    assert status(client_for, world.reporter_a, world.task_a) == 200
    assert status(client_for, world.reporter_a, world.task_b) == 404
    Person.objects.filter(user=world.reporter_a).update(unit=world.unit_b)
    assert status(client_for, world.reporter_a, world.task_a) == 404
    assert status(client_for, world.reporter_a, world.task_b) == 200


def test_a_leaders_new_oversight_opens_the_units_tasks(world, client_for):
    # task_b: not of a unit he oversees (unit_a), not his as leader
    assert status(client_for, world.leader, world.task_b) == 404
    Oversight.objects.create(leader=world.leader_person, unit=world.unit_b)
    assert status(client_for, world.leader, world.task_b) == 200
    Oversight.objects.filter(leader=world.leader_person, unit=world.unit_b).delete()
    assert status(client_for, world.leader, world.task_b) == 404


def test_a_role_taken_away_closes_the_page_and_the_pickers(world, client_for):
    assert status(client_for, world.inspector, world.task_b) == 200
    assert campaign_choices(fresh(world.inspector)) == [world.campaign]
    Person.objects.filter(user=world.inspector).update(role="")
    assert status(client_for, world.inspector, world.task_b) == 404
    assert campaign_choices(fresh(world.inspector)) == []
    Person.objects.filter(user=world.inspector).update(role=Role.REPORTER, unit=world.unit_b)
    assert status(client_for, world.inspector, world.task_a) == 404
    assert status(client_for, world.inspector, world.task_b) == 200


def test_the_pickers_follow_the_units_a_reporter_reads(world):
    assert campaign_choices(fresh(world.reporter_b)) == [world.campaign]
    idle = Unit.objects.create(name="区档案馆", kind=UnitKind.BUREAU, parent=world.district)
    Person.objects.filter(user=world.reporter_b).update(unit=idle)
    assert campaign_choices(fresh(world.reporter_b)) == []
    Person.objects.filter(user=world.reporter_b).update(unit=world.unit_b)
    assert campaign_choices(fresh(world.reporter_b)) == [world.campaign]


def test_a_task_id_that_is_no_number_or_no_task_is_missing(world, client_for):
    client = client_for(world.coordinator)
    assert client.get("/tasks/999999/").status_code == 404
    assert client.get(f"/tasks/{world.task_a.pk}/").status_code == 200
