"""The directives page is named for what the viewer's level has: a district (a level above it)
reads 上级文件 with its inbox of hand-downs; a county with nothing above it sends documents down
(下发文件) and is offered no inbox, which nothing could ever reach; a county below a city has
both."""

import datetime

import pytest
from django.urls import reverse

from shigan.directives.access import directives_title, has_level_above
from shigan.directives.tests.factories import build_county
from shigan.orgs.models import Unit, UnitKind

TODAY = datetime.date(2023, 7, 31)
LIST = reverse("directives:directive_list")
INBOX = reverse("directives:inbox")


@pytest.fixture
def county(db, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())
    return build_county(1)


def _head(client) -> str:
    return client.get(LIST).content.decode().split('<section class="card">')[0]


def test_top_county_reads_xiafa_wenjian_without_an_inbox(county, client_for):
    assert not has_level_above(county.coordinator)
    head = _head(client_for(county.coordinator))
    assert "<h1>下发文件</h1>" in head and "<title>下发文件" in head
    assert INBOX not in head and "待接收的交办任务" not in head
    assert '交办本级任务</a> · <a class="button"' in head
    assert "<h1>下发文件</h1>" in _head(client_for(county.inspector))
    inbox = client_for(county.coordinator).get(INBOX).content.decode()
    assert "本级之上没有上级单位，不会收到交办任务" in inbox


def test_district_keeps_shangji_wenjian_and_its_inbox(county, client_for):
    district = county.districts[0]
    assert has_level_above(district.coordinator)
    head = _head(client_for(district.coordinator))
    assert "<h1>上级文件</h1>" in head
    assert f'<a href="{INBOX}">待接收的交办任务</a> · <a class="button"' in head
    inbox = client_for(district.coordinator).get(INBOX).content.decode()
    assert "没有待接收的交办任务：上级交办后列于此" in inbox


def test_county_below_a_city_has_both(county):
    city = Unit.objects.create(name="某市党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    Unit.objects.filter(pk=county.unit.pk).update(parent=city)
    assert directives_title(county.coordinator) == "上级文件与下发文件"
