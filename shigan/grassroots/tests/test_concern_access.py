"""grassroots.access for concerns and visits, persona by persona."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.grassroots.access import (
    can_handle_concern,
    can_manage_concern_categories,
    can_record_concerns,
    can_record_visits,
    concern_categories_visible_to,
    concerns_visible_to,
    get_concern_category_for_user,
    get_concern_for_user,
    get_visit_for_user,
    get_visit_photo_for_user,
    visits_visible_to,
)
from shigan.grassroots.models import Concern, ConcernCategory, Visit

from .concern_helpers import category, concern
from .visit_helpers import visit

pytestmark = pytest.mark.django_db


def test_who_records_and_handles(world):
    a = concern(world, unit="a")
    assert [can_record_concerns(u) for u in world.users().values()] == [
        True,
        False,
        False,
        False,
        False,
    ]
    assert [can_manage_concern_categories(u) for u in world.users().values()] == [True] + [
        False
    ] * 4
    assert [can_record_visits(u) for u in world.users().values()] == [
        True,
        False,
        True,
        True,
        False,
    ]
    handles = {n: can_handle_concern(u, a) for n, u in world.users().items()}
    assert handles == {"coordinator": True, "leader": False, "reporter_a": True,
                       "reporter_b": False, "inspector": False}  # fmt: skip


def test_concerns_visible_by_assigned_unit_or_visit_unit(world):
    a, b, none = concern(world, unit="a"), concern(world, unit="b"), concern(world, unit=None)
    from_b_visit = concern(world, unit="a")
    Concern.objects.filter(pk=from_b_visit.pk).update(visit=visit(world, unit=world.unit_b))
    seen = {n: set(concerns_visible_to(u, Concern.objects.all())) for n, u in world.users().items()}
    assert seen["coordinator"] == seen["inspector"] == {a, b, none, from_b_visit}
    assert seen["leader"] == seen["reporter_a"] == {a, from_b_visit}
    assert seen["reporter_b"] == {b, from_b_visit}


def test_get_concern_404_outside_403_read_only(world):
    a = concern(world, unit="a")
    with pytest.raises(Http404):
        get_concern_for_user(world.reporter_b, a.pk)
    with pytest.raises(PermissionDenied):
        get_concern_for_user(world.leader, a.pk, write=True)
    assert get_concern_for_user(world.reporter_a, a.pk, write=True) == a


def test_visits_and_photos_by_unit(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    v = visit(world, unit=world.unit_a, photo=True)
    assert set(visits_visible_to(world.leader, Visit.objects.all())) == {v}
    assert not visits_visible_to(world.reporter_b, Visit.objects.all()).exists()
    assert get_visit_for_user(world.inspector, v.pk) == v
    with pytest.raises(Http404):
        get_visit_for_user(world.reporter_b, v.pk)
    photo = v.photos.get()
    assert get_visit_photo_for_user(world.reporter_a, photo.pk) == photo
    with pytest.raises(Http404):
        get_visit_photo_for_user(world.reporter_b, photo.pk)


def test_categories_of_the_district_for_coordinators(world):
    c = category(world)
    assert list(concern_categories_visible_to(world.reporter_b, ConcernCategory.objects.all())) == [
        c
    ]
    assert get_concern_category_for_user(world.coordinator, c.pk) == c
    with pytest.raises(PermissionDenied):
        get_concern_category_for_user(world.inspector, c.pk)


def test_due_date_is_computed_not_typed(world):
    c = concern(world, received=datetime.date(2023, 9, 28), days=5)
    assert c.due_on == datetime.date(2023, 10, 11)
