"""The demo's narratives state figures its records hold (the 招商引资 task's July progress:
外出招商4次, 签订协议项目4个, 实际落地项目3个): they agree, and the report page shows them checked."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from shigan.reports.compose import build_summary
from shigan.reports.narrative_check import narrative_check

AS_OF = datetime.date(2023, 7, 31)


@pytest.fixture
def demo(db):
    from shigan.demo.district import load_demo

    return load_demo(today=AS_OF)


def test_the_demos_narratives_agree_with_its_records_and_the_page_shows_them(demo, client):
    document = build_summary(campaign=demo.campaign, as_of=AS_OF)
    result = narrative_check(document=document, campaign=demo.campaign, as_of=AS_OF)
    assert result.disagreements == []
    checked = {(f.narrative.title, f.label, f.stated, f.recorded) for f in result.agreements}
    assert checked == {
        ("任务“招商引资”2023年7月进展", "外出招商", "4次", "4次"),
        ("任务“招商引资”2023年7月进展", "签订协议项目", "4个", "4个"),
        ("任务“招商引资”2023年7月进展", "实际落地项目", "3个", "3个"),
    }
    client.force_login(get_user_model().objects.get(username="zhuanban"))
    html = client.get(f"/reports/?campaign={demo.campaign.pk}&as_of=2023-07-31").content.decode()
    assert "叙述中的数字与记录不一致" not in html
    # The demo's 招商引资 paragraph is the 专班's own text (【招商引资】), not the progress report:
    # its figures agree but are not the report's, and the page says so.
    assert {f.narrative.in_report for f in result.agreements} == {False}
    assert "报告印出的文字中没有可核对的数字；另有3个数字出自报告未引用的文字" in html
    assert "核对的叙述：任务“招商引资”2023年7月进展（报告未引用）" in html
