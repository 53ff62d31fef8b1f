import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from shigan.core.testing import assert_same_queries, get_page
from shigan.timebank.models import Redemption, ServiceRecord, ServiceState
from shigan.timebank.services import balance_of, service_enter

from .factories import credited, volunteer

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"timebank:{name}", args=args)


def test_account_list_shows_balance_and_masks_phones(world, client_for):
    account = volunteer(world, "刘大姐", phone="13912345678")
    credited(world, account, "3.5")
    page = client_for(world.leader).get(_url("account_list"), {"year": 2023})
    html = page.content.decode()
    assert "刘大姐" in html and "139****5678" in html
    assert "13912345678" not in html
    assert "3.5" in html


def test_the_handler_sees_the_full_phone_a_reader_the_masked_one(world, client_for):
    account = volunteer(world, phone="13912345678")
    assert "13912345678" in client_for(world.reporter_a).get(account.get_absolute_url()).text
    shown = client_for(world.inspector).get(account.get_absolute_url()).text
    assert "139****5678" in shown and "13912345678" not in shown


def test_reporter_enters_a_record_and_cannot_confirm_it_himself(world, client_for):
    account = volunteer(world)
    client = client_for(world.reporter_a)
    response = client.post(
        _url("service_create", account.pk),
        {"date": "2023-05-10", "hours": "1.5", "beneficiary": "张奶奶", "content": "代购药品"},
    )
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert record.state == ServiceState.PENDING
    assert "本人录入" in client.get(_url("service_queue")).text
    assert client.post(_url("service_confirm", record.pk)).status_code == 403
    response = client_for(world.coordinator).post(_url("service_confirm", record.pk))
    assert response.status_code == 302
    assert balance_of(account.pk) == Decimal("1.5")


def test_hours_of_0_3_are_refused_with_a_chinese_error(world, client_for):
    account = volunteer(world)
    response = client_for(world.coordinator).post(
        _url("service_create", account.pk),
        {"date": "2023-05-10", "hours": "0.3", "beneficiary": "邻居", "content": "打扫"},
    )
    assert response.status_code == 200
    assert "服务时长（小时）“0.3”必须是0.5小时的整数倍" in response.text
    assert not ServiceRecord.objects.exists()


def test_returning_needs_a_reason(world, client_for):
    account = volunteer(world)
    record = service_enter(
        by=world.coordinator, account=account, date=datetime.date(2023, 5, 1), hours=1,
        beneficiary="x", content="y",
    )  # fmt: skip
    client = client_for(world.reporter_a)
    client.post(_url("service_return", record.pk), {"reason": ""})
    record.refresh_from_db()
    assert record.state == ServiceState.PENDING
    client.post(_url("service_return", record.pk), {"reason": "未参加"})
    record.refresh_from_db()
    assert record.state == ServiceState.RETURNED and record.return_reason == "未参加"


def test_redemption_over_the_balance_is_refused_on_the_page(world, client_for):
    account = volunteer(world)
    credited(world, account, "1")
    response = client_for(world.reporter_a).post(
        _url("redemption_create", account.pk),
        {"date": "2023-06-01", "hours": "2", "item": "洗衣液"},
    )
    assert response.status_code == 200
    assert "余额不足" in response.text
    assert not Redemption.objects.exists()


def test_reversal_page_posts_a_reversing_entry(world, client_for):
    account = volunteer(world)
    posting = credited(world, account, "2").transaction
    response = client_for(world.coordinator).post(
        _url("transaction_reverse", posting.pk), {"date": "2023-06-01", "reason": "重复录入"}
    )
    assert response.status_code == 302
    assert balance_of(account.pk) == 0
    assert "已冲正" in client_for(world.coordinator).get(account.get_absolute_url()).text


def test_statement_export_reads_back_with_text_kept_as_text(world, client_for):
    account = volunteer(world, '=HYPERLINK("http://x")', phone="13912345678")
    record = service_enter(
        by=world.coordinator, account=account, date=datetime.date(2023, 5, 1), hours=2,
        beneficiary="x", content="+cmd|' /C calc'!A0",
    )  # fmt: skip
    from shigan.timebank.services import service_confirm

    service_confirm(by=world.reporter_a, record=record)
    response = client_for(world.inspector).get(_url("account_export", account.pk), {"year": 2023})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [c for c in cells if c.data_type == "f"]
    assert ws.cell(row=1, column=1).value.startswith("=HYPERLINK")
    assert "服务：+cmd|' /C calc'!A0" in texts
    assert any("139****5678" in t for t in texts)
    assert not any("13912345678" in t for t in texts)
    assert [r[5] for r in ws.iter_rows(min_row=5, values_only=True)] == [0, 2, 2]


def _sheet(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["时间存折服务记录导入表"])
    ws.append(
        ["姓名", "联系电话", "服务日期", "服务时长（小时）", "实践活动", "服务对象", "服务内容"]
    )
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "services.xlsx"
    return buffer


def test_import_is_all_or_nothing_and_names_row_and_column(world, client_for):
    volunteer(world, "张志愿")
    volunteer(world, "李志愿")
    upload = _sheet([
        ["张志愿", "", "2023-05-10", 2, "", "孤寡老人", "打扫卫生"],
        ["李志愿", "", datetime.date(2023, 5, 11), 0.3, "", "留守儿童", "辅导作业"],
        ["王不在", "", "2023-05-12", 1, "", "邻居", "修水管"],
    ])  # fmt: skip
    client = client_for(world.reporter_a)
    response = client.post(_url("service_import"), {"unit": world.unit_a.pk, "file": upload})
    html = response.text
    assert "第4行“服务时长”列：“0.3”必须是0.5小时的整数倍" in html
    assert "第5行“姓名”列：“王不在”不是本村（社区）已开户的志愿者" in html
    assert not ServiceRecord.objects.exists()
    good = _sheet([["张志愿", "", "2023-05-10", 2, "", "孤寡老人", "打扫卫生"]])
    response = client.post(_url("service_import"), {"unit": world.unit_a.pk, "file": good})
    assert "已导入1条服务记录" in response.text
    assert ServiceRecord.objects.get().state == ServiceState.PENDING


def test_reporter_cannot_import_into_another_unit(world, client_for):
    upload = _sheet([["张志愿", "", "2023-05-10", 2, "", "x", "y"]])
    response = client_for(world.reporter_a).post(
        _url("service_import"), {"unit": world.unit_b.pk, "file": upload}
    )
    assert "所选项不存在或不可选，请重新选择。" in response.text
    assert not ServiceRecord.objects.exists()


def test_template_downloads_with_the_import_headers(world, client_for):
    response = client_for(world.reporter_a).get(_url("service_import_template"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(row=3, column=1).value == "姓名"


def test_lists_and_statement_run_in_fixed_queries(world, client_for):
    account = volunteer(world, "甲")
    credited(world, account, "1")
    service_enter(by=world.coordinator, account=account, date=datetime.date(2023, 5, 2), hours=1,
                  beneficiary="x", content="y")  # fmt: skip

    def grow():
        for i in range(6):
            other = volunteer(world, f"乙{i}")
            credited(world, other, "2")
            credited(world, account, "0.5")
            service_enter(by=world.coordinator, account=other, date=datetime.date(2023, 5, 3),
                          hours=1, beneficiary="x", content="y")  # fmt: skip

    client = client_for(world.reporter_a)
    for url in [_url("account_list"), _url("service_queue"), account.get_absolute_url()]:
        assert_same_queries(get_page(client, url + "?year=2023"), grow, at_most=20, warm_up=True)
