"""The demo district's 13 media reports on the 实干年 campaign (February–July 2023): one central,
two provincial, four city and six county reports, as the seed counts them."""

import datetime

from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.publicity.services import media_report_record
from shigan.tasks.models import Task

# (month, day, level, outlet, title, word naming the list task it covers or None, activity)
# fmt: off
REPORTS = [
    (2, 9, MediaLevel.COUNTY, "县融媒体中心", "示范区：跑好第一棒 实干开新局", None, "“实干年”活动动员会议"),
    (2, 10, MediaLevel.CITY, "市日报", "示范区召开作风建设“实干年”活动动员会", None, "“实干年”活动动员会议"),
    (3, 8, MediaLevel.COUNTY, "县融媒体中心", "兴业大道项目前期工作有序推进", "兴业大道", "兴业大道建设"),
    (3, 22, MediaLevel.PROVINCE, "省日报", "示范区以“实干年”活动锤炼干部作风", None, "作风建设“实干年”活动"),
    (4, 15, MediaLevel.CITY, "市融媒体中心", "示范区“下基层察民情解民忧暖民心”走深走实", None, "下基层察民情解民忧暖民心"),
    (4, 26, MediaLevel.COUNTY, "县政府网", "示范区油茶种植面积稳步扩大", None, "油茶种植"),
    (5, 20, MediaLevel.CITY, "市日报", "示范区外出招商签约项目加快落地", "招商", "招商引资"),
    (5, 30, MediaLevel.COUNTY, "县融媒体中心", "示范区开展作风建设专项督查", None, "作风建设专项督查"),
    (6, 18, MediaLevel.CENTRAL, "人民网", "“实干年”里比实干：示范区项目一线见真章", None, "作风建设“实干年”活动"),
    (6, 25, MediaLevel.COUNTY, "县电视台", "3.2万亩订单种植助力酒用高粱原料基地建设", None, "订单种植"),
    (7, 3, MediaLevel.CITY, "市广播电视台", "示范区“时间存折”让志愿服务有回报", None, "时间存折"),
    (7, 12, MediaLevel.PROVINCE, "省广播电视台", "清凉河治理二期：一河清水润民心", "清凉河", "清凉河治理二期"),
    (7, 20, MediaLevel.COUNTY, "县融媒体中心", "示范区重点企业稳健经营 经济持续向好", None, "重点企业服务"),
]
# fmt: on
YEAR = 2023


@transaction.atomic
def load_publicity_demo(*, campaign: Campaign, tasks: list[Task], by=None) -> list[MediaReport]:
    """Record the 13 demo reports (those that have appeared by today: SHIGAN_TODAY); a report about a list task is linked to the first of `tasks`
    whose title names it, otherwise it names its subject as the activity."""
    created = []
    for month, day, level, outlet, title, task_word, activity in REPORTS:
        if datetime.date(YEAR, month, day) > clock.today():  # not appeared yet on the demo's day
            continue
        task = next((t for t in tasks if task_word and task_word in t.title), None)
        created.append(
            media_report_record(
                campaign=campaign,
                title=title,
                outlet=outlet,
                level=level,
                date=datetime.date(YEAR, month, day),
                task=task,
                activity=activity if task is None else "",
                by=by,
            )
        )
    return created
