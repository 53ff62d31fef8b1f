import datetime

import pytest
from django import forms

from shigan.core.forms import DateField, IntegerField


class Sample(forms.Form):
    day = DateField(label="督查日期", required=False)
    count = IntegerField(label="抽查比例", required=False)


@pytest.mark.parametrize("raw", ["9999-12-31", "0001-01-01", "２０２３-07-31", "2023-02-30"])
def test_dates_out_of_range_or_not_ascii_are_refused_by_name(raw):
    form = Sample({"day": raw})
    assert not form.is_valid()
    assert form.errors["day"][0].startswith(f"督查日期“{raw}”")


def test_a_date_in_range_is_read():
    form = Sample({"day": "2023-7-31"})
    assert form.is_valid()
    assert form.cleaned_data["day"] == datetime.date(2023, 7, 31)


@pytest.mark.parametrize("raw", ["1,2,3", "12%", "²", "٣", "三万"])
def test_loose_numbers_are_refused_by_name(raw):
    form = Sample({"count": raw})
    assert not form.is_valid()
    assert "抽查比例" in form.errors["count"][0] and "不是数字" in form.errors["count"][0]


def test_numbers_as_typed_are_read():
    form = Sample({"count": "1,020"})
    assert form.is_valid()
    assert form.cleaned_data["count"] == 1020


def test_a_fraction_is_not_a_whole_number():
    form = Sample({"count": "2.5"})
    assert not form.is_valid()
    assert "整数" in form.errors["count"][0]


def test_a_multi_select_refuses_ids_past_64_bits_without_asking_the_database(world):
    from shigan.core.forms import ModelMultipleChoiceField
    from shigan.orgs.models import Unit

    class Units(forms.Form):
        units = ModelMultipleChoiceField(Unit.objects.all(), label="被督查单位")

    for bad in ["9223372036854775808", "²", "١"]:
        form = Units({"units": [str(world.unit_a.pk), bad]})
        assert not form.is_valid()
        assert "units" in form.errors
    form = Units({"units": [str(world.unit_a.pk)]})
    assert form.is_valid(), form.errors
