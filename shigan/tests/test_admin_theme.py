"""Django admin (基础设置) dressed as Shigan through its own theming hooks: the header 实干 · 管理后台
with the way back to the app, the app's colours through the admin's CSS variables
(shigan/static/shigan/admin.css), light only."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin

STATIC = Path(settings.BASE_DIR) / "static" / "shigan"


def root_variables(css: str, prefix: str = "--") -> dict[str, str]:
    """The custom properties of a stylesheet's first :root rule, name → value."""
    block = re.search(r":root[^{]*\{(.*?)\}", css, re.S).group(1)
    block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
    return {
        name: value.strip()
        for name, value in re.findall(rf"({re.escape(prefix)}[\w-]+)\s*:\s*([^;]+);", block)
    }


def test_site_titles_are_chinese():
    site = admin.site
    assert (site.site_header, site.site_title, site.index_title) == (
        "实干 · 管理后台",
        "实干",
        "基础数据设置",
    )


@pytest.mark.django_db
def test_admin_index_carries_the_header_and_the_way_back(world, client_for):
    response = client_for(world.coordinator).get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="site-name"><a href="/admin/">实干 · 管理后台</a></div>' in html
    assert '<a class="shigan-back" href="/map/cockpit/" data-back-to-app>返回实干</a>' in html
    assert '<a href="/map/">挂图作战</a>' in html
    assert "/static/shigan/admin.css" in html
    assert "<title>基础数据设置 | 实干</title>" in html
    # light only: no dark theme sheet, no toggle, nothing English left in the header
    assert "dark_mode.css" not in html and "theme-toggle" not in html
    header = html[html.index('<header id="header">') : html.index("</header>")]
    assert not re.search(r"[A-Za-z]{4,}\b(?![^<]*>)", re.sub(r"<[^>]+>", " ", header))


@pytest.mark.django_db
def test_a_change_list_and_the_login_page_are_dressed_too(world, client_for, client):
    html = client_for(world.coordinator).get("/admin/orgs/unit/").content.decode()
    assert "实干 · 管理后台" in html and "/static/shigan/admin.css" in html
    login = client.get("/admin/login/").content.decode()
    assert "实干 · 管理后台" in login and "/static/shigan/admin.css" in login
    assert "返回实干" not in login  # the user links are for those signed in


def test_admin_colours_are_the_apps():
    app = root_variables((STATIC / "app.css").read_text(encoding="utf-8"))
    ours = root_variables((STATIC / "admin.css").read_text(encoding="utf-8"), "--shigan-")
    assert len(ours) == 10
    for name, value in ours.items():
        assert app[name.replace("--shigan-", "--")] == value, name
    admin_vars = root_variables((STATIC / "admin.css").read_text(encoding="utf-8"))
    assert admin_vars["--header-bg"] == "var(--shigan-brand)"
    assert admin_vars["--link-fg"] == "var(--shigan-link)"


def test_admin_css_uses_no_status_colour():
    app = root_variables((STATIC / "app.css").read_text(encoding="utf-8"))
    status_values = {v.lower() for k, v in app.items() if k.startswith("--st-")}
    assert len(status_values) == 7
    css = (STATIC / "admin.css").read_text(encoding="utf-8").lower()
    assert not [v for v in status_values if v in css]
    assert "--st-" not in css.replace("--st-*", "")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_sidebar_current_section_is_readable():
    """Issue 15 review: the admin's current-section heading in the left sidebar was white on
    --primary (#e9ecf0, 1.19:1). admin.css colours it; WCAG AA for text is 4.5:1."""
    import re

    css = (STATIC / "admin.css").read_text(encoding="utf-8")
    ours = root_variables(css, "--shigan-")
    admin_vars = root_variables(css)
    rule = re.search(r"#nav-sidebar \.current-app \.section:link[^{]*\{([^}]*)\}", css)
    assert rule, "admin.css sets the sidebar's current section"
    colour = re.search(r"color:\s*var\((--shigan-[a-z-]+)\)", rule.group(1)).group(1)
    background = ours[admin_vars["--primary"].removeprefix("var(").removesuffix(")")]
    assert _contrast(ours[colour], background) >= 4.5
    assert _contrast("#ffffff", background) < 4.5  # the admin's own white would not do


def test_task_change_list_title_column_has_room():
    """/admin/tasks/task/ at 1440: 任务名称 was 64 px wide (wrapping every 2–4 characters)."""
    css = (STATIC / "admin.css").read_text(encoding="utf-8")
    assert "#result_list th.column-title, #result_list td.field-title { min-width: 16em; }" in css
