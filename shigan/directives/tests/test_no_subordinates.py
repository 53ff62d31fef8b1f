"""A level with no 党委政府 unit below it (a district) is not offered the hand-down: no 交办下级
button, and the hand-down page explains why and what to do instead (a POST saves nothing)."""

import datetime

import pytest
from django.urls import reverse

from shigan.directives.access import NO_SUBORDINATES, has_subordinates
from shigan.directives.models import Directive, HandDown
from shigan.directives.services import directive_create
from shigan.directives.tests.factories import build_county
from shigan.tasks.models import Task
from shigan.testing import make_task

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def county(db, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_county()


def _district_directive(district):
    return directive_create(
        by=district.coordinator, issuer=district.unit, number="区委发〔2023〕3号", title="区通知",
        issued_on=TODAY, points=["一、区里的要求"],
    )  # fmt: skip


def test_has_subordinates_is_true_for_the_county_false_for_a_district(county):
    assert has_subordinates(county.coordinator)
    assert not has_subordinates(county.districts[0].coordinator)


def test_district_hand_down_page_explains_instead_of_the_form(county, client_for):
    district = county.districts[0]
    response = client_for(district.coordinator).get(reverse("directives:handdown_create"))
    page = response.content.decode()
    assert response.status_code == 200
    assert NO_SUBORDINATES in page and "新建本级任务" in page
    assert "承接的区（县）" not in page and 'name="units"' not in page


def test_district_hand_down_post_is_refused_with_the_message_nothing_written(county, client_for):
    district = county.districts[0]
    task = make_task(
        campaign=district.campaign,
        category=district.category,
        unit=district.bureau,
        title="区级任务",
    )
    tasks_before = Task.objects.count()
    response = client_for(district.coordinator).post(
        reverse("directives:handdown_create"), {"task": task.pk, "units": [district.unit.pk]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert NO_SUBORDINATES in page and "不在可用的选项中" not in page
    assert not HandDown.objects.exists() and Task.objects.count() == tasks_before


def test_district_pages_show_no_hand_down_button(county, client_for):
    district = county.districts[0]
    directive = _district_directive(district)
    task = make_task(
        campaign=district.campaign,
        category=district.category,
        unit=district.bureau,
        title="区级任务",
    )
    c = client_for(district.coordinator)
    detail = c.get(directive.get_absolute_url()).content.decode()
    upper = c.get(reverse("directives:upper_task", args=[task.pk])).content.decode()
    listing = c.get(reverse("directives:directive_list")).content.decode()
    assert "区里的要求" in detail and "交办下级</a>" not in detail
    assert "交办下级</a>" not in upper and "交办本级任务" not in listing


def test_county_pages_still_show_the_hand_down_button(county, client_for):
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕12号", title="通知",
        issued_on=TODAY, points=["一、优化营商环境"],
    )  # fmt: skip
    c = client_for(county.coordinator)
    assert "交办下级</a>" in c.get(directive.get_absolute_url()).content.decode()
    upper = reverse("directives:upper_task", args=[county.upper_task.pk])
    assert "交办下级</a>" in c.get(upper).content.decode()
    assert Directive.objects.count() == 1
