"""A district records its county's document: the issuing organ written as on the document
(县委办公室, the county not being a unit of every database), the issuer stored being the district's
own 党委政府 unit; shown as the organ on the list and the detail."""

import datetime

import pytest
from django.urls import reverse

from shigan.directives.access import own_level_unit
from shigan.directives.models import Directive
from shigan.directives.tests.factories import build_county

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def county(db, settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_county()


def _post(client, **overrides):
    data = {
        "issuer": "", "issuer_name": "县委办公室", "number": "县委办发〔2023〕12号",
        "title": "关于深化实干年活动的通知", "issued_on": "2023-07-01", "points": "一、优化营商环境",
    }  # fmt: skip
    data.update(overrides)
    return client.post(reverse("directives:directive_create"), data)


def test_own_level_unit_is_the_districts_party_government_unit(county):
    district = county.districts[0]
    assert own_level_unit(district.coordinator) == district.unit
    assert own_level_unit(county.coordinator) == county.unit


def test_district_records_a_directive_of_the_county_office(county, client_for):
    district = county.districts[0]
    c = client_for(district.coordinator)
    response = _post(c)
    assert response.status_code == 302
    directive = Directive.objects.get()
    assert directive.issuer == district.unit and directive.issuer_name == "县委办公室"
    detail = c.get(response["Location"]).content.decode()
    assert "<dt>发文单位</dt><dd>县委办公室</dd>" in detail and "县委办发〔2023〕12号" in detail
    listing = c.get(reverse("directives:directive_list")).content.decode()
    assert "<td>县委办公室</td>" in listing


def test_the_form_offers_both_and_the_hint_shows_an_upper_number(county, client_for):
    page = client_for(county.districts[0].coordinator).get(reverse("directives:directive_create"))
    html = page.content.decode()
    assert "上级发文机关" in html and "县委办公室" in html and "县委办发〔2023〕12号" in html


def test_both_or_neither_issuer_is_a_clear_error(county, client_for):
    district = county.districts[0]
    c = client_for(district.coordinator)
    both = _post(c, issuer=district.unit.pk).content.decode()
    assert "只填一项" in both
    neither = _post(c, issuer_name="").content.decode()
    assert "请选择本级发文单位，或（上级来文）填写上级发文机关。" in neither
    nul = _post(c, issuer_name="县委\x00办").content.decode()
    assert "“上级发文机关”含有不可见的控制字符" in nul
    long = _post(c, issuer_name="办" * 61).content.decode()
    assert "“上级发文机关”最多60字，现有61字" in long
    assert not Directive.objects.exists()
