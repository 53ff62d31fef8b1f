"""Every directives model's admin pages (list and change) open for the county's coordinator:
a hand-down's page names its point as text (DirectivePoint has no admin of its own)."""

import datetime

import pytest
from django.urls import reverse

from shigan.directives.models import Directive, HandDown
from shigan.directives.services import directive_create, handdown_create
from shigan.directives.tests.factories import build_county

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def county(db, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())
    settings.MEDIA_ROOT = tmp_path / "media"
    county = build_county()
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕12号",
        title="关于深化实干年活动的通知", issued_on=TODAY, points=["一、优化营商环境"],
    )  # fmt: skip
    handdown_create(
        by=county.coordinator, upper_task=county.upper_task, point=directive.points.first(),
        units=[county.districts[0].unit], today=TODAY,
    )  # fmt: skip
    return county


@pytest.mark.parametrize("model", [Directive, HandDown])
def test_every_directives_admin_page_opens_for_the_county_coordinator(county, client_for, model):
    c = client_for(county.coordinator)
    name = f"admin:directives_{model._meta.model_name}"
    page = c.get(reverse(f"{name}_changelist"))
    assert page.status_code == 200
    record = model.objects.get()
    page = c.get(reverse(f"{name}_change", args=[record.pk]))
    assert page.status_code == 200
    if model is HandDown:
        assert "一、优化营商环境" in page.content.decode()


def test_a_directives_admin_page_names_its_recorder_without_a_link_to_his_account(
    county, client_for
):
    """User accounts are not changed by coordinators (403): the recorder is named as text."""
    c = client_for(county.coordinator)
    directive = Directive.objects.get()
    page = c.get(reverse("admin:directives_directive_change", args=[directive.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "/admin/auth/user/" not in html
    assert "录入人" in html and county.coordinator.person.name in html
