"""The scope primitive (orgs.scope) and the set-up rule (orgs.access), persona by persona.

The leader oversees unit A (and so its sub-units), reporter_a files for unit A, reporter_b for
unit B; an account with no role, with or without a Person, reads nothing; a superuser is a
coordinator."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from shigan.orgs.access import can_manage_setup
from shigan.orgs.models import Oversight, Person, Role, Unit, UnitKind
from shigan.orgs.scope import (
    district_id_of,
    district_people,
    district_scope_ids,
    district_units,
    get_visible,
    has_role,
    is_coordinator,
    is_inspector,
    is_leader,
    is_reporter,
    overseen_unit_ids,
    own_unit_id,
    person_of,
    reads_everything,
    reportable_unit,
    role_of,
    subtree_ids,
    visible_unit_ids,
    within_district,
    within_units,
)
from shigan.tasks.models import Task
from shigan.tests.personas import all_personas, answers, only


@pytest.fixture
def users(world):
    return all_personas(world)


def fresh(user):
    """The same account without the scope cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


def test_person_of(world, users):
    assert answers(users, lambda u: person_of(u) and person_of(u).name) == {
        "anonymous": None,
        "coordinator": "周专班",
        "leader": "李副区长",
        "reporter_a": "王填报",
        "reporter_b": "赵填报",
        "inspector": "钱督查",
        "no_role": None,
        "roleless_person": "无角色",
    }


def test_person_of_is_cached_on_the_user(world, django_assert_num_queries):
    user = fresh(world.reporter_a)
    person_of(user)
    with django_assert_num_queries(0):
        assert person_of(user).unit == world.unit_a


def test_role_of(users):
    assert answers(users, role_of) == {
        "anonymous": None,
        "coordinator": Role.COORDINATOR,
        "leader": Role.LEADER,
        "reporter_a": Role.REPORTER,
        "reporter_b": Role.REPORTER,
        "inspector": Role.INSPECTOR,
        "no_role": None,
        "roleless_person": None,
    }


def test_a_superuser_is_a_coordinator_without_a_person(db):
    admin = get_user_model().objects.create_superuser(username="root", password="x")
    assert role_of(admin) == Role.COORDINATOR
    assert is_coordinator(admin) and has_role(admin) and reads_everything(admin)
    assert can_manage_setup(admin)
    assert visible_unit_ids(admin) is None


def test_has_role(users):
    assert answers(users, has_role) == only(
        "coordinator", "leader", "reporter_a", "reporter_b", "inspector"
    )


@pytest.mark.parametrize(
    "predicate, personas",
    [
        (is_coordinator, ["coordinator"]),
        (is_leader, ["leader"]),
        (is_reporter, ["reporter_a", "reporter_b"]),
        (is_inspector, ["inspector"]),
        (reads_everything, ["coordinator", "inspector"]),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_role_predicates(users, predicate, personas):
    assert answers(users, predicate) == only(*personas)


def test_subtree_ids(world):
    street = Unit.objects.create(name="城关街道", kind=UnitKind.OFFICE, parent=world.unit_a)
    village = Unit.objects.create(name="清凉村", kind=UnitKind.VILLAGE, parent=street)
    assert subtree_ids([world.unit_a.pk]) == {world.unit_a.pk, street.pk, village.pk}
    assert subtree_ids([street.pk, world.unit_b.pk]) == {street.pk, village.pk, world.unit_b.pk}
    assert subtree_ids([]) == set()


def test_overseen_unit_ids(world, users):
    a = world.unit_a.pk
    assert answers(users, overseen_unit_ids) == only("leader", yes={a}, no=set())


def test_overseen_unit_ids_include_sub_units_and_every_oversight(world):
    street = Unit.objects.create(name="城关街道", kind=UnitKind.OFFICE, parent=world.unit_a)
    assert overseen_unit_ids(fresh(world.leader)) == {world.unit_a.pk, street.pk}
    Oversight.objects.create(leader=world.leader_person, unit=world.unit_b)
    expected = {world.unit_a.pk, street.pk, world.unit_b.pk}
    assert overseen_unit_ids(fresh(world.leader)) == expected


def _other_district():
    """A second district (its own 党委政府) with a unit and a person: nobody of the world's
    district reads it."""
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    station = Unit.objects.create(name="区水务局", kind=UnitKind.BUREAU, parent=other)
    Person.objects.create(name="乙县人员", unit=station)
    return other, station


def test_visible_unit_ids(world, users):
    _other_district()
    a, b = world.unit_a.pk, world.unit_b.pk
    district = {world.district.pk, world.unit_a.pk, world.unit_b.pk}
    district |= set(Unit.objects.filter(name="区作风专班").values_list("pk", flat=True))
    assert answers(users, visible_unit_ids) == {
        "anonymous": set(),
        "coordinator": district,
        "leader": {a},
        "reporter_a": {a},
        "reporter_b": {b},
        "inspector": district,
        "no_role": set(),
        "roleless_person": set(),
    }


def test_a_reporter_reads_his_unit_not_its_sub_units(world):
    """Leaders read the units they oversee with their sub-units; a reporter his own unit."""
    Unit.objects.create(name="城关街道", kind=UnitKind.OFFICE, parent=world.unit_a)
    assert visible_unit_ids(fresh(world.reporter_a)) == {world.unit_a.pk}
    assert len(visible_unit_ids(fresh(world.leader))) == 2


def test_own_unit_id(world, users):
    assert answers(users, own_unit_id) == {
        **only(no=None),
        "reporter_a": world.unit_a.pk,
        "reporter_b": world.unit_b.pk,
    }


def test_reportable_unit(world, users):
    assert answers(users, reportable_unit) == {
        **only(no=None),
        "reporter_a": world.unit_a,
        "reporter_b": world.unit_b,
    }


def test_within_units(world, users):
    """By the field's unit only: unlike tasks_visible_to, a leader's own task in unit B is not
    within his units."""
    world.task_b.leader = world.leader_person
    world.task_b.save()

    def titles(user):
        return set(
            within_units(user, Task.objects.all(), "lead_unit_id").values_list("title", flat=True)
        )

    a, b = world.task_a.title, world.task_b.title
    assert answers(users, titles) == {
        "anonymous": set(),
        "coordinator": {a, b},
        "leader": {a},
        "reporter_a": {a},
        "reporter_b": {b},
        "inspector": {a, b},
        "no_role": set(),
        "roleless_person": set(),
    }


def test_get_visible(world):
    visible = Task.objects.filter(lead_unit=world.unit_a)
    assert get_visible(visible, world.task_a.pk, "不存在") == world.task_a
    for pk in [world.task_b.pk, 987654, "abc", None]:
        with pytest.raises(Http404, match="不存在"):
            get_visible(visible, pk, "不存在")


def test_can_manage_setup(world, users):
    assert answers(users, can_manage_setup) == only("coordinator")
    assert not can_manage_setup(AnonymousUser())


def test_an_inactive_coordinator_manages_nothing(world):
    coordinator = fresh(world.coordinator)
    coordinator.is_active = False
    assert is_coordinator(coordinator)
    assert not can_manage_setup(coordinator)


def test_district_id_of(world, users):
    with_person = ["coordinator", "leader", "reporter_a", "reporter_b", "inspector"]
    assert answers(users, district_id_of) == only(
        *with_person, "roleless_person", yes=world.district.pk, no=None
    )


def test_the_district_scope_is_the_district_and_below_it(world, users):
    other, _ = _other_district()
    town = Unit.objects.create(name="城关镇", kind=UnitKind.TOWNSHIP, parent=world.unit_a)
    village = Unit.objects.create(name="城关村", kind=UnitKind.VILLAGE, parent=town)
    scope = district_scope_ids(fresh(world.coordinator))
    assert {world.district.pk, town.pk, village.pk} <= scope and other.pk not in scope
    assert district_scope_ids(fresh(world.reporter_b)) == scope  # campaign-wide reads
    assert district_scope_ids(AnonymousUser()) == set()
    operator = get_user_model().objects.create_superuser("operator", password="x" * 12)
    assert district_scope_ids(operator) is None


def test_within_district_keeps_records_of_the_users_district(world, users):
    other, station = _other_district()
    units = Unit.objects.all()
    names = answers(
        users, lambda u: set(within_district(u, units, "id").values_list("name", flat=True))
    )
    assert "区水务局" in names["coordinator"] and "乙县党委政府" not in names["coordinator"]
    assert Unit.objects.filter(name="区水务局").count() == 2
    kept = within_district(fresh(world.coordinator), units.filter(name="区水务局"), "id")
    assert list(kept) == [world.unit_b]
    assert names["no_role"] == set() and names["anonymous"] == set()
    assert station.pk not in set(
        within_district(fresh(world.inspector), units, "id").values_list("pk", flat=True)
    )


def test_district_units_and_people(world, users):
    _other_district()
    units = answers(users, lambda u: sorted(district_units(u).values_list("name", flat=True)))
    assert units["coordinator"] == sorted(["示范区党委政府", "区作风专班", "区交通局", "区水务局"])
    assert units["reporter_b"] == units["coordinator"] and units["anonymous"] == []
    people = answers(users, lambda u: set(district_people(u).values_list("name", flat=True)))
    assert "乙县人员" not in people["coordinator"] and "王填报" in people["coordinator"]
    assert people["no_role"] == set()
