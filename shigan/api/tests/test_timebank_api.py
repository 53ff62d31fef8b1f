"""The time bank (时间存折) through the API is its pages: each role reads the accounts, the
statement and the queue the pages show him and writes where they let him (404 outside his
scope with the message of a missing id, 403 where the page refuses); every write goes through
the page's form and service — double-entry postings, audited, the same Chinese messages on the
body's fields — and an account's balance stays the sum of its postings."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.timebank.models import (
    Account,
    AccountKind,
    Entry,
    Redemption,
    ServiceRecord,
    ServiceState,
    Transaction,
)
from shigan.timebank.services import service_enter, service_return
from shigan.timebank.tests.factories import credited, volunteer

JSON = "application/json"
API = "/api/v1/timebank"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def post(client, path, data=None, **headers):
    body = json.dumps(data) if data is not None else ""
    return client.post(f"{API}{path}", body, content_type=JSON, **headers)


def total(account_id) -> Decimal:
    found = Entry.objects.filter(account_id=account_id).aggregate(t=Sum("amount"))["t"]
    return found or Decimal("0")


def pending(world, account, *, by=None, beneficiary="孤寡老人李婆婆", hours=2):
    return service_enter(
        by=by or world.coordinator, account=account, date=datetime.date(2023, 7, 1),
        hours=Decimal(hours), beneficiary=beneficiary, content="上门打扫卫生",
    )  # fmt: skip


SERVICE = {"date": "2023-07-10", "hours": 2.5, "beneficiary": "张奶奶", "content": "代购药品"}


def test_an_account_opened_served_confirmed_and_redeemed_balances_as_its_postings(
    world, token_client
):
    coordinator, _ = token_client(world.coordinator)
    reporter, _ = token_client(world.reporter_a)
    opened = post(coordinator, "/accounts", {"name": "刘大姐", "phone": "13912345678",
                                             "unit": world.unit_a.pk, "opened_on": "2023-03-01"})  # fmt: skip
    assert opened.status_code == 201, opened.content
    account_id = opened.json()["id"]
    assert opened.json()["balance"] == "0" or Decimal(opened.json()["balance"]) == 0
    entered = post(coordinator, f"/accounts/{account_id}/services", SERVICE)
    assert entered.status_code == 201, entered.content
    service = entered.json()
    assert (service["state"], service["transaction_id"], Decimal(service["hours"])) == (
        "pending",
        None,
        Decimal("2.5"),
    )
    assert total(account_id) == 0  # not posted before it is confirmed
    confirmed = post(reporter, f"/services/{service['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["state"] == "confirmed" and confirmed.json()["transaction_id"]
    redeemed = post(reporter, f"/accounts/{account_id}/redemptions",
                    {"date": "2023-07-15", "hours": "1", "item": "大米一袋"})  # fmt: skip
    assert redeemed.status_code == 201, redeemed.content
    assert Decimal(redeemed.json()["balance"]) == Decimal("1.5")
    detail = coordinator.get(f"{API}/accounts/{account_id}").json()
    assert Decimal(detail["balance"]) == total(account_id) == Decimal("1.5")
    statement = detail["statement"]
    assert [Decimal(line["amount"]) for line in statement["lines"]] == [Decimal("2.5"), -1]
    assert Decimal(statement["closing"]) == Decimal("1.5") and Decimal(detail["year_hours"]) == 2.5
    assert detail["phone"] == "13912345678"  # the handler sees it whole
    issuance, books_redemption = (
        Account.objects.get(kind=k, district=world.district)
        for k in (AccountKind.ISSUANCE, AccountKind.REDEMPTION)
    )
    assert (total(issuance.pk), total(books_redemption.pk)) == (Decimal("-2.5"), Decimal("1"))
    assert Entry.objects.aggregate(t=Sum("amount"))["t"] == 0  # double entry
    audited = AuditEntry.objects.filter(record_type__startswith="timebank.")
    assert sorted(audited.values_list("record_type", "action")) == sorted([
        ("timebank.account", AuditAction.CREATE), ("timebank.servicerecord", AuditAction.CREATE),
        ("timebank.servicerecord", AuditAction.APPROVE), ("timebank.redemption", AuditAction.CREATE),
    ])  # fmt: skip
    listed = coordinator.get(f"{API}/accounts").json()["items"]
    assert [(a["id"], a["phone"], Decimal(a["balance"])) for a in listed] == [
        (account_id, "139****5678", Decimal("1.5"))
    ]


def test_a_redemption_beyond_the_balance_is_refused_on_hours(world, token_client):
    account = volunteer(world)
    credited(world, account, "1.5")
    api, _ = token_client(world.reporter_a)
    response = post(api, f"/accounts/{account.pk}/redemptions",
                    {"date": "2023-07-15", "hours": 2, "item": "大米一袋"})  # fmt: skip
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == "余额不足：张志愿的余额为1.5小时，不能兑换2小时。"
    assert response.json()["errors"] == [
        {"field": "hours", "detail": "余额不足：张志愿的余额为1.5小时，不能兑换2小时。"}
    ]
    assert not Redemption.objects.exists() and total(account.pk) == Decimal("1.5")
    exact = post(api, f"/accounts/{account.pk}/redemptions",
                 {"date": "2023-07-15", "hours": 1.5, "item": "大米一袋"})  # fmt: skip
    assert exact.status_code == 201 and total(account.pk) == 0


def test_a_retried_redemption_posts_once(world, token_client):
    account = volunteer(world)
    credited(world, account, "3")
    api, _ = token_client(world.reporter_a)
    body, key = (
        {"date": "2023-07-15", "hours": 1, "item": "食用油"},
        {"HTTP_IDEMPOTENCY_KEY": "r-1"},
    )
    first = post(api, f"/accounts/{account.pk}/redemptions", body, **key)
    again = post(api, f"/accounts/{account.pk}/redemptions", body, **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert Redemption.objects.count() == 1 and total(account.pk) == Decimal("2")
    assert Transaction.objects.filter(kind="redemption").count() == 1
    other = post(api, f"/accounts/{account.pk}/redemptions", body | {"hours": 2}, **key)
    assert other.status_code == 422 and Redemption.objects.count() == 1


def test_retried_entries_and_confirmations_write_once(world, token_client):
    account = volunteer(world)
    coordinator, _ = token_client(world.coordinator)
    key = {"HTTP_IDEMPOTENCY_KEY": "s-1"}
    first = post(coordinator, f"/accounts/{account.pk}/services", SERVICE, **key)
    again = post(coordinator, f"/accounts/{account.pk}/services", SERVICE, **key)
    assert first.status_code == 201 and again.json() == first.json()
    assert ServiceRecord.objects.count() == 1
    reporter, _ = token_client(world.reporter_a)
    confirm = {"HTTP_IDEMPOTENCY_KEY": "c-1"}
    done = post(reporter, f"/services/{first.json()['id']}/confirm", **confirm)
    replay = post(reporter, f"/services/{first.json()['id']}/confirm", **confirm)
    assert (done.status_code, replay.status_code) == (200, 200)
    assert Transaction.objects.count() == 1 and total(account.pk) == Decimal("2.5")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"hours": "0.3"}, "hours", "服务时长（小时）“0.3”必须是0.5小时的整数倍"),
        ({"hours": 25}, "hours", "服务时长（小时）“25”超过上限（一次最多24小时）"),
        ({"hours": "-1"}, "hours", "服务时长（小时）“-1”应大于0"),
        ({"beneficiary": " "}, "beneficiary", "请填写服务对象。"),
        ({"content": "\u200b"}, "content", "请填写服务内容。"),
        ({"date": "2023-02-30"}, "date", "服务日期"),
        (
            {"date": "2023-08-01"},
            "date",
            "服务日期2023-08-01晚于今天，不能为张志愿录入尚未发生的记录。",
        ),
        ({"activity": 999999}, "activity", "所选项不存在或不可选，请重新选择。"),
    ],
)
def test_a_bad_service_is_refused_with_the_pages_message(
    world, token_client, client_for, change, field, message
):
    account = volunteer(world)
    response = post(token_client(world.coordinator)[0], f"/accounts/{account.pk}/services",
                    SERVICE | change)  # fmt: skip
    assert response.status_code == 422, response.content
    assert any(e["field"] == field and message in e["detail"] for e in response.json()["errors"]), (
        response.json()
    )
    assert not ServiceRecord.objects.exists()
    if field not in ("date", "activity"):  # the page's form says the same
        page = client_for(world.coordinator).post(
            reverse("timebank:service_create", args=[account.pk]),
            {k: str(v) for k, v in (SERVICE | change).items()},
        )
        assert message in page.content.decode()


def test_an_account_needs_a_name_and_unit_and_a_cadre_has_one(world, token_client):
    api, _ = token_client(world.coordinator)
    empty = post(api, "/accounts", {"opened_on": "2023-03-01"})
    assert empty.status_code == 422
    assert {(e["field"], e["detail"]) for e in empty.json()["errors"]} == {
        ("name", "居民开户请填写姓名（干部开户请选择干部）。"),
        ("unit", "居民开户请选择所在村（社区）。"),
    }
    person = world.reporter_a.person
    assert (
        post(api, "/accounts", {"person": person.pk, "opened_on": "2023-03-01"}).status_code == 201
    )
    twice = post(api, "/accounts", {"person": person.pk, "opened_on": "2023-03-01"})
    assert twice.status_code == 422
    assert twice.json()["errors"] == [{"field": "person", "detail": "王填报已有时间存折账户。"}]
    phone = post(api, "/accounts", {"name": "甲", "unit": world.unit_a.pk, "phone": "abc",
                                    "opened_on": "2023-03-01"})  # fmt: skip
    assert phone.status_code == 422 and phone.json()["errors"][0]["field"] == "phone"
    assert Account.objects.filter(kind=AccountKind.VOLUNTEER).count() == 1


def test_a_confirmed_record_is_not_handled_or_edited_again(world, token_client):
    account = volunteer(world)
    record = pending(world, account)
    coordinator, _ = token_client(world.coordinator)
    reporter, _ = token_client(world.reporter_a)
    own = post(coordinator, f"/services/{record.pk}/confirm")
    assert own.status_code == 403
    assert own.json()["detail"] == "服务记录须由录入人以外的人确认，不能确认自己录入的记录。"
    assert post(reporter, f"/services/{record.pk}/confirm").status_code == 200
    again = post(reporter, f"/services/{record.pk}/confirm")
    assert again.status_code == 403 and again.json()["detail"] == "这条服务记录已确认。"
    back = post(reporter, f"/services/{record.pk}/return", {"reason": "重复"})
    assert back.status_code == 403
    edit = post(coordinator, f"/services/{record.pk}/resubmit", SERVICE | {"reason": "改"})
    assert edit.status_code == 403
    assert edit.json()["detail"] == "这条服务记录已确认，只有已退回的记录可以更正后重新提交。"
    assert Transaction.objects.count() == 1 and total(account.pk) == 2


def test_a_returned_record_is_corrected_and_resubmitted_by_its_enterer(world, token_client):
    account = volunteer(world)
    record = pending(world, account)
    coordinator, _ = token_client(world.coordinator)
    reporter, _ = token_client(world.reporter_a)
    empty = post(reporter, f"/services/{record.pk}/return", {"reason": " "})
    assert empty.status_code == 422
    assert empty.json()["errors"] == [{"field": "reason", "detail": "请填写退回原因。"}]
    returned = post(reporter, f"/services/{record.pk}/return", {"reason": "时长有误"})
    assert returned.status_code == 200
    assert (returned.json()["state"], returned.json()["return_reason"]) == ("returned", "时长有误")
    mine = coordinator.get(f"{API}/queue?which=returned").json()["items"]
    assert [(r["id"], r["resubmittable"]) for r in mine] == [(record.pk, True)]
    assert (
        post(reporter, f"/services/{record.pk}/resubmit", SERVICE | {"reason": "x"}).status_code
        == 403
    )
    no_reason = post(coordinator, f"/services/{record.pk}/resubmit", SERVICE)
    assert no_reason.status_code == 422
    fixed = post(coordinator, f"/services/{record.pk}/resubmit",
                 SERVICE | {"hours": 1, "reason": "按实际改为1小时"})  # fmt: skip
    assert fixed.status_code == 200, fixed.content
    assert (fixed.json()["state"], Decimal(fixed.json()["hours"])) == ("pending", 1)
    entry = AuditEntry.objects.get(record_type="timebank.servicerecord", action=AuditAction.SUBMIT)
    assert entry.note == "更正后重新提交：按实际改为1小时"
    assert total(account.pk) == 0


def test_a_posting_is_reversed_once_by_the_task_force(world, token_client):
    account = volunteer(world)
    posting = credited(world, account, "2").transaction
    coordinator, _ = token_client(world.coordinator)
    body = {"date": "2023-07-18", "reason": "重复录入"}
    assert post(token_client(world.reporter_a)[0], f"/transactions/{posting.pk}/reverse",
                body).status_code == 403  # fmt: skip
    reversed_ = post(coordinator, f"/transactions/{posting.pk}/reverse", body)
    assert reversed_.status_code == 201, reversed_.content
    assert reversed_.json()["reverses_id"] == posting.pk
    assert sorted(Decimal(e["amount"]) for e in reversed_.json()["entries"]) == [-2, 2]
    assert total(account.pk) == 0 and ServiceRecord.objects.get().state == ServiceState.REVERSED
    twice = post(coordinator, f"/transactions/{posting.pk}/reverse", body)
    assert twice.status_code == 422 and twice.json()["detail"] == "这笔记账已经冲正过了。"
    no_reason = post(
        coordinator, f"/transactions/{posting.pk}/reverse", {"date": "2023-07-18", "reason": ""}
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"


def test_hostile_text_is_cleaned_or_refused(world, token_client):
    account = volunteer(world)
    api, _ = token_client(world.coordinator)
    tricky = SERVICE | {"beneficiary": "李\u200b婆婆\u202e", "content": "<script>alert(1)</script>"}
    response = post(api, f"/accounts/{account.pk}/services", tricky)
    assert response.status_code == 201, response.content
    stored = ServiceRecord.objects.get()
    assert (stored.beneficiary, stored.content) == ("李婆婆", "<script>alert(1)</script>")
    nul = post(api, f"/accounts/{account.pk}/services", SERVICE | {"content": "a\x00b"})
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "content"
    unknown = post(api, f"/accounts/{account.pk}/services", SERVICE | {"state": "confirmed"})
    assert unknown.status_code == 422
    too_long = post(api, f"/accounts/{account.pk}/services", SERVICE | {"beneficiary": "长" * 101})
    assert too_long.status_code == 422
    not_json = api.post(f"{API}/accounts/{account.pk}/services", "{", content_type=JSON)
    assert not_json.status_code == 400
    assert post(api, f"/accounts/{account.pk}/redemptions",
                {"date": "2023-07-15", "hours": True, "item": "x"}).status_code == 422  # fmt: skip
    assert ServiceRecord.objects.count() == 1


def test_each_roles_answer_is_the_pages(world, token_client, client_for):
    """Reads and writes for every persona: the API's status follows the page's (a page shown
    or done ⇒ the API writes; 403/404 alike), its lists hold what the page lists."""
    account = volunteer(world, "交通志愿者")
    other = volunteer(world, "水务志愿者", unit=world.unit_b)
    posting = credited(world, account, "3").transaction
    credited(world, account, "20")  # what a role redeems never blocks the reversal
    url = lambda name, *a: reverse(f"timebank:{name}", args=a)  # noqa: E731
    created = {200: 201}
    for name, user in world.users().items():
        page, (api, _) = client_for(user), token_client(user)
        list_page = page.get(url("account_list")).content.decode()
        listed = {a["id"] for a in api.get(f"{API}/accounts?limit=100").json()["items"]}
        for shown in Account.objects.filter(kind=AccountKind.VOLUNTEER):
            assert (shown.pk in listed) == (url("account_detail", shown.pk) in list_page), name
        for shown in (account, other):
            detail = api.get(f"{API}/accounts/{shown.pk}")
            assert detail.status_code == page.get(url("account_detail", shown.pk)).status_code, name
            if detail.status_code == 404:
                missing = api.get(f"{API}/accounts/999999").json()["detail"]
                assert detail.json()["detail"] == missing == "时间存折账户不存在。"
        create_page = page.get(url("account_create")).status_code
        made = post(api, "/accounts", {"name": f"{name}居民", "unit": world.unit_a.pk,
                                       "opened_on": "2023-03-01"})  # fmt: skip
        if create_page == 200:  # the page's form offers his own units only
            assert made.status_code in (201, 422), (name, made.content)
        else:
            assert made.status_code == create_page, name
        entry_page = page.get(url("service_create", account.pk)).status_code
        entered = post(api, f"/accounts/{account.pk}/services", SERVICE | {"beneficiary": name})
        assert entered.status_code == created.get(entry_page, entry_page), name
        redeem_page = page.get(url("redemption_create", account.pk)).status_code
        redeemed = post(api, f"/accounts/{account.pk}/redemptions",
                        {"date": "2023-07-15", "hours": 0.5, "item": name})  # fmt: skip
        assert redeemed.status_code == created.get(redeem_page, redeem_page), name
        twin_page, twin_api = pending(world, account), pending(world, account)
        done_page = page.post(url("service_confirm", twin_page.pk)).status_code
        done_api = post(api, f"/services/{twin_api.pk}/confirm").status_code
        assert done_api == {302: 200}.get(done_page, done_page), name
        back_page, back_api = pending(world, account), pending(world, account)
        ret_page = page.post(url("service_return", back_page.pk), {"reason": "不符"}).status_code
        ret_api = post(api, f"/services/{back_api.pk}/return", {"reason": "不符"}).status_code
        assert ret_api == {302: 200}.get(ret_page, ret_page), name
        returned = service_return(by=world.coordinator, record=pending(
            world, account, by=world.reporter_a), reason="有误")  # fmt: skip
        resubmit_page = page.get(url("service_resubmit", returned.pk)).status_code
        resubmitted = post(api, f"/services/{returned.pk}/resubmit", SERVICE | {"reason": "改"})
        assert resubmitted.status_code == resubmit_page, name
        queue_page = page.get(url("service_queue")).content.decode()
        queued = api.get(f"{API}/queue?limit=100").json()["items"]
        for record in ServiceRecord.objects.filter(state=ServiceState.PENDING):
            in_api = next((r for r in queued if r["id"] == record.pk), None)
            in_page = url("service_confirm", record.pk) in queue_page
            assert bool(in_api and in_api["confirmable"]) == in_page, (name, record.pk)
        reverse_page = page.get(url("transaction_reverse", posting.pk)).status_code
        reversal = post(api, f"/transactions/{posting.pk}/reverse",
                        {"date": "2023-07-19", "reason": "核对"})  # fmt: skip
        assert reversal.status_code == created.get(reverse_page, reverse_page), name
        if reversal.status_code == 201:
            posting = credited(world, account, "3").transaction
    read, _ = token_client(world.coordinator, scope="read")
    assert post(read, f"/accounts/{account.pk}/services", SERVICE).status_code == 403


def _count(api, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"{API}{path}")
    assert response.status_code == 200, response.content
    items = response.json().get("items") or response.json().get("services")
    return len(items), len(queries)


def test_the_lists_run_the_same_queries_for_one_and_many(world, token_client):
    api, _ = token_client(world.coordinator)
    first = volunteer(world, "一号")
    credited(world, first, "1")
    pending(world, first, by=world.reporter_a)
    api.get(f"{API}/accounts")  # the token's first use is recorded once, not counted here
    one = [_count(api, p) for p in ("/accounts", "/queue", f"/accounts/{first.pk}")]
    for n in range(2, 6):
        account = volunteer(world, f"{n}号")
        credited(world, account, "1")
        pending(world, account, by=world.reporter_a)
        credited(world, first, "0.5")
        pending(world, first, by=world.reporter_a)
    many = [_count(api, p) for p in ("/accounts", "/queue", f"/accounts/{first.pk}")]
    assert [n for n, _ in one] == [1, 1, 2] and [n for n, _ in many] == [5, 9, 10]
    assert [q for _, q in one] == [q for _, q in many], (one, many)
    # lists: token, caller, his district, the page's ids, the rows; the account: token, caller,
    # district, the account, its balances, the statement's opening and entries, its records
    assert [q for _, q in one] == [5, 5, 8], one


def test_a_reversal_that_would_overdraw_or_predates_its_posting_is_refused(world, token_client):
    account = volunteer(world)
    posting = credited(world, account, "2").transaction
    api, _ = token_client(world.coordinator)
    spent = post(api, f"/accounts/{account.pk}/redemptions",
                 {"date": "2023-07-15", "hours": 1.5, "item": "大米"})  # fmt: skip
    assert spent.status_code == 201
    overdraft = post(api, f"/transactions/{posting.pk}/reverse",
                     {"date": "2023-07-18", "reason": "重复录入"})  # fmt: skip
    message = "余额不足：张志愿的余额为0.5小时，冲正2小时会使余额为负（已兑换的时长须先冲正兑换）。"
    assert overdraft.status_code == 422
    assert overdraft.json()["errors"] == [{"field": "请求体", "detail": message}]
    early = post(api, f"/transactions/{posting.pk}/reverse",
                 {"date": "2023-05-01", "reason": "重复录入"})  # fmt: skip
    assert early.status_code == 422
    assert early.json()["errors"] == [
        {"field": "date", "detail": "冲正日期不能早于原记账日期（2023-05-10）。"}
    ]
    assert Transaction.objects.filter(kind="reversal").count() == 0
    assert total(account.pk) == Decimal("0.5")
