"""Visits through the HTTP client: a visit with its photo and the concerns raised, saved all or
nothing; list filters and query budget; the photo behind the visit's access."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shigan.core.testing import assert_same_queries, get_page
from shigan.grassroots.models import Concern, ConcernSource, Visit, VisitPhoto

from .concern_helpers import category
from .visit_helpers import png, visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def _data(world, *, concerns=(), photos=()):
    data = {
        "kind": "visit", "date": "2023-07-20", "unit": world.unit_a.pk,
        "cadres": [world.reporter_a.person.pk], "place_kind": "village", "place": "清凉村三组",
        "what_done": "入户走访，了解道路情况", "photos": list(photos),
        "concern-TOTAL_FORMS": str(len(concerns)), "concern-INITIAL_FORMS": "0",
    }  # fmt: skip
    for i, fields in enumerate(concerns):
        data.update({f"concern-{i}-{k}": v for k, v in fields.items()})
    return data


def _concern_fields(world, **extra):
    fields = {"kind": "request", "category": category(world).pk, "requester_name": "王大爷",
              "requester_phone": "13812341234", "content": "村道坑洼",
              "assigned_unit": world.unit_a.pk}  # fmt: skip
    return {**fields, **extra}


def test_reporter_records_a_visit_with_a_concern_and_a_photo(world, client_for):
    data = _data(world, concerns=[_concern_fields(world)], photos=[png()])
    response = client_for(world.reporter_a).post(reverse("grassroots:visit_create"), data)
    assert response.status_code == 302
    v = Visit.objects.get()
    c = Concern.objects.get()
    assert (c.visit, c.source, c.received_on) == (
        v,
        ConcernSource.VISIT,
        datetime.date(2023, 7, 20),
    )
    assert v.photos.count() == 1 and v.unit == world.unit_a
    page = client_for(world.coordinator).get(c.get_absolute_url()).content.decode()
    assert "现场.png" in page and "走访照片" in page


def test_a_bad_concern_saves_neither_visit_nor_photo(world, client_for, tmp_path):
    data = _data(world, concerns=[_concern_fields(world, kind="dispute")], photos=[png()])
    page = client_for(world.reporter_a).post(reverse("grassroots:visit_create"), data)
    assert "矛盾纠纷须填写纠纷当事人" in page.content.decode()
    assert not Visit.objects.exists() and not Concern.objects.exists()
    assert not VisitPhoto.objects.exists() and not list(tmp_path.rglob("*.png"))


def test_only_images_are_accepted_as_photos(world, client_for):
    pdf = SimpleUploadedFile("记录.pdf", b"%PDF-1.4 x")
    fake = SimpleUploadedFile("照片.jpg", b"MZ not a jpeg")
    for upload, message in ((pdf, "只接受 JPG、PNG 图片"), (fake, "内容与扩展名 .jpg 不符")):
        page = client_for(world.reporter_a).post(
            reverse("grassroots:visit_create"), _data(world, photos=[upload])
        )
        assert message in page.content.decode()
    assert not Visit.objects.exists()


def test_reporter_cannot_record_another_units_visit(world, client_for):
    data = _data(world)
    data["unit"] = world.unit_b.pk
    page = client_for(world.reporter_a).post(reverse("grassroots:visit_create"), data)
    assert "选项不存在" in page.content.decode() and not Visit.objects.exists()
    assert client_for(world.leader).get(reverse("grassroots:visit_create")).status_code == 403


def test_visit_list_filters_and_queries_do_not_grow(world, client_for):
    visit(world, unit=world.unit_a, photo=True)
    client = client_for(world.coordinator)

    def grow():
        for i in range(5):
            visit(world, unit=world.unit_b, photo=True, date=datetime.date(2023, 5, 1 + i))

    url = reverse("grassroots:visit_list")
    assert_same_queries(get_page(client, url), grow, warm_up=True)
    page = client.get(url, {"month": "2023-05", "unit": world.unit_b.pk}).content.decode()
    assert page.count("2023-05-0") == 5 and "2023-06-01" not in page


def test_photo_download_follows_the_visit(world, client_for):
    v = visit(world, unit=world.unit_a, photo=True)
    url = reverse("grassroots:visit_photo", args=[v.photos.get().pk])
    assert client_for(world.leader).get(url).status_code == 200
    assert client_for(world.reporter_b).get(url).status_code == 404
    assert client_for(world.reporter_b).get(v.get_absolute_url()).status_code == 404


def test_a_bad_phone_in_a_concern_row_is_named_beside_it(world, client_for):
    data = _data(world, concerns=[_concern_fields(world, requester_phone="一三八")])
    page = client_for(world.reporter_a).post(reverse("grassroots:visit_create"), data)
    form = page.context["formset"].forms[0]
    assert form.errors["requester_phone"] == [
        "联系电话“一三八”不是有效的号码（只能填数字，可含空格或“-”）。"
    ]
    assert not Visit.objects.exists()
