"""Campaign and unit pickers where levels meet (issue 17): a coordinator's WRITE forms offer his
own level's campaigns only (meetings, series, study, supervision), never a district's below
him; READ pickers that mix levels name each campaign's organiser (2023年第1区实干年（第1区）)
and the cockpit's unit filter groups its units by level. A district's pickers are as before."""

import pytest

from shigan.directives.tests.factories import build_county
from shigan.meetings.forms import MeetingForm, SeriesForm, StudySessionForm
from shigan.reports.forms import ReportForm
from shigan.supervision.forms.inspections import InspectionForm, SpotCheckForm
from shigan.supervision.forms.notices import NoticeForm

pytestmark = pytest.mark.django_db
WRITE_FORMS = [MeetingForm, SeriesForm, StudySessionForm, InspectionForm, SpotCheckForm,
               NoticeForm]  # fmt: skip


@pytest.fixture
def county(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    return build_county(2)


@pytest.mark.parametrize("form_class", WRITE_FORMS, ids=lambda f: f.__name__)
def test_write_forms_offer_only_the_writers_own_levels_campaigns(county, form_class):
    assert list(form_class(user=county.coordinator).fields["campaign"].queryset) == [
        county.campaign
    ]
    district = county.districts[0]
    assert list(form_class(user=district.coordinator).fields["campaign"].queryset) == [
        district.campaign
    ]


def _labels(field) -> list[str]:
    return [label for value, label in field.choices if value != ""]


def test_the_report_picker_names_each_campaigns_organiser_for_the_county_only(county):
    labels = _labels(ReportForm(user=county.coordinator).fields["campaign"])
    assert sorted(labels) == [
        "2023年全县实干年（示范县党委政府）",
        "2023年第1区实干年（第1区党委政府）",
        "2023年第2区实干年（第2区党委政府）",
    ]
    district = county.districts[0]
    assert _labels(ReportForm(user=district.coordinator).fields["campaign"]) == [
        "2023年第1区实干年"
    ]


def test_the_cockpit_names_organisers_and_groups_units_by_level(county, client_for):
    page = client_for(county.coordinator).get(f"/map/cockpit/?campaign={county.campaign.pk}")
    html = page.content.decode()
    assert page.context["campaigns_mixed"]
    assert ">2023年第1区实干年（第1区党委政府）</option>" in html
    groups = page.context["unit_groups"]
    assert [label for label, _ in groups] == ["示范县党委政府", "第1区党委政府", "第2区党委政府"]
    assert {u.district_id for u in groups[1][1]} == {county.districts[0].unit.pk}
    assert '<optgroup label="第1区党委政府">' in html
    district = county.districts[0]
    page = client_for(district.coordinator).get(f"/map/cockpit/?campaign={district.campaign.pk}")
    assert page.context["unit_groups"] is None and not page.context["campaigns_mixed"]
    assert "<optgroup" not in page.content.decode()
