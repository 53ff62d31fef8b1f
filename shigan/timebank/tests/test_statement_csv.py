"""An account's statement as a CSV: the workbook's header and rows (期初, postings, 期末), a
memo that would start a formula inert, read only by those who read the account, queries as few
for ten postings as for one."""

import datetime

import pytest
from django.urls import reverse

from shigan.core.testing import assert_same_queries, get_page
from shigan.core.tests.csv_read import csv_rows
from shigan.timebank.models import Transaction

from .factories import credited, volunteer

pytestmark = pytest.mark.django_db


def _url(account):
    return reverse("timebank:account_export_csv", args=[account.pk]) + "?year=2023"


def test_statement_csv_reads_back(world, client_for):
    account = volunteer(world, "刘大姐", phone="13912345678")
    credited(world, account, "2")
    Transaction.objects.filter(memo__startswith="服务：").update(memo="=1+1")
    header, *rows = csv_rows(client_for(world.inspector).get(_url(account)))
    assert header == ["日期", "类型", "摘要", "存入（小时）", "支出（小时）", "余额（小时）"]
    assert [r[1:3] for r in rows] == [["期初", "期初余额"], ["服务", "'=1+1"], ["期末", "期末余额"]]
    assert rows[1][3:] == ["2", "", "2"] and rows[0][0] == "2023-01-01"
    page = client_for(world.inspector).get(account.get_absolute_url()).content.decode()
    link = reverse("timebank:account_export_csv", args=[account.pk])
    assert f'href="{link}?year=' in page and "导出CSV</a>" in page


def test_statement_csv_is_refused_to_who_may_not_read_the_account(world, client_for):
    account = volunteer(world)
    assert client_for(world.reporter_b).get(_url(account)).status_code == 404


def test_statement_csv_queries_do_not_grow(world, client_for):
    account = volunteer(world)
    credited(world, account, "1")
    client = client_for(world.coordinator)

    def grow():
        for day in range(1, 10):
            credited(world, account, "1", day=datetime.date(2023, 6, day))

    response = assert_same_queries(get_page(client, _url(account)), grow, warm_up=True)
    assert len(csv_rows(response)) == 13
