import datetime
import re

import pytest

from shigan.testing import make_user

from .page_data import agreement, trip

INVESTMENT = "/indicators/investment/"


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def attraction(world, today):
    first = trip(world, datetime.date(2023, 3, 5), "深圳")
    trip(world, datetime.date(2023, 4, 12), "杭州")
    trip(world, datetime.date(2023, 8, 20), "上海")  # after the day counted to
    agreement(world, "宏羽电子", 12000, landed=True, funds=5000, trip=first)
    agreement(world, "楚汉源食品", 8000, landed=True, funds=2000)
    agreement(world, "新材料产业园", 5000)
    return first


def test_investment_page_states_the_tallies(attraction, world, client_for):
    response = client_for(world.reporter_a).get(INVESTMENT)
    text = text_of(response)
    assert "外出招商2次，签订协议项目3个，合同资金25000万元" in text
    assert "实际落地项目2个，落地项目合同资金20000万元；到位资金7000万元" in text
    assert "深圳" in text and "宏羽电子" in text and "李副区长" in text
    assert "上海" not in text


def test_investment_as_of_another_day(attraction, world, client_for):
    response = client_for(world.coordinator).get(INVESTMENT + "?as_of=2023-03-31")
    assert response.context["tallies"].trips == 1
    assert response.context["tallies"].agreements == 0  # all signed on 2023-05-10


def test_investment_unknown_campaign_is_404(world, client_for):
    assert client_for(world.coordinator).get(INVESTMENT + "?campaign=9999").status_code == 404


def test_investment_is_refused_to_an_account_without_a_role(world, client_for, db):
    """A page every role reads is 403 for an account with none, as notices and media reports."""
    user, _ = make_user("visitor", unit=world.district, role="", name="访客")
    assert client_for(user).get(INVESTMENT).status_code == 403


def test_only_coordinators_see_investment_write_links(attraction, world, client_for):
    assert "/indicators/investment/agreements/new/" in text_of(
        client_for(world.coordinator).get(INVESTMENT)
    )
    for who in ("leader", "inspector", "reporter_b"):
        text = text_of(client_for(getattr(world, who)).get(INVESTMENT))
        assert "/admin/" not in text and "/agreements/new/" not in text


def test_investment_refuses_post(world, client_for):
    assert client_for(world.coordinator).post(INVESTMENT).status_code == 405
