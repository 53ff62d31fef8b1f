"""REVIEW (issue 17, reviewer r): defects found on the demo, each pinned as a strict xfail.

Each test states what should happen; it is marked xfail(strict=True) because the code does not
do it yet. Whoever fixes a defect removes its mark (a strict xfail that starts passing fails the
run, so the fix cannot go unnoticed)."""

import datetime

import pytest
from django.urls import reverse

from shigan.directives.services import directive_create, handdown_create, handdown_return
from shigan.directives.tests.factories import build_county

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def county(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_county()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def _handed(county):
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕12号",
        title="关于深化实干年活动的通知", issued_on=TODAY, points=["一、优化营商环境"],
    )  # fmt: skip
    handdown_create(
        by=county.coordinator, upper_task=county.upper_task, point=directive.points.first(),
        units=[d.unit for d in county.districts], today=TODAY,
    )  # fmt: skip
    return directive


@pytest.mark.xfail(strict=True, reason="REVIEW r#1: directive page links a district to a 404")
def test_directive_page_links_a_district_only_to_pages_it_opens(county, client_for):
    directive = _handed(county)
    c = client_for(county.districts[0].coordinator)
    page = c.get(reverse("directives:directive_detail", args=[directive.pk])).content.decode()
    upper = reverse("directives:upper_task", args=[county.upper_task.pk])
    assert c.get(upper).status_code == 404  # the district does not read the upper task page
    assert f'href="{upper}"' not in page


@pytest.mark.xfail(strict=True, reason="REVIEW r#3: a district reads its sibling's hand-down")
def test_district_does_not_read_its_siblings_handdown_on_the_directive(county, client_for):
    directive = _handed(county)
    first, second = county.districts
    theirs = county.upper_task.handdowns.get(unit=second.unit)
    handdown_return(by=second.coordinator, handdown=theirs, reason="不属于本区职责R3", today=TODAY)
    c = client_for(first.coordinator)
    page = c.get(reverse("directives:directive_detail", args=[directive.pk])).content.decode()
    assert "不属于本区职责R3" not in page and second.unit.name not in page
