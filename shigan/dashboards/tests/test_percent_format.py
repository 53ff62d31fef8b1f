"""Review of the demo as 领导 on 2023-07-31: every percentage and 百分点 on the cockpit, the
indicator page and the key-project page keeps its one decimal (shigan.core.numbers: 100.0, 33.3,
0.0 — the cockpit printed 完成100％ where the indicator table printed 100.0), and the pages write
one percent sign, the half-width % (calc.PERCENT_SIGN through calc.pct_text / the `percent`
filter); the cockpit mixed 完成率 33.3％ with 按时办结率79.3%."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from shigan.demo.district import load_demo
from shigan.indicators import calc
from shigan.indicators.templatetags.indicator_tags import gap, pct, percent, signed_pct

PASSWORD = "shigan-demo-2023"
PAGES = (
    "dashboards:cockpit",
    "indicators:dashboard",
    "indicators:project_list",
    "meetings:decision_table",
)
OTHER_SIGN = "％"


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo(today=datetime.date(2023, 7, 31))


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_formatter_keeps_one_decimal_and_the_one_sign():
    assert calc.PERCENT_SIGN == "%"
    assert [calc.pct_text(Decimal(v)) for v in ("100", "33.33", "0", "44.45", "-0.01")] == [
        "100.0%",
        "33.3%",
        "0.0%",
        "44.5%",
        "0.0%",
    ]
    assert calc.pct_text(None) == "—" and calc.pct_number(7) == "7.0"
    assert (pct(Decimal(100)), percent(Decimal(50)), signed_pct(Decimal(-3))) == (
        "100.0",
        "50.0%",
        "−3.0",
    )
    assert (gap(Decimal(2)), gap(Decimal(-13)), gap(Decimal(0))) == ("超2.0", "低于13.0", "持平")


def test_leaders_pages_print_every_percentage_with_its_decimal_and_one_sign(demo, client):
    client.login(username="lingdao", password=PASSWORD)
    texts = {name: visible_text(client.get(reverse(name)).content.decode()) for name in PAGES}
    cockpit, table = texts["dashboards:cockpit"], texts["indicators:dashboard"]
    # 订单种植面积 32000 of 32000: the table's 100.0, the cockpit's 完成100.0%.
    assert re.search(r"订单种植面积 .*?完成100\.0% ", cockpit), cockpit
    assert "完成100%" not in cockpit and "100.0" in table
    assert "完成率 33.3%" in cockpit and "按时办结率79.3%" in cockpit
    for name, text in texts.items():
        assert OTHER_SIGN not in text, name
        # A percentage printed without its decimal (…100% or …0%).
        figures = re.findall(r"(?<![\d.])(\d+)%", text)
        assert set(figures) <= {"100"}, (name, figures)  # only the rule "以100%为基准"
