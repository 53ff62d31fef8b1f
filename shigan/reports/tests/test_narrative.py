"""Narrative is kept as versions: an edit adds one, audited with before and after; the report
uses the version current for its month; placeholders are checked before anything is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shigan.core.models import AuditAction, AuditEntry
from shigan.reports.compose import build_summary
from shigan.reports.models import NarrativeSlot, NarrativeText
from shigan.reports.queries import narrative_current
from shigan.reports.services import NarrativeEntry, narrative_save

from .reportdata import AS_OF, add_indicator

S = NarrativeSlot
MARCH, JULY = datetime.date(2023, 3, 1), datetime.date(2023, 7, 15)


def save(world, *entries, period=MARCH, note=""):
    return narrative_save(
        campaign=world.campaign,
        period=period,
        entries=list(entries),
        by=world.coordinator,
        note=note,
    )


def opening(world, as_of=AS_OF) -> str:
    document = build_summary(campaign=world.campaign, as_of=as_of)
    return document.blocks[0].text


def test_an_edit_adds_a_version_and_keeps_the_previous_one(world):
    (first,) = save(world, NarrativeEntry(S.OPENING, body="旧的开头。"))
    (second,) = save(world, NarrativeEntry(S.OPENING, body="新的开头。"), note="调整表述")
    first.refresh_from_db()
    assert first.body == "旧的开头。"
    assert second.replaces == first and second.written_by == world.coordinator
    assert NarrativeText.objects.filter(campaign=world.campaign, slot=S.OPENING).count() == 2
    entry = AuditEntry.objects.get(record_type="reports.narrativetext", record_id=second.pk)
    assert entry.action == AuditAction.UPDATE and entry.actor == world.coordinator
    assert entry.changes["正文"] == ["旧的开头。", "新的开头。"]
    assert entry.note == "调整表述"
    assert opening(world) == "新的开头。"


def test_saving_the_same_text_again_writes_nothing(world):
    save(world, NarrativeEntry(S.OPENING, body="开头。"))
    assert save(world, NarrativeEntry(S.OPENING, body="开头。")) == []


def test_a_version_applies_from_its_month_until_a_later_one(world):
    save(world, NarrativeEntry(S.OPENING, body="三月写的开头。"))
    save(world, NarrativeEntry(S.OPENING, body="七月写的开头。"), period=JULY)
    assert opening(world, as_of=datetime.date(2023, 6, 30)) == "三月写的开头。"
    assert opening(world, as_of=AS_OF) == "七月写的开头。"
    assert narrative_current(world.campaign, datetime.date(2023, 2, 1)) == {}


def test_a_slot_saved_blank_is_left_out_of_the_report(world):
    save(world, NarrativeEntry(S.OPENING, body=""))
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    # the first heading follows the title; 活动开展情况 is left out here: nothing under it
    assert document.blocks[0].text == "一、“实干年”清单完成情况"


def test_unknown_placeholders_are_refused_and_nothing_is_saved(world):
    with pytest.raises(ValidationError, match="无此指标"):
        save(
            world,
            NarrativeEntry(S.OPENING, body="开头。"),
            NarrativeEntry(S.ECONOMY, body="【无此指标】。"),
        )
    assert not NarrativeText.objects.exists()


def test_placeholders_name_clauses_and_indicators(world):
    add_indicator("订单种植面积", world.unit_a, measure="mu", target=32000, values={7: 32000})
    save(
        world,
        NarrativeEntry(
            S.ECONOMY, "围绕经济发展", "实现【订单种植面积】全覆盖，完成率【订单种植面积.完成率】。"
        ),
    )
    body = build_summary(campaign=world.campaign, as_of=AS_OF).text
    # The default 组织领导 and 氛围营造 paragraphs have no record behind any clause here: left out.
    assert "一是围绕经济发展。实现32000亩全覆盖，完成率100.0％。" in body
    assert "加强组织领导" not in body
    assert "完成订单种植面积" not in body  # named in the narrative, not repeated


def test_plan_items_are_numbered_in_order_and_a_blanked_item_is_left_out(world):
    save(
        world,
        NarrativeEntry(S.PLAN_ITEM, "强化理论学习", "坚持把学习放到重要位置。", order=1),
        NarrativeEntry(S.PLAN_ITEM, "强化责任担当", "狠抓落实。", order=2),
        NarrativeEntry(S.PLAN_ITEM, "强化督办检查", "促进平衡发展。", order=3),
    )
    save(world, NarrativeEntry(S.PLAN_ITEM, order=2), period=JULY)
    paragraphs = [b.text for b in build_summary(campaign=world.campaign, as_of=AS_OF).blocks]
    assert "（一）强化理论学习。坚持把学习放到重要位置。" in paragraphs
    assert "（二）强化督办检查。促进平衡发展。" in paragraphs
    assert not any("强化责任担当" in p for p in paragraphs)


def test_a_task_paragraph_may_be_written_with_its_own_clauses(world):
    save(
        world,
        NarrativeEntry(
            S.TASK, body="项目前期工作有序推进。【下一步节点】。", order=world.task_a.pk
        ),
    )
    body = build_summary(campaign=world.campaign, as_of=AS_OF).text
    assert "一是路网体系：兴业大道建设。项目前期工作有序推进。下一步，8月底前完成整体方案。" in body


def test_single_slots_take_no_order(world):
    with pytest.raises(ValidationError):
        save(world, NarrativeEntry(S.OPENING, body="开头。", order=2))
