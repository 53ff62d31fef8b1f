"""The wall chart in Chromium on the demo district (2023-07-31): the 大屏 fits one 1920×1080
screen and shows the map's counts; the wall on a phone; titles whole; printed pages carry who
made the chart, as of when, and their page numbers."""

import datetime
import re
import subprocess

import pytest

from shigan.demo.data.org import DEMO_PASSWORD
from shigan.demo.district import load_demo

LONG_TITLE = "整改：落地项目跟踪服务不及时，企业反映办理手续需多次往返，存在事难办现象一二三四"


@pytest.fixture
def demo_page(browser_page, live_server, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo(today=datetime.date(2023, 7, 31))
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "zhuanban")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page, live_server.url


def headline_counts(page) -> dict[str, int]:
    return page.eval_on_selector_all(
        ".wall-headline .hl",
        "els => Object.fromEntries(els.map(e => [e.dataset.status,"
        " +e.querySelector('.hl-count').textContent]))",
    )


def map_counts(page, base) -> dict[str, int]:
    page.goto(f"{base}/map/")
    return page.eval_on_selector_all(
        ".status-tiles .tile",
        "els => Object.fromEntries(els.map(e => [e.dataset.status, +e.querySelector('b').textContent]))",
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_screen_fits_1920_by_1080_and_shows_the_maps_counts(demo_page):
    page, base = demo_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/map/?view=wall&screen=1")
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    # It fits as laid out (the script may enlarge the type into spare room, not shrink it).
    assert float(page.get_attribute("[data-wall-refresh]", "data-wall-fit")) >= 16
    assert not page.locator(".topbar").is_visible()
    assert page.locator(".map-filters").count() == 0
    assert page.locator(".wt").count() == 20  # every task of the demo, on one screen
    assert "屏" not in page.inner_text(".ws-title")  # no 第1/1屏
    shown = headline_counts(page)
    counts = map_counts(page, base)
    assert shown == {s: counts[s] for s in ("overdue", "behind", "nearing")}
    assert shown == {"overdue": 3, "behind": 1, "nearing": 1}
    assert set(page.requested_hosts) == {"127.0.0.1"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_wall_on_a_phone_has_no_sideways_scroll_and_status_first(demo_page):
    page, base = demo_page
    page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/map/?view=wall", "/map/?view=wall&screen=1"):
        page.goto(base + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    page.goto(f"{base}/map/?view=wall")
    overdue = page.locator(".wall-headline .hl-overdue")
    box = overdue.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["x"] + box["width"] <= 390
    assert overdue.inner_text().split()[:2] == ["逾期", "3"]
    tile = page.locator(".wt").first.bounding_box()
    assert tile["x"] + tile["width"] <= 390


def colour_contrast(page, selector: str) -> float:
    return page.eval_on_selector(
        selector,
        """el => {
          const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
          const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const st = getComputedStyle(el);
          const [a, b] = [lum(rgb(st.color)), lum(rgb(st.backgroundColor))].sort((x, y) => y - x);
          return (a + 0.05) / (b + 0.05);
        }""",
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_text_on_coloured_tiles_is_readable(demo_page):
    page, base = demo_page
    page.goto(f"{base}/map/?view=wall")
    for status in ("overdue", "behind", "nearing", "on_track", "done"):
        assert colour_contrast(page, f".wt-{status}") >= 4.5, status


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_40_character_title_is_whole_in_the_timeline_and_the_tiles(demo_page):
    from shigan.tasks.models import Task

    page, base = demo_page
    task = Task.objects.filter(title__startswith="整改：落地项目").get()
    Task.objects.filter(pk=task.pk).update(title=LONG_TITLE)
    assert len(LONG_TITLE) == 40
    page.set_viewport_size({"width": 1440, "height": 900})
    for url, selector in (
        ("/map/?view=timeline", f'.gantt-row[data-task="{task.pk}"] .gantt-label a'),
        ("/map/?view=wall", f'.wt[data-task="{task.pk}"] .wt-title'),
        ("/map/?view=wall&screen=1", f'.wt[data-task="{task.pk}"] .wt-title'),
    ):
        page.goto(base + url)
        link = page.locator(selector)
        assert link.inner_text().endswith(LONG_TITLE), url
        # Drawn whole: nothing cut off by overflow or an ellipsis.
        assert link.evaluate(
            "e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1"
        ), url
        assert (
            link.evaluate("e => getComputedStyle(e.closest('td, .wt')).textOverflow") != "ellipsis"
        )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_end_of_year_milestones_are_not_clipped(demo_page):
    page, base = demo_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/map/?view=timeline")
    last = page.eval_on_selector_all(
        ".gantt-row .ms",
        """els => els.map(e => [e.getBoundingClientRect().right,
            e.closest('td').getBoundingClientRect().right])""",
    )
    assert last and all(right <= cell_right for right, cell_right in last)


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "map.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "url", ["/map/", "/map/?view=timeline", "/map/?view=wall", "/map/?paper=a4"]
)
def test_every_printed_page_carries_maker_date_and_page_number(demo_page, tmp_path, url):
    page, base = demo_page
    page.goto(base + url)
    pages = pdf_pages(page.pdf(prefer_css_page_size=True), tmp_path)
    assert len(pages) >= 2 or url != "/map/?paper=a4"
    for n, text in enumerate(pages, 1):
        flat = re.sub(r"\s+", "", text)
        assert f"第{n}页共{len(pages)}页" in flat, (url, n)
        assert "制表单位：示范区党委、政府" in flat, (url, n)
        assert "截至2023年7月31日" in flat, (url, n)
    # The legend is never alone on a page: tasks come before it on its page.
    from shigan.tasks.models import Task

    legend_page = next(t for t in pages if "颜色说明" in t)
    before = re.sub(r"\s+", "", legend_page.split("颜色说明")[0])
    titles = Task.objects.values_list("title", flat=True)
    assert any(title[:6] in before for title in titles), url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_campaign_too_big_for_one_screen_is_paged_and_every_page_fits(
    world, browser_page, live_server, monkeypatch
):
    from shigan.testing import PASSWORD, make_task

    from .bulk import bulk_tasks

    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    bulk_tasks(world, 50)
    for i in range(12):
        make_task(
            campaign=world.campaign,
            category=world.category,
            unit=world.unit_b,
            title=f"{i}号" + LONG_TITLE,
            due=datetime.date(2023, 7, 1 + i),
        )
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/map/?view=wall&screen=1")
    pages = int(re.search(r"第1/(\d+)屏", page.inner_text(".ws-title")).group(1))
    assert pages >= 2
    seen = []
    for n in range(1, pages + 1):
        page.goto(f"{live_server.url}/map/?view=wall&screen=1&page={n}")
        assert f"第{n}/{pages}屏" in page.inner_text(".ws-title")
        assert page.evaluate("document.documentElement.scrollHeight") <= 1080, n
        assert page.evaluate("document.documentElement.scrollWidth") <= 1920, n
        assert float(page.get_attribute("[data-wall-refresh]", "data-wall-fit")) >= 16, n
        seen += page.eval_on_selector_all(".wt", "els => els.map(e => e.dataset.task)")
    assert len(seen) == len(set(seen)) == 64  # the world's 2, 50 and 12: each once


def board_fit(page) -> dict:
    return page.evaluate(
        """() => ({scrollH: document.documentElement.scrollHeight,
            scrollW: document.documentElement.scrollWidth,
            board: document.querySelector('.ws').getBoundingClientRect().bottom,
            fit: +document.querySelector('[data-wall-refresh]').dataset.wallFit})"""
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_screen_fits_small_screens_fills_large_ones_and_refits_on_resize(demo_page):
    page, base = demo_page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/map/?view=wall&screen=1")
    small = board_fit(page)
    assert small["scrollH"] <= 768 and small["scrollW"] <= 1366
    assert small["fit"] >= 10  # 1366/1920 of 16 px is 11.4
    page.set_viewport_size({"width": 2560, "height": 1440})
    page.goto(f"{base}/map/?view=wall&screen=1")
    large = board_fit(page)
    assert large["scrollH"] <= 1440 and large["board"] >= 0.8 * 1440
    assert large["fit"] > 20
    # Made smaller after loading (a window leaving full screen): fitted again, no scroll.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(600)  # the script re-fits 100 ms after the last resize
    again = board_fit(page)
    assert again["fit"] < 16
    assert again["scrollH"] <= 768 and again["board"] >= 0.8 * 768


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lane_counts_by_unit_never_break_inside_their_brackets(demo_page):
    page, base = demo_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/map/?view=wall&screen=1&group=unit")
    lines = page.eval_on_selector_all(
        ".wl-count", "els => els.map(e => [e.textContent, e.getClientRects().length])"
    )
    assert lines and all(n == 1 for _, n in lines), lines


def diamonds_and_labels(page) -> dict:
    return page.evaluate(
        """() => {
          const box = e => e.getBoundingClientRect();
          const out = {cut: [], covered: []};
          for (const row of document.querySelectorAll('.gantt-row')) {
            const cell = box(row.querySelector('.gantt-cell'));
            const label = row.querySelector('.bar-text');
            for (const ms of row.querySelectorAll('.ms')) {
              const m = box(ms);
              if (m.right > cell.right || m.left < cell.left) out.cut.push(row.dataset.task);
              if (label) {
                const l = box(label);
                if (l.left < m.right && m.left < l.right) out.covered.push(row.dataset.task);
              }
            }
          }
          return out;
        }"""
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_timeline_labels_never_cover_a_diamond_on_screen_or_printed(demo_page):
    page, base = demo_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/map/?view=timeline")
    assert page.locator(".bar-text").count() >= 5
    assert diamonds_and_labels(page) == {"cut": [], "covered": []}
    # A3 landscape less the margins, as printed.
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1512, "height": 1000})
    assert diamonds_and_labels(page) == {"cut": [], "covered": []}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_timeline_on_a_phone_opens_on_today(demo_page):
    page, base = demo_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/map/?view=timeline")
    seen = page.evaluate(
        """() => {
          const wrap = document.querySelector('.gantt-wrap');
          const frame = wrap.getBoundingClientRect();
          const sticky = document.querySelector('thead .gantt-label').getBoundingClientRect();
          const today = document.querySelector('.today-line').getBoundingClientRect();
          const jan = document.querySelector('.month');
          return {scrolled: wrap.scrollLeft, today: today.left, from: sticky.right,
                  to: frame.right, jan: [jan.scrollWidth, jan.clientWidth]};
        }"""
    )
    assert seen["scrolled"] > 0
    assert seen["from"] < seen["today"] < seen["to"]
    assert seen["jan"][0] <= seen["jan"][1]  # "2023年1月" within January's column
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
