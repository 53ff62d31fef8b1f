"""Review of the demo on 2023-07-31: under the leader's 全区主要指标 the 重点项目推进指标 block
covered only his 1 overseen project (履约率 46.7%, 开工率 1/1个) while the report for the day
states the district's 6 projects (54.0%, 5 of 6 started). The key projects a leader or a
reporter reads are his units' (access.key_projects_visible_to), so the block states the scope
its rates are computed over in its heading, and says they are not the district's."""

import datetime
import re

import pytest
from django.urls import reverse

from shigan.demo.district import load_demo
from shigan.indicators.views.dashboard import rates_scope

PASSWORD = "shigan-demo-2023"


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo(today=datetime.date(2023, 7, 31))


def block_of(client, username: str) -> tuple[str, list, str]:
    """(the rates heading's text, the rates, the page's text) as `username` reads them."""
    client.login(username=username, password=PASSWORD)
    response = client.get(reverse("indicators:dashboard"))
    client.logout()
    html = response.content.decode()
    heading = re.search(r'<figure class="card chart-card" id="rates">\s*<h2>(.*?)</h2>', html, re.S)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return (
        re.sub(r"<[^>]+>", "", heading.group(1)) if heading else "",
        response.context["rates"],
        text,
    )


def test_rates_scope_names_the_projects_the_viewer_reads():
    assert rates_scope(set(), "分管") == "全区重点项目"
    assert rates_scope(set(), "分管", "全县") == "全县重点项目"
    assert rates_scope({1}, "分管") == "分管项目"
    assert rates_scope({1}, "本单位") == "本单位项目"


def test_rates_heading_states_their_scope_for_leader_reporter_and_coordinator(demo, client):
    heading, rates, text = block_of(client, "zhuanban")
    assert heading == "2023年重点项目推进指标 · 全区重点项目（6个）"
    assert rates.projects == 6 and "data-rates-note" not in text
    fulfilment = {r.definition.key: r for r in rates}["contract_fulfilment"]
    assert str(fulfilment.pct) == "54.0"  # the report's 履约率 for the day

    heading, rates, text = block_of(client, "lingdao")
    assert "全区主要指标" in text
    assert heading == f"2023年重点项目推进指标 · 分管项目（{rates.projects}个）"
    assert 0 < rates.projects < 6
    assert "四率只按分管项目计算，不是上面全区指标那样的全区数。" in text

    # A reporter whose unit has a key project: 招商服务中心 (tianbao3).
    heading, rates, text = block_of(client, "tianbao3")
    assert rates.projects and "全区主要指标" in text
    assert heading == f"2023年重点项目推进指标 · 本单位项目（{rates.projects}个）"
    assert "四率只按本单位项目计算" in text

    # One whose unit has none (交通建设办, tianbao) is told so instead of the block vanishing.
    heading, rates, text = block_of(client, "tianbao")
    assert heading == "" and rates.projects == 0
    assert "重点项目推进指标只按本单位项目计算：2023年没有本单位项目，不显示。" in text
