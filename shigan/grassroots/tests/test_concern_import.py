"""诉求导入: the template, a good sheet saved, a bad row saving nothing, named by row and column."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shigan.grassroots.models import Concern, ConcernSource

from .concern_helpers import category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def _sheet(client, rows) -> SimpleUploadedFile:
    template = client.get(reverse("grassroots:concern_template"))
    wb = load_workbook(io.BytesIO(template.content))
    ws = wb.active
    for i, row in enumerate(rows):
        for j, value in enumerate(row, start=1):
            ws.cell(row=5 + i, column=j, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("热线.xlsx", buffer.getvalue())


GOOD = [
    [datetime.date(2023, 7, 3), "热线", "群众诉求", "道路交通", "张三", "13900001111", "", "路灯不亮", "", "区交通局"],
    ["2023-07-04", "", "矛盾纠纷", "道路交通", "李四", "", "", "占道纠纷", "李四、王五", ""],
]  # fmt: skip


def test_template_has_the_headers_and_a_good_sheet_is_imported(world, client_for):
    category(world, name="道路交通", days=5)
    client = client_for(world.coordinator)
    url = reverse("grassroots:concern_import")
    response = client.post(url, {"file": _sheet(client, GOOD)})
    assert response.status_code == 302
    first, second = Concern.objects.order_by("number")
    assert (first.number, first.due_on, first.assigned_unit) == (
        "2023-0001",
        datetime.date(2023, 7, 10),
        world.unit_a,
    )
    assert (second.source, second.kind, second.parties) == (
        ConcernSource.HOTLINE,
        "dispute",
        "李四、王五",
    )


def test_a_bad_row_saves_nothing_and_is_named_by_row_and_column(world, client_for):
    category(world, name="道路交通", days=5)
    client = client_for(world.coordinator)
    bad = [*GOOD, ["2023-02-30", "热线", "群众诉求", "道路交通", "赵六", "", "", "噪音", "", "区交通所"],
           [datetime.date(2023, 7, 5), "热线", "矛盾纠纷", "不存在的类别", "", "", "", "x", "", ""]]  # fmt: skip
    page = client.post(reverse("grassroots:concern_import"), {"file": _sheet(client, bad)})
    text = page.content.decode()
    assert page.status_code == 200 and not Concern.objects.exists()
    assert "第7行“受理日期”列：“2023-02-30”不是有效日期" in text
    assert "第7行“承办单位”列：“区交通所”不是本区（县）的单位，是否为“区交通局”？" in text
    assert "第8行“类别”列：“不存在的类别”不是本区（县）的诉求类别" in text
    assert "第8行“诉求人”列：必须填写" in text
    assert "第8行“纠纷当事人”列：矛盾纠纷须填写纠纷当事人" in text


def test_a_workbook_that_is_not_one_is_refused_in_chinese(world, client_for):
    upload = SimpleUploadedFile("热线.xlsx", b"not a zip")
    page = client_for(world.coordinator).post(
        reverse("grassroots:concern_import"), {"file": upload}
    )
    assert "不是有效的Excel" in page.content.decode()


def test_only_coordinators_import(world, client_for):
    for user in (world.reporter_a, world.leader, world.inspector):
        assert client_for(user).get(reverse("grassroots:concern_import")).status_code == 403
        assert client_for(user).get(reverse("grassroots:concern_template")).status_code == 403


def test_every_bad_number_date_and_source_is_named_before_anything_is_saved(world, client_for):
    category(world, name="道路交通", days=5)
    client = client_for(world.coordinator)
    bad = [
        ["2023-07-03", "热线", "", "道路交通", "甲", "abcdefgh", "", "路灯", "", ""],
        ["2023-07-03", "热线", "", "道路交通", "乙", "1381234123⁴", "42010219900101123²", "路灯", "", ""],
        ["2099-07-03", "电报", "", "道路交通", "丙", "", "", "路灯", "", ""],
    ]  # fmt: skip
    page = client.post(reverse("grassroots:concern_import"), {"file": _sheet(client, bad)})
    text = page.content.decode()
    assert page.status_code == 200 and not Concern.objects.exists()
    assert "第5行“联系电话”列：“abcdefgh”不是有效的号码" in text
    assert "第6行“联系电话”列：“1381234123⁴”不是有效的号码" in text
    assert "第6行“身份证号”列：“42010219900101123²”不是有效的18位身份证号" in text
    assert "第7行“受理日期”列：“2099-07-03”晚于今天" in text
    assert "第7行“来源”列：“电报”不是可选的来源（热线、来信、网上、企业反映）" in text


def test_an_empty_file_is_refused_in_chinese(world, client_for):
    upload = SimpleUploadedFile("热线.xlsx", b"")
    page = client_for(world.coordinator).post(
        reverse("grassroots:concern_import"), {"file": upload}
    )
    assert "空文件" in page.content.decode() and not Concern.objects.exists()


def test_a_requester_name_longer_than_the_column_is_named_not_a_500(world, client_for):
    category(world, name="道路交通", days=5)
    client = client_for(world.coordinator)
    rows = [["2023-07-03", "热线", "", "道路交通", "张" * 51, "", "", "路灯", "", ""]]
    page = client.post(reverse("grassroots:concern_import"), {"file": _sheet(client, rows)})
    assert "第5行“诉求人”列" in page.content.decode() and "超过50个字" in page.content.decode()
    assert not Concern.objects.exists()
