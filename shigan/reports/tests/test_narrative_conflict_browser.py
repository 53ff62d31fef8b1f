"""In Debian's Chromium at 1440 px: a coordinator saving the report's words after another saved
them since his page loaded sees, above the form, who changed what and that nothing was saved;
his typed text is still in its field and the other's text shows under the field it touched."""

from urllib.parse import quote

import pytest

from shigan.orgs.models import Role
from shigan.reports.models import NarrativeText
from shigan.testing import PASSWORD, make_user

from .test_narrative_conflict import FIRST_TEXT, SECOND_TEXT, URL, _shown

SCREENSHOT = "/tmp/shigan-narrative-conflict.png"


@pytest.mark.browser
def test_the_refused_save_says_who_changed_what(world, browser_page, live_server, client):
    make_user(
        "coordinator2", unit=world.coordinator.person.unit, role=Role.COORDINATOR, name="吴专班"
    )
    page, url = browser_page, URL.format(pk=world.campaign.pk)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/?next=" + quote(url))
    page.fill("input[name=username]", "coordinator2")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    # Meanwhile the other coordinator saves the opening.
    client.force_login(world.coordinator)
    shown = _shown(client, url)
    assert client.post(url, shown | {"opening_0_body": [FIRST_TEXT]}).status_code == 302
    other = next(n for n in shown if n.endswith("_body") and not n.startswith("opening_"))
    page.fill(f"textarea[name={other}]", SECOND_TEXT)
    page.click("form.narrative-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    error = page.locator("form.narrative-form ul.errorlist").first
    assert "您打开此页后，周专班于" in error.inner_text()
    assert "您这次的修改没有保存" in error.inner_text()
    assert error.bounding_box()["y"] < 900  # in the first screen
    assert page.locator(f"textarea[name={other}]").input_value() == SECOND_TEXT
    current = page.locator(".conflict-current")
    assert current.count() == 1 and FIRST_TEXT in current.inner_text()
    page.screenshot(path=SCREENSHOT, full_page=False)
    assert NarrativeText.objects.count() == 1
