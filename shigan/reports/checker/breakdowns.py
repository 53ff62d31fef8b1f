"""Totals and their breakdowns in prose, beyond the status-named parts of parts.py.

- A total followed by parts that add up to it ("签订正式合同109个…其中工业项目35个…;基础设施
  建设项目18个…;其它项目56个"; "地区生产总值545.0亿元…第一产业41.99亿元…"): verified when a run of
  consecutive figures of its unit after it sums to it (within the rounding of the figures), or
  a run right before "合计/共计T". Figures that add up to nothing are not reported: most
  sequences of figures are not breakdowns.
- A completion table ("确定事项56项,完成48项,正在办理8项"): the done and the open part of the
  total stated just before them must add up to it.
- A complete breakdown ("分为三类:甲类20项、乙类35项、丙类45项", "27项(省级6项、市级5项、县级16项)")
  must add up to its total; a partial one ("其中:油菜1830亩、蔬菜3850亩…") may fall short but
  never exceed it.
- A number restated ("28件正在办理的事项中", "22件事项中,16件正在办理") must equal what the text
  stated before for the same status ("正在办理27件")."""

import re
from decimal import Decimal

from shigan.indicators.calc import plain

from .bases import all_share_items, find_bases, has_cue, run_of, shared_length
from .document import HARD_STOPS, Document
from .numbers import COUNT_ALT, COUNT_UNITS, NUM, Quantity
from .results import Claim, ClaimKind, Status

WINDOW = 1000
MAX_PARTS = 30  # parts looked at after one total (bounds the time on long texts)
DONE_WORDS = ("已完成", "完成", "已办结", "办结", "结案", "销号", "已解决", "达到验收标准", "竣工")
OPEN_WORDS = (
    "正在办理", "正在推进", "正在实施", "正在建设", "正在", "办理中", "推进中", "在办", "未完成",
    "未办结", "在建",
)  # fmt: skip
STARTED_WORDS = ("已开工", "开工")
NOT_STARTED_WORDS = ("未开工", "尚未开工")
STATUS_LEAD_WORDS = DONE_WORDS + OPEN_WORDS + STARTED_WORDS + NOT_STARTED_WORDS + (
    "未启动", "尚未启动", "逾期", "滞后", "欠进度", "超进度", "达进度",
)  # fmt: skip
THIRD_PART_WORDS = ("另有", "其余", "暂缓", "已", "未", "正在", "尚", "停", "取消", "终止")
ENUM_SEP_RE = re.compile(r"[、,][^\d,;。%:、()]{0,14}")
COMPLETE_INTRO_RE = re.compile(r"^(?:\(|,?(?:共)?分为[^,;。]{0,6}?:|,?包括:?)")
PARTIAL_INTRO_RE = re.compile(r"^(?:\(其中:?|,?其中:?)")
STATUS_ALT = "正在办理|正在推进|正在实施|办理中|推进中|已完成|已办结|未完成|未办结|滞后|逾期"
RESTATED_RE = re.compile(
    rf"(?P<n>{NUM})(?P<unit>{COUNT_ALT})(?P<status>{STATUS_ALT})的[^\d,;。]{{0,8}}?中"
    rf"|(?P<n2>{NUM})(?P<unit2>{COUNT_ALT})[^\d,;。]{{0,8}}?中,(?P<m>{NUM})(?P<unit3>{COUNT_ALT})"
    rf"(?P<status2>{STATUS_ALT})"
    rf"|(?P<status3>{STATUS_ALT})的(?P<n3>{NUM})(?P<unit4>{COUNT_ALT})[^\d,;。]{{0,8}}?中"
)


def tolerance(total: Quantity, parts: list[Quantity]) -> Decimal:
    """How far a sum of rounded figures may be from a rounded total, in base units."""
    half = Decimal(5).scaleb(-total.decimals - 1) * total.multiplier
    return half + sum(
        (Decimal(5).scaleb(-q.decimals - 1) * q.multiplier for q in parts if q.decimals),
        Decimal(0),
    )


def adds_up(total: Quantity, parts: list[Quantity]) -> bool:
    """The parts add up to the total, exactly or within the rounding of the figures."""
    difference = abs(sum((q.base for q in parts), Decimal(0)) - total.base)
    if not (total.decimals or any(q.decimals for q in parts)):
        return difference == 0
    return difference <= tolerance(total, parts)


def sum_reason(parts: list[Quantity], total: Quantity) -> tuple[str, str]:
    """ "35个+18个+56个=109个", and the sum in the total's unit as written."""
    value = sum((q.base for q in parts), Decimal(0)) / total.multiplier
    recomputed = f"{plain(value)}{total.unit_text}"
    return "+".join(q.text() for q in parts) + f"={recomputed}", recomputed


def paragraph_window(doc: Document, total: Quantity) -> int:
    """Where a total's parts may lie: its paragraph, and the lines after it up to a blank line
    when it ends in "其中:" (a list set out line by line)."""
    end = doc.paragraph_end(total.end)
    if doc.norm[:end].rstrip().endswith(":"):
        blank = doc.norm.find("\n\n", end + 1)
        end = len(doc.norm) if blank < 0 else blank
    return min(end, total.end + WINDOW)


def extract_breakdowns(doc: Document) -> list[Claim]:
    """Completion tables, explicit breakdowns, then sums that add up."""
    claims = []
    for index, total in enumerate(doc.quantities):
        if total.approx or not total.base:
            continue
        claim = completion_table(doc, index) or enumeration(doc, index) or run_sum(doc, index)
        if claim:
            claims.append(claim)
    return claims


def following(doc: Document, index: int) -> list[Quantity]:
    """The figures of the total's unit after it, in its window, until a new total of that unit."""
    total = doc.quantities[index]
    end = paragraph_window(doc, total)
    found = []
    for position in range(index + 1, len(doc.quantities)):
        quantity = doc.quantities[position]
        if quantity.start >= end or len(found) >= MAX_PARTS:
            break
        if quantity.unit != total.unit or quantity.base >= total.base:
            continue  # a larger figure is no part ("概算投资140.16亿元" among the parts of 77.57亿元)
        found.append(quantity)
    return found


CHANGE_LEAD_INS = (
    "比", "较", "同期", "增加", "减少", "增长", "下降", "提高", "降低", "上升", "增", "减",
    "计划", "目标", "任务", "预计", "日均", "平均", "人均",
)  # fmt: skip


def item_like(doc: Document, quantity: Quantity) -> bool:
    """A figure that can be a listed part: the first figure of its clause, not the operand of a
    change or a plan ("比去年同期的1吨增加1吨" holds no parts)."""
    clause = doc.sentence_start(quantity.start, "。;!?\n\t,:、()")
    if any(q.unit == quantity.unit for q in doc.quantities_in(clause, quantity.start)):
        if not doc.norm[clause : quantity.start].endswith(("中有", "中", "中,")):
            return False
    lead_in = (
        doc.norm[max(clause, quantity.start - 5) : quantity.start]
        .replace("增加值", "")
        .replace("新增", "")
    )
    return not any(word in lead_in for word in CHANGE_LEAD_INS)


def run_sum(doc: Document, index: int) -> Claim | None:
    """A run of consecutive figures after the total (or right before its 合计) adding up to it."""
    total = doc.quantities[index]
    after = [q for q in following(doc, index) if item_like(doc, q)]
    if lead_word(doc, total, STATUS_LEAD_WORDS) and any(
        lead_word(doc, q, STATUS_LEAD_WORDS) for q in after[:1]
    ):
        after = []  # "已完成79件;正在办理1件;未启动78件": a part, not the total of the others
    cued = has_cue(doc, total)
    for first in range(len(after)):
        if not cued and "其中" not in doc.norm[total.end : after[first].start]:
            continue  # no 共/合计/受理… and no 其中: figures that merely add up prove nothing
        # a list's items stand at one depth of brackets: "新开工项目180个(其中省级10个)" is a
        # sub-item of 180个, not the next item of the list
        level = depth(doc, total.end, after[first])
        items = [after[first]] + [
            q for q in after[first + 1 :] if depth(doc, total.end, q) == level
        ]
        for last in range(1, len(items)):
            run = items[: last + 1]
            if any(q.approx for q in run) or not continues_list(doc, total, run[0], run[-2:]):
                break
            if adds_up(total, run):
                return verified(doc, total, run)
            if sum(q.base for q in run) > total.base + tolerance(total, run):
                break
    before = trailing_run(doc, index)
    if before and adds_up(total, before):
        return verified(doc, total, before)
    return None


LIST_LEAD_STRIP = re.compile(r"^(?:其中|另有|另|其余|其他|其它|此外|以及|和|及|还有|共有|有)[:,]?")
OTHER_ITEM = ("其他", "其它", "其余", "另有", "另", "剩余", "剩下")


def item_label(doc: Document, quantity: Quantity) -> str:
    """The words of the clause leading into a listed figure, without 其中/另有… ("其中工业项目"
    → 工业项目)."""
    clause = doc.sentence_start(quantity.start, "。;!?\n\t,:、()")
    words = re.sub(r"[\d\s.%]", "", doc.norm[clause : quantity.start])
    return LIST_LEAD_STRIP.sub("", words)


def same_kind(doc: Document, first: Quantity, item: Quantity) -> bool:
    """Whether a later figure is an item of the list `first` opens: labels sharing a word
    (工业项目 / 基础设施建设项目, 稻谷总产量…达到 / 小麦总产量), both a status (按时办结 / 超期
    办结, 已完成 / 正在办理), or "其他…"."""
    a, b = item_label(doc, first), item_label(doc, item)
    if not a or not b or a[-1] == b[-1]:
        return True
    if shared_length(sentence_label(doc, first), b) >= 2:
        return True
    clause = doc.sentence_start(item.start, "。;!?\n\t,:、()")
    if doc.norm[clause : item.start].startswith(OTHER_ITEM):
        return True
    return starts_with_status(a) and starts_with_status(b)


def sentence_label(doc: Document, quantity: Quantity) -> str:
    """The words of the sentence leading into a figure (from the last 。；), digits dropped."""
    start = doc.sentence_start(quantity.start)
    return re.sub(r"[\d\s.%]", "", doc.norm[start : quantity.start])


def starts_with_status(label: str) -> bool:
    """已完成…, 正在办理…, 按时办结… (a status, possibly qualified)."""
    return any(word in label[:6] for word in STATUS_LEAD_WORDS)


def continues_list(doc: Document, total: Quantity, first: Quantity, pair: list[Quantity]) -> bool:
    """Whether the last figure of `pair` continues the list after the one before it. Items
    follow each other: another figure of the unit between them ends the list, unless the two
    items repeat one label the figure between does not share ("…完成投资28.78亿元。…概算投资
    221.76亿元…完成投资26.4亿元"). After a ；the item must be of the same kind as the list's
    first ("其中按时办结32件…；排查矛盾纠纷4件" starts a new subject, not a part of 办结)."""
    previous, item = pair
    between = [
        q
        for q in doc.quantities_in(previous.end, item.start)
        if q.unit == total.unit and not in_brackets(doc, previous.end, q)
    ]
    if between:
        own = item_label(doc, previous)
        shared = shared_length(own, item_label(doc, item))
        if shared < 3 or any(shared_length(own, item_label(doc, q)) >= shared for q in between):
            return False
    gap = doc.norm[previous.end : item.start]
    if ";" in gap or "。" in gap:
        return same_kind(doc, first, item)
    return True


def depth(doc: Document, start: int, quantity: Quantity) -> int:
    """How many brackets opened after `start` are still open where the figure stands."""
    gap = doc.norm[start : quantity.start]
    return gap.count("(") - gap.count(")")


def in_brackets(doc: Document, start: int, quantity: Quantity) -> bool:
    """Whether a figure after `start` stands inside brackets opened after `start`: a sub-item
    ("新开工项目180个(其中省级10个),前期项目78个"), not an item of the list."""
    gap = doc.norm[start : quantity.start]
    return gap.count("(") > gap.count(")")


def trailing_run(doc: Document, index: int) -> list[Quantity]:
    """ "分别为A、B、C,合计T": the figures of T's unit in its sentence before a 合计/共计/总计."""
    total = doc.quantities[index]
    lead_in = doc.norm[max(0, total.start - 4) : total.start]
    if not any(cue in lead_in for cue in ("合计", "共计", "总计", "共")):
        return []
    start = doc.sentence_start(total.start)
    return [
        q
        for q in doc.quantities_in(start, total.start)
        if q.unit == total.unit and not q.approx and q.base < total.base and item_like(doc, q)
    ]


def has_total_cue(doc: Document, quantity: Quantity) -> bool:
    """共/合计/总… in the clause leading into the quantity."""
    clause = doc.sentence_start(quantity.start, "。;!?\n\t,:")
    return any(cue in doc.norm[clause : quantity.start] for cue in ("共", "合计", "总"))


def verified(doc: Document, total: Quantity, parts: list[Quantity]) -> Claim:
    """The total claim for parts that add up to it."""
    return total_claim(doc, total, parts, Status.OK, f"与合计{total.text()}一致")


def mismatch(doc: Document, total: Quantity, parts: list[Quantity], why: str) -> Claim:
    """The total claim for parts that do not add up to it."""
    return total_claim(doc, total, parts, Status.FALSE, f"{why}{total.text()}不符")


def total_claim(doc, total: Quantity, parts: list[Quantity], status: Status, verdict: str) -> Claim:
    """The claim that `parts` add up to `total`, its reason the sum written out and `verdict`."""
    formula, recomputed = sum_reason(parts, total)
    span = (min(total.start, parts[0].start), max(total.end, parts[-1].end))
    return doc.claim(
        ClaimKind.TOTAL,
        span,
        (total.start, total.end),
        status,
        f"{formula}，{verdict}",
        recomputed=recomputed,
        operands=(total, *parts),
    )


def lead_word(doc: Document, quantity: Quantity, words: tuple[str, ...]) -> bool:
    """Whether the clause leading into the quantity starts with one of the words."""
    clause = doc.sentence_start(quantity.start, "。;!?\n\t,:")
    lead_in = doc.norm[clause : quantity.start]
    return any(lead_in.startswith(word) for word in words)


def table_at(doc: Document, index: int) -> tuple[Quantity, Quantity, Quantity] | None:
    """ "确定事项56项,完成48项,正在办理8项": the total and its done and open parts, or None."""
    total = doc.quantities[index]
    following_ = doc.quantities[index + 1 : index + 3]
    if len(following_) != 2 or any(q.unit != total.unit or q.approx for q in following_):
        return None
    done, still = following_
    end = doc.sentence_end(total.end)
    if still.end > end or any(stop in doc.norm[total.end : still.start] for stop in "。;\n"):
        return None
    pairs = (
        (DONE_WORDS, OPEN_WORDS),
        (STARTED_WORDS, NOT_STARTED_WORDS),
    )
    if not any(
        lead_word(doc, done, first) and lead_word(doc, still, second) for first, second in pairs
    ):
        return None
    return total, done, still


def completion_table(doc: Document, index: int) -> Claim | None:
    """ "确定事项56项,完成48项,正在办理8项": the two parts right after a stated total."""
    table = table_at(doc, index)
    if table is None:
        return None
    total, done, still = table
    following_ = [done, still]
    if adds_up(total, following_):
        return verified(doc, total, following_)
    third = doc.quantities[index + 3 : index + 4]
    if (
        third
        and third[0].unit == total.unit
        and third[0].start < doc.sentence_end(still.end)
        and lead_word(doc, third[0], THIRD_PART_WORDS)
    ):
        return None  # a third part ("另有2项暂缓"): not a two-part table
    return mismatch(doc, total, following_, "与所述合计")


TRAILING_RE = re.compile(r"[,、]?(?:合计|共计|总计|共)(?:为|达)?$")


def trailing_enumeration(doc: Document, index: int) -> Claim | None:
    """ "造林1.2万亩、森林抚育8500亩,合计2.05万亩": an enumeration right before its 合计 is complete."""
    total = doc.quantities[index]
    if index == 0 or not TRAILING_RE.search(doc.norm[max(0, total.start - 5) : total.start]):
        return None
    parts: list[Quantity] = []
    position = index - 1
    separator = ""
    while position >= 0:
        quantity = doc.quantities[position]
        end = parts[0].start if parts else total.start
        gap = doc.norm[quantity.end : end]
        pattern = TRAILING_RE.pattern.rstrip("$") if not parts else ENUM_SEP_RE.pattern
        if quantity.unit != total.unit or not re.fullmatch(pattern, gap):
            break
        if parts and separator and gap[0] != separator:
            break  # "…634吨,合计1268吨,三个乡镇分别为193吨、205吨…": another list before
        if TRAILING_RE.search(doc.norm[max(0, quantity.start - 5) : quantity.start]):
            break  # a 合计 of its own is no item
        if parts:
            separator = gap[0]
        parts.insert(0, quantity)
        position -= 1
    if len(parts) < 2 or any(q.approx for q in parts):
        return None
    if adds_up(total, parts):
        return verified(doc, total, parts)
    return mismatch(doc, total, parts, "各项之和与合计")


def enumeration(doc: Document, index: int) -> Claim | None:
    """ "27项(省级6项、市级5项、县级16项)" / "分为三类:…" (complete) and "(其中:…)" (partial)."""
    trailing = trailing_enumeration(doc, index)
    if trailing:
        return trailing
    total = doc.quantities[index]
    rest = doc.norm[total.end : total.end + 16]
    partial = PARTIAL_INTRO_RE.match(rest)
    complete = None if partial else COMPLETE_INTRO_RE.match(rest)
    intro = partial or complete
    if not intro:
        return None
    parts = enumerated_after(doc, index, total.end + intro.end())
    if len(parts) < 2:
        return None
    if adds_up(total, parts):
        return verified(doc, total, parts)
    if complete and summed_below(total, parts) and list_goes_on(doc, intro, parts[-1]):
        formula, _recomputed = sum_reason(parts, total)
        reason = (
            f"{formula}，与合计{total.text()}不符；但列举在此之后仍有数字，列举范围不明，无法核对"
        )
        span = (total.start, parts[-1].end)
        stated = (total.start, total.end)
        return doc.claim(
            ClaimKind.TOTAL, span, stated, Status.UNCHECKABLE, reason, operands=(total, *parts)
        )
    if complete:
        return mismatch(doc, total, parts, "各项之和与合计")
    if sum(q.base for q in parts) > total.base + tolerance(total, parts):
        if not all(
            "、" in doc.norm[a.end : b.start] or same_kind(doc, parts[0], b)
            for a, b in zip(parts, parts[1:], strict=False)
        ):
            return None  # "总人口15244人,其中农业人口14321人,现有劳动力6811人": not one list
        if overlapping(doc, parts):
            formula, recomputed = sum_reason(parts, total)
            reason = (
                f"{formula}，超过合计{total.text()}；但各项名称大同小异，可能是同一批对象的"
                "不同指标（互有交叉），无法核对"
            )
            span = (total.start, parts[-1].end)
            operands = (total, *parts)
            stated = (total.start, total.end)
            return doc.claim(
                ClaimKind.TOTAL, span, stated, Status.UNCHECKABLE, reason, operands=operands
            )
        return mismatch(doc, total, parts, "分项之和超过合计")
    return None


OVERLAP_SHARED = 4


def overlapping(doc: Document, parts: list[Quantity]) -> bool:
    """Items listed with commas whose names share a long phrase ("对办理工作满意或基本满意的526件,
    对办理结果满意或基本满意的519件"): two measures of one set of cases, not parts of it."""
    for a, b in zip(parts, parts[1:], strict=False):
        if "、" in doc.norm[a.end : b.start]:
            continue
        if shared_length(item_label(doc, a), item_label(doc, b)) >= OVERLAP_SHARED:
            return True
    return False


def enumerated_after(doc: Document, index: int, start: int) -> list[Quantity]:
    """The figures of an enumeration starting at `start`: "油菜1830亩、蔬菜3850亩、…" (labels
    between, no other figures), all of the total's unit."""
    total = doc.quantities[index]
    parts: list[Quantity] = []
    position = start
    separator = ""
    label_start = ""  # an item's label that begins with a count: "、3个市场化公司聘用人员1155人"
    for quantity in doc.quantities[index + 1 : index + 1 + MAX_PARTS]:
        gap = label_start + doc.norm[position : quantity.start]
        if counted_label(doc, total, quantity, position) and not label_start:
            label_start = doc.norm[position : quantity.start]
            position = quantity.end
            continue
        label_start = ""
        pattern = r"[^\d,;。%:、()]{0,14}" if not parts else ENUM_SEP_RE.pattern
        if not re.fullmatch(pattern, gap) or quantity.unit != total.unit:
            break
        if parts and separator and gap[0] != separator:
            break  # "甲类20项、乙类35项,项目100项…": a comma after 、-items starts a new clause
        if parts:
            separator = gap[0]
        parts.append(quantity)
        position = quantity.end
    return parts


def counted_label(doc: Document, total: Quantity, quantity: Quantity, position: int) -> bool:
    """Whether a count of another unit than the total's opens an item's label (the 3个 of
    "、3个市场化公司聘用人员1155人"): it is part of the label, not a figure of the list."""
    return (
        quantity.unit != total.unit
        and quantity.unit in COUNT_UNITS
        and quantity.multiplier == 1
        and re.fullmatch(r"[、,]?", doc.norm[position : quantity.start]) is not None
        and re.match(r"[\u4e00-\u9fff]", doc.norm[quantity.end : quantity.end + 1]) is not None
    )


def summed_below(total: Quantity, parts: list[Quantity]) -> bool:
    """Whether the parts add up to less than the total (more items could make it up)."""
    return sum(q.base for q in parts) < total.base


def list_goes_on(doc: Document, intro: re.Match, last: Quantity) -> bool:
    """Whether the enumeration stopped before its end: another item follows (、…) or its bracket
    still holds figures — its extent is unclear."""
    after = doc.norm[last.end :]
    if after.startswith("、"):
        return True
    if intro.group().endswith("("):
        inside = after.split(")", 1)[0]
        return ")" in after and re.search(r"\d", inside) is not None
    return False


def extract_restated(doc: Document) -> list[Claim]:
    """ "28件正在办理的事项中" / "确定的22件事项中,16件正在办理" against the count first stated
    for that status ("正在办理27件")."""
    claims = []
    for match in RESTATED_RE.finditer(doc.norm):
        group = "n" if match["n"] else ("m" if match["m"] else "n3")
        status = match["status"] or match["status2"] or match["status3"]
        unit = match["unit"] or match["unit3"] or match["unit4"]
        quantity = doc.quantity_at(match.start(group))
        if quantity is None or quantity.approx:
            continue
        if group != "m":
            claims.extend(restated_parts(doc, match.end(), quantity))
        statements = stated_before(doc, status, unit, match.start())
        if not statements:
            continue
        same = [q for q in statements if q.number == quantity.number]
        earlier = same[-1] if same else statements[-1]
        stated = (quantity.start, quantity.end)
        span = (earlier.start, quantity.end)
        where = f"前文所述{status}{earlier.text()}"
        if same:
            status_, reason = Status.OK, f"与{where}一致"
        elif len({q.number for q in statements}) > 1:
            figures = "、".join(q.text() for q in statements)
            status_ = Status.UNCHECKABLE
            reason = f"前文{status}先后有{figures}，不知所指，无法核对"
        else:
            status_, reason = Status.FALSE, f"与{where}不符"
        claims.append(
            doc.claim(
                ClaimKind.TOTAL,
                span,
                stated,
                status_,
                reason,
                recomputed=earlier.text(),
                operands=(earlier, quantity),
            )
        )
    return claims


PART_LEAD_RE = re.compile(r"(?:其中|有|另有|还有)?")


def restated_parts(doc: Document, start: int, whole: Quantity) -> list[Claim]:
    """ "正在办理的14件事项中,9件已进入收尾阶段,5件正在推进": the counts opening the clauses
    after "…中" add up to the restated number (fewer: the rest may be unnamed, 无法核对)."""
    end = doc.sentence_end(start, HARD_STOPS)
    parts = []
    for quantity in doc.quantities_in(start, end):
        if quantity.unit != whole.unit or depth(doc, start, quantity):
            continue
        clause = doc.sentence_start(quantity.start, "。;!?\n\t,:、")
        if not PART_LEAD_RE.fullmatch(doc.norm[max(clause, start) : quantity.start]):
            continue  # "…其中涉及资金5件": not a clause the count opens
        parts.append(quantity)
    if len(parts) < 2 or any(q.approx for q in parts):
        return []
    formula, recomputed = sum_reason(parts, whole)
    total = sum((q.base for q in parts), Decimal(0))
    if total == whole.base:
        status, verdict = Status.OK, f"与{whole.text()}一致"
    elif total > whole.base:
        status, verdict = Status.FALSE, f"分项之和超过{whole.text()}"
    else:
        status, verdict = Status.UNCHECKABLE, f"少于{whole.text()}，文中未列出其余部分，无法核对"
    span = (whole.start, parts[-1].end)
    stated = (parts[-1].start, parts[-1].end)
    reason = f"{formula}，{verdict}"
    return [
        doc.claim(
            ClaimKind.TOTAL,
            span,
            stated,
            status,
            reason,
            recomputed=recomputed,
            operands=(whole, *parts),
        )
    ]


def stated_before(doc: Document, status: str, unit: str, before: int) -> list[Quantity]:
    """Every "正在办理27件" (status, then the count) before `before`, in order: when two
    meetings each state one, which the restatement means is not known."""
    pattern = re.compile(rf"{status}[^\d,;。%]{{0,4}}?(?P<n>{NUM}){unit}")
    found = []
    for match in pattern.finditer(doc.norm, 0, before):
        quantity = doc.quantity_at(match.start("n"))
        if quantity is not None and not quantity.approx:
            found.append(quantity)
    return found


def extract_share_lists(doc: Document) -> list[Claim]:
    """ "提案591件…解决的有148件,占总数的25.2%;…364件,占61.9%;…66件,占11.2%;…10件,占1.7%":
    parts whose shares add up to 100% are all the parts, so they must add up to the total
    stated before them (148+364+66+10=588, not 591)."""
    claims = []
    seen: set[int] = set()
    for start in sorted(all_share_items(doc)):
        if start in seen:
            continue
        item = all_share_items(doc)[start]
        run = run_of(doc, item.quantity)
        seen.update(i.quantity.start for i in run)
        if len(run) < 2:
            continue
        if not all(names_the_total(doc, i.quantity) for i in run):
            continue  # "占63.72%": of the listed sum, maybe of a part of the total not stated
        bases = find_bases(doc, run[-1].quantity)
        total, listed = bases.stated, [i.quantity for i in run]
        if not bases.complete or total is None or total.approx or any(q.approx for q in listed):
            continue
        total = restated_nearer(doc, total, listed[0])
        if adds_up(total, listed):
            claims.append(verified(doc, total, listed))
        else:
            claims.append(
                mismatch(doc, total, listed, "各项占比合计为100%，即已列全，各项之和与合计")
            )
    return claims


SHARE_OF_TOTAL_WORDS = ("总数", "总量", "总额", "合计", "全部", "总计")


def names_the_total(doc: Document, part: Quantity) -> bool:
    """Whether a part's share names its base the total: "148件,占总数的25.2%"."""
    share = doc.norm[part.end : part.end + 24].split("%", 1)[0]
    return any(word in share for word in SHARE_OF_TOTAL_WORDS)


def restated_nearer(doc: Document, total: Quantity, first: Quantity) -> Quantity:
    """The last statement of the total's value before the list ("提案591件。…这591件提案…")."""
    same = [
        q
        for q in doc.quantities_in(total.end, first.start)
        if q.unit == total.unit and q.base == total.base and not q.approx
    ]
    return same[-1] if same else total
