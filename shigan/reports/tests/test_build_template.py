"""Narrative placeholders: filled from records, and a clause without a record left out whole."""

from shigan.reports.compose.template import UNKNOWN, clauses, expand, unknown_placeholders
from shigan.reports.document import Figure, Source

SOURCE = (Source("记录", "1", "/x/", "app.model:1"),)


def fig(text: str) -> Figure:
    return Figure(text, SOURCE)


def resolver(values: dict):
    return lambda key: values.get(key, UNKNOWN)


def text_of(runs) -> str:
    return "".join(r if isinstance(r, str) else r.text for r in runs)


def test_placeholders_are_filled_with_figures():
    runs = expand("发表报道【宣传报道】，营造氛围。", resolver({"宣传报道": [fig("13篇")]}))
    assert text_of(runs) == "发表报道13篇，营造氛围。"
    assert runs[1] == fig("13篇")


def test_a_clause_whose_figure_has_no_record_is_left_out_with_one_comma():
    values = {"甲": [fig("527亩")], "乙": None, "丙": [fig("2000亩")]}
    runs = expand("已栽植【甲】、已整地待栽【乙】，计划完成【丙】种植面积；", resolver(values))
    assert text_of(runs) == "已栽植527亩，计划完成2000亩种植面积；"


def test_a_missing_last_clause_keeps_the_full_stop():
    runs = expand("营造氛围，发表报道【宣传报道】。下一句。", resolver({"宣传报道": None}))
    assert text_of(runs) == "营造氛围。下一句。"


def test_a_missing_first_clause_goes_with_its_own_comma():
    runs = expand("【动员会议】，传达贯彻了文件精神。", resolver({"动员会议": None}))
    assert text_of(runs) == "传达贯彻了文件精神。"


def test_punctuation_inside_quotes_does_not_end_a_clause():
    parts = clauses("明确了“跑好第一棒、实干开新局”的目标任务，统筹推进。")
    assert [p.text for p in parts] == ["明确了“跑好第一棒、实干开新局”的目标任务", "统筹推进"]


def test_unknown_placeholders_are_kept_as_written_and_reported():
    runs = expand("见【无此项】。", resolver({}))
    assert text_of(runs) == "见【无此项】。"
    assert unknown_placeholders("【甲】【无此项】【甲】", lambda k: k == "甲") == ["无此项"]
