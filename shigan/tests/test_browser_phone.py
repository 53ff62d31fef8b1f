"""Phones (issue 15), in Chromium at 390×844 on the demo district (2023-07-31), as every demo
account: no page of the navigation scrolls sideways; the bar shows the role's main destinations
(at most 5) and 更多 in one line, every other destination one tap away under 更多; filter forms
fold into one 筛选 button that opens with one tap; a task row is a card whose first line is its
status, and the leader sees 逾期 before any task's name. At 1440×900 tables stay tables."""

import datetime
import re
from pathlib import Path

import pytest

from shigan.demo.district import load_demo
from shigan.demo.screenshots import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1440, "height": 900}

EVERYONE_MORE = ["督查", "活动方案", "会议", "宣传", "基层", "数字核对"]
# (main entries, 更多's entries) per demo account: shigan/navigation.py, README 导航.
BARS = {
    "zhuanban": (
        ["工作总览", "挂图作战", "任务清单", "审批", "指标"],
        [
            "月度填报",
            "督查",
            "总结报告",
            "活动方案",
            "会议",
            "宣传",
            "基层",
            "数字核对",
            "报送情况",
            "上级文件与交办",
            "数据推送",
            "账号管理",
            "初始化",
        ],
    ),
    # 王志强 sits in the demo's leading group: 总结报告 is his.
    "lingdao": (["工作总览", "挂图作战", "任务清单", "指标", "总结报告"], EVERYONE_MORE),
    "ducha": (
        ["工作总览", "挂图作战", "任务清单", "督查", "指标"],
        ["总结报告", "活动方案", "会议", "宣传", "基层", "数字核对"],
    ),
    "tianbao": (["工作总览", "月度填报", "挂图作战", "任务清单", "指标"], EVERYONE_MORE),
    # a village's reporter: 基层 (his 时间存折) in 指标's place (navigation.MAIN_GRASSROOTS_REPORTER)
    "cunbao": (
        ["工作总览", "月度填报", "挂图作战", "任务清单", "基层"],
        ["督查", "指标", "活动方案", "会议", "宣传", "数字核对"],
    ),
}
STATUS_LABELS = {"逾期", "滞后", "临期", "正常", "未启动", "完成", "已取消"}

PAGE_STATE = """() => {
  const folds = [...document.querySelectorAll('details.filter-fold')];
  const unfolded = [...document.querySelectorAll('main form.filters')].filter(f => {
    const fields = [...f.elements].filter(e => !['hidden', 'submit', 'button'].includes(e.type)
      && e.tagName !== 'BUTTON' && e.tagName !== 'FIELDSET');
    return !f.closest('details') && fields.length >= 3 && f.dataset.fold !== 'off';
  });
  // Cards whose first line is not their status.
  const late = [...document.querySelectorAll('table.card-rows tr')].filter(r => {
    const status = r.querySelector(':scope > .card-status');
    if (!status) return false;
    const top = status.getBoundingClientRect().top;
    return [...r.cells].some(c => c.checkVisibility() && c.getBoundingClientRect().top < top);
  });
  return {
    wide: document.documentElement.scrollWidth - window.innerWidth,
    late: late.length,
    folds: folds.length,
    open: folds.filter(d => d.open).length,
    unfolded: unfolded.length,
  };
}"""


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo(today=datetime.date(2023, 7, 31))


def open_as(chromium, base, username, size=PHONE):
    phone = size == PHONE
    context = chromium.new_context(
        locale="zh-CN", viewport=size, is_mobile=phone, has_touch=phone, device_scale_factor=1
    )
    return context, log_in(context, base, username)


def entries(page, selector) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        selector, "els => els.map(a => [a.textContent.trim(), a.getAttribute('href')])"
    )


def go(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_every_destination_fits_a_phone_and_is_one_tap_away(demo, chromium, live_server):
    base = live_server.url
    problems = []
    for username, (expected_main, expected_more) in BARS.items():
        context, page = open_as(chromium, base, username)
        main = entries(page, ".nav-main a")
        more = [e for e in entries(page, ".nav-more-menu a") if e[0] != "修改密码"]
        assert [label for label, _ in main] == expected_main, username
        assert [label for label, _ in more] == expected_more, username

        # One line, nothing off-screen: every tab and 更多 on the same row, inside 390 px.
        boxes = [page.locator(".nav-main a").nth(i).bounding_box() for i in range(len(main))]
        boxes.append(page.locator(".nav-more > summary").bounding_box())
        assert len({round(b["y"]) for b in boxes}) == 1, (username, boxes)
        assert all(b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] for b in boxes), boxes

        # 更多 opens with one tap and shows every other destination on the screen.
        assert not page.locator(".nav-more-menu").is_visible()
        page.tap(".nav-more > summary")
        for label, _ in more:
            link = page.locator(".nav-more-menu a", has_text=re.compile(f"^{label}$"))
            assert link.is_visible(), (username, label)
            box = link.bounding_box()
            assert (
                box["x"] + box["width"] <= PHONE["width"]
                and box["y"] + box["height"] <= PHONE["height"]
            )

        for label, href in main + more:
            go(page, base + href)
            state = page.evaluate(PAGE_STATE)
            current = page.locator(".mainnav a[aria-current=page]")
            if state["wide"] > 0:
                problems.append(f"{username} {label} {href}: scrolls {state['wide']} px sideways")
            if state["late"]:
                problems.append(
                    f"{username} {label} {href}: {state['late']} cards not status first"
                )
            if state["unfolded"] or state["open"]:
                problems.append(f"{username} {label} {href}: filters not folded {state}")
            if current.count() != 1 or current.text_content().strip() != label:
                problems.append(f"{username} {label} {href}: current entry not marked")
        context.close()
    assert problems == [], "\n".join(problems)


def test_a_more_entry_opens_by_tap_and_marks_more(demo, chromium, live_server):
    context, page = open_as(chromium, live_server.url, "zhuanban")
    go(page, f"{live_server.url}/tasks/")
    page.tap(".nav-more > summary")
    with page.expect_navigation():
        page.tap(".nav-more-menu a:text-is('会议')")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/meetings/")
    assert page.locator("details.nav-more.has-current").count() == 1
    assert page.locator(".nav-more-menu").is_visible() is False  # closed on the new page
    context.close()


def test_filters_fold_into_one_button_that_opens_with_one_tap(demo, chromium, live_server):
    base = live_server.url
    context, page = open_as(chromium, base, "zhuanban")
    for path in ("/tasks/", "/map/", "/meetings/"):
        go(page, base + path)
        fold = page.locator("details.filter-fold")
        assert fold.count() == 1, path
        form = fold.locator("form.filters")
        assert fold.locator("summary").inner_text().startswith("筛选"), path
        assert not form.is_visible(), path
        page.tap("details.filter-fold > summary")
        assert form.is_visible(), path
        assert form.locator("button[type=submit]").is_visible(), path

    # The button says how many filters are in use.
    go(page, f"{base}/tasks/?status=overdue")
    summary = page.locator("details.filter-fold > summary").inner_text()
    assert re.sub(r"\s+", "", summary) == "筛选已选1项"
    assert page.locator("table.card-rows tbody tr:not(.group-row)").count() == 3  # 3 overdue tasks
    context.close()


def test_a_task_row_is_a_card_with_its_status_first(demo, chromium, live_server):
    context, page = open_as(chromium, live_server.url, "lingdao")
    go(page, f"{live_server.url}/tasks/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone_task_list.png"))
    rows = page.locator("table.task-table tbody tr:not(.group-row)")  # not category headings
    total = int(re.search(r"共\s*(\d+)\s*项任务", page.inner_text("main")).group(1))
    assert total > 5 and rows.count() == total
    assert page.locator("table.task-table thead").is_visible() is False
    for i in (0, total - 1):
        row = rows.nth(i)
        assert row.evaluate("r => getComputedStyle(r).display") == "flex"
        # The first visible line of the card: the cell highest up is the status badge's.
        first = row.evaluate(
            """r => [...r.cells].filter(c => c.checkVisibility())
                     .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0]
                     .innerText.trim()"""
        )
        assert first in STATUS_LABELS, first
        # Each other value after its column's name.
        label = row.locator("td[data-label='牵头单位']").evaluate(
            "c => getComputedStyle(c, '::before').content"
        )
        assert label == '"牵头单位："', label
    width = rows.first.bounding_box()["width"]
    assert width <= PHONE["width"]
    context.close()


def test_the_leader_sees_overdue_before_any_task_name(demo, chromium, live_server):
    context, page = open_as(chromium, live_server.url, "lingdao")
    for path in ("/map/cockpit/", "/map/"):
        go(page, live_server.url + path)
        tops = page.evaluate(
            """() => {
              const visible = e => e.checkVisibility() && e.getBoundingClientRect().height > 0;
              const overdue = [...document.querySelectorAll('main *')].filter(e => visible(e)
                && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.includes('逾期')));
              const task = [...document.querySelectorAll('main a')].filter(a => visible(a)
                && /^\\/tasks\\/\\d+\\/$/.test(a.getAttribute('href')));
              const top = e => e ? e.getBoundingClientRect().top + scrollY : null;
              return [top(overdue[0]), top(task[0])];
            }"""
        )
        overdue_at, task_at = tops
        assert overdue_at is not None and overdue_at < PHONE["height"], path
        assert task_at is None or overdue_at < task_at, (path, tops)
    context.close()


def test_on_a_desk_tables_stay_tables_and_filters_stay_open(demo, chromium, live_server):
    context, page = open_as(chromium, live_server.url, "zhuanban", DESK)
    for path in ("/tasks/", "/map/", "/meetings/"):
        go(page, live_server.url + path)
        table = page.locator("main table").first
        assert table.evaluate("t => getComputedStyle(t).display") == "table", path
        assert table.locator("thead").is_visible(), path
        assert (
            table.locator("tbody tr").first.evaluate("r => getComputedStyle(r).display")
            == "table-row"
        ), path
        assert page.locator("main form.filters").is_visible(), path
        assert not page.locator("details.filter-fold > summary").is_visible(), path
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
    # The bar: the same entries as on a phone, in one line with the account's links.
    boxes = [
        b.bounding_box() for b in page.locator(".nav-main a, .nav-more > summary, .whoami").all()
    ]
    middles = [b["y"] + b["height"] / 2 for b in boxes]
    assert max(middles) - min(middles) < 6, boxes
    # A tablet: the account's links may take a second row, the destinations never do.
    page.set_viewport_size({"width": 700, "height": 1000})
    tabs = [b.bounding_box() for b in page.locator(".nav-main a, .nav-more > summary").all()]
    assert len({round(b["y"]) for b in tabs}) == 1, tabs
    assert max(b["x"] + b["width"] for b in tabs) <= 700
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    context.close()
