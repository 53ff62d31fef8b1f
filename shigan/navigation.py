"""The top bar's destinations (issue 15): every page a viewer may open, in one order, split into
the 4–5 his work starts from (shown on every screen, a phone's included) and the rest (under 更多).

Which destinations a viewer may open at all comes from the flags the context processor computed
from each app's access module (`viewer_may`); which of them are his main ones follows his role,
as orgs.access.landing_page_for does for the page `/` opens — the one place outside the access
modules that reads a role, so templates never do."""

import functools
from dataclasses import dataclass, field

from django.urls import get_script_prefix, reverse

from shigan.orgs.access import works_at_grassroots
from shigan.orgs.models import Role
from shigan.orgs.scope import role_of

# (key, label, URL name, the viewer_may flag that must be true — None: every role reads it).
# The order is the bar's, main entries and 更多 alike, so a destination keeps its place.
DESTINATIONS = (
    ("cockpit", "工作总览", "dashboards:cockpit", None),
    ("monthly", "月度填报", "monthly:report", "monthly_report"),
    ("battle_map", "挂图作战", "dashboards:battle_map", None),
    ("tasks", "任务清单", "tasks:task_list", None),
    ("approvals", "审批", "tasks:change_request_list", "approve"),
    ("supervision", "督查", "supervision:inspection_list", None),
    ("indicators", "指标", "indicators:dashboard", None),
    ("report", "总结报告", "reports:report_page", "report"),
    ("campaigns", "活动方案", "campaigns:campaign_list", None),
    ("meetings", "会议", "meetings:meeting_list", None),
    ("publicity", "宣传", "publicity:report_list", None),
    ("grassroots", "基层", "grassroots:index", None),
    ("check", "数字核对", "reports:check", None),
    ("filing", "报送情况", "reminders:filing_board", "chase_reports"),
    ("directives", "上级文件与交办", "directives:directive_list", "directives"),
    ("levels", "下级对比", "dashboards:levels", "levels"),
    ("webhooks", "数据推送", "api:webhooks", "webhooks"),
    ("accounts", "账号管理", "orgs:account_list", "accounts"),
    ("setup", "初始化", "setup_guide", "setup"),
)

# The destinations a role's day starts from (at most 5, so a 390 px phone shows them in one line
# next to 更多). One the viewer may not open (a leader outside every leading group has no 总结报告)
# is left out, not replaced. Documented in README (导航).
MAIN = {
    Role.COORDINATOR: ("cockpit", "battle_map", "tasks", "approvals", "indicators"),
    Role.LEADER: ("cockpit", "battle_map", "tasks", "indicators", "report"),
    Role.REPORTER: ("cockpit", "monthly", "battle_map", "tasks", "indicators"),
    Role.INSPECTOR: ("cockpit", "battle_map", "tasks", "supervision", "indicators"),
}
# A village's or community's reporter (orgs.access.works_at_grassroots): his unit's work is the
# grassroots ledger, 时间存折 among it, so 基层 takes 指标's place (指标 under 更多).
MAIN_GRASSROOTS_REPORTER = ("cockpit", "monthly", "battle_map", "tasks", "grassroots")
# An account without a role (it reads nothing) still gets a bar that leads somewhere.
MAIN_WITHOUT_ROLE = ("cockpit", "battle_map", "tasks", "indicators")
MAX_MAIN = 5


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Navigation:
    main: list[Entry] = field(default_factory=list)
    more: list[Entry] = field(default_factory=list)

    @property
    def more_current(self) -> bool:
        """The page shown is one of 更多's: the menu's button is marked too."""
        return any(e.current for e in self.more)


def _allowed(may: dict, flag: str | None) -> bool:
    if flag is None:
        return True
    value = may.get(flag)
    return bool(value() if callable(value) else value)


# Pages a destination's page leads to that live under another URL: shown, they mark it current
# (时间存折, `/timebank/`, is one of 基层's pages).
ALSO_UNDER = {"grassroots:index": ("timebank:account_list",)}


@functools.lru_cache(maxsize=16)
def _urls(prefix: str) -> dict[str, str]:
    """Each destination's URL under a script prefix (the URL patterns are fixed within a
    process: reversing 19 names on every page cost ~0.8 ms)."""
    return {name: reverse(name) for _, _, name, _ in DESTINATIONS}


@functools.lru_cache(maxsize=16)
def _also_under(prefix: str) -> dict[str, str]:
    """The URL of each ALSO_UNDER page, its destination's URL for each."""
    urls = _urls(prefix)
    return {reverse(page): urls[name] for name, pages in ALSO_UNDER.items() for page in pages}


def navigation_for(user, may: dict, path: str) -> Navigation:
    """The viewer's destinations, `path`'s (the longest URL it starts with) marked current."""
    urls = _urls(get_script_prefix())
    entries = [
        (key, label, urls[name]) for key, label, name, flag in DESTINATIONS if _allowed(may, flag)
    ]
    shown = {url for _, _, url in entries}
    prefixes = [(url, url) for url in shown] + [
        (page, url) for page, url in _also_under(get_script_prefix()).items() if url in shown
    ]
    matching = [(page, url) for page, url in prefixes if page != "/" and path.startswith(page)]
    current = max(matching, key=lambda m: len(m[0]), default=(None, None))[1]
    if works_at_grassroots(user):
        main_keys = MAIN_GRASSROOTS_REPORTER
    else:
        main_keys = MAIN.get(role_of(user), MAIN_WITHOUT_ROLE)[:MAX_MAIN]
    nav = Navigation()
    for key, label, url in entries:
        entry = Entry(key, label, url, current=url == current)
        (nav.main if key in main_keys else nav.more).append(entry)
    return nav
