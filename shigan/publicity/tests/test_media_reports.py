"""Media reports: duplicates refused with a message and nothing saved; counts by level and by
period as of a date; who may record them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditEntry
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.publicity.queries import media_report_counts, publicity_cards
from shigan.publicity.services import media_report_record

D = datetime.date
PERSONAS = ["coordinator", "inspector", "leader", "reporter_a", "reporter_b"]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def record(world, title="示范区召开“实干年”动员会", outlet="市日报", **kw):
    kw.setdefault("level", MediaLevel.CITY)
    kw.setdefault("date", D(2023, 2, 10))
    return media_report_record(
        campaign=world.campaign, title=title, outlet=outlet, by=world.coordinator, **kw
    )


def test_report_is_recorded_and_audited_against_its_task(world):
    report = record(world, task=world.task_a, link="https://news.example.cn/a/1")
    entry = AuditEntry.objects.get(record_type="publicity.mediareport")
    assert entry.record_id == report.pk and entry.task_id == world.task_a.pk


@pytest.mark.parametrize(
    "link",
    [
        "https://news.example.cn/a/1",
        "https://NEWS.example.cn/a/1/",
        " https://news.example.cn/a/1#top",
    ],
)
def test_same_link_is_refused_with_a_message(world, link):
    record(world, link="https://news.example.cn/a/1")
    with pytest.raises(ValidationError) as e:
        record(world, title="另一个标题", outlet="省日报", link=link)
    assert "该链接已登记为2023-02-10 市日报《示范区召开“实干年”动员会》" in str(e.value)
    assert MediaReport.objects.count() == 1


@pytest.mark.parametrize(
    "title, outlet",
    [
        ("示范区召开 “实干年” 动员会", "市日报"),
        ("示范区召开“实干年”动员会", " 市 日报 "),
        ("示范区召开“实干年”动员会\u3000", "市日报"),
    ],
)
def test_same_title_and_outlet_ignoring_spaces_is_refused(world, title, outlet):
    record(world)
    with pytest.raises(ValidationError, match="已于2023-02-10登记，请勿重复登记"):
        record(world, title=title, outlet=outlet, date=D(2023, 2, 11))
    assert MediaReport.objects.count() == 1


def test_same_title_and_outlet_ignoring_case_and_width_is_refused(world):
    record(world, title="Shigan Year report", outlet="CCTV 新闻")
    for title, outlet in [
        ("shigan year REPORT", "cctv新闻"),
        ("ＳＨＩＧＡＮ Ｙｅａｒ ｒｅｐｏｒｔ", "ＣＣＴＶ新闻"),
    ]:
        with pytest.raises(ValidationError):
            record(world, title=title, outlet=outlet)
    assert MediaReport.objects.count() == 1


def test_same_title_in_another_outlet_is_a_different_report(world):
    record(world)
    record(world, outlet="县融媒体中心", level=MediaLevel.COUNTY)
    assert MediaReport.objects.count() == 2


def test_task_of_another_campaign_is_refused(world):
    other = Campaign.objects.create(
        year=2024,
        name="其他活动",
        organiser=world.district,
        start_date=D(2024, 1, 1),
        end_date=D(2024, 12, 31),
    )
    with pytest.raises(ValidationError, match="不属于"):
        media_report_record(
            campaign=other,
            title="标题",
            outlet="市日报",
            level="city",
            date=D(2024, 2, 1),
            task=world.task_a,
            by=world.coordinator,
        )
    assert MediaReport.objects.count() == 0


def form_data(world, **kw):
    return {
        "campaign": world.campaign.pk,
        "title": "示范区召开“实干年”动员会",
        "outlet": "市日报",
        "level": "city",
        "date": "2023-02-10",
        "link": "",
        "task": "",
        "activity": "动员会",
        **kw,
    }


def test_coordinator_records_a_report_and_a_duplicate_shows_the_message(world, client_for):
    client = client_for(world.coordinator)
    assert client.post("/publicity/new/", form_data(world)).status_code == 302
    response = client.post("/publicity/new/", form_data(world, title="示范区召开 “实干年” 动员会"))
    assert response.status_code == 200
    assert "请勿重复登记" in response.content.decode()
    assert MediaReport.objects.count() == 1
    response = client.post("/publicity/new/", form_data(world, link="not a url", title="新标题"))
    assert "链接格式不正确" in response.content.decode()
    assert MediaReport.objects.count() == 1


def test_counts_by_level_and_month_as_of_a_date(world, monkeypatch):
    monkeypatch.setenv(
        "SHIGAN_TODAY", "2023-07-31"
    )  # every report has appeared; counted as of 7-20
    for i, (day, level) in enumerate(
        [
            (D(2022, 12, 30), "central"),  # last year: not counted
            (D(2023, 2, 9), "county"),
            (D(2023, 2, 10), "city"),
            (D(2023, 3, 22), "province"),
            (D(2023, 7, 20), "county"),
            (D(2023, 7, 21), "central"),  # after as_of: not counted
        ]
    ):
        record(world, title=f"报道{i}", level=level, date=day)
    counts = media_report_counts(MediaReport.objects.all(), as_of=D(2023, 7, 20))
    assert counts.total == 4
    assert counts.by_level == {"central": 0, "province": 1, "city": 1, "county": 2, "district": 0}
    assert [p.label for p in counts.periods] == [f"2023年{m}月" for m in range(1, 8)]
    assert [p.total for p in counts.periods] == [0, 2, 1, 0, 0, 0, 1]
    assert counts.periods[1].by_level["county"] == 1

    quarters = media_report_counts(
        MediaReport.objects.all(), as_of=D(2023, 7, 20), period="quarter"
    )
    assert [(p.label, p.total) for p in quarters.periods] == [
        ("2023年第1季度", 3),
        ("2023年第2季度", 0),
        ("2023年第3季度", 1),
    ]
    years = media_report_counts(
        MediaReport.objects.all(), as_of=D(2023, 7, 31), period="year", since=D(2022, 1, 1)
    )
    assert [(p.label, p.total) for p in years.periods] == [("2022年", 1), ("2023年", 5)]


def test_list_page_shows_counts_and_filters(world, client_for):
    record(world, title="县级报道", level="county", date=D(2023, 3, 1))
    record(world, title="省级报道", level="province", date=D(2023, 5, 1))
    client = client_for(world.reporter_b)
    body = client.get("/publicity/").content.decode()
    assert "各级媒体共发表报道<b>2</b>篇，省级1篇，县级1篇" in body
    body = client.get("/publicity/?level=province").content.decode()
    assert "省级报道" in body and "县级报道" not in body
    body = client.get("/publicity/?date_to=2023-04-30").content.decode()
    assert "县级报道" in body and "省级报道" not in body and "2023年4月30日" in body
    body = client.get("/publicity/?period=quarter").content.decode()
    assert "2023年第2季度" in body


def test_publicity_card_counts_this_years_reports_by_level(world, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")  # c has appeared; the card is as of 7-20
    record(world, title="a", level="central", date=D(2023, 6, 1))
    record(world, title="b", level="county", date=D(2023, 7, 2))
    record(world, title="c", level="county", date=D(2023, 7, 25))
    [card] = publicity_cards(world.reporter_a, world.campaign, D(2023, 7, 20))
    assert card.value == 2 and card.items == [("中央", 1), ("县", 1)]
    assert "其中本月1篇" in card.note


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_the_list(world, client_for, persona):
    assert client_for(world.users()[persona]).get("/publicity/").status_code == 200


@pytest.mark.parametrize(
    "persona, code",
    [
        ("coordinator", 302),
        ("inspector", 403),
        ("leader", 403),
        ("reporter_a", 403),
        ("reporter_b", 403),
    ],
)
def test_only_coordinators_record_reports(world, client_for, persona, code):
    response = client_for(world.users()[persona]).post("/publicity/new/", form_data(world))
    assert response.status_code == code
    assert MediaReport.objects.count() == (1 if code == 302 else 0)


@pytest.mark.parametrize(
    "persona, linked",
    [
        ("coordinator", True),
        ("inspector", True),
        ("leader", True),
        ("reporter_a", True),
        ("reporter_b", False),
    ],
)
def test_a_reports_task_is_linked_only_for_those_who_may_open_it(
    world, client_for, persona, linked
):
    record(world, task=world.task_a)
    client = client_for(world.users()[persona])
    page = client.get("/publicity/").content.decode()
    task_url = f"/tasks/{world.task_a.pk}/"
    assert world.task_a.title in page
    assert (f'href="{task_url}"' in page) == linked
    assert client.get(task_url).status_code == (200 if linked else 404)


def test_only_coordinators_see_the_form(world, client_for):
    assert "登记报道" in client_for(world.coordinator).get("/publicity/").content.decode()
    assert "登记报道" not in client_for(world.leader).get("/publicity/").content.decode()


def test_get_on_create_is_405(world, client_for):
    assert client_for(world.coordinator).get("/publicity/new/").status_code == 405


def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/publicity/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
