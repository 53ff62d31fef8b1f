"""A message gathering several reminders — a day's digest, a coordinator's 催办 — lists each
with its rule's name and a link to its record; links are paths on this site only; one query."""

import datetime

import pytest

from shigan.reminders.models import Digest, Message, MessageKind, Notice, Reminder, RuleKind
from shigan.reminders.queries.messages import message_lines, relative_link
from shigan.reminders.services.item_chase import item_chase_send
from shigan.testing import make_task

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def _reminder(world, kind, task, text, link=None, anchor="2023-07-20"):
    return Reminder.objects.create(
        kind=kind, campaign=world.campaign, task=task, unit=task.lead_unit,
        record_type="tasks.task", record_id=task.pk, anchor=anchor, fired_on=D(2023, 7, 20),
        text=text, link=task.get_absolute_url() if link is None else link,
    )  # fmt: skip


def _digest(world, user, reminders):
    message = Message.objects.create(
        recipient=user, kind=MessageKind.ITEM_CHASE, title="7月20日提醒：逾期催办 1 项、临期提醒 1 项",
        body="\n".join(r.text for r in reminders), record_type="reminders.digest",
    )  # fmt: skip
    digest = Digest.objects.create(recipient=user, day=D(2023, 7, 20), message=message)
    Notice.objects.bulk_create(Notice(reminder=r, recipient=user, digest=digest) for r in reminders)
    return message


def test_a_digest_lists_each_reminder_with_its_kind_and_link(world, client_for):
    overdue = _reminder(
        world, RuleKind.OVERDUE, world.task_a, "兴业大道建设已逾期 3 个工作日（第 1 次催办）"
    )
    nearing = _reminder(world, RuleKind.NEARING, world.task_b, "清凉河治理二期节点临近")
    message = _digest(world, world.reporter_a, [overdue, nearing])
    text = client_for(world.reporter_a).get(f"/inbox/{message.pk}/").content.decode()
    assert "临期提醒" in text and "逾期催办" in text
    assert (
        f'<a href="/tasks/{world.task_a.pk}/">兴业大道建设已逾期 3 个工作日（第 1 次催办）</a>'
        in text
    )
    assert f'<a href="/tasks/{world.task_b.pk}/">清凉河治理二期节点临近</a>' in text


def test_only_the_readers_own_notices_are_his_digests_lines(world):
    mine = _reminder(world, RuleKind.OVERDUE, world.task_a, "我的")
    theirs = _reminder(world, RuleKind.NEARING, world.task_b, "别人的")
    message = _digest(world, world.reporter_a, [mine])
    other_digest = Digest.objects.create(
        recipient=world.reporter_b, day=D(2023, 7, 20),
        message=Message.objects.create(recipient=world.reporter_b, kind=MessageKind.REMINDER,
                                       title="t", body="b", record_type="reminders.digest"),
    )  # fmt: skip
    Notice.objects.create(reminder=theirs, recipient=world.reporter_b, digest=other_digest)
    assert [line.text for line in message_lines(message).lines] == ["我的"]


@pytest.mark.parametrize(
    "link", ["https://evil.example/tasks/1/", "//evil.example/x", "javascript:alert(1)", "tasks/1/"]
)
def test_a_link_that_is_not_a_path_here_is_shown_as_text(world, client_for, link):
    assert relative_link(link) == ""
    reminder = _reminder(world, RuleKind.OVERDUE, world.task_a, "外部链接", link=link)
    message = _digest(world, world.reporter_a, [reminder])
    text = client_for(world.reporter_a).get(f"/inbox/{message.pk}/").content.decode()
    assert "外部链接" in text and "evil.example" not in text and "javascript:" not in text
    assert relative_link("/tasks/3/?period=2023-07") == "/tasks/3/?period=2023-07"


def test_a_chase_lists_its_items_under_the_coordinators_text(world, client_for):
    roads = make_task(campaign=world.campaign, category=world.category, unit=world.unit_a,
                      title="兴业大道征地拆迁", due=D(2023, 6, 30))  # fmt: skip
    bridge = make_task(campaign=world.campaign, category=world.category, unit=world.unit_a,
                       title="跨河大桥", due=D(2023, 7, 5))  # fmt: skip
    river = make_task(campaign=world.campaign, category=world.category, unit=world.unit_b,
                      title="清凉河清淤", due=D(2023, 7, 1))  # fmt: skip
    item_chase_send(by=world.coordinator, items=[roads, bridge, river], text="请本周内办结",
                    batch="b" * 32)  # fmt: skip
    message = Message.objects.get(recipient=world.reporter_a)
    response = client_for(world.reporter_a).get(f"/inbox/{message.pk}/")
    text = response.content.decode()
    assert "<p>请本周内办结</p>" in text and "专班催办" in text
    assert f'<a href="/tasks/{roads.pk}/">兴业大道征地拆迁（完成时限2023-06-30）</a>' in text
    assert f'<a href="/tasks/{bridge.pk}/">跨河大桥（完成时限2023-07-05）</a>' in text
    assert "清凉河清淤" not in text  # unit B's item is in unit B's message
    assert "前往处理" in text
    # The reporter follows the line to the item.
    assert client_for(world.reporter_a).get(f"/tasks/{roads.pk}/").status_code == 200


def test_a_plain_message_shows_its_body(world, client_for):
    message = Message.objects.create(recipient=world.reporter_a, kind=MessageKind.REPORT_CHASE,
                                     title="催报", body="请报送", link="/tasks/report/")  # fmt: skip
    assert not message_lines(message)
    text = client_for(world.reporter_a).get(f"/inbox/{message.pk}/").content.decode()
    assert "请报送" in text and "message-lines" not in text


def test_the_lines_are_read_in_one_query(world, django_assert_num_queries):
    reminders = [
        _reminder(world, RuleKind.OVERDUE, world.task_a, f"第{n}条", anchor=f"a{n}")
        for n in range(6)
    ]
    message = _digest(world, world.reporter_a, reminders)
    with django_assert_num_queries(1):
        assert len(message_lines(message).lines) == 6
