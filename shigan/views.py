"""The site's door: `/` opens the page where the user's work is (orgs.access.landing_page_for),
and 初始化 (`/setup/`), the coordinator's guide through setting a district up: organisation →
people and accounts → campaign → task list → indicators, each step with what is there and the
page that does the next thing."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.indicators.access import indicators_visible_to
from shigan.indicators.models import Indicator
from shigan.meetings.models import MeetingSeries
from shigan.monthly.views import has_report_items
from shigan.orgs.access import (
    LANDING_BATTLE_MAP,
    LANDING_COCKPIT,
    LANDING_MONTHLY_REPORT,
    can_manage_setup,
    landing_page_for,
)
from shigan.orgs.models import Oversight
from shigan.orgs.scope import district_people, district_units, reportable_unit
from shigan.tasks.models import Task, TaskCategory
from shigan.timebank.access import accounts_visible_to
from shigan.timebank.models import Account, AccountKind

LANDING_URLS = {
    LANDING_MONTHLY_REPORT: "monthly:report",
    LANDING_COCKPIT: "dashboards:cockpit",
    LANDING_BATTLE_MAP: "dashboards:battle_map",
}


def home(request):
    """A reporter his unit's monthly report, a leader 工作总览, everyone else 挂图作战 — and a
    coordinator whose district has no campaign or no task yet the 初始化 guide; a reporter whose
    monthly report has nothing to fill in but whose unit keeps time-bank accounts (a village's
    村委会文书) 时间存折 (LoginRequiredMiddleware sends an anonymous visitor to the log-in page
    first)."""
    if can_manage_setup(request.user) and not _has_tasks(request.user):
        return redirect("setup_guide")
    landing = landing_page_for(request.user)
    if landing == LANDING_MONTHLY_REPORT and _keeps_time_bank_only(request.user):
        return redirect("timebank:account_list")
    return redirect(LANDING_URLS[landing])


def _keeps_time_bank_only(user) -> bool:
    """The reporter's unit has no 月度填报 to fill in and keeps volunteers' time-bank accounts
    (at most four queries, on `/` only)."""
    unit = reportable_unit(user)
    if unit is None or has_report_items(user, unit, clock.today().year):
        return False
    volunteers = Account.objects.filter(kind=AccountKind.VOLUNTEER, unit=unit)
    return accounts_visible_to(user, volunteers).exists()


def _has_tasks(user) -> bool:
    campaign = campaign_for_user(user)
    return campaign is not None and Task.objects.filter(campaign=campaign).exists()


@dataclass
class Step:
    """One step of 初始化: done or not, what is there, the pages that do it."""

    title: str
    done: bool
    summary: str
    actions: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    note: str = ""


def _org_step(user) -> tuple[Step, Step]:
    units = district_units(user).count()
    people = district_people(user).aggregate(
        total=Count("id"),
        with_role=Count("id", filter=~Q(role="")),
        with_account=Count("id", filter=Q(user__isnull=False)),
        to_create=Count("id", filter=Q(user__isnull=True) & ~Q(role="")),
    )
    oversights = Oversight.objects.filter(unit__in=district_units(user)).count()
    org = Step(
        "组织架构",
        done=units > 1 and people["total"] > 1,
        summary=f"本区县已有{units}个单位、{people['total']}名人员、{oversights}条分管关系。",
        actions=[
            ("导入组织架构", reverse("orgs:org_import")),
            ("导出现有组织架构", reverse("orgs:org_export")),
        ],
        note="单位、人员、分管关系和领导小组在一个 Excel 工作簿中；页面提供模板和填好的示例。",
    )
    accounts = Step(
        "人员与账号",
        done=people["with_role"] > 1 and people["to_create"] == 0,
        summary=(
            f"有系统角色的{people['with_role']}人中，已开通账号{people['with_account']}人，"
            f"待开通{people['to_create']}人。"
        ),
        actions=[("账号管理", reverse("orgs:account_list"))],
        note="一键为所有有角色的人员开通账号；初始密码只显示和下载一次，首次登录须修改。",
    )
    return org, accounts


def _campaign_steps(user) -> list[Step]:
    campaign = campaign_for_user(user)
    if campaign is None:
        return [
            Step(
                "活动",
                done=False,
                summary="尚未建立活动（如“实干年”活动）。",
                actions=[("新建活动", reverse("campaigns:campaign_create"))],
            ),
            Step("任务清单", done=False, summary="建立活动后导入任务清单。"),
            Step("指标", done=False, summary="建立活动后设置指标及年度目标。"),
        ]
    query = f"?campaign={campaign.pk}"
    tasks = Task.objects.filter(campaign=campaign).count()
    categories = TaskCategory.objects.filter(campaign=campaign).count()
    series = MeetingSeries.objects.filter(campaign=campaign).count()
    indicators = indicators_visible_to(user, Indicator.objects.all()).aggregate(
        total=Count("id"),
        with_target=Count(
            "id",
            filter=Q(years__year=campaign.year, years__annual_target__isnull=False),
            distinct=True,
        ),
    )
    return [
        Step(
            "活动",
            done=True,
            summary=f"当前活动：{campaign}（{campaign.start_date:%Y-%m-%d}至"
            f"{campaign.end_date:%Y-%m-%d}），会议系列{series}个。",
            actions=[
                ("活动、实施方案与阶段", reverse("campaigns:campaign_detail", args=[campaign.pk])),
                ("会议系列", reverse("meetings:meeting_list") + query),
                ("新建活动", reverse("campaigns:campaign_create")),
            ],
        ),
        Step(
            "任务清单",
            done=tasks > 0,
            summary=f"当前活动共{tasks}项任务、{categories}个类别。",
            actions=[
                ("导入任务清单", reverse("tasks:task_list_import") + query),
                ("任务类别", reverse("tasks:category_list") + query),
                ("挂图作战", reverse("dashboards:battle_map") + query),
            ],
            note="按区县自己的任务清单（任务分解表）格式导入；先预览，确认后才保存。",
        ),
        Step(
            "指标",
            done=indicators["total"] > 0 and indicators["with_target"] == indicators["total"],
            summary=(
                f"已设指标{indicators['total']}项，其中{indicators['with_target']}项有"
                f"{campaign.year}年度目标。"
            ),
            actions=[
                ("指标设置", reverse("indicators:definition_list")),
                ("导入年度目标", reverse("indicators:import_upload")),
            ],
        ),
    ]


@login_required
@require_GET
def setup_guide(request):
    """初始化: the steps of setting the coordinator's district up, each with its state."""
    if not can_manage_setup(request.user):
        raise PermissionDenied("只有专班可以进行初始化和基础设置。")
    steps = [*_org_step(request.user), *_campaign_steps(request.user)]
    next_step = next((step for step in steps if not step.done), None)
    return render(request, "setup_guide.html", {"steps": steps, "next_step": next_step})
