"""The inbox: a user reads only his own messages (another's is 404), the header counts his
unread ones, opening a message marks it read, 全部标为已读 marks them all; bounded queries."""

import re

import pytest
from django.urls import reverse

from shigan.core.testing import assert_same_queries, get_page
from shigan.reminders.access import get_message_for_user, messages_visible_to
from shigan.reminders.models import Message, MessageKind
from shigan.reminders.queries import inbox_unread_count

INBOX = "/inbox/"


def _message(user, title="催报：2023年7月工作进展", sender=None, **extra):
    return Message.objects.create(
        recipient=user, kind=MessageKind.REPORT_CHASE, title=title, body="请于8月5日前报送。",
        link="/tasks/report/?period=2023-07", sender=sender, **extra,
    )  # fmt: skip


def _unread_badge(response) -> str | None:
    found = re.search(r'class="unread-count"[^>]*>(\d+)<', response.content.decode())
    return found.group(1) if found else None


def test_a_reporter_never_sees_another_units_messages(world, client_for):
    mine = _message(world.reporter_a, title="交通局的催报")
    theirs = _message(world.reporter_b, title="水务局的催报")
    text = client_for(world.reporter_a).get(INBOX).content.decode()
    assert "交通局的催报" in text and "水务局的催报" not in text
    assert client_for(world.reporter_a).get(f"/inbox/{theirs.pk}/").status_code == 404
    assert client_for(world.coordinator).get(f"/inbox/{mine.pk}/").status_code == 404
    assert list(messages_visible_to(world.reporter_b, Message.objects.all())) == [theirs]
    assert get_message_for_user(world.reporter_a, mine.pk) == mine


def test_the_header_shows_the_unread_count_to_every_logged_in_user(world, client_for):
    _message(world.reporter_a)
    _message(world.reporter_a, title="第二条")
    _message(world.reporter_b)
    assert _unread_badge(client_for(world.reporter_a).get("/map/")) == "2"
    assert _unread_badge(client_for(world.reporter_b).get(INBOX)) == "1"
    coordinator_page = client_for(world.coordinator).get("/map/")
    assert _unread_badge(coordinator_page) is None  # nothing unread: no badge
    assert 'href="/inbox/"' in coordinator_page.content.decode()
    assert inbox_unread_count(world.reporter_a) == 2


def test_opening_a_message_marks_it_read_and_links_to_its_record(world, client_for):
    message = _message(world.reporter_a, sender=world.coordinator)
    client = client_for(world.reporter_a)
    assert "未读" in client.get(INBOX).content.decode()
    response = client.get(f"/inbox/{message.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'href="/tasks/report/?period=2023-07"' in text and "周专班" in text
    message.refresh_from_db()
    assert message.read_at is not None
    first = message.read_at
    client.get(f"/inbox/{message.pk}/")
    message.refresh_from_db()
    assert message.read_at == first  # the first opening counts
    assert _unread_badge(client.get(INBOX)) is None


def test_a_message_linking_off_site_shows_no_link(world, client_for):
    message = _message(world.reporter_a)
    Message.objects.filter(pk=message.pk).update(link="https://evil.example/")
    text = client_for(world.reporter_a).get(f"/inbox/{message.pk}/").content.decode()
    assert "evil.example" not in text


def test_mark_all_read_marks_only_the_users_own(world, client_for):
    _message(world.reporter_a)
    _message(world.reporter_a)
    other = _message(world.reporter_b)
    client = client_for(world.reporter_a)
    assert client.get(reverse("reminders:inbox_read_all")).status_code == 405
    response = client.post(reverse("reminders:inbox_read_all"))
    assert response.status_code == 302
    assert inbox_unread_count(world.reporter_a) == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_the_inbox_is_newest_first_and_paginated(world, client_for):
    for n in range(35):
        _message(world.reporter_a, title=f"消息{n:02d}")
    client = client_for(world.reporter_a)
    first = client.get(INBOX).content.decode()
    assert first.index("消息34") < first.index("消息33")
    assert "消息04" not in first and "第1/2页" in first
    assert "消息04" in client.get(INBOX + "?page=2").content.decode()
    assert client.get(INBOX + "?page=abc").status_code == 200


@pytest.mark.parametrize("url", [INBOX, "/map/"])
def test_the_inbox_and_the_header_run_a_bounded_number_of_queries(world, client_for, url):
    _message(world.reporter_a, sender=world.coordinator)
    client = client_for(world.reporter_a)

    def grow():
        for n in range(40):
            _message(world.reporter_a, title=f"更多{n}", sender=world.coordinator)

    assert_same_queries(get_page(client, url), grow, at_most=25, warm_up=True)
