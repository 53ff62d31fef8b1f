"""An empty page says why it is empty and what to do, in one line (issue 15): every empty state
of the templates — 暂无… (no data yet), 没有符合筛选条件的… (a filter left nothing) — gives the
reason after a colon or offers the way out (清除筛选), and the pages render them with a link
where the viewer may act."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import shigan

ROOT = Path(shigan.__file__).parent
PHRASE = re.compile(r"(暂无|尚无|还没有|没有符合)")
# Placeholders inside a row or a field (a task without progress yet), not an empty page.
INLINE = [
    '<span class="muted">尚无进展</span>',
    '<span class="muted">暂无数据</span>',
    '<span class="muted">暂无</span>',
    "尚无账号",  # 为尚无账号的人员创建账号: not an empty state
    '<span class="error">尚无</span>',  # 佐证材料：尚无 (a missing piece, said so in red)
]
END = re.compile(r"</(td|p|li|dd)>")


def templates() -> list[Path]:
    return sorted(p for p in ROOT.rglob("templates/**/*.html"))


def empty_states() -> list[tuple[str, str]]:
    """(template:line, the text from the phrase to the end of its element)."""
    found = []
    for path in templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            cleaned = line
            for placeholder in INLINE:
                cleaned = cleaned.replace(placeholder, "")
            for match in PHRASE.finditer(cleaned):
                rest = cleaned[match.start() :]
                end = END.search(rest)
                found.append(
                    (f"{path.relative_to(ROOT)}:{number}", rest[: end.start() if end else None])
                )
    return found


def test_the_empty_states_are_found():
    states = empty_states()
    assert len(states) >= 40
    assert sum("indicator_dashboard.html" in where for where, _ in states) == 3


def test_every_empty_state_says_why_and_what_to_do():
    vague = [
        (where, text) for where, text in empty_states() if not ("：" in text or "清除筛选" in text)
    ]
    assert vague == [], "\n".join(f"{w}: {t}" for w, t in vague)


def test_a_filter_that_leaves_nothing_offers_to_clear_it():
    for where, text in empty_states():
        if text.startswith("没有符合"):
            assert text.startswith("没有符合筛选条件的") and "清除筛选</a>" in text, where
    old = [w for w, t in empty_states() if t.startswith("没有符合条件")]
    assert old == []


@pytest.mark.django_db
def test_filtered_and_unfiltered_task_lists_say_different_things(world, client_for):
    client = client_for(world.coordinator)
    filtered = client.get("/tasks/?q=不存在的任务名称").content.decode()
    assert "没有符合筛选条件的任务，" in filtered and '<a href="/tasks/">清除筛选</a>' in filtered


@pytest.mark.django_db
def test_an_empty_inbox_says_what_arrives_there(world, client_for):
    html = client_for(world.reporter_a).get("/inbox/").content.decode()
    assert "暂无消息：催报、催办和审批结果等提醒会发到这里" in html
    assert 'href="/inbox/settings/">设置提醒方式</a>' in html


@pytest.mark.django_db
def test_the_indicator_table_clears_its_filter_or_says_who_sets_indicators(world, client_for):
    coordinator = client_for(world.coordinator)
    html = coordinator.get("/indicators/?category=economy").content.decode()
    assert "没有符合筛选条件的指标，" in html and ">清除筛选</a>" in html
    html = coordinator.get("/indicators/").content.decode()
    assert "暂无指标：在" in html and ">下载模板</a>" in html
    leader = client_for(world.leader).get("/indicators/").content.decode()
    assert "暂无指标：指标及年度目标由专班在「指标设置」中设置" in leader
    assert ">下载模板</a>" not in leader  # he may not act: no link


@pytest.mark.parametrize("persona", ["coordinator", "leader", "reporter_a", "inspector"])
def test_every_empty_cockpit_card_says_why_and_what_to_do(world, client_for, persona):
    """Issue 15 review: cunbao's 马上就办 card said only 暂无数据. In a world without meetings,
    concerns, findings or reports every card is empty, and each says why after a colon."""
    data = client_for(getattr(world, persona)).get(reverse("dashboards:cockpit")).context["data"]
    empty = [card for card in data.cards if card.empty]
    assert len(empty) >= 5, [c.key for c in data.cards]
    vague = [(c.key, c.empty_text) for c in empty if "：" not in c.empty_text]
    assert vague == []
    service = next(c for c in data.cards if c.key == "service")
    assert service.empty and service.empty_text.startswith("暂无群众诉求：")
