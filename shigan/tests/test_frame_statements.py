"""The page frame's figures (issue 18): the person behind the account and the unread count are
read by statements compiled once per process (core.prepared) — never a kept result: the same
process serves each user his own name and count, and a message arriving or read shows on the
next page. The task page reads its records the same way, in a fixed number of queries."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.core import prepared
from shigan.reminders.models import Message, MessageKind


def _badge(response) -> str | None:
    found = re.search(r'class="unread-count"[^>]*>(\d+)<', response.content.decode())
    return found.group(1) if found else None


def _who(response) -> str:
    return re.search(r'<span class="who">([^<]*)<', response.content.decode()).group(1)


def _message(user, title="催报：2023年7月工作进展"):
    return Message.objects.create(
        recipient=user, kind=MessageKind.REPORT_CHASE, title=title, body="请报送。", link="/"
    )


def test_each_user_his_own_name_and_count_and_a_new_message_shows_at_once(world, client_for):
    prepared.clear()
    reporter, other, coordinator = (
        client_for(world.reporter_a),
        client_for(world.reporter_b),
        client_for(world.coordinator),
    )
    pages = {c: c.get("/map/") for c in (reporter, other, coordinator)}
    assert {_badge(p) for p in pages.values()} == {None}
    names = {c: _who(p) for c, p in pages.items()}
    assert len(set(names.values())) == 3  # three people, three names, one statement

    message = _message(world.reporter_a)
    assert _badge(reporter.get("/map/")) == "1"  # the statement is kept, not the count
    assert _badge(other.get("/map/")) is None and _badge(coordinator.get("/map/")) is None
    _message(world.reporter_b)
    _message(world.reporter_b, title="第二条")
    assert _badge(other.get("/map/")) == "2" and _badge(reporter.get("/map/")) == "1"

    Message.objects.filter(pk=message.pk).update(read_at="2023-07-31T10:00:00+08:00")
    assert _badge(reporter.get("/map/")) is None
    assert {c: _who(c.get("/map/")) for c in names} == names

    person = world.reporter_a.person
    person.name = "赵改名"
    person.save()
    assert _who(reporter.get("/map/")) == "赵改名"


def test_the_frame_reads_the_person_and_the_count_in_one_query_each(world, client_for):
    client = client_for(world.coordinator)
    client.get("/map/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/map/")
    person = [q for q in queries if '"orgs_person"."user_id" = ' in q["sql"]]
    unread = [q for q in queries if 'FROM "reminders_message"' in q["sql"]]
    assert len(person) == 1 and len(unread) == 1
