"""The efficiency page's and the concern list's unit filters list the units whose concerns the
user reads (the access module's scope), not every unit of the district."""

import pytest
from django.urls import reverse

from .concern_helpers import concern

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def _choices(client_for, user, **params):
    response = client_for(user).get(reverse("grassroots:efficiency"), params)
    assert response.status_code == 200
    field = response.context["filter_form"].fields["unit"]
    return set(field.queryset.values_list("name", flat=True)), response


def test_a_reporter_is_offered_only_his_own_unit(world, client_for):
    names, _ = _choices(client_for, world.reporter_a)
    assert names == {world.unit_a.name}


def test_a_leader_is_offered_the_units_he_oversees_a_coordinator_the_district(world, client_for):
    leader_names, _ = _choices(client_for, world.leader)
    assert world.unit_a.name in leader_names and world.unit_b.name not in leader_names
    district, _ = _choices(client_for, world.coordinator)
    assert {world.unit_a.name, world.unit_b.name, world.district.name} <= district


def test_another_units_id_in_the_address_is_ignored_for_a_reporter(world, client_for):
    concern(world, unit="a")
    concern(world, unit="b")
    _, response = _choices(client_for, world.reporter_a, unit=world.unit_b.pk)
    page = response.content.decode()
    assert world.unit_b.name not in page
    assert response.context["figures"].received == 1


def test_the_concern_lists_unit_filter_offers_the_same_units(world, client_for):
    response = client_for(world.reporter_a).get(reverse("grassroots:concern_list"))
    field = response.context["filter_form"].fields["unit"]
    assert list(field.queryset) == [world.unit_a]
    response = client_for(world.coordinator).get(reverse("grassroots:concern_list"))
    assert world.unit_b in response.context["filter_form"].fields["unit"].queryset
