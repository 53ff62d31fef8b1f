"""报送情况 and 一键催办 say the same thing in both places (issue: 「已催报1次」 above
「本月尚未催报。」): a row's count names how many were the rules' automatic reminders (the
scheduled `shigan remind`) and how many were sent by hand, and the record table, which lists
only those sent by hand, says so and names the month it is about."""

import datetime
import re

import pytest
from django.utils import timezone

from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.reminders.models import Reminder, RuleKind
from shigan.reminders.services import remind_run

from .test_filing_board import BOARD, CHASE, _batch, _preview
from .test_item_chase import _preview as _item_preview
from .test_item_chase import _send as _item_send
from .test_item_chase import items  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _row(board: str, unit) -> str:
    found = re.search(rf'<tr data-unit="{unit.pk}">(.*?)</tr>', board, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1))


def _records(board: str) -> str:
    return re.sub(r"<[^>]+>", "", board.split("人工催报记录", 1)[1])


def test_an_automatic_reminder_is_named_and_the_empty_record_says_by_hand_and_the_month(
    world, client_for, monkeypatch
):
    remind_run(today=datetime.date(2023, 7, 10), now=timezone.now())  # June's deadline: July 7
    assert Reminder.objects.filter(kind=RuleKind.REPORT_MISSING, unit=world.unit_a).count() == 1
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    client = client_for(world.coordinator)
    board = client.get(BOARD + "?period=2023-06").content.decode()
    assert "已催报1次（自动提醒1次）" in _row(board, world.unit_a)
    assert "本月尚未催报" not in board
    records = _records(board)
    assert "2023年6月工作进展没有人工催报：" in records
    assert "自动发送的逾期未报提醒不列在这里" in records

    text = _preview(client)
    client.post(f"{CHASE}?period=2023-06", {"text": "请尽快报送", "batch": _batch(text)})
    board = client.get(BOARD + "?period=2023-06").content.decode()
    assert "已催报2次（人工1次、自动提醒1次）" in _row(board, world.unit_a)
    records = _records(board)
    assert "没有人工催报" not in records and "请尽快报送" in records


def test_a_chase_by_hand_only_reads_as_before(world, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-03")
    client = client_for(world.coordinator)
    text = _preview(client)
    client.post(f"{CHASE}?period=2023-06", {"text": "请报送", "batch": _batch(text)})
    row = _row(client.get(BOARD + "?period=2023-06").content.decode(), world.unit_a)
    assert "已催报1次，最近" in row and "自动" not in row


def test_item_chase_names_the_automatic_rounds_in_its_count(
    world,
    items,  # noqa: F811
    client_for,
    monkeypatch,
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    roads = items["roads"]
    for _ in range(2):  # what the engine's 逾期催办 writes on the item's history
        audit_record(actor=None, obj=roads, action=AuditAction.CHASE, task_id=roads.pk,
                     note="逾期催办（第1次）")  # fmt: skip
    client = client_for(world.coordinator)
    cell = re.sub(r"<[^>]+>", "", _item_preview(client).split(f'id="item-{roads.pk}"')[1])
    assert cell.split("最近")[0].strip().endswith("2次（其中自动2次）")
    _item_send(client, [roads.pk])
    cell = re.sub(r"<[^>]+>", "", _item_preview(client).split(f'id="item-{roads.pk}"')[1])
    assert "3次（其中自动2次）" in cell
