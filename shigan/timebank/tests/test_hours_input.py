"""Hours as people type them (服务时长「1.5小时」), the refusal's example in hours (not the
indicators' 如30000), and the import template's note naming every column a row must fill."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shigan.core import params
from shigan.timebank.models import ServiceRecord
from shigan.timebank.xlsx import IMPORT_COLUMNS, REQUIRED_COLUMNS

from .factories import volunteer
from .test_pages import _sheet

pytestmark = pytest.mark.django_db


def _post_hours(world, client_for, hours: str):
    account = volunteer(world)
    return client_for(world.reporter_a).post(
        reverse("timebank:service_create", args=[account.pk]),
        {"date": "2023-05-10", "hours": hours, "beneficiary": "张奶奶", "content": "代购药品"},
    )


@pytest.mark.parametrize("typed", ["1.5小时", "1.5 小时", "1.5h", "1.5H", "１.５小时"])
def test_hours_typed_with_their_unit_are_read(world, client_for, typed):
    response = _post_hours(world, client_for, typed)
    assert response.status_code == 302, response.text
    assert ServiceRecord.objects.get().hours == Decimal("1.5")


def test_words_for_hours_are_refused_with_an_example_in_hours(world, client_for):
    response = _post_hours(world, client_for, "一个半小时")
    assert response.status_code == 200
    assert (
        "服务时长（小时）“一个半小时”不是数字，请填写阿拉伯数字，如1.5（以小时为单位，最多24小时）"
        in response.text
    )
    assert "30000" not in response.text
    assert not ServiceRecord.objects.exists()


def test_the_unit_alone_is_not_a_number():
    with pytest.raises(params.BadValue):
        params.parse_number("小时", units=("小时", "h"))


def test_other_fields_keep_their_own_example_and_refuse_a_unit():
    """The indicators' numbers (no `units`) still refuse "1.5小时" and say 如30000."""
    with pytest.raises(params.BadValue, match="如30000"):
        params.parse_number("1.5小时")


def test_import_reads_hours_with_their_unit_and_says_the_example_in_hours(world, client_for):
    volunteer(world, "张志愿")
    client = client_for(world.reporter_a)
    bad = _sheet([["张志愿", "", "2023-05-10", "两小时", "", "孤寡老人", "打扫卫生"]])
    response = client.post(
        reverse("timebank:service_import"), {"unit": world.unit_a.pk, "file": bad}
    )
    assert "第3行“服务时长”列：“两小时”不是数字，请填写阿拉伯数字，如1.5（以小时为单位" in (
        response.text
    )
    good = _sheet([["张志愿", "", "2023-05-10", "2小时", "", "孤寡老人", "打扫卫生"]])
    response = client.post(
        reverse("timebank:service_import"), {"unit": world.unit_a.pk, "file": good}
    )
    assert "已导入1条服务记录" in response.text
    assert ServiceRecord.objects.get().hours == Decimal("2")


def test_template_note_names_every_required_column_and_a_row_without_one_fails(world, client_for):
    response = client_for(world.reporter_a).get(reverse("timebank:service_import_template"))
    note = load_workbook(io.BytesIO(response.content)).active.cell(row=2, column=1).value
    required = note.split("必填：")[1].split("（")[0].split("、")
    assert required == [c.label or c.key for c in REQUIRED_COLUMNS]
    assert "服务对象" in required
    optional = note.split("必填：")[1].split("（")[1].split("可不填")[0].split("、")
    assert optional == [c.label or c.key for c in IMPORT_COLUMNS if c not in REQUIRED_COLUMNS]
    # What the note says is what the importer does: each required column left blank fails.
    volunteer(world, "张志愿")
    full = ["张志愿", "", "2023-05-10", 2, "", "孤寡老人", "打扫卫生"]
    for column in REQUIRED_COLUMNS:
        row = list(full)
        row[IMPORT_COLUMNS.index(column)] = None
        upload = _sheet([row])
        response = client_for(world.reporter_a).post(
            reverse("timebank:service_import"), {"unit": world.unit_a.pk, "file": upload}
        )
        assert "未导入任何记录" in response.text, column.key
    assert not ServiceRecord.objects.exists()


def test_the_queue_names_its_unit_column_as_the_account_list_does(world, client_for):
    """待确认 lists a department's cadres too (招商服务中心): the column is 村（社区）/单位."""
    html = client_for(world.coordinator).get(reverse("timebank:service_queue")).text
    assert '<th class="hide-narrow">村（社区）/单位</th>' in html
    assert ">村（社区）</th>" not in html
