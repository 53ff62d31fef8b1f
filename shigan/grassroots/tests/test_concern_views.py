"""Concern pages through the HTTP client: list and detail with masked numbers, 查看完整号码
recorded, steps, recording, export, categories; query budgets of the lists."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.grassroots.models import Concern, ConcernCategory, ConcernStep

from .concern_helpers import ID_NUMBER, PHONE, category, concern
from .visit_helpers import visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
MASKED_PHONE, MASKED_ID = "138****1234", "4201**********1234"


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def test_list_shows_masked_phone_to_everyone(world, client_for):
    concern(world)
    for user in (world.coordinator, world.reporter_a):
        page = client_for(user).get(reverse("grassroots:concern_list")).content.decode()
        assert MASKED_PHONE in page and PHONE not in page


def test_detail_masks_and_the_full_number_view_is_recorded(world, client_for):
    c = concern(world)
    url = reverse("grassroots:concern_detail", args=[c.pk])
    page = client_for(world.reporter_a).get(url).content.decode()
    assert (
        MASKED_PHONE in page and MASKED_ID in page and PHONE not in page and "查看完整号码" in page
    )
    assert "查看完整号码" not in client_for(world.leader).get(url).content.decode()
    shown = client_for(world.reporter_a).post(reverse("grassroots:concern_contact", args=[c.pk]))
    assert PHONE in shown.content.decode() and ID_NUMBER in shown.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.VIEW, record_id=c.pk)
    assert entry.actor == world.reporter_a
    history = client_for(world.coordinator).get(url).content.decode()
    assert "查看诉求人完整联系电话和身份证号" in history and PHONE not in history


def test_full_number_refused_to_readers_and_outsiders(world, client_for):
    c = concern(world)
    url = reverse("grassroots:concern_contact", args=[c.pk])
    assert client_for(world.leader).post(url).status_code == 403
    assert client_for(world.inspector).post(url).status_code == 403
    assert client_for(world.reporter_b).post(url).status_code == 404
    assert client_for(world.reporter_a).get(url).status_code == 405
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()


def test_audit_trail_keeps_numbers_masked(world):
    c = concern(world)
    created = AuditEntry.objects.get(action=AuditAction.CREATE, record_id=c.pk,
                                     record_type="grassroots.concern")  # fmt: skip
    assert created.changes["联系电话"] == [None, MASKED_PHONE]
    assert created.changes["身份证号"] == [None, MASKED_ID]


def test_reporter_takes_the_next_step_and_skipping_is_refused(world, client_for):
    c = concern(world)
    url = reverse("grassroots:concern_step", args=[c.pk])
    client = client_for(world.reporter_a)
    skip = client.post(url, {"step": "answered", "on": "2023-06-02", "note": "已答复"})
    assert skip.status_code == 200 and "下一步应为“办理”" in skip.content.decode()
    close = client.post(url, {"step": "closed", "on": "2023-06-02", "note": "办结"})
    assert "尚未答复和回访，不能办结" in close.content.decode()
    ok = client.post(url, {"step": "handling", "on": "2023-06-02", "note": "现场查看"})
    assert ok.status_code == 302
    c.refresh_from_db()
    assert c.step == ConcernStep.HANDLING
    assert client_for(world.leader).post(url, {}).status_code == 403
    assert client_for(world.reporter_b).post(url, {}).status_code == 404
    assert client.get(url).status_code == 405


def test_coordinator_records_a_hotline_concern_with_computed_due_date(world, client_for):
    cat = category(world, name="市政设施", days=5)
    data = {"source": "hotline", "received_on": "2023-07-28", "kind": "request",
            "category": cat.pk, "requester_name": "李四", "requester_phone": PHONE,
            "content": "井盖缺失", "assigned_unit": world.unit_a.pk, "due_on": "2023-07-29"}  # fmt: skip
    response = client_for(world.coordinator).post(reverse("grassroots:concern_create"), data)
    assert response.status_code == 302
    c = Concern.objects.get()
    assert (c.number, c.due_on, c.step) == ("2023-0001", datetime.date(2023, 8, 4), "assigned")
    assert client_for(world.reporter_a).get(reverse("grassroots:concern_create")).status_code == 403


def test_dispute_needs_parties_and_reception_needs_its_day(world, client_for):
    cat = category(world)
    data = {"source": "reception", "received_on": "2023-07-28", "kind": "dispute",
            "category": cat.pk, "requester_name": "李四", "content": "宅基地纠纷"}  # fmt: skip
    page = client_for(world.coordinator).post(reverse("grassroots:concern_create"), data)
    text = page.content.decode()
    assert "矛盾纠纷须填写纠纷当事人" in text and "须选择接待日" in text
    assert not Concern.objects.exists()


def test_export_masks_numbers_and_keeps_hostile_text_as_text(world, client_for):
    concern(world, content='=HYPERLINK("http://x","点我")')
    response = client_for(world.inspector).get(reverse("grassroots:concern_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert MASKED_PHONE in values and MASKED_ID in values and PHONE not in values
    cell = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s"


def test_list_filters_by_status_and_kind(world, client_for):
    late = concern(world, received=datetime.date(2023, 7, 3), days=1, content="逾期的诉求")
    concern(world, received=datetime.date(2023, 7, 31), days=5, content="新的诉求")
    client = client_for(world.coordinator)
    page = client.get(reverse("grassroots:concern_list"), {"status": "overdue"}).content.decode()
    assert late.number in page and "新的诉求" not in page
    page = client.get(reverse("grassroots:concern_list"), {"kind": "dispute", "month": "2023-07"})
    assert "没有符合筛选条件的诉求，" in page.content.decode()


def test_concern_list_queries_do_not_grow(world, client_for):
    concern(world)
    client = client_for(world.coordinator)

    def grow():
        for i in range(6):
            concern(world, unit="b" if i % 2 else None, received=datetime.date(2023, 5, 2 + i))

    assert_same_queries(get_page(client, reverse("grassroots:concern_list")), grow, warm_up=True)


def test_concern_detail_queries_do_not_grow(world, client_for):
    c = concern(world)
    url = reverse("grassroots:concern_detail", args=[c.pk])
    client = client_for(world.coordinator)

    def grow():
        client.post(reverse("grassroots:concern_step", args=[c.pk]),
                    {"step": "handling", "on": "2023-06-02", "note": "办理"})  # fmt: skip

    assert_same_queries(get_page(client, url), grow, warm_up=True)


def test_categories_are_kept_by_coordinators_and_audited(world, client_for):
    client = client_for(world.coordinator)
    url = reverse("grassroots:category_list")
    assert client.post(url, {"name": "马上就办", "time_limit_workdays": "0"}).status_code == 302
    cat = ConcernCategory.objects.get(name="马上就办")
    assert cat.time_limit_workdays == 0
    again = client.post(url, {"name": "马上就办", "time_limit_workdays": "3"})
    assert "已存在" in again.content.decode()
    bad = client.post(url, {"name": "x", "time_limit_workdays": "-1"})
    assert bad.status_code == 200 and not ConcernCategory.objects.filter(name="x").exists()
    edit = reverse("grassroots:category_edit", args=[cat.pk])
    assert client.post(edit, {"name": "马上就办", "time_limit_workdays": "1"}).status_code == 302
    assert AuditEntry.objects.filter(record_type="grassroots.concerncategory").count() == 2
    assert client_for(world.inspector).get(url).status_code == 403


def test_same_day_category_is_due_the_day_received(world):
    c = concern(world, received=datetime.date(2023, 7, 3), days=0)
    assert c.due_on == datetime.date(2023, 7, 3)


def test_index_counts_and_links(world, client_for):
    concern(world)
    page = client_for(world.reporter_a).get(reverse("grassroots:index")).content.decode()
    assert "群众诉求与矛盾纠纷" in page and "录入走访" in page and "登记诉求" not in page
    nav = client_for(world.leader).get(reverse("grassroots:index")).content.decode()
    assert f'href="{reverse("grassroots:index")}"' in nav


def test_index_and_visit_detail_queries_do_not_grow(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    concern(world)
    v = visit(world, unit=world.unit_a, photo=True)
    client = client_for(world.coordinator)

    def grow():
        for i in range(4):
            concern(world, unit="b", received=datetime.date(2023, 5, 2 + i))
            Concern.objects.filter(number=f"2023-000{i + 2}").update(visit=v)

    assert_same_queries(get_page(client, reverse("grassroots:index")), grow, warm_up=True)
    assert_same_queries(get_page(client, v.get_absolute_url()), grow, warm_up=True)


def test_malformed_phone_or_id_number_is_refused_in_chinese(world, client_for):
    cat = category(world)
    data = {"source": "hotline", "received_on": "2023-07-28", "kind": "request",
            "category": cat.pk, "requester_name": "李四", "requester_phone": "call me",
            "requester_id_number": "4201021990", "content": "井盖缺失"}  # fmt: skip
    page = client_for(world.coordinator).post(reverse("grassroots:concern_create"), data)
    text = page.content.decode()
    assert "联系电话“call me”不是有效的号码" in text and "不是有效的18位身份证号" in text
    assert not Concern.objects.exists()
