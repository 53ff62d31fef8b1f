"""Limits of a directive (points count and length, title) and control characters in its fields:
refused in the form and in the service with Chinese messages naming the field, the limit and
the count; nothing saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shigan.core.models import AuditEntry
from shigan.directives.forms import DirectiveForm, ReturnForm
from shigan.directives.models import (
    DIRECTIVE_TITLE_MAX_CHARS,
    POINT_MAX_CHARS,
    POINTS_MAX_COUNT,
    Directive,
    DirectivePoint,
)
from shigan.directives.services import directive_create
from shigan.directives.tests.factories import build_county

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def county(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_county()


def test_limits_are_50_points_of_500_characters_and_a_200_character_title():
    assert (POINTS_MAX_COUNT, POINT_MAX_CHARS, DIRECTIVE_TITLE_MAX_CHARS) == (50, 500, 200)


def _post(county, client_for, **overrides):
    data = {
        "issuer": county.office.pk, "number": "县委办发〔2023〕7号", "title": "通知",
        "issued_on": "2023-07-01", "points": "一、要求甲",
    }  # fmt: skip
    data.update(overrides)
    return client_for(county.coordinator).post(reverse("directives:directive_create"), data)


def test_50_points_of_500_characters_are_accepted(county, client_for):
    points = "\r\n".join(f"{i:03d}" + "事" * (POINT_MAX_CHARS - 3) for i in range(POINTS_MAX_COUNT))
    response = _post(county, client_for, points=points, title="题" * DIRECTIVE_TITLE_MAX_CHARS)
    assert response.status_code == 302
    assert DirectivePoint.objects.count() == POINTS_MAX_COUNT
    assert {len(p.text) for p in DirectivePoint.objects.all()} == {POINT_MAX_CHARS}


def test_51_points_are_refused_naming_the_limit_and_the_count(county, client_for):
    points = "\n".join(f"第{i}条" for i in range(POINTS_MAX_COUNT + 1))
    page = _post(county, client_for, points=points).content.decode()
    assert "“要求事项”最多50条，现有51条" in page
    assert not Directive.objects.exists() and not DirectivePoint.objects.exists()


def test_20000_points_are_refused_by_their_count(county, client_for):
    points = "\n".join(f"第{i}条" for i in range(20000))
    page = _post(county, client_for, points=points).content.decode()
    assert "“要求事项”最多50条，现有20000条" in page
    assert not Directive.objects.exists() and not DirectivePoint.objects.exists()


def test_a_point_of_501_characters_is_refused_naming_its_line(county, client_for):
    points = "一、要求甲\n" + "事" * (POINT_MAX_CHARS + 1)
    page = _post(county, client_for, points=points).content.decode()
    assert "“要求事项”第2条最多500字，现有501字" in page
    assert not Directive.objects.exists()


def test_a_title_of_201_characters_is_refused(county, client_for):
    page = _post(county, client_for, title="题" * (DIRECTIVE_TITLE_MAX_CHARS + 1)).content.decode()
    assert "“文件标题”最多200字，现有201字" in page
    assert not Directive.objects.exists()


def test_the_limits_are_stated_on_the_form_and_inputs_carry_maxlength(county):
    form = DirectiveForm(user=county.coordinator)
    html = str(form["points"]) + str(form["title"]) + str(form["number"])
    assert 'maxlength="200"' in html and 'maxlength="60"' in html
    assert f'maxlength="{POINTS_MAX_COUNT * (POINT_MAX_CHARS + 2)}"' in html
    assert "最多50条，每条最多500字" in form["points"].help_text


@pytest.mark.parametrize("field, label", [("title", "文件标题"), ("number", "文号"),
                                          ("points", "要求事项")])  # fmt: skip
@pytest.mark.parametrize("char", ["\x00", "\x07", "\x7f"])
def test_a_control_character_is_refused_naming_the_field(county, client_for, field, label, char):
    value = {"title": "通知", "number": "县委办发〔2023〕7号", "points": "一、要求甲"}[field]
    page = _post(county, client_for, **{field: value[:1] + char + value[1:]}).content.decode()
    assert f"“{label}”含有不可见的控制字符，请删除后再保存。" in page
    assert "不允许是用空字符串" not in page and not Directive.objects.exists()


def test_the_service_refuses_too_many_points_all_or_nothing(county):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        directive_create(
            by=county.coordinator, issuer=county.office, number="县委办发〔2023〕8号",
            title="通知", issued_on=TODAY, points=[f"第{i}条" for i in range(POINTS_MAX_COUNT + 1)],
        )  # fmt: skip
    assert "“要求事项”最多50条，现有51条" in refused.value.messages[0]
    assert not Directive.objects.exists() and AuditEntry.objects.count() == before


def test_the_service_refuses_a_long_point_a_long_title_and_a_nul(county):
    with pytest.raises(ValidationError) as refused:
        directive_create(
            by=county.coordinator, issuer=county.office, number="县委办发〔2023〕8号",
            title="题" * 201, issued_on=TODAY, points=["甲\x00", "事" * 501],
        )  # fmt: skip
    text = " ".join(refused.value.messages)
    assert "“文件标题”最多200字，现有201字" in text and "第2条最多500字，现有501字" in text
    assert "“要求事项”第1条含有不可见的控制字符" in text
    assert not Directive.objects.exists()


def test_the_service_accepts_exactly_50_points_of_500(county):
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕8号", title="通知",
        issued_on=TODAY, points=["事" * POINT_MAX_CHARS] * POINTS_MAX_COUNT,
    )  # fmt: skip
    assert directive.points.count() == POINTS_MAX_COUNT


def test_a_nul_in_the_return_reason_is_named():
    form = ReturnForm({"reason": "不\x00办"})
    assert not form.is_valid()
    assert form.errors["reason"] == ["“退回理由”含有不可见的控制字符，请删除后再保存。"]
