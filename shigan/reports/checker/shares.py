"""Shares and rates: 完成X，占年计划Y的Z%; X占总数的Z%; 计划N个，已完成M个，完成率Z%."""

import dataclasses
import re
from decimal import Decimal

from shigan.indicators.calc import completion_share, plain

from .bases import (
    all_share_items,
    enumerated,
    find_bases,
    has_cue,
    label_of,
    named_part,
    shared_length,
    sum_text,
    summed,
)
from .document import Document
from .numbers import (
    COUNT_UNITS,
    MULTIPLIERS,
    NUM,
    Quantity,
    bare_quantity,
    decimals_of,
    judge,
    round_to,
    show_raw,
)
from .results import Claim, ClaimKind, Status

SHARE_RE = re.compile(
    rf"(?P<verb>占|为|完成|达到|相当于)(?P<label>[^\d,;。%:的、()]{{0,12}}?)"
    rf"(?:\(?(?P<y>{NUM})[^\d,;。%的()]{{0,6}}?\)?)?的(?P<z>{NUM})(?:%|(?=[,;。\n]|$))"
)
TOTAL_WORDS = ("总任务", "任务总数", "总数", "总量", "总额", "合计", "全部", "总计")
PLAN_WORDS = ("计划", "目标", "任务", "预算", "全年", "年度")
BARE_SHARE_RE = re.compile(rf"(?:[,、]|^)(?:其中)?占(?:比)?(?:为|达)?(?P<z>{NUM})%", re.MULTILINE)
# The amount of a change (较去年同期增长153.34亿元, 同比增加2亿元, 比上年减少16万吨): never the part of
# a share, which is of the amount itself.
CHANGE_LEAD_RE = re.compile(
    r"(?:(?:比|较|与)[^,;。:、()]{0,14}?|同比|环比)"
    r"(?:增长|增加|减少|下降|提高|降低|增产|减产|上升|多|少|增|减)了?$"
)
MISSING_BASE = {
    ClaimKind.PLAN_SHARE: "未给出计划数",
    ClaimKind.PART_SHARE: "未给出合计数",
    ClaimKind.SHARE: "未给出比较基数",
}
RATE_RE = re.compile(
    rf"(?P<name>[\u4e00-\u9fff]{{0,5}}率)(?:为|达到|达|是|仅为|高达)?(?P<z>{NUM})%"
)
NOT_RATIOS = ("增长率", "下降率", "利率", "税率", "汇率", "贡献率", "增速", "出生率", "死亡率")
KNOWN_RATES = (
    "竣工投产率", "资金到位率", "按时办结率", "完成率", "履约率", "到位率", "开工率", "投产率",
    "办结率", "整改率", "满意率", "达标率", "覆盖率", "签约率", "落地率", "化解率", "兑现率",
)  # fmt: skip
DENOMINATOR_CUES = (
    "计划",
    "目标",
    "任务",
    "应",
    "共",
    "总",
    "合同",
    "签约",
    "受理",
    "交办",
    "排查",
)
NUMERATOR_CUES = (
    "完成",
    "实际",
    "已",
    "到位",
    "开工",
    "办结",
    "整改",
    "落实",
    "实现",
    "投产",
    "竣工",
)


def share_kind(label: str) -> ClaimKind:
    """Plan share, share of a total, or another share, by the words naming the base."""
    if any(word in label for word in TOTAL_WORDS) or label.lstrip("全市县区省").startswith("总"):
        return ClaimKind.PART_SHARE
    if any(word in label for word in PLAN_WORDS) and not label.rstrip("的").endswith(
        ("收入", "支出", "总值", "产值", "销售额")
    ):  # 一般公共预算收入 is revenue, not a budget
        return ClaimKind.PLAN_SHARE
    return ClaimKind.SHARE


SHARE_OF_TOTAL_RE = re.compile(
    rf"(?P<verb>占)(?P<label>(?:全[市县区省])?总[^\d,;。%:的、()]{{1,8}}?"
    rf"|[^\d,;。%:的、()]{{0,8}}?(?:总量|总数|总额))(?P<y>)(?P<z>{NUM})%"
)


def extract_shares(doc: Document) -> list[Claim]:
    """Every "占…的Z%" / "完成…的Z%" figure, checked as X ÷ Y, and "占全市总量Z%" (no 的)."""
    claims = [share_claim(doc, match) for match in SHARE_RE.finditer(doc.norm)]
    claims += [share_claim(doc, match) for match in SHARE_OF_TOTAL_RE.finditer(doc.norm)]
    return claims


def extract_bare_shares(doc: Document) -> list[Claim]:
    """ "其中亿元以上项目8个，占66.7%": a share with no base named, of the total stated earlier."""
    claims = []
    for match in BARE_SHARE_RE.finditer(doc.norm):
        part = doc.last_quantity_before(match.start(), skip=change_amounts(doc, match.start()))
        stated = (match.start("z"), match.end())
        if part is None:
            span = (match.start(), match.end())
            claims.append(
                doc.claim(
                    ClaimKind.PART_SHARE, span, stated, Status.UNCHECKABLE, "未找到对应的分项数"
                )
            )
            continue
        claims.append(
            share_of_total(doc, ClaimKind.PART_SHARE, (part.start, match.end()), stated, part)
        )
    return claims


def share_of_total(
    doc: Document,
    kind: ClaimKind,
    span: tuple[int, int],
    stated: tuple[int, int],
    part: Quantity,
    *,
    named: bool = False,
) -> Claim:
    """A part's share of the total stated earlier (see bases.py): 不一致 only when no other
    reading of the base bears the figure out, or the text names the base (占总数的…)."""
    parts = enumerated(doc, part)
    whole = summed(parts) if len(parts) > 1 else part
    span = (min(span[0], whole.start), span[1])
    bases = find_bases(doc, part, parts)
    base, others = bases.stated, bases.others
    if base is None and bases.complete:
        base = bases.listed_sum
        others = [(q, label) for q, label in others if q is not base]
    problem = ratio_problem(whole, base, missing="未给出合计数")
    if problem:
        return doc.claim(kind, span, stated, Status.UNCHECKABLE, problem)
    claim = judge_ratio(doc, kind, span, stated, whole, base)
    where = "所列各项之和" if base is bases.listed_sum else "前文所述合计"
    prefix = f"{sum_text(parts)}；" if len(parts) > 1 else ""
    claim.reason = f"{prefix}以{where}{base.text()}为基数：{claim.reason}"
    if claim.status != Status.FALSE:
        return claim
    if bases.exactly_100 and one_unit_off(claim, stated, doc):
        claim.reason += "；各项占比合计恰为100%，此项疑为人工调整以凑足100%"
        claim.warning = (
            "各项占比合计为100%，疑经人工调整；按原值四舍五入此项应为" + claim.recomputed
        )
    agreeing = [
        (q, label)
        for q, label in others
        if not ratio_problem(whole, q, missing="")
        and judge_ratio(doc, kind, span, stated, whole, q).status == Status.OK
    ]
    if not agreeing:
        reading = other_part_agreeing(
            doc, kind, span, stated, whole, [base, *(q for q, _ in others)]
        )
        if reading:
            reason = (
                f"以{whole.text()}计不符，以{reading}则相符；文中未说明是哪一项的占比，无法核对"
            )
            return doc.claim(kind, span, stated, Status.UNCHECKABLE, reason)
        return claim
    other, label = agreeing[0]
    raw = judge_ratio(doc, kind, span, stated, whole, other).reason.split("，")[0]
    if named and base is bases.stated and has_cue(doc, base):
        claim.reason += f"；若以{label}{other.text()}为基数则相符（{raw}）"
        return claim
    reason = (
        f"以前文所述{base.text()}为基数不符（{claim.reason.split('：', 1)[1].split('，')[0]}），"
        f"以{label}{other.text()}为基数则相符（{raw}）；文中未说明基数，无法核对"
    )
    return doc.claim(kind, span, stated, Status.UNCHECKABLE, reason)


def one_unit_off(claim: Claim, stated: tuple[int, int], doc: Document) -> bool:
    """Whether a stated percentage is one rounding unit from its recomputed value."""
    number = doc.norm[stated[0] : stated[1]].rstrip("%")
    expected = claim.recomputed.rstrip("%％")
    try:
        return abs(Decimal(number) - Decimal(expected)) == Decimal(1).scaleb(-decimals_of(number))
    except ArithmeticError:
        return False


def other_part_agreeing(
    doc: Document,
    kind: ClaimKind,
    span: tuple[int, int],
    stated: tuple[int, int],
    part: Quantity,
    bases: list[Quantity],
) -> str:
    """ "完成投资28亿元,其中省级项目15亿元,占56%": the share may be of a figure before the nearest
    one in its sentence; the reading that agrees, or ""."""
    start = doc.sentence_start(part.start)
    own_shares = all_share_items(doc)
    for other in reversed(doc.quantities_in(start, part.start)):
        if other.unit != part.unit or other.approx or other.start in own_shares:
            continue  # "…类499件,占49.9%,…类500件,占49.9%": 499件 has its own share
        for base in bases:
            if base.start == other.start or ratio_problem(other, base, missing=""):
                continue
            if judge_ratio(doc, kind, span, stated, other, base).status == Status.OK:
                return f"{other.text()}÷{base.text()}"
    return ""


def change_amounts(doc: Document, pos: int) -> set[int]:
    """Starts of the figures before `pos` in its sentence that are the amount of a change
    (较去年同期增长153.34亿元): the part of a share is the amount, never its change."""
    start = doc.sentence_start(pos)
    return {
        quantity.start
        for quantity in doc.quantities_in(start, pos)
        if CHANGE_LEAD_RE.search(doc.norm[max(start, quantity.start - 20) : quantity.start])
    }


def stated_base(doc: Document, match: re.Match) -> Quantity | None:
    """The base Y written inside the claim (占年计划Y的…), if any."""
    if not match["y"]:
        return None
    quantity = doc.quantity_at(match.start("y"))
    if quantity:
        return quantity
    bare = bare_quantity(match.start("y"), match["y"])
    magnitude = doc.norm[match.end("y") : match.end("y") + 1]
    if magnitude in ("万", "亿"):  # "完成全年80亿目标任务的125.64%": 亿 with no unit after it
        return dataclasses.replace(
            bare, end=bare.end + 1, multiplier=MULTIPLIERS[magnitude], unit_text=magnitude
        )
    return bare


def share_claim(doc: Document, match: re.Match) -> Claim:
    """One 占…的Z% claim: X is the nearest figure before it, Y stated or found."""
    kind = share_kind(match["label"])
    base = stated_base(doc, match)
    changes = change_amounts(doc, match.start())
    part = doc.last_quantity_before(
        match.start(), like=base, skip=changes
    ) or doc.last_quantity_before(match.start(), skip=changes)
    if part and base and not base.unit:
        magnitude = base.unit_text  # 万/亿 written without a unit, else ""
        multiplier = base.multiplier if magnitude else part.multiplier
        unit_text = magnitude + part.unit if magnitude else part.unit_text
        base = dataclasses.replace(base, multiplier=multiplier, unit=part.unit, unit_text=unit_text)
    if part and not base and kind == ClaimKind.PART_SHARE:
        part = named_part(doc, match) or part
        span = (part.start, match.end())
        stated = (match.start("z"), match.end())
        return share_of_total(doc, kind, span, stated, part, named=True)
    if part and not base and kind == ClaimKind.PLAN_SHARE:
        return plan_share_of_earlier_plan(doc, match, part)
    if part and not base and kind == ClaimKind.SHARE:
        base = named_base(doc, match, part)
    span = (part.start if part else match.start(), match.end())
    problem = ratio_problem(part, base, missing=MISSING_BASE[kind])
    if problem:
        return doc.claim(kind, span, (match.start("z"), match.end()), Status.UNCHECKABLE, problem)
    return judge_ratio(doc, kind, span, (match.start("z"), match.end()), part, base)


def named_base(doc: Document, match: re.Match, part: Quantity) -> Quantity | None:
    """ "一般公共预算收入完成18.6亿元,…其中税收收入13.2亿元,占一般公共预算收入的71%": the base
    is the figure stated earlier in the paragraph under the very name the share gives."""
    name = re.sub(r"的$", "", match["label"] or "")
    if len(name) < 4:
        return None
    for quantity in reversed(doc.quantities_in(doc.paragraph_start(part.start), part.start)):
        if quantity.unit == part.unit and not quantity.approx and name in label_of(doc, quantity):
            return quantity
    return None


def plan_share_of_earlier_plan(doc: Document, match: re.Match, part: Quantity) -> Claim:
    """ "年度计划完成投资5005亿元,…累计完成投资2751亿元、占年度计划的55%": the plan is the one
    stated before in the sentence or paragraph (or the figure before is the plan and the actual
    follows: "年度计划…410.1亿元,已完成年度计划的50.4%,完成投资206.7亿元")."""
    kind = ClaimKind.PLAN_SHARE
    stated = (match.start("z"), match.end())
    if is_plan(doc, part):
        actual = actual_after(doc, part, match.end())
        if actual is None:
            span = (part.start, match.end())
            return doc.claim(kind, span, stated, Status.UNCHECKABLE, "未找到对应的完成数")
        plans, part = [part], actual
    else:
        plans = earlier_plans_for(doc, part, match.start())
    if not plans:
        span = (part.start, match.end())
        return doc.claim(kind, span, stated, Status.UNCHECKABLE, MISSING_BASE[kind])
    base = plans[0]
    span = (min(part.start, base.start), max(part.end, match.end()))
    problem = ratio_problem(part, base, missing=MISSING_BASE[kind])
    if problem:
        return doc.claim(kind, span, stated, Status.UNCHECKABLE, problem)
    claim = judge_ratio(doc, kind, span, stated, part, base)
    claim.reason = f"以前文所述计划{base.text()}为基数：{claim.reason}"
    if claim.status == Status.FALSE and own_subject(doc, part, base):
        reason = (
            f"{claim.reason.split('，')[0]}，与所述不符；但计划数{base.text()}取自前文，"
            "此句另有所指的项目，其计划数未给出，无法核对"
        )
        return doc.claim(kind, span, stated, Status.UNCHECKABLE, reason)
    if claim.status == Status.FALSE:
        for other in plans[1:]:
            if ratio_problem(part, other, missing=""):
                continue
            if judge_ratio(doc, kind, span, stated, part, other).status == Status.OK:
                reason = (
                    f"以前文所述计划{base.text()}为基数不符，以{other.text()}为基数则相符；"
                    "文中未说明基数，无法核对"
                )
                return doc.claim(kind, span, stated, Status.UNCHECKABLE, reason)
    return claim


def own_subject(doc: Document, part: Quantity, plan: Quantity) -> bool:
    """Whether the part's sentence, the plan being stated before it, names a group of its own
    ("175个工业项目完成投资151.2亿元": the overall plan is not this group's)."""
    start = doc.sentence_start(part.start)
    if plan.start >= start:
        return False
    return any(q.unit in COUNT_UNITS for q in doc.quantities_in(start, part.start))


def is_plan(doc: Document, quantity: Quantity) -> bool:
    """Whether the clause leading into the figure names it a plan (年度计划完成投资410.1亿元)."""
    return lead_in_has(doc, quantity, ("计划", "目标", "任务")) and not lead_in_has(
        doc, quantity, ("已完成", "实际", "累计完成")
    )


def actual_after(doc: Document, plan: Quantity, after: int) -> Quantity | None:
    """The actual figure right after a share that follows its plan: ",完成投资206.7亿元"."""
    end = doc.sentence_end(after)
    for quantity in doc.quantities_in(after, end):
        if quantity.unit == plan.unit and lead_in_has(doc, quantity, NUMERATOR_CUES):
            return quantity
    return None


def earlier_plans_for(doc: Document, part: Quantity, before: int) -> list[Quantity]:
    """Plans of the part's unit stated before it in its paragraph, nearest first; a figure that
    is itself the base of another share ("…任务的(83253万元)的495.69%") is not one."""
    start = doc.paragraph_start(part.start)
    plans = []
    for quantity in doc.quantities_in(start, part.start):
        if quantity.unit != part.unit or quantity.approx or not quantity.base:
            continue
        if not is_plan(doc, quantity) or re.match(r"\)?的\d", doc.norm[quantity.end :]):
            continue
        plans.append(quantity)
    return list(reversed(plans))


def ratio_problem(part: Quantity | None, base: Quantity | None, *, missing: str) -> str:
    """Why X ÷ Y cannot be computed from the text, or "" when it can."""
    if part is None:
        return "未找到对应的完成数"
    if base is None:
        return missing
    if part.approx or base.approx:
        return "所给数值为约数，无法精确核对"
    if not part.same_unit(base):
        return f"{part.text()}与{base.text()}单位不一致"
    if not base.base:
        return "基数为0"
    return ""


def judge_ratio(
    doc: Document,
    kind: ClaimKind,
    span: tuple[int, int],
    stated: tuple[int, int],
    part: Quantity,
    base: Quantity,
) -> Claim:
    """The claim for a stated percentage against part ÷ base × 100, rounded half-up."""
    raw = completion_share(part.base, base.base)
    number = doc.norm[stated[0] : stated[1]].rstrip("%")
    decimals = decimals_of(number)
    verdict = judge(Decimal(number), raw, decimals)
    sign = doc.percent_sign(stated)
    formula = f"{part.text()}÷{base.text()}×100%={show_raw(raw, decimals)}%"
    if verdict.ok:
        status, reason = Status.OK, f"{formula}，与所述一致"
    else:
        status = Status.FALSE
        reason = f"{formula}，四舍五入应为{verdict.expected}%，文中为{number}%"
        reason += "".join(
            f"；{extra}" for extra in (verdict.note, base_hint(kind, part, base, number)) if extra
        )
    return doc.claim(
        kind,
        span,
        stated,
        status,
        reason,
        recomputed=f"{verdict.expected}{sign}",
        raw=raw,
        operands=(part, base),
    )


def base_hint(kind: ClaimKind, part: Quantity, base: Quantity, stated: str) -> str:
    """For a plan share: the plan figure the stated percentage would imply."""
    if kind != ClaimKind.PLAN_SHARE or not Decimal(stated):
        return ""
    implied = part.in_units_of(base) / Decimal(stated) * 100
    return f"若百分比无误，计划数应约为{plain(round_to(implied, 0))}{base.unit_text}"


def extract_rates(doc: Document) -> list[Claim]:
    """ "完成率Z%" and its kin, checked when the sentence states both numbers; two rates stated
    together ("办理工作满意率和办理结果满意率分别达到99.8%和98.5%") each on its own."""
    claims = []
    for match in RATE_RE.finditer(doc.norm):
        if not match["name"].endswith(NOT_RATIOS):
            claims.append(rate_claim(doc, match))
    for match in PAIRED_RATES_RE.finditer(doc.norm):
        for index in (1, 2):
            one = OneOfPair(match, index)
            if not one["name"].endswith(NOT_RATIOS):
                claims.append(rate_claim(doc, one))
    return claims


PAIRED_RATES_RE = re.compile(
    rf"(?P<n1>[\u4e00-\u9fff]{{1,10}}?率)(?:和|、|及|与)(?P<n2>[\u4e00-\u9fff]{{1,10}}?率)"
    rf"分别(?:达到|达|为|是)(?P<z1>{NUM})%?(?:和|、|及|与)(?P<z2>{NUM})%"
)


class OneOfPair:
    """One rate of a PAIRED_RATES_RE match, read like a RATE_RE match (name, z)."""

    def __init__(self, match: re.Match, index: int):
        self.match, self.index = match, index

    def group_name(self, group: str) -> str:
        return {"name": f"n{self.index}", "z": f"z{self.index}"}[group]

    def __getitem__(self, group: str) -> str:
        return self.match[self.group_name(group)]

    def start(self, group: str | None = None) -> int:
        return self.match.start() if group is None else self.match.start(self.group_name(group))

    def end(self, group: str | None = None) -> int:
        if group is not None:
            return self.match.end(self.group_name(group))
        end = self.match.end("z1" if self.index == 1 else "z2")
        return end + 1 if self.match.string.startswith("%", end) else end


def rate_claim(doc: Document, match: re.Match) -> Claim:
    """One …率Z% claim: the numerator is the figure its own verb names (完成率: 完成…), the
    denominator the plan or total stated before it — in the sentence, the sum of the done and
    the not-done part, or a plan (计划…) stated earlier in the paragraph or the one before."""
    start = doc.sentence_start(match.start())
    name = rate_name(match["name"])
    stated = (match.start("z"), match.end())
    numerator = rate_numerator(doc, doc.quantities_in(start, match.start()), start, match["name"])
    missing = f"未给出计算{name}所需的计划（应有）数和完成数"
    if numerator is None:
        return doc.claim(
            ClaimKind.RATE, (match.start(), match.end()), stated, Status.UNCHECKABLE, missing
        )
    candidates = rate_denominators(doc, numerator, start, match.start(), match["name"])
    if not candidates:
        span = (numerator.start, match.end())
        return doc.claim(ClaimKind.RATE, span, stated, Status.UNCHECKABLE, missing)
    (denominator, where), others = candidates[0], candidates[1:]
    span = (min(numerator.start, denominator.start), match.end())
    problem = ratio_problem(numerator, denominator, missing=missing)
    if problem:
        return doc.claim(ClaimKind.RATE, span, stated, Status.UNCHECKABLE, problem)
    claim = judge_ratio(doc, ClaimKind.RATE, span, stated, numerator, denominator)
    claim.reason = f"以{where}{denominator.text()}为基数：{claim.reason}"
    if claim.status != Status.FALSE:
        return claim
    if own_subject(doc, numerator, denominator):
        reason = (
            f"以前文所述{denominator.text()}为基数不符，但此句另有所指的项目，"
            "其计划数未给出，无法核对"
        )
        return doc.claim(ClaimKind.RATE, span, stated, Status.UNCHECKABLE, reason)
    for other, label in others:
        if ratio_problem(numerator, other, missing=""):
            continue
        alternative = judge_ratio(doc, ClaimKind.RATE, span, stated, numerator, other)
        if alternative.status == Status.OK:
            reason = (
                f"以{where}{denominator.text()}为基数不符，以{label}{other.text()}为基数则相符"
                f"（{alternative.reason.split('，')[0]}）；文中未说明基数，无法核对"
            )
            return doc.claim(ClaimKind.RATE, span, stated, Status.UNCHECKABLE, reason)
    siblings = sibling_numerators(doc, numerator, start, match["name"])
    if siblings:
        return sum_of_siblings(doc, match, siblings, start, stated, claim)
    agreeing = other_numerator_agreeing(doc, match, numerator, start, stated, span)
    if agreeing:
        reason = (
            f"以{numerator.text()}计不符，以{agreeing}则相符；文中未说明是哪一项的{name}，无法核对"
        )
        return doc.claim(ClaimKind.RATE, span, stated, Status.UNCHECKABLE, reason)
    if where == EARLIER_TOTAL:
        reason = f"{claim.reason}；但基数{denominator.text()}取自前文，未必是{name}的基数，无法核对"
        operands = (numerator, denominator)
        return doc.claim(
            ClaimKind.RATE, span, stated, Status.UNCHECKABLE, reason, operands=operands
        )
    return claim


def sum_of_siblings(
    doc: Document,
    match: re.Match,
    siblings: list[Quantity],
    start: int,
    stated: tuple[int, int],
    nearest: Claim,
) -> Claim:
    """A rate after sibling counts of its verb that does not fit the nearest one: the sum of the
    siblings over a base stated before the first holds when it agrees; a sibling alone or the
    sum agreeing with another base leaves the reading unknown (无法核对); 不一致 only when no
    reading fits — neither any sibling nor their sum over any base before them."""
    total = summed(siblings)
    span = (siblings[0].start, match.end())
    bases = [
        (base, where)
        for base, where in rate_denominators(doc, siblings[0], start, match.start(), match["name"])
        if not ratio_problem(total, base, missing="")
    ]
    for base, where in bases:
        if base.base < total.base:
            continue
        claim = judge_ratio(doc, ClaimKind.RATE, span, stated, total, base)
        if claim.status == Status.OK:
            reason = f"以{where}{base.text()}为基数、{sum_text(siblings)}为分子：{claim.reason}"
            return doc.claim(
                ClaimKind.RATE,
                (min(span[0], base.start), span[1]),
                stated,
                Status.OK,
                reason,
                recomputed=claim.recomputed,
                raw=claim.raw,
                operands=(*siblings, base),
            )
    name = rate_name(match["name"])
    siblings_text = f"{sum_text(siblings)}各项同为{rate_verb(match['name'])}数"
    for part in siblings:
        for base, where in bases:
            if judge_ratio(doc, ClaimKind.RATE, span, stated, part, base).status == Status.OK:
                reason = (
                    f"以{part.text()}÷{where}{base.text()}计相符，但{siblings_text}，"
                    f"{name}的分子未说明，无法核对"
                )
                return doc.claim(ClaimKind.RATE, span, stated, Status.UNCHECKABLE, reason)
    if not bases:
        reason = f"{siblings_text}，{name}的分子与基数未说明，无法核对"
        return doc.claim(ClaimKind.RATE, span, stated, Status.UNCHECKABLE, reason)
    base = bases[0][0]
    claim = judge_ratio(doc, ClaimKind.RATE, span, stated, total, base)
    tried = "、".join(b.text() for b, _where in bases)
    claim.reason = (
        f"{siblings_text}，以其中任一项或其和除以前文的{tried}均不得"
        f"{doc.norm[stated[0] : stated[1]]}；以其和计：{claim.reason}"
    )
    return claim


def other_numerator_agreeing(
    doc: Document,
    match: re.Match,
    numerator: Quantity,
    start: int,
    stated: tuple[int, int],
    span: tuple[int, int],
) -> str:
    """ "1-6月完成投资28亿元,其中省级项目完成15亿元,完成率56%": the rate may be the whole's, not
    the part's just before it; the reading that agrees, or ""."""
    quantities = [q for q in doc.quantities_in(start, numerator.start) if q.unit == numerator.unit]
    while quantities:
        other = rate_numerator(doc, quantities, start, match["name"])
        if other is None:
            return ""
        for base, _label in rate_denominators(doc, other, start, match.start()):
            if base is other or ratio_problem(other, base, missing=""):
                continue
            if judge_ratio(doc, ClaimKind.RATE, span, stated, other, base).status == Status.OK:
                return f"{other.text()}÷{base.text()}"
        quantities = [q for q in quantities if q.start < other.start]
    return ""


QUALIFIERS = ("按时", "按期", "超时", "超期", "提前", "逾期", "限时", "直接")
PLAN_CUES = ("计划", "目标", "任务", "应")


def rate_numerator(
    doc: Document, quantities: list[Quantity], start: int, written: str
) -> Quantity | None:
    """The last figure before the rate whose clause names the rate's verb (开工率: 已开工26个),
    without a qualifier the rate lacks (结案率 is not 按时结案597件)."""
    name = rate_name(written)
    found = verb_counts(doc, quantities, start, written)
    return best_named(found, written[: -len(name)] if written.endswith(name) else "")


def verb_counts(
    doc: Document, quantities: list[Quantity], start: int, written: str
) -> list[tuple[Quantity, str]]:
    """The figures before the rate whose clause names its verb, nearest first, with their
    lead-ins."""
    name = rate_name(written)
    verb = name[:-1][-2:]
    found = []
    for quantity in reversed(quantities):
        clause = doc.sentence_start(quantity.start, "。;!?\n\t,:、")
        lead_in = doc.norm[max(clause, start) : quantity.start]
        named = verb in lead_in if verb else any(cue in lead_in for cue in NUMERATOR_CUES)
        if not named or any(f"{no}{verb}" in lead_in for no in ("未", "不", "没有")):
            continue
        if any(word in lead_in and word not in written for word in QUALIFIERS):
            continue
        found.append((quantity, lead_in))
    return found


def sibling_numerators(
    doc: Document, numerator: Quantity, start: int, written: str
) -> list[Quantity]:
    """ "在线答复办结1240个,转承办单位办结1111个,当月办结率97%": counts of the rate's verb
    side by side in its sentence, none named more like the rate than the others, are siblings —
    the rate may be of their sum as well as of the nearest. In text order; [] when there is one."""
    name = rate_name(written)
    own = written[: -len(name)] if written.endswith(name) else ""
    found = verb_counts(doc, doc.quantities_in(start, numerator.end), start, written)
    found = [
        (q, lead_in)
        for q, lead_in in found
        if q.unit == numerator.unit
        and not q.approx
        # 计划新开工项目270项 names the base, not a sibling of 已开工129项
        and not any(cue in lead_in for cue in DENOMINATOR_CUES + ("确定", "明确"))
    ]
    if len(found) < 2 or found[0][0] is not numerator:
        return []
    if "其中" in doc.norm[found[-1][0].end : numerator.start]:
        return []  # 完成投资28亿元,其中省级项目完成15亿元: a part of the other, no sibling
    if len(own) >= 2 and len({shared_length(own, lead_in) for _q, lead_in in found}) > 1:
        return []  # the rate's own name tells them apart (办理工作满意率 / 办理结果满意率)
    return [q for q, _lead_in in reversed(found)]


def best_named(found: list[tuple[Quantity, str]], own: str) -> Quantity | None:
    """The nearest candidate, unless another's words share more of the rate's own name
    (办理工作满意率: "对办理工作满意…526件", not the nearer "对办理结果满意…519件")."""
    if not found:
        return None
    if len(own) < 2 or len(found) == 1:
        return found[0][0]
    scores = [shared_length(own, lead_in) for _q, lead_in in found]
    best = max(scores)
    if best >= 2 and scores.count(best) == 1 and scores[0] < best:
        return found[scores.index(best)][0]
    return found[0][0]


def rate_denominators(
    doc: Document, numerator: Quantity, start: int, end: int, written: str = ""
) -> list[tuple[Quantity, str]]:
    """The readings of a rate's base, the preferred first: a figure of the numerator's unit
    before it in the sentence (one introduced by 计划/共/确定… first, else the nearest), the
    done part plus the not-done one after it (已开工33个,未开工17个), a plan stated earlier."""
    cues = DENOMINATOR_CUES + ("确定", "明确")
    verb = rate_verb(written)
    before = [
        q
        for q in doc.quantities_in(start, numerator.start)
        if q.unit == numerator.unit
        and not q.approx
        and q.base
        # "对办理工作满意的526件,对办理结果满意的519件": another count of the rate's verb is a
        # sibling of the numerator, not its base
        and not (verb and lead_in_has(doc, q, (verb,)) and not lead_in_has(doc, q, cues))
    ]
    cued = [q for q in before if lead_in_has(doc, q, cues)]
    ordered = ([cued[-1]] if cued else []) + [q for q in reversed(before) if q not in cued[-1:]]
    found = [(q, "前文所述") for q in ordered]
    rest = complement(doc, numerator, end)
    if rest is not None:
        found.append((rest, "已完成与未完成之和"))
    if not before:
        whole = verb_base(doc, numerator, start, written)
        if whole is not None:
            found.append((whole, f"前文所述{rate_verb(written)}数"))
        found.extend(named_bases(doc, numerator, start, written))
        if not written or "计划" in RATE_BASE_CUES.get(rate_verb(written), ("计划",)):
            # a plan is the base of a rate of doing (完成率, 开工率…), never of 满意率 or 办结率
            found.extend(earlier_plans(doc, numerator, start))
        found.extend(
            (q, EARLIER_TOTAL) for q in earlier_totals(doc, numerator, start) if q is not whole
        )
    return found


EARLIER_TOTAL = "前文所述合计"
# What a rate is of, by the verb that names it: 履约率 is of the contracts signed (签约), 办结率 of
# the cases received (受理/交办).
RATE_BASE_CUES = {
    "满意": ("回访", "收回", "调查", "测评", "反馈"),
    "履约": ("签约", "签订", "合同"),
    "办结": ("受理", "交办", "转办", "登记"),
    "结案": ("受理", "立案"),
    "整改": ("发现", "排查", "交办", "反馈"),
    "化解": ("排查", "摸排"),
    "销号": ("交办", "排查"),
    "开工": ("计划", "应开工"),
    "到位": ("计划", "应到位", "签约", "协议"),
    "签约": ("计划", "洽谈", "对接"),
    "落地": ("签约",),
    "投产": ("计划", "应投产"),
    "完成": ("计划", "目标", "任务", "确定"),
}


def named_bases(
    doc: Document, numerator: Quantity, start: int, written: str
) -> list[tuple[Quantity, str]]:
    """ "签约项目40个。…履约26个，履约率65%": the figure stated before the sentence (in its
    paragraph or the one before) under the word the rate is of, nearest first."""
    cues = RATE_BASE_CUES.get(rate_verb(written), ()) if written else ()
    if not cues:
        return []
    floor = doc.paragraph_start(max(0, doc.paragraph_start(start) - 1))
    found = []
    for quantity in doc.quantities_in(floor, start):
        if quantity.unit != numerator.unit or quantity.approx or not quantity.base:
            continue  # a plan may be exceeded: 完成22.39亿元 of 计划21.6亿元 is 103.66%
        cue = next((c for c in cues if lead_in_has(doc, quantity, (c,))), None)
        if cue and not lead_in_has(doc, quantity, (rate_verb(written),)):
            found.append((quantity, f"前文所述{cue}数"))
    return list(reversed(found))


def rate_verb(written: str) -> str:
    """The verb a rate is named by, without its qualifier (按时办结率 → 办结)."""
    name = rate_name(written)[:-1] if written else ""
    for word in QUALIFIERS:
        name = name.replace(word, "")
    return name[-2:]


def verb_base(doc: Document, numerator: Quantity, start: int, written: str) -> Quantity | None:
    """ "办结40件；其中按时办结32件，按时办结率80.0％": a qualified rate (按时…率) is of the count
    its bare verb names (办结40件), stated before the sentence in the paragraph."""
    name = rate_name(written) if written else ""
    if not any(word in name for word in QUALIFIERS):
        return None
    verb = rate_verb(written)
    for quantity in reversed(doc.quantities_in(doc.paragraph_start(start), start)):
        if quantity.unit != numerator.unit or quantity.approx or not quantity.base:
            continue
        clause = doc.sentence_start(quantity.start, "。;!?\n\t,:、")
        lead_in = doc.norm[clause : quantity.start]
        if verb not in lead_in or any(word in lead_in for word in QUALIFIERS):
            continue
        if any(f"{no}{verb}" in lead_in for no in ("未", "不", "没有")):
            continue
        return quantity if quantity.base >= numerator.base else None
    return None


def earlier_totals(doc: Document, numerator: Quantity, start: int) -> list[Quantity]:
    """Totals (受理/交办/共…) of the numerator's unit stated before the sentence in its
    paragraph, nearest first: a reading of the base, never proof of an error."""
    totals = []
    for quantity in doc.quantities_in(doc.paragraph_start(start), start):
        if quantity.unit != numerator.unit or quantity.approx or quantity.base < numerator.base:
            continue
        if lead_in_has(doc, quantity, ("共", "合计", "总", "受理", "交办", "排查", "确定", "梳理")):
            totals.append(quantity)
    return list(reversed(totals))


def lead_in_has(doc: Document, quantity: Quantity, cues: tuple[str, ...]) -> bool:
    """Whether the clause leading into the quantity holds one of the cues."""
    clause = doc.sentence_start(quantity.start, "。;!?\n\t,:、")
    return any(cue in doc.norm[clause : quantity.start] for cue in cues)


def complement(doc: Document, numerator: Quantity, end: int) -> Quantity | None:
    """已开工33个,未开工17个 → 50个: the numerator plus the not-done part right after it."""
    after = [q for q in doc.quantities_in(numerator.end, end) if q.unit == numerator.unit]
    if len(after) != 1 or after[0].approx:
        return None
    clause = doc.sentence_start(after[0].start, "。;!?\n\t,:、")
    if not doc.norm[clause : after[0].start].startswith(("未", "尚未", "正在", "在建")):
        return None
    return dataclasses.replace(
        numerator,
        start=numerator.start,
        end=after[0].end,
        number=numerator.number + after[0].base / numerator.multiplier,
        decimals=max(numerator.decimals, after[0].decimals),
    )


def earlier_plans(doc: Document, numerator: Quantity, start: int) -> list[tuple[Quantity, str]]:
    """Plans (计划…) of the numerator's unit stated before the sentence, in its paragraph or the
    one before, nearest first."""
    floor = doc.paragraph_start(max(0, doc.paragraph_start(start) - 1))
    plans = [
        q
        for q in doc.quantities_in(floor, start)
        if q.unit == numerator.unit and not q.approx and q.base and lead_in_has(doc, q, PLAN_CUES)
    ]
    return [(q, "前文所述计划") for q in reversed(plans)]


def rate_name(written: str) -> str:
    """The rate's own name out of the characters before 率 ("点项目履约率" → 履约率)."""
    return next((name for name in KNOWN_RATES if written.endswith(name)), written[-3:])
