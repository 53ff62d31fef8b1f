"""The colour rule of docs/style.md, checked on the source.

Red/orange/yellow/green/blue/grey mean the task statuses and the 序时进度 states only, and those
colours are written once: the :root variables of shigan/static/shigan/app.css. Every template,
stylesheet, script (vendored ECharts aside) and Python module reaches them through that one
definition (var(--st-…), var(--seq-…), the .status classes, core.palette for the Excel fills).
The scanner below flags a colour literal anywhere else that is equal to a status colour or close
enough to one of the five status hues to be read as it (CIE76 ΔE below MIN_DISTANCE).
"""

import datetime
import re
from pathlib import Path

import pytest

from shigan.core import palette
from shigan.indicators.calc import IndicatorStatus
from shigan.tasks.status import TaskStatus

ROOT = Path(__file__).resolve().parent.parent
APP_CSS = ROOT / "static" / "shigan" / "app.css"
# The Django admin does not load app.css; its theme repeats the non-status :root values exactly
# (shigan/tests/test_admin_theme.py holds the copy to the original). No status colour there.
MIRRORS = {ROOT / "static" / "shigan" / "admin.css"}

# Below this CIE76 distance a colour reads as the status colour (a tint or shade of it).
MIN_DISTANCE = 30
CHROMATIC = ["--st-overdue", "--st-behind", "--st-nearing", "--st-on_track", "--st-done"]
NAMED = (
    r"red|darkred|crimson|firebrick|tomato|orange|darkorange|orangered|yellow|gold|green|"
    r"darkgreen|limegreen|forestgreen|blue|royalblue|dodgerblue|navy"
)

HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
RGB = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)")
BARE_HEX = re.compile(r"""["']([0-9a-fA-F]{6})["']""")  # openpyxl writes colours without '#'
NAMED_COLOUR = re.compile(
    rf"(?:color|background(?:-color)?|border(?:-[a-z]+)*|fill|stroke|outline)\s*:\s*"
    rf"[^;\"'}}]*?(?<![-\w])({NAMED})(?![-\w])",
    re.I,
)
CLASS_ATTR = re.compile(r"""class=["']([^"']*)["']""")
CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
ROOT_BLOCK = re.compile(r":root\s*\{[^}]*\}", re.S)


def _rgb(hex_digits: str) -> tuple[int, int, int]:
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    return tuple(int(hex_digits[i : i + 2], 16) for i in (0, 2, 4))


def _lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    lin = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)
    ]
    r, g, b = lin
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5


def _status_colours() -> tuple[set, list]:
    names = [f"--st-{s.value}" for s in TaskStatus] + [
        "--seq-green",
        "--seq-yellow",
        "--seq-red",
        "--seq-grey",
    ]
    variables = palette.variables()
    exact = {_rgb(variables[n].lstrip("#")) for n in names}
    chromatic = [(n, _rgb(variables[n].lstrip("#"))) for n in CHROMATIC]
    return exact, chromatic


def _why(rgb: tuple[int, int, int]) -> str | None:
    exact, chromatic = _status_colours()
    if rgb in exact:
        return "is a status colour"
    for name, status in chromatic:
        if distance(rgb, status) < MIN_DISTANCE:
            return f"reads as {name}"
    return None


def _non_status_root_values() -> set[str]:
    status = {n for n in palette.variables() if n.startswith(("--st-", "--seq-"))}
    return {v.lower() for n, v in palette.variables().items() if n not in status}


def scan_text(text: str, kind: str, *, mirror: bool = False) -> list[str]:
    """The colour-rule breaches in one file's text; kind is its extension (html, css, js, py).
    A mirror of the :root definition may repeat its non-status values exactly."""
    if mirror:
        allowed = _non_status_root_values()
        text = HEX.sub(lambda m: "" if m.group(0).lower() in allowed else m.group(0), text)
    problems = []
    for match in HEX.finditer(text):
        if why := _why(_rgb(match.group(1))):
            problems.append(f"{match.group(0)} {why}")
    for match in RGB.finditer(text):
        if why := _why(tuple(int(v) for v in match.groups())):
            problems.append(f"{match.group(0)}) {why}")
    if kind == "py":
        for match in BARE_HEX.finditer(text):
            if why := _why(_rgb(match.group(1))):
                problems.append(f"{match.group(0)} {why}")
    if kind in {"html", "css", "js"}:
        for match in NAMED_COLOUR.finditer(text):
            problems.append(f"named colour {match.group(1)!r} in {match.group(0)!r}")
    values = {s.value for s in TaskStatus}
    if kind == "html":
        for match in CLASS_ATTR.finditer(text):
            tokens = match.group(1).split()
            if "status" in tokens:
                for token in tokens:
                    if token.startswith("status-") and "{" not in token and token[7:] not in values:
                        problems.append(f"class {token!r} on a status chip is no TaskStatus")
    if kind in {"html", "css"}:
        for selectors, body in CSS_RULE.findall(text):
            if not re.search(r"(?:^|[\s;])(?:color|background|border)", body):
                continue
            for name in re.findall(r"\.status-([a-z_]+)", selectors):
                if name not in values and name not in {"tiles", "rules", "checks"}:
                    problems.append(f".status-{name} is coloured but no TaskStatus")
    return problems


def _scanned_files():
    for path in sorted(ROOT.rglob("*")):
        parts = set(path.relative_to(ROOT).parts)
        if not path.is_file() or parts & {"tests", "migrations", "vendor", "__pycache__"}:
            continue
        if path.suffix in {".html", ".css", ".py"} or (
            path.suffix == ".js" and "echarts" not in path.name
        ):
            yield path


def test_every_file_reaches_the_status_colours_through_the_one_definition():
    problems = []
    scanned = 0
    for path in _scanned_files():
        text = path.read_text(encoding="utf-8")
        if path == APP_CSS:
            assert len(ROOT_BLOCK.findall(text)) == 1, "app.css has one :root definition"
            text = ROOT_BLOCK.sub("", text)
        scanned += 1
        found = scan_text(text, path.suffix[1:], mirror=path in MIRRORS)
        problems += [f"{path.relative_to(ROOT)}: {p}" for p in found]
    assert scanned > 300
    assert problems == []


@pytest.mark.parametrize(
    "sample",
    [
        '<td style="color:#d93026">逾期</td>',  # the 逾期 value itself, inline
        '<b style="color: #D93026">3</b>',
        ".late { color: #e02d20; }",  # a near copy of the 逾期 red
        ".ok { background: rgb(46, 158, 79); }",  # the 正常 green as rgb()
        ".old-brand { background: #b71c1c; }",  # the old brand red read as 逾期
        ".soft { color: #3b6fb6; }",  # the old indicator bar read as 完成
        '<span style="color: red">超期</span>',
        '<span class="status status-late">x</span>',
        ".status-late { background: #fff; }",
    ],
)
def test_the_scanner_catches_a_status_colour_outside_the_definition(sample):
    kind = "css" if sample.startswith(".") else "html"
    assert len(scan_text(sample, kind)) == 1


def test_a_mirror_may_repeat_the_neutral_values_but_no_status_colour():
    link, error = palette.variables()["--link"], palette.variables()["--text-error"]
    assert scan_text(f":root {{ --a: {link}; --b: {error}; }}", "css", mirror=True) == []
    assert len(scan_text(f".x {{ color: {error}; }}", "css")) == 1  # not outside a mirror
    assert len(scan_text(":root { --a: #d93026; }", "css", mirror=True)) == 1


def test_the_scanner_finds_the_excel_fill_written_out():
    assert scan_text('STATUS_FILLS = {"overdue": "D93026"}', "py") == [
        '"D93026" is a status colour'
    ]


@pytest.mark.parametrize(
    "sample",
    [
        '<td style="color: var(--st-overdue)">逾期</td>',
        ".card { background: #fff; border: 1px solid #dee0e3; color: #1f2329; }",
        '<span class="status status-overdue">逾期</span><div class="counts status-tiles">',
        ".neutral { background: #f0f1f3; box-shadow: 0 2px 8px rgba(0,0,0,.15); }",
    ],
)
def test_the_scanner_lets_variables_and_neutrals_pass(sample):
    assert scan_text(sample, "html") == []


def test_the_definition_names_every_status_and_every_seq_state():
    variables = palette.variables()
    css = APP_CSS.read_text(encoding="utf-8")
    for status in TaskStatus:
        assert re.fullmatch(r"#[0-9a-f]{6}", variables[f"--st-{status.value}"])
        assert re.search(rf"\.status-{status.value}\s*\{{[^}}]*var\(--st-{status.value}\)", css)
    for state in [
        IndicatorStatus.GREEN,
        IndicatorStatus.YELLOW,
        IndicatorStatus.RED,
        IndicatorStatus.GREY,
    ]:
        assert f"--seq-{state.value}" in variables
    # 序时进度 states share the status hues: 达序时 = 正常 green, 明显滞后 = 逾期 red.
    assert variables["--seq-green"] == variables["--st-on_track"]
    assert variables["--seq-red"] == variables["--st-overdue"]


def test_the_brand_and_the_neutral_chart_bar_read_as_no_status():
    variables = palette.variables()
    statuses = [_rgb(variables[f"--st-{s.value}"].lstrip("#")) for s in TaskStatus]
    for name in ["--brand", "--chart-bar"]:
        rgb = _rgb(variables[name].lstrip("#"))
        nearest = min(distance(rgb, s) for s in statuses)
        assert nearest >= 25, name  # not 未启动's grey either
        assert _why(rgb) is None, name


def test_the_excel_fills_come_from_the_definition():
    from shigan.dashboards.export import STATUS_FILLS as TASK_FILLS
    from shigan.indicators.xlsx.export import STATUS_FILLS as INDICATOR_FILLS

    assert TASK_FILLS[TaskStatus.OVERDUE] == "D93026"
    assert TASK_FILLS == {s: palette.excel(f"--st-{s.value}") for s in TaskStatus}
    assert INDICATOR_FILLS[IndicatorStatus.RED] == palette.excel("--st-overdue")
    assert INDICATOR_FILLS[IndicatorStatus.GREEN] == palette.excel("--st-on_track")


def test_status_tiles_run_worst_first_on_every_page():
    from shigan.grassroots.queries.concerns import CONCERN_ORDER
    from shigan.grassroots.steps import ConcernStatus
    from shigan.indicators.legend import status_rules
    from shigan.indicators.views.dashboard import TILE_ORDER
    from shigan.supervision.status import FindingStatus
    from shigan.tasks.status import STATUS_ORDER

    assert STATUS_ORDER == [
        "overdue", "behind", "nearing", "on_track", "not_started", "done", "cancelled",
    ]  # fmt: skip
    assert [s.label for s in TILE_ORDER] == ["明显滞后", "略低于序时", "达序时", "未填报", "无目标"]
    assert [r.status for r in status_rules()] == TILE_ORDER  # the legend as the tiles
    assert CONCERN_ORDER[:2] == [ConcernStatus.OVERDUE, ConcernStatus.NEARING]
    assert sorted(CONCERN_ORDER) == sorted(ConcernStatus)
    assert list(FindingStatus)[0] == FindingStatus.OVERDUE


def test_the_status_chips_pages_render_name_task_statuses_only(world, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    world.task_b.due_date = datetime.date(2023, 6, 30)  # one 逾期 among the 正常
    world.task_b.save()
    client = client_for(world.coordinator)
    found = []
    for url in ["/tasks/", "/map/", f"/tasks/{world.task_a.pk}/", f"/tasks/{world.task_b.pk}/"]:
        html = client.get(url).content.decode()
        found += re.findall(r'class="status status-([^"\s]+)"', html)
    assert {"overdue", "on_track"} <= set(found)
    assert set(found) <= {s.value for s in TaskStatus}


# Stylesheets whose rules colour a .status chip (task statuses and the 序时进度 states).
CHIP_SHEETS = [
    APP_CSS,
    ROOT / "static" / "shigan" / "cockpit.css",
    ROOT / "indicators" / "static" / "indicators" / "indicators.css",
]
CHIP_SELECTOR = re.compile(r"^\.status(?:-(\w+)|\.(ind-status-\w+|ck-seq-\w+))$")


def _luminance(rgb: tuple[int, int, int]) -> float:
    lin = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb)
    ]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """The WCAG 2 contrast ratio of two colours."""
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def _colour(value: str) -> tuple[int, int, int]:
    value = value.strip()
    if match := re.fullmatch(r"var\((--[\w-]+)\)", value):
        value = palette.variables()[match.group(1)]
    return _rgb(value.lstrip("#"))


def chip_colours(css: str) -> dict[str, dict[str, str]]:
    """Each chip rule's text and background as written, the plain .status rule's under ''."""
    css = re.sub(r"/\*.*?\*/", "", ROOT_BLOCK.sub("", css), flags=re.S)
    css = re.sub(r"@media[^{]*\{", "", css)  # print/phone blocks only resize the chips
    chips: dict[str, dict[str, str]] = {}
    for selectors, body in CSS_RULE.findall(css):
        props = dict(re.findall(r"(?:^|;)\s*(color|background(?:-color)?)\s*:\s*([^;]+)", body))
        for selector in selectors.split(","):
            match = CHIP_SELECTOR.match(selector.strip())
            if selector.strip() == ".status" and "color" in props:
                chips.setdefault("", {})["color"] = props["color"].strip()
            elif match and props:
                chip = chips.setdefault(match.group(1) or match.group(2), {})
                for key, value in props.items():
                    chip["background" if key.startswith("background") else "color"] = value
    return chips


def chip_contrasts() -> dict[str, float]:
    default = chip_colours(APP_CSS.read_text(encoding="utf-8"))[""]["color"]
    ratios = {}
    for sheet in CHIP_SHEETS:
        for name, chip in chip_colours(sheet.read_text(encoding="utf-8")).items():
            if name and "background" in chip:
                text = _colour(chip.get("color", default))
                ratios[name] = round(contrast(text, _colour(chip["background"])), 2)
    return ratios


def test_every_status_chip_is_readable_wcag_aa():
    ratios = chip_contrasts()
    assert {s.value for s in TaskStatus} <= set(ratios)  # every task status chip was read
    assert {"ind-status-green", "ck-seq-green", "ind-status-red"} <= set(ratios)
    # 0.85 rem chips are normal-size text: WCAG AA asks 4.5:1.
    assert {name: r for name, r in ratios.items() if r < 4.5} == {}


def test_the_contrast_check_would_catch_white_on_orange():
    assert round(contrast((255, 255, 255), _colour("var(--st-behind)")), 2) == 2.76
    css = ".status { color: #fff; } .status-behind { background: var(--st-behind); }"
    chips = chip_colours(css)
    assert chips == {"": {"color": "#fff"}, "behind": {"background": "var(--st-behind)"}}


DATE_ONLY_CELL = re.compile(
    r'<td(?![^>]*class="[^"]*\b(?:date|nowrap)\b)[^>]*>(?:<a [^>]*>)?'
    r'\{\{[^}]*\|date:"Y-m-d(?: H:i)?"[^}]*\}\}(?:</a>)?</td>'
)


def test_dates_never_wrap():
    css = APP_CSS.read_text(encoding="utf-8")
    assert re.search(r"(?:^|\n)\.date\s*\{[^}]*white-space:\s*nowrap", css)
    unmarked = []
    for path in ROOT.rglob("*.html"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(("monthly/", "dashboards/")):
            continue  # other hands at work there now; see the report of issue 15
        unmarked += [f"{rel}: {m.group(0)}" for m in DATE_ONLY_CELL.finditer(path.read_text())]
    assert unmarked == []
    assert DATE_ONLY_CELL.search('<td>{{ c.due_on|date:"Y-m-d" }}</td>')
    assert not DATE_ONLY_CELL.search('<td class="date">{{ c.due_on|date:"Y-m-d" }}</td>')
