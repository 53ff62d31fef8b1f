"""directives.access, function by function, across a county, its districts and another county."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.directives import access
from shigan.directives.models import Directive, HandDown
from shigan.directives.services import directive_create, handdown_create
from shigan.directives.tests.factories import build_county, child_task
from shigan.tasks.models import Task

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def two(db):
    county = build_county()
    other = build_county(1, name="邻县", prefix="other")
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕1号", title="通知",
        issued_on=TODAY, points=["一"],
    )  # fmt: skip
    handdown_create(by=county.coordinator, upper_task=county.upper_task,
                    units=[county.districts[0].unit], point=directive.points.get(), today=TODAY)  # fmt: skip
    return county, other, directive


def test_who_reads_and_manages_directives(two, world):
    county, other, directive = two
    assert access.can_read_directives(county.inspector) and access.can_read_directives(
        world.coordinator
    )
    assert not access.can_read_directives(world.reporter_a)
    assert not access.can_read_directives(world.leader)
    assert access.can_manage_directives(county.coordinator)
    assert not access.can_manage_directives(county.inspector)


def test_issuer_choices_are_the_coordinators_party_and_office_units(two):
    county, other, _ = two
    assert set(access.issuer_choices(county.coordinator)) == {county.unit, county.office}
    assert not access.issuer_choices(county.inspector).exists()


def test_directives_visible_to_issuing_county_and_receiving_district_only(two):
    county, other, directive = two
    first, second = county.districts
    all_ = Directive.objects.all()
    assert list(access.directives_visible_to(county.inspector, all_)) == [directive]
    assert list(access.directives_visible_to(first.coordinator, all_)) == [directive]
    assert not access.directives_visible_to(second.coordinator, all_).exists()
    assert not access.directives_visible_to(other.coordinator, all_).exists()


def test_get_directive_for_user_404_outside_403_on_write_below(two):
    county, other, directive = two
    with pytest.raises(Http404):
        access.get_directive_for_user(other.coordinator, directive.pk)
    with pytest.raises(PermissionDenied):
        access.get_directive_for_user(county.districts[0].coordinator, directive.pk, write=True)
    assert access.get_directive_for_user(county.coordinator, directive.pk, write=True) == directive
    assert access.can_hand_down_directive(county.coordinator, directive)
    assert not access.can_hand_down_directive(county.inspector, directive)


def test_get_file_for_user_is_404_for_another_county(two):
    county, other, directive = two
    with pytest.raises(Http404):
        access.get_file_for_user(other.coordinator, 1)


def test_subordinate_districts_are_the_party_units_directly_below(two):
    county, other, _ = two
    assert list(access.subordinate_districts(county.coordinator)) == [
        d.unit for d in county.districts
    ]
    assert not access.subordinate_districts(county.districts[0].coordinator).exists()
    assert not access.subordinate_districts(county.inspector).exists()


def test_own_campaigns_and_tasks_are_the_levels_own(two):
    county, _, _ = two
    first = county.districts[0]
    assert list(access.own_campaigns(county.coordinator)) == [county.campaign]
    assert list(access.own_campaigns(first.coordinator)) == [first.campaign]
    assert list(access.own_active_tasks(county.coordinator)) == [county.upper_task]
    assert access.can_hand_down(county.coordinator, county.upper_task)
    assert not access.can_hand_down(first.coordinator, county.upper_task)


def test_get_upper_task_for_user(two):
    county, other, _ = two
    assert access.get_upper_task_for_user(county.coordinator, county.upper_task.pk)
    with pytest.raises(Http404):
        access.get_upper_task_for_user(county.coordinator, other.upper_task.pk)
    with pytest.raises(PermissionDenied):
        access.get_upper_task_for_user(county.inspector, county.upper_task.pk)


def test_hand_downs_received_visible_and_answered(two):
    county, other, _ = two
    first, second = county.districts
    handdown = HandDown.objects.get()
    everything = HandDown.objects.all()
    assert list(access.handdowns_received(first.coordinator, everything)) == [handdown]
    assert not access.handdowns_received(county.coordinator, everything).exists()
    assert list(access.handdowns_visible_to(county.inspector, everything)) == [handdown]
    assert not access.handdowns_visible_to(second.coordinator, everything).exists()
    assert access.get_handdown_to_answer(first.coordinator, handdown.pk) == handdown
    with pytest.raises(PermissionDenied):
        access.get_handdown_to_answer(county.coordinator, handdown.pk)
    with pytest.raises(Http404):
        access.get_handdown_to_answer(other.coordinator, handdown.pk)
    assert access.pending_count(first.coordinator) == 1
    assert access.pending_count(second.coordinator) == 0


def test_linkable_tasks_are_the_receivers_own_unlinked_ones(two):
    county, _, _ = two
    first, second = county.districts
    handdown = HandDown.objects.get()
    linked = child_task(first, county.upper_task, title="已关联")
    free = child_task(first, county.upper_task, title="未关联")
    Task.objects.filter(pk=free.pk).update(upper_task=None)
    assert list(access.linkable_tasks(first.coordinator, handdown)) == [free]
    assert linked not in access.linkable_tasks(first.coordinator, handdown)
    assert not access.linkable_tasks(second.coordinator, handdown).exists()
