"""`scripts/screenshots` (issue 15): one command photographs the demo's key pages as every role at
the three sizes. Here against the test server with the demo loaded: the files are real PNGs of
the size asked for, and a page that does not answer 200 is reported."""

import datetime
import struct

import pytest

from shigan.demo import screenshots
from shigan.demo.district import load_demo


def png_size(path):
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.fixture
def demo_server(live_server, chromium, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo(today=datetime.date(2023, 7, 31))
    return live_server.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screenshots_photograph_each_page_at_each_size(demo_server, chromium, tmp_path, capsys):
    problems = screenshots.photograph_with(
        chromium, demo_server, tmp_path, "lingdao-cockpit", ["phone", "wall"]
    )
    assert problems == 0, capsys.readouterr().out
    phone = tmp_path / "phone" / "lingdao-cockpit.png"
    wall = tmp_path / "wall" / "lingdao-cockpit.png"
    assert png_size(phone)[0] == screenshots.SIZES["phone"][0] == 390
    assert png_size(wall)[0] == screenshots.SIZES["wall"][0] == 1920
    assert png_size(wall)[1] >= 1080


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screenshots_report_a_page_that_fails(demo_server, chromium, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(screenshots, "PAGES", [("lingdao", "missing", "/no-such-page/")])
    assert screenshots.photograph_with(chromium, demo_server, tmp_path, "", ["desk"]) == 1
    assert "HTTP 404" in capsys.readouterr().out


def test_every_size_is_one_the_issue_names():
    assert screenshots.SIZES == {"wall": (1920, 1080), "desk": (1440, 900), "phone": (390, 844)}
