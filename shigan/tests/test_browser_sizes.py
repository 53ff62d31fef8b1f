"""The pages people look at most, at the three sizes they are looked at (issue 15): the battle
map (table, timeline, wall chart), the cockpit, the monthly form and the indicator page, on the
demo district, as the accounts that use them, at 1920×1080 (the meeting-room screen), 1440×900
(a desk) and 390×844 (a phone): the page never scrolls sideways, and the status — the counts
that matter — is inside the first screen, whole."""

import datetime

import pytest

from shigan.demo.district import load_demo
from shigan.demo.screenshots import SIZES, log_in

# (account, path, selector of the status a glance must find in the first screen)
PAGES = [
    ("lingdao", "/map/", ".status-tiles [data-status=overdue]"),
    ("zhuanban", "/map/?view=timeline", ".status-tiles [data-status=overdue]"),
    ("lingdao", "/map/?view=wall", ".status-overdue, [data-status=overdue]"),
    ("lingdao", "/map/cockpit/", "[data-band] [data-count]"),
    ("zhuanban", "/map/cockpit/", "[data-band] [data-count]"),
    ("lingdao", "/indicators/", "[data-tiles] .count"),
    ("tianbao", "/tasks/report/", ".mr-card .status"),
    ("tianbao5", "/tasks/report/", ".mr-card .status"),
]
WIDE = "document.documentElement.scrollWidth - window.innerWidth"
FIRST_SCREEN = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) { return 'missing'; }
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) { return 'hidden'; }
  return box.bottom <= window.innerHeight ? 'in' : 'below ' + Math.round(box.top);
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_key_pages_fit_each_size_with_the_status_in_the_first_screen(
    chromium, live_server, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo(today=datetime.date(2023, 7, 31))
    problems = []
    for size, (width, height) in SIZES.items():
        for account in dict.fromkeys(a for a, _, _ in PAGES):
            context = chromium.new_context(
                locale="zh-CN",
                viewport={"width": width, "height": height},
                is_mobile=size == "phone",
                has_touch=size == "phone",
            )
            page = log_in(context, live_server.url, account)
            for _, path, selector in [p for p in PAGES if p[0] == account]:
                response = page.goto(live_server.url + path)
                page.wait_for_load_state("networkidle")
                where = f"{size} {account} {path}"
                if response.status != 200:
                    problems.append(f"{where}: HTTP {response.status}")
                    continue
                if (overflow := page.evaluate(WIDE)) > 0:
                    problems.append(f"{where}: scrolls sideways by {overflow}px")
                if (seen := page.evaluate(FIRST_SCREEN, selector)) != "in":
                    problems.append(f"{where}: status {selector} {seen}")
            context.close()
    assert not problems, "\n".join(problems)
