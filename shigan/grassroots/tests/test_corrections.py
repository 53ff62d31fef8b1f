"""Correcting visits and concerns after entry (更正): by whoever may enter them, with a reason,
audited before/after (numbers masked), shown in the record's 历史记录; a new category
recomputes the due date on the working-day calendar; steps taken are never rewritten."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from shigan.core.crawl import UNSUBMITTED, _Parser, parse_forms
from shigan.core.editing import FIELD
from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.grassroots.access import (
    can_correct_concern,
    can_correct_visit,
    concern_units_visible_to,
    get_concern_to_correct,
)
from shigan.grassroots.models import Concern, ConcernKind, ConcernStep, Visit
from shigan.grassroots.services.concerns import ConcernInput, concern_step
from shigan.orgs.models import Role
from shigan.testing import make_user

from .concern_helpers import ID_NUMBER, PHONE, category, concern
from .visit_helpers import visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
MASKED_PHONE = "138****1234"


@pytest.fixture
def today(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def _visit_data(world, v, **changes):
    data = {
        "kind": v.kind, "date": v.date.isoformat(), "cadres": [p.pk for p in v.cadres.all()],
        "place_kind": v.place_kind, "place": v.place, "place_unit": "",
        "people_met": v.people_met, "what_done": v.what_done, "reason": "录入时写错了地点",
    }  # fmt: skip
    return {**data, **changes}


def _concern_data(c, **changes):
    data = {
        "kind": c.kind, "category": c.category_id, "requester_name": c.requester_name,
        "requester_phone": "", "requester_id_number": "", "content": c.content,
        "parties": c.parties, "reason": "热线记录有误",
    }  # fmt: skip
    return {**data, **changes}


def _edit(name, record):
    return reverse(f"grassroots:{name}_edit", args=[record.pk])


# Visits


def test_reporter_corrects_his_units_visit_and_its_history_shows_it(world, client_for):
    v = visit(world, unit=world.unit_a)
    client = client_for(world.reporter_a)
    data = _visit_data(world, v, place="清凉村五组", cadres=[world.reporter_a.person.pk])
    assert client.post(_edit("visit", v), data).status_code == 302
    v.refresh_from_db()
    assert v.place == "清凉村五组" and list(v.cadres.all()) == [world.reporter_a.person]
    entry = AuditEntry.objects.get(record_type="grassroots.visit", action=AuditAction.UPDATE)
    assert entry.note == "更正原因：录入时写错了地点"
    assert entry.changes["地点"] == ["清凉村", "清凉村五组"]
    assert entry.changes["走访干部"] == [world.leader_person.name, world.reporter_a.person.name]
    page = client.get(v.get_absolute_url()).content.decode()
    assert "更正原因：录入时写错了地点" in page and "清凉村五组" in page and ">更正</a>" in page


def test_a_visit_correction_needs_a_reason_and_a_change(world, client_for):
    v = visit(world, unit=world.unit_a)
    client = client_for(world.coordinator)
    page = client.post(_edit("visit", v), _visit_data(world, v, place="别处", reason=" "))
    assert "请填写更正原因" in page.content.decode()
    page = client.post(_edit("visit", v), _visit_data(world, v))
    assert "没有修改任何内容" in page.content.decode()
    v.refresh_from_db()
    assert v.place == "清凉村"
    assert not AuditEntry.objects.filter(record_type="grassroots.visit", action="update").exists()


def test_a_visits_date_stays_while_concerns_were_received_on_it(world, client_for):
    item = ConcernInput(kind=ConcernKind.REQUEST, category=category(world), requester_name="王",
                        content="路灯", assigned_unit=world.unit_a)  # fmt: skip
    v = visit(world, unit=world.unit_a, concerns=[item])
    client = client_for(world.coordinator)
    page = client.post(_edit("visit", v), _visit_data(world, v, date="2023-06-02"))
    assert "已登记1件诉求" in page.content.decode()
    assert Visit.objects.get().date == datetime.date(2023, 6, 1)
    bare = visit(world, unit=world.unit_a)
    assert client.post(_edit("visit", bare), _visit_data(world, bare, date="2023-06-02")).status_code == 302  # fmt: skip
    bare.refresh_from_db()
    assert bare.date == datetime.date(2023, 6, 2)
    page = client.post(_edit("visit", bare), _visit_data(world, bare, date="2099-01-01"))
    assert "走访日期不能晚于今天" in page.content.decode()


def test_only_whoever_enters_a_visit_corrects_it(world, client_for):
    v = visit(world, unit=world.unit_a)
    url = _edit("visit", v)
    assert client_for(world.reporter_b).get(url).status_code == 404
    assert client_for(world.leader).get(url).status_code == 403
    assert client_for(world.inspector).get(url).status_code == 403
    assert ">更正</a>" not in client_for(world.leader).get(v.get_absolute_url()).content.decode()
    data = _visit_data(world, v, place="篡改")
    assert client_for(world.leader).post(url, data).status_code == 403
    assert Visit.objects.get().place == "清凉村"


def test_visit_correction_page_runs_a_fixed_number_of_queries(world, client_for):
    v = visit(world, unit=world.unit_a)
    client = client_for(world.coordinator)

    def grow():
        for n in range(3):
            client.post(_edit("visit", v), _visit_data(world, v, place=f"地点{n}"))

    assert_same_queries(get_page(client, _edit("visit", v)), grow, warm_up=True)


# Concerns


def test_a_new_category_recomputes_the_due_date_on_the_working_day_calendar(world, client_for):
    # Received Thu 2023-06-15: 5 working days end on Sun 25 June (a 调休 working day after the
    # Dragon Boat holiday 22–24 June); 10 working days on Fri 30 June.
    c = concern(world, received=datetime.date(2023, 6, 15), days=5)
    assert c.due_on == datetime.date(2023, 6, 25)
    ten = category(world, name="土地纠纷", days=10)
    client = client_for(world.coordinator)
    page = client.get(_edit("concern", c)).content.decode()
    assert "重新计算" in page and "工作日历" in page
    response = client.post(_edit("concern", c), _concern_data(c, category=ten.pk), follow=True)
    assert "办理时限按新类别重新计算为2023-06-30" in response.content.decode()
    c.refresh_from_db()
    assert (c.category, c.due_on) == (ten, datetime.date(2023, 6, 30))
    entry = AuditEntry.objects.get(record_type="grassroots.concern", note="更正原因：热线记录有误")
    assert entry.changes["办理时限"] == ["2023-06-25", "2023-06-30"]
    assert entry.changes["类别"] == ["类别5", "土地纠纷"]


def test_steps_taken_are_never_rewritten(world, client_for):
    c = concern(world)
    concern_step(concern=c, by=world.reporter_a, step=ConcernStep.HANDLING,
                 on=datetime.date(2023, 6, 2), note="已派人查看")  # fmt: skip
    before = list(c.actions.values_list("step", "on", "note", "by_id"))
    data = _concern_data(c, content="路灯坏了三盏", category=category(world, name="急", days=0).pk)
    assert client_for(world.coordinator).post(_edit("concern", c), data).status_code == 302
    c.refresh_from_db()
    assert list(c.actions.values_list("step", "on", "note", "by_id")) == before
    assert (c.step, c.content, c.due_on) == (ConcernStep.HANDLING, "路灯坏了三盏", c.received_on)


def test_numbers_are_kept_replaced_or_cleared_and_never_shown_or_audited_in_full(world, client_for):
    c = concern(world)
    client = client_for(world.coordinator)
    page = client.get(_edit("concern", c)).content.decode()
    assert MASKED_PHONE in page and PHONE not in page and ID_NUMBER not in page
    client.post(_edit("concern", c), _concern_data(c, requester_name="张群众（父）"))
    c.refresh_from_db()
    assert (c.requester_phone, c.requester_id_number) == (PHONE, ID_NUMBER)
    client.post(_edit("concern", c), _concern_data(c, requester_phone="139 0000 5678"))
    c.refresh_from_db()
    assert c.requester_phone == "139 0000 5678"
    client.post(_edit("concern", c), _concern_data(c, clear_id_number="on"))
    c.refresh_from_db()
    assert c.requester_id_number == "" and c.requester_phone == "139 0000 5678"
    changes = [e.changes for e in AuditEntry.objects.filter(note__startswith="更正原因")]
    text = str(changes)
    assert "139 0000 5678" not in text and ID_NUMBER not in text and MASKED_PHONE in text
    history = client.get(c.get_absolute_url()).content.decode()
    assert "更正原因：热线记录有误" in history and ID_NUMBER not in history


def test_bad_corrections_are_refused_with_clear_messages_and_nothing_saved(world, client_for):
    c = concern(world)
    client = client_for(world.coordinator)
    cases = [
        ({"requester_phone": "abcdefgh"}, "联系电话“abcdefgh”不是有效的号码"),
        ({"requester_phone": "138１２３４１２３４"}, "不是有效的号码"),
        ({"requester_id_number": "42010219900101123"}, "不是有效的18位身份证号"),
        ({"kind": "dispute", "parties": ""}, "矛盾纠纷须填写纠纷当事人"),
        ({"reason": ""}, "请填写更正原因"),
        ({"requester_name": "   "}, "这个字段是必填项"),
    ]
    for changes, message in cases:
        page = client.post(_edit("concern", c), _concern_data(c, content="改了", **changes))
        assert page.status_code == 200 and message in page.content.decode(), changes
    assert Concern.objects.get().content == "路灯坏了"
    assert not AuditEntry.objects.filter(note__startswith="更正原因").exists()


def test_a_closed_concern_keeps_its_due_date(world, client_for):
    c = concern(world)
    for step, extra in ((ConcernStep.HANDLING, {}), (ConcernStep.ANSWERED, {}),
                        (ConcernStep.FOLLOWED_UP, {"satisfaction": "satisfied"}),
                        (ConcernStep.CLOSED, {})):  # fmt: skip
        concern_step(concern=c, by=world.coordinator, step=step, on=datetime.date(2023, 6, 5),
                     note="办", **extra)  # fmt: skip
    client = client_for(world.coordinator)
    other = category(world, name="急", days=0)
    page = client.post(_edit("concern", c), _concern_data(c, category=other.pk))
    assert "已于2023-06-05办结" in page.content.decode()
    same_limit = category(world, name="道路照明", days=5)
    assert client.post(_edit("concern", c), _concern_data(c, category=same_limit.pk)).status_code == 302  # fmt: skip
    c.refresh_from_db()
    assert c.category == same_limit and c.due_on == datetime.date(2023, 6, 8)


def test_the_reporter_who_recorded_the_visit_corrects_its_concern_masked(world, client_for):
    item = ConcernInput(kind=ConcernKind.REQUEST, category=category(world), requester_name="王",
                        content="路灯", requester_phone=PHONE, assigned_unit=world.unit_b)  # fmt: skip
    v = visit(world, unit=world.unit_a, concerns=[item])
    c = v.concerns.get()
    page = client_for(world.reporter_a).get(_edit("concern", c)).content.decode()
    assert MASKED_PHONE in page and PHONE not in page
    detail = client_for(world.reporter_a).get(c.get_absolute_url()).content.decode()
    assert ">更正</a>" in detail and "查看完整号码" not in detail
    # The handling unit's reporter did not enter it: he reads and handles it, not corrects it.
    assert client_for(world.reporter_b).get(_edit("concern", c)).status_code == 403
    hotline = concern(world)
    assert client_for(world.reporter_a).get(_edit("concern", hotline)).status_code == 403
    assert client_for(world.leader).get(_edit("concern", hotline)).status_code == 403
    assert client_for(world.reporter_b).get(_edit("concern", hotline)).status_code == 404


def test_concern_correction_page_runs_a_fixed_number_of_queries(world, client_for):
    c = concern(world)
    client = client_for(world.coordinator)

    def grow():
        for n in range(3):
            client.post(_edit("concern", c), _concern_data(c, content=f"内容{n}"))

    assert_same_queries(get_page(client, _edit("concern", c)), grow, warm_up=True)


def test_access_rules_of_correction(world):
    item = ConcernInput(kind=ConcernKind.REQUEST, category=category(world), requester_name="王",
                        content="路灯", assigned_unit=world.unit_b)  # fmt: skip
    v = visit(world, unit=world.unit_a, concerns=[item])
    raised, hotline = v.concerns.get(), concern(world)
    assert can_correct_visit(world.coordinator, v) and can_correct_visit(world.reporter_a, v)
    assert not can_correct_visit(world.reporter_b, v) and not can_correct_visit(world.leader, v)
    assert can_correct_concern(world.reporter_a, raised)
    assert not can_correct_concern(world.reporter_a, hotline)
    assert not can_correct_concern(world.reporter_b, raised)
    assert get_concern_to_correct(world.coordinator, hotline.pk) == hotline
    with pytest.raises(PermissionDenied):
        get_concern_to_correct(world.inspector, hotline.pk)
    with pytest.raises(Http404):
        get_concern_to_correct(world.reporter_b, hotline.pk)
    assert list(concern_units_visible_to(world.reporter_b)) == [world.unit_b]


def test_numbers_not_registered_can_be_added_and_offer_nothing_to_clear(world, client_for):
    item = ConcernInput(kind=ConcernKind.REQUEST, category=category(world), requester_name="王",
                        content="路灯", assigned_unit=world.unit_a)  # fmt: skip
    c = visit(world, unit=world.unit_a, concerns=[item]).concerns.get()
    client = client_for(world.reporter_a)
    page = client.get(_edit("concern", c)).content.decode()
    assert "未登记，可在此补录" in page and "清空联系电话" not in page
    assert client.post(_edit("concern", c), _concern_data(c, requester_phone="13900001111")).status_code == 302  # fmt: skip
    c.refresh_from_db()
    assert c.requester_phone == "13900001111"
    v = c.visit
    page = client.get(_edit("visit", v)).content.decode()
    assert "本次走访已登记1件诉求" in page


# Two sessions correcting the same record (core.editing.EditGuard)


def _shown(client, url) -> dict:
    """The correction form as the browser sends it unchanged (the one with the version)."""
    response = client.get(url)
    assert response.status_code == 200
    parser = _Parser()
    parser.feed(response.content.decode())
    form = next(f for f in parse_forms(parser, url) if any(x.name == FIELD for x in f.fields))
    data: dict[str, list[str]] = {}
    for field in form.fields:
        if field.kind in UNSUBMITTED or (field.kind == "checkbox" and not field.checked):
            continue
        if field.kind == "select" and field.multiple and field.value == "":
            continue
        data.setdefault(field.name, []).append(field.value)
    return data


def _second_coordinator(world):
    user, _ = make_user(
        "coordinator2", unit=world.coordinator.person.unit, role=Role.COORDINATOR, name="吴专班"
    )
    return user


@pytest.mark.parametrize("kind", ["visit", "concern"])
def test_the_second_of_two_concurrent_corrections_is_refused(world, client_for, kind):
    record = visit(world, unit=world.unit_a) if kind == "visit" else concern(world)
    field = "what_done" if kind == "visit" else "content"
    url = _edit(kind, record)
    first, second = client_for(world.coordinator), client_for(_second_coordinator(world))
    shown_first, shown_second = _shown(first, url), _shown(second, url)
    reason = {"reason": ["核对原始登记表"]}
    assert first.post(url, shown_first | {field: ["甲更正的内容"]} | reason).status_code == 302
    refused = second.post(url, shown_second | {field: ["乙更正的内容"]} | reason)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "您打开此页后" in page and "您这次的修改没有保存" in page and "乙更正的内容" in page
    record.refresh_from_db()
    assert getattr(record, field) == "甲更正的内容"


def test_viewing_the_full_number_is_no_competing_correction(world, client_for):
    c = concern(world)
    url = _edit("concern", c)
    client = client_for(world.coordinator)
    shown = _shown(client, url)
    other = client_for(_second_coordinator(world))
    assert other.post(reverse("grassroots:concern_contact", args=[c.pk])).status_code == 200
    data = shown | {"content": ["核对后的内容"], "reason": ["核对原始登记表"]}
    assert client.post(url, data).status_code == 302
    c.refresh_from_db()
    assert c.content == "核对后的内容"
