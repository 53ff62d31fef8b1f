"""马上就办 on the cockpit: the concerns' figures as the efficiency page computes them (received,
closed, open and overdue, the on-time and satisfaction rates), the viewer's scope only."""

import datetime

import pytest

from shigan.grassroots.models import Satisfaction
from shigan.grassroots.queries.cards import service_card

from .test_efficiency import make

pytestmark = [pytest.mark.django_db]
D = datetime.date
TODAY = D(2023, 7, 31)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def test_the_card_counts_what_the_efficiency_page_counts(world, client_for):
    make(world, D(2023, 7, 3), due=D(2023, 7, 10), closed=D(2023, 7, 7),
         satisfaction=Satisfaction.SATISFIED)  # fmt: skip
    make(world, D(2023, 7, 3), due=D(2023, 7, 10), closed=D(2023, 7, 12),
         satisfaction=Satisfaction.UNSATISFIED)  # fmt: skip
    make(world, D(2023, 7, 3), due=D(2023, 7, 10))  # open and overdue
    make(world, D(2023, 7, 28), due=D(2023, 8, 4), unit="b")  # open, unit B
    card = service_card(world.coordinator, world.campaign, TODAY)
    assert (card.value, dict(card.items)) == (4, {"已办结": 2, "办理中": 2, "其中逾期": 1})
    assert card.note == "按时办结率50.0% · 满意率50.0%" and card.tone == "overdue"
    mine = service_card(world.reporter_b, world.campaign, TODAY)
    assert (mine.value, dict(mine.items)) == (1, {"已办结": 0, "办理中": 1, "其中逾期": 0})
    assert mine.note == "按时办结率— · 满意率—"
    page = client_for(world.coordinator).get("/map/cockpit/").content.decode()
    assert "马上就办" in page and "按时办结率50.0%" in page
