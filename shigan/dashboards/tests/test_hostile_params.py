"""The as-of, campaign, period, series and date parameters of the map, cockpit, meeting, report
and investment pages never answer 500: a malformed date is named in Chinese on the page and the
default used; a campaign naming nothing is a 404 (campaigns.queries.campaign_current)."""

import pytest

HOSTILE = [
    "9999-12-31",
    "0000-07",
    "²",
    "٣",
    "9223372036854775808",
    "-1",
    "",
    "2023-02-30",
    "\x00",
    "x" * 5000,
]
DATE_PAGES = {
    "/map/": "as_of",
    "/map/?view=timeline": "as_of",
    "/map/cockpit/": "as_of",
    "/indicators/investment/": "as_of",
    "/reports/": "as_of",
}
PAGES = [
    "/map/",
    "/map/?view=timeline",
    "/map/cockpit/",
    "/map/export.xlsx",
    "/meetings/",
    "/meetings/new/",
    "/meetings/decisions/",
    "/meetings/study/",
    "/reports/",
    "/reports/download/md/",
    "/reports/narrative/",
    "/indicators/investment/",
    "/indicators/projects/",
    "/campaigns/",
]
PARAMS = [
    "as_of",
    "campaign",
    "period",
    "series",
    "date_from",
    "date_to",
    "year",
    "unit",
    "leader",
    "category",
    "enterprise",
]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def _get(client, page: str, name: str, value: str):
    joiner = "&" if "?" in page else "?"
    return client.get(f"{page}{joiner}", {name: value})


@pytest.mark.parametrize("name", PARAMS)
def test_hostile_values_never_answer_500(world, client_for, name):
    client = client_for(world.coordinator)
    for page in PAGES:
        for value in HOSTILE:
            response = _get(client, page, name, value)
            assert response.status_code < 500, (page, name, value)
            if name == "campaign" and value.strip() and page != "/campaigns/":
                assert response.status_code in (404, 200), (page, value)


@pytest.mark.parametrize("page", list(DATE_PAGES))
@pytest.mark.parametrize("value", ["9999-12-31", "2023-13-45", "２０２３-07-01", "0000-01-01"])
def test_a_malformed_date_is_named_on_the_page_and_today_used(world, client_for, page, value):
    response = _get(client_for(world.coordinator), page, DATE_PAGES[page], value)
    assert response.status_code == 200
    html = response.content.decode()
    assert "已按2023-07-20显示" in html, page


def test_a_malformed_narrative_month_is_named_and_this_month_used(world, client_for):
    response = client_for(world.coordinator).get("/reports/narrative/", {"period": "0000-07"})
    assert response.status_code == 200
    assert response.context["period"].isoformat() == "2023-07-01"
    assert "已按2023-07显示" in response.content.decode()


def test_a_malformed_report_date_on_download_goes_back_to_the_page(world, client_for):
    response = client_for(world.coordinator).get("/reports/download/md/", {"as_of": "9999-12-31"})
    assert response.status_code == 302 and response["Location"] == "/reports/"
