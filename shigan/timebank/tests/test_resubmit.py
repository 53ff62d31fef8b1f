"""A returned service record (已退回) is corrected and submitted again by whoever entered it:
back to 待确认 for someone else to confirm, the return and the fields before kept in its
history; dates after today refused on entry."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook

from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.timebank.access import can_resubmit, get_service_to_resubmit, resubmission_refusal
from shigan.timebank.models import Account, ServiceRecord, ServiceState
from shigan.timebank.services import balance_of, service_enter, service_return

from .factories import credited, volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def _returned(world, account, *, hours="3", by=None):
    record = service_enter(
        by=by or world.reporter_a, account=account, date=datetime.date(2023, 7, 3),
        hours=Decimal(hours), beneficiary="李婆婆", content="打扫卫生",
    )  # fmt: skip
    return service_return(by=world.coordinator, record=record, reason="时长应为2小时")


def _data(**changes):
    data = {"date": "2023-07-03", "hours": "2", "beneficiary": "李婆婆", "content": "打扫卫生",
            "reason": "按退回意见改为2小时"}  # fmt: skip
    return {**data, **changes}


def _url(record):
    return reverse("timebank:service_resubmit", args=[record.pk])


def test_the_enterer_corrects_a_returned_record_and_it_waits_for_confirmation(world, client_for):
    account = volunteer(world)
    record = _returned(world, account)
    client = client_for(world.reporter_a)
    queue = client.get(reverse("timebank:service_queue")).content.decode()
    assert "被退回的记录" in queue and "时长应为2小时" in queue and _url(record) in queue
    assert _url(record) in client.get(account.get_absolute_url()).content.decode()
    page = client.get(_url(record)).content.decode()
    assert "时长应为2小时" in page and "历史记录" in page
    assert client.post(_url(record), _data()).status_code == 302
    record.refresh_from_db()
    assert record.state == ServiceState.PENDING and record.hours == Decimal("2")
    assert (record.return_reason, record.confirmed_by, record.confirmed_at) == ("", None, None)
    entry = AuditEntry.objects.get(record_type="timebank.servicerecord", action=AuditAction.SUBMIT)
    assert entry.note == "更正后重新提交：按退回意见改为2小时"
    assert entry.changes["状态"] == ["returned", "pending"]
    assert entry.changes["退回原因"] == ["时长应为2小时", ""]
    assert entry.changes["服务时长（小时）"] == ["3.0", "2"]
    assert balance_of(account.pk) == 0
    # Someone else confirms it now; it counts.
    confirm = reverse("timebank:service_confirm", args=[record.pk])
    assert client_for(world.coordinator).post(confirm).status_code == 302
    assert balance_of(account.pk) == Decimal("2")
    history = client_for(world.coordinator).get(_url(record))
    assert history.status_code == 403  # confirmed: nothing left to resubmit


def test_only_the_enterer_resubmits_and_only_a_returned_record(world, client_for):
    account = volunteer(world)
    record = _returned(world, account)
    assert client_for(world.coordinator).get(_url(record)).status_code == 403
    assert client_for(world.leader).get(_url(record)).status_code == 403
    assert client_for(world.reporter_b).get(_url(record)).status_code == 404
    assert client_for(world.coordinator).post(_url(record), _data()).status_code == 403
    pending = service_enter(by=world.reporter_a, account=account, date=datetime.date(2023, 7, 4),
                            hours=Decimal(1), beneficiary="王", content="读报")  # fmt: skip
    assert client_for(world.reporter_a).get(_url(pending)).status_code == 403
    assert ServiceRecord.objects.get(pk=record.pk).state == ServiceState.RETURNED


def test_bad_corrections_are_refused_and_nothing_changes(world, client_for):
    record = _returned(world, volunteer(world))
    client = client_for(world.reporter_a)
    cases = [
        ({"hours": "0.3"}, "必须是0.5小时的整数倍"),
        ({"hours": "-1"}, "应大于0"),
        ({"hours": "²"}, "服务时长"),
        ({"date": "2099-01-01"}, "服务日期2099-01-01晚于今天"),
        ({"reason": ""}, "请填写更正说明"),
        ({"beneficiary": "  "}, "请填写服务对象"),
    ]
    for changes, message in cases:
        page = client.post(_url(record), _data(**changes))
        assert page.status_code == 200 and message in page.content.decode(), changes
    record.refresh_from_db()
    assert record.state == ServiceState.RETURNED and record.hours == Decimal("3")
    assert not AuditEntry.objects.filter(action=AuditAction.SUBMIT).exists()


def test_a_service_after_today_is_refused_on_entry(world, client_for):
    account = volunteer(world)
    url = reverse("timebank:service_create", args=[account.pk])
    page = client_for(world.reporter_a).post(url, _data(date="2099-05-01"))
    assert "服务日期2099-05-01晚于今天" in page.content.decode()
    assert not ServiceRecord.objects.exists()


def test_resubmit_page_and_queue_run_a_fixed_number_of_queries(world, client_for):
    account = volunteer(world)
    record = _returned(world, account)
    client = client_for(world.reporter_a)

    def grow():
        for n in range(3):
            _returned(world, volunteer(world, f"志愿者{n}"))

    assert_same_queries(get_page(client, _url(record)), grow, warm_up=True)
    queue = reverse("timebank:service_queue")
    assert_same_queries(get_page(client, queue), grow, warm_up=True)


def test_access_rules_of_resubmission(world):
    record = _returned(world, volunteer(world))
    assert can_resubmit(world.reporter_a, record) and not can_resubmit(world.coordinator, record)
    assert resubmission_refusal(world.coordinator, record) == (
        "只有录入人可以更正并重新提交被退回的服务记录。"
    )
    assert get_service_to_resubmit(world.reporter_a, record.pk) == record
    with pytest.raises(PermissionDenied):
        get_service_to_resubmit(world.leader, record.pk)


def _workbook(rows, name="services.xlsx") -> io.BytesIO:
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
    buffer.name = name
    return buffer


def test_import_names_future_dates_odd_hours_and_formulas_and_saves_nothing(world, client_for):
    volunteer(world, "张志愿")
    upload = _workbook([
        ["张志愿", "", "2099-05-10", 2, "", "孤寡老人", "打扫卫生"],
        ["张志愿", "", "2023-05-11", -1, "", "留守儿童", "辅导作业"],
        ["张志愿", "", "2023-05-12", "1²", "", "邻居", "修水管"],
        ["张志愿", "", "2023-05-13", 1, "", "=1+1", "读报"],
    ])  # fmt: skip
    client = client_for(world.reporter_a)
    url = reverse("timebank:service_import")
    html = client.post(url, {"unit": world.unit_a.pk, "file": upload}).text
    assert "第3行“服务日期”列：“2099-05-10”晚于今天" in html
    assert "第4行“服务时长”列：“-1”应大于0" in html
    assert "第5行“服务时长”列：“1²”" in html
    assert "第6行“服务对象”列：“=1+1”是公式" in html
    assert not ServiceRecord.objects.exists()
    for content, message in ((b"", "空文件"), ("这是文本".encode(), "不是有效的Excel")):
        upload = io.BytesIO(content)
        upload.name = "伪装.xlsx"
        html = client.post(url, {"unit": world.unit_a.pk, "file": upload}).text
        assert message in html, message
    assert not ServiceRecord.objects.exists()


def test_a_residents_account_needs_a_phone_of_digits_and_a_day_that_has_come(world, client_for):
    client = client_for(world.reporter_a)
    url = reverse("timebank:account_create")
    base = {"name": "王大妈", "unit": world.unit_a.pk, "opened_on": "2023-07-01"}
    cases = [
        ({"phone": "abcdefgh"}, "联系电话“abcdefgh”不是有效的号码"),
        ({"phone": "1391234567⁸"}, "不是有效的号码"),
        ({"phone": "", "opened_on": "2099-01-01"}, "开户日期2099-01-01晚于今天"),
    ]
    for changes, message in cases:
        page = client.post(url, {**base, **changes})
        assert page.status_code == 200 and message in page.content.decode(), changes
    assert not Account.objects.filter(name="王大妈").exists()
    assert client.post(url, {**base, "phone": "139-1234-5678"}).status_code == 302


def test_a_reversal_dated_after_today_is_refused(world, client_for):
    account = volunteer(world)
    posting = credited(world, account, "2").transaction
    url = reverse("timebank:transaction_reverse", args=[posting.pk])
    page = client_for(world.coordinator).post(url, {"date": "2099-01-01", "reason": "重复录入"})
    assert page.status_code == 200 and "冲正日期2099-01-01晚于今天" in page.content.decode()
    assert balance_of(account.pk) == Decimal("2")


def test_an_imported_beneficiary_longer_than_the_column_is_named_not_a_500(world, client_for):
    volunteer(world, "张志愿")
    upload = _workbook([["张志愿", "", "2023-05-10", 1, "", "李" * 101, "读报"]])
    client = client_for(world.reporter_a)
    url = reverse("timebank:service_import")
    html = client.post(url, {"unit": world.unit_a.pk, "file": upload}).text
    assert "第3行“服务对象”列" in html and "超过100个字" in html
    assert not ServiceRecord.objects.exists()
