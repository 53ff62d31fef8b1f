"""The next-step draft generated from the records (三、下一步工作计划, after the plan's own items):
the milestones due next month, the items behind schedule and what they wait on, the indicators
behind 序时进度 and by how much — each figure with its records, checkable by the checker; the
coordinator's edit replaces a part for its month only, restoring brings the generated text
back, every change is a new audited version; the same queries for 3 items or 30."""

import datetime
import re
from functools import partial

import pytest
from django.utils import timezone

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries
from shigan.reports.checker import check_text
from shigan.reports.compose import build_summary
from shigan.reports.compose.plan import PARTS
from shigan.reports.compose.plan_data import plan_facts
from shigan.reports.forms import NarrativeForm
from shigan.reports.models import NarrativeSlot, NarrativeText
from shigan.reports.queries import narrative_current
from shigan.reports.services import NarrativeEntry, narrative_save
from shigan.tasks.models import ChangeKind, ChangeRequest, Milestone, ProgressReport, TaskOrigin
from shigan.testing import make_task

from .reportdata import AS_OF, add_indicator, grow

pytestmark = [pytest.mark.django_db]
D = datetime.date
S = NarrativeSlot
JULY, AUGUST_END = D(2023, 7, 1), D(2023, 8, 31)


def at(day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def records(world) -> None:
    """兴业大道建设's 完成整体方案 is due 8-31 (the world's); an overdue 办实事 item with a
    progress report, a behind one with an extension pending; one indicator behind time
    progress, one ahead of it."""
    water = make_task(
        campaign=world.campaign, category=world.category, unit=world.unit_b,
        title="新场村安全饮水巩固提升", due=D(2023, 7, 20),
        milestones=[("泵站主体完工", D(2023, 6, 15), None)], number=3,
    )  # fmt: skip
    water.origin = TaskOrigin.PROMISE
    water.save(update_fields=["origin"])
    report = ProgressReport.objects.create(
        task=water, unit=world.unit_b, period=JULY, text="泵站主体已完成八成。下周浇筑顶板。",
        submitted_by=world.coordinator,
    )  # fmt: skip
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at(D(2023, 7, 26)))
    lift = make_task(
        campaign=world.campaign, category=world.category, unit=world.unit_a,
        title="老旧小区加装电梯", due=D(2023, 10, 31),
        milestones=[("4月底前完成居民意见征集和设计", D(2023, 4, 30), None)], number=4,
    )  # fmt: skip
    request = ChangeRequest.objects.create(
        task=lift,
        kind=ChangeKind.EXTEND,
        reason="居民意见分歧",
        proposed_due_date=D(2023, 12, 31),
        requested_by=world.reporter_a,
    )
    ChangeRequest.objects.filter(pk=request.pk).update(requested_at=at(D(2023, 7, 20)))
    add_indicator("工业总产值", world.unit_a, target=55500, values={7: 22000})
    add_indicator("固定资产投资", world.unit_a, target=1000, values={7: 700})
    decision(world)


def decision(world):
    """A meeting decision with a milestone due in August: no paragraph of 二、 states it."""
    task = make_task(
        campaign=world.campaign, category=world.category, unit=world.unit_a,
        title="农贸市场提升改造", start=D(2023, 7, 25), due=D(2023, 11, 30),
        milestones=[("8月20日前完成招标", D(2023, 8, 20), None)], number=9,
    )  # fmt: skip
    task.origin = TaskOrigin.DECISION
    task.save(update_fields=["origin"])
    return task


def plan_heading_at(document) -> int | None:
    headings = enumerate(document.blocks)
    return next((i for i, b in headings if b.text.endswith("、下一步工作计划")), None)


def draft(document) -> list[str]:
    plan_at = plan_heading_at(document)
    if plan_at is None:  # a plan with nothing in it is left out of the report
        return []
    return [b.text for b in document.blocks[plan_at + 1 :] if b.head.startswith("（")]


def test_the_draft_states_next_months_milestones_the_late_items_and_the_indicators_behind(world):
    records(world)
    milestones, late, indicators = draft(build_summary(campaign=world.campaign, as_of=AS_OF))
    # 兴业大道建设's 8月底前完成整体方案 is in its own paragraph of 二、: not repeated here.
    assert milestones == (
        "（一）紧盯时间节点，确保按期完成。除上述外，8月底前还需完成任务节点1个：会议议定事项"
        "“农贸市场提升改造”8月20日前完成招标（区交通局牵头）。各牵头单位要倒排工期、压实责任，"
        "确保按期完成。"
    )
    assert late == (
        "（二）聚焦滞后事项，加快补齐短板。截至7月31日，有1项工作逾期、2项工作滞后：办实事项目"
        "“新场村安全饮水巩固提升”（区水务局牵头）完成时限为7月20日，已逾期，最新进展为“泵站主体"
        "已完成八成”；老旧小区加装电梯（区交通局牵头）“完成居民意见征集和设计”节点（计划4月30日"
        "前）未按期完成，已申请将完成时限调整至12月31日，待审批；清凉河治理二期（区水务局牵头）"
        "节点完成数落后于计划安排，尚未报送进展。要逐项查找原因，明确措施和时限，尽快赶上进度。"
    )
    # 22000 ÷ 55500 = 39.64％ → 39.6; 7 ÷ 12 = 58.33％ → 58.3; 39.6 − 58.3 = 18.7 (as printed).
    assert indicators == (
        "（三）对标序时进度，确保完成全年目标。1-7月，有1项指标进度滞后：完成工业总产值"
        "22000万元，占年计划55500万元的39.6％，低于序时进度18.7个百分点。要逐项分析原因，加压推进，"
        "确保完成全年目标任务。"
    )


def test_the_draft_is_numbered_on_after_the_plans_own_items_with_run_in_heads(world):
    records(world)
    narrative_save(
        campaign=world.campaign, period=JULY, by=world.coordinator,
        entries=[NarrativeEntry(S.PLAN_ITEM, "强化理论学习", "坚持把学习放到重要位置。", 1)],
    )  # fmt: skip
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    heads = [b.head for b in document.blocks if b.head.startswith("（")]
    assert heads == [
        "（一）强化理论学习。",
        "（二）紧盯时间节点，确保按期完成。",
        "（三）聚焦滞后事项，加快补齐短板。",
        "（四）对标序时进度，确保完成全年目标。",
    ]


def test_a_part_without_records_is_left_out(world):
    document = build_summary(campaign=world.campaign, as_of=D(2023, 3, 31))
    assert draft(document) == []  # nothing due in April, nothing late, no indicators
    assert plan_heading_at(document) is None  # nor its heading, with nothing under it


def test_every_figure_of_the_draft_has_records_and_the_checker_verifies_it(world):
    records(world)
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    keys = {f.key: f for f in document.figures if f.key.startswith("plan.")}
    assert len(keys["plan.milestones"].sources) == 1
    assert [s.record.split(":")[0] for s in keys["plan.overdue"].sources] == ["tasks.task"]
    gap = next(f for k, f in keys.items() if k.endswith(".gap"))
    assert gap.text == "18.7个百分点" and len(gap.sources) == 2
    result = check_text("\n".join(draft(document)))
    assert result.claims and not result.inconsistencies
    assert not [c for c in result.claims if c.status == "uncheckable"]


def save_part(world, order: int, title: str, body: str, period=JULY):
    return narrative_save(
        campaign=world.campaign, period=period, by=world.coordinator,
        entries=[NarrativeEntry(S.PLAN_DRAFT, title, body, order)], note="按会议意见修改",
    )  # fmt: skip


def test_an_edit_replaces_the_part_for_its_month_only_and_restoring_brings_it_back(world):
    records(world)
    (edited,) = save_part(world, 2, "狠抓滞后事项整改", "对逾期的安全饮水工程挂牌督办。")
    july = draft(build_summary(campaign=world.campaign, as_of=AS_OF))
    assert july[1] == "（二）狠抓滞后事项整改。对逾期的安全饮水工程挂牌督办。"
    august = draft(build_summary(campaign=world.campaign, as_of=AUGUST_END))
    # Nothing is due in September: the late items are the first part in August.
    assert august[0].startswith("（一）聚焦滞后事项，加快补齐短板。截至8月31日，有1项工作逾期")
    part = PARTS[1]
    (restored,) = save_part(world, 2, part.title, part.default_body)
    assert restored.replaces == edited
    again = draft(build_summary(campaign=world.campaign, as_of=AS_OF))
    assert again[1].startswith("（二）聚焦滞后事项，加快补齐短板。截至7月31日，有1项工作逾期")
    entries = AuditEntry.objects.filter(record_type="reports.narrativetext")
    assert entries.count() == 2
    assert entries.get(record_id=restored.pk).changes["正文"] == [
        "对逾期的安全饮水工程挂牌督办。",
        part.default_body,
    ]


def test_a_part_saved_blank_is_left_out_of_that_month(world):
    records(world)
    save_part(world, 3, "", "")
    heads = [t[:5] for t in draft(build_summary(campaign=world.campaign, as_of=AS_OF))]
    assert heads == ["（一）紧盯", "（二）聚焦"]


def form(world, data=None) -> NarrativeForm:
    return NarrativeForm(
        data, campaign=world.campaign, tasks=[], period=JULY,
        current=narrative_current(world.campaign, JULY),
    )  # fmt: skip


def test_the_form_offers_the_generated_draft_to_edit_and_a_restore_box_once_edited(
    world, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    records(world)
    blank = form(world)
    body = blank.initial["plan_draft_2_body"]
    assert body.startswith("截至7月31日，有1项工作逾期、2项工作滞后：")
    assert blank.initial["plan_draft_2_title"] == "聚焦滞后事项，加快补齐短板"
    assert "plan_draft_2_restore" not in blank.fields
    data = {name: value for name, value in blank.initial.items() if value is not None}
    data["plan_draft_2_body"] = body.replace("尽快赶上进度", "月底前赶上进度")
    posted = form(world, data)
    assert posted.is_valid(), posted.errors
    (entry,) = posted.entries()
    assert (entry.slot, entry.order) == (S.PLAN_DRAFT, 2) and "月底前赶上进度" in entry.body
    narrative_save(campaign=world.campaign, period=JULY, entries=[entry], by=world.coordinator)
    edited = form(world)
    assert "月底前赶上进度" in edited.initial["plan_draft_2_body"]
    data = {name: value for name, value in edited.initial.items() if value is not None}
    data["plan_draft_2_restore"] = "on"
    restoring = form(world, data)
    assert restoring.is_valid(), restoring.errors
    (restore,) = restoring.entries()
    assert restore.body == PARTS[1].default_body
    narrative_save(campaign=world.campaign, period=JULY, entries=[restore], by=world.coordinator)
    assert form(world).initial["plan_draft_2_body"] == body
    assert NarrativeText.objects.filter(slot=S.PLAN_DRAFT).count() == 2


def test_the_draft_reads_the_same_number_of_queries_for_3_items_or_30(world):
    grow(world, 3)

    def read():
        facts = plan_facts(world.campaign, AS_OF)
        assert facts.behind and facts.coming

    assert_same_queries(read, partial(grow, world, 30, offset=100), at_most=5)
    facts = plan_facts(world.campaign, AS_OF)
    assert len(facts.behind) > 8 and len(facts.listed) == 8  # listed capped, counted in full
    text = "\n".join(draft(build_summary(campaign=world.campaign, as_of=AS_OF)))
    assert f"有{len(facts.behind)}项工作滞后，主要有：" in text
    assert Milestone.objects.filter(due_date=D(2023, 8, 28)).count() == 33
    # All 34 (33 of grow's, 兴业大道建设's) are in their tasks' paragraphs of 二、: none repeated.
    assert "需完成任务节点" not in text


def test_the_narrative_page_drafts_the_month_chosen_not_the_current_one(
    world, client_for, monkeypatch
):
    """?period=2023-06 on the narrative page: the draft counts as of June's end, not July's."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    records(world)
    url = f"/reports/narrative/?campaign={world.campaign.pk}&period="
    client = client_for(world.coordinator)
    july = client.get(url + "2023-07").content.decode()
    june = client.get(url + "2023-06").content.decode()
    assert "截至7月31日" in july and "截至7月31日" not in june
    assert "截至6月30日" in june


def _stated(text: str, status: str) -> int:
    match = re.search(rf"([0-9]+)项工作{status}", text)
    return int(match.group(1)) if match else 0


def test_the_list_of_late_items_words_as_many_逾期_and_滞后_as_it_counts(world):
    """Each item worded by its status: 逾期 by its own deadline (完成时限为…，已逾期), 滞后 by its
    late milestone or schedule share (…未按期完成 / 落后于计划安排), 逾期 listed first."""
    records(world)
    make_task(
        campaign=world.campaign, category=world.category, unit=world.unit_a,
        title="背街小巷改造", due=D(2023, 6, 30), number=5,
        milestones=[("5月底前完成设计", D(2023, 5, 31), None)],
    )  # fmt: skip
    late = draft(build_summary(campaign=world.campaign, as_of=AS_OF))[1]
    listed = late.split("：", 1)[1].split("。")[0].split("；")
    worded_overdue = [i for i in listed if "逾期" in i]
    worded_behind = [i for i in listed if "未按期完成" in i or "落后于计划安排" in i]
    assert (_stated(late, "逾期"), _stated(late, "滞后")) == (2, 2)
    assert len(worded_overdue) == _stated(late, "逾期")
    assert len(worded_behind) == _stated(late, "滞后")
    assert all("完成时限为" in i and "已逾期" in i for i in worded_overdue)
    assert listed.index(worded_overdue[-1]) < listed.index(worded_behind[0])


def test_a_milestone_the_task_paragraph_states_is_not_repeated_in_the_draft(world):
    """兴业大道建设's paragraph says 下一步，8月底前完成整体方案: （一）到期节点 leaves it out
    (除上述外 for the rest); with 二、 left out of the report the draft names it again."""
    records(world)
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    text = "\n".join(b.text for b in document.blocks)
    assert text.count("8月底前完成整体方案") == 1
    tasks_at = next(i for i, b in enumerate(document.blocks) if b.text.startswith("二、"))
    plan_at = next(i for i, b in enumerate(document.blocks) if b.text.startswith("三、"))
    assert any("8月底前完成整体方案" in b.text for b in document.blocks[tasks_at:plan_at])
    assert "除上述外，8月底前还需完成任务节点1个" in draft(document)[0]
    narrative_save(
        campaign=world.campaign, period=JULY, by=world.coordinator,
        entries=[NarrativeEntry(S.TASKS)],
    )  # fmt: skip
    blocks = build_summary(campaign=world.campaign, as_of=AS_OF).blocks
    without_tasks = next(b.text for b in blocks if "紧盯时间节点" in b.head)
    assert "8月底前需完成任务节点2个" in without_tasks and "整体方案" in without_tasks
