"""reports.access persona by persona: the summary report is read by coordinators, inspectors and
the campaign's leading-group members (not other leaders, not reporters), its narrative written by
coordinators; a figure's source is linked only where the viewer may open it."""

import pytest

from shigan.reports.access import (
    can_generate_report,
    can_read_report,
    can_write_narrative,
    links_openable_by,
)
from shigan.tests.personas import all_personas, answers, only

from .test_report_readers import seat_in_leading_group


@pytest.fixture
def users(world):
    return all_personas(world)


def test_can_generate_report(users):
    assert answers(users, can_generate_report) == only("coordinator", "inspector")


def test_can_read_report(world, users):
    read = answers(users, lambda u: can_read_report(u, world.campaign))
    assert read == only("coordinator", "inspector")


def test_leading_group_members_read_the_report(world, users):
    seat_in_leading_group(world.campaign, world.leader_person)
    users = all_personas(world)
    assert answers(users, can_generate_report) == only("coordinator", "leader", "inspector")
    read = answers(users, lambda u: can_read_report(u, world.campaign))
    assert read == only("coordinator", "leader", "inspector")


def test_can_write_narrative(users):
    assert answers(users, can_write_narrative) == only("coordinator")


def test_links_openable_by(world, users):
    """Coordinators every link; the others the pages every role reads and the records within
    their scope, never an admin page; an account with no role none; an unknown page nobody
    but a coordinator."""
    task_a, task_b = f"/tasks/{world.task_a.pk}/", f"/tasks/{world.task_b.pk}/"
    plan = f"/campaigns/{world.campaign.pk}/"
    admin = f"/admin/tasks/task/{world.task_a.pk}/change/"
    urls = [task_a, task_b, plan, "/meetings/", admin, "/nowhere/", ""]
    common = {plan, "/meetings/"}
    assert answers(users, lambda u: links_openable_by(u, urls)) == {
        **only(no=set()),
        "coordinator": {task_a, task_b, plan, "/meetings/", admin, "/nowhere/"},
        "inspector": common | {task_a, task_b},
        "leader": common | {task_a},
        "reporter_a": common | {task_a},
        "reporter_b": common | {task_b},
    }


def test_a_leading_group_member_opens_every_list_task_of_the_campaign(world):
    task_a, task_b = f"/tasks/{world.task_a.pk}/", f"/tasks/{world.task_b.pk}/"
    assert links_openable_by(world.leader, [task_a, task_b]) == {task_a}
    seat_in_leading_group(world.campaign, world.leader_person)
    users = all_personas(world)
    assert links_openable_by(users["leader"], [task_a, task_b]) == {task_a, task_b}
