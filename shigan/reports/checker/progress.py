"""The gap to time progress: 超（低于）序时进度N个百分点 = completion % − months elapsed ÷ 12.

The completion is the percentage stated before the gap in the same sentence — its raw value when
the text gives the two numbers behind it; the period is the nearest 1-7月 / 上半年 / 截至7月底
before it. When only the rounded completion is known, any gap that some raw completion rounding
to it would give is accepted."""

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal

from shigan.indicators.calc import gap_points, plain, time_progress

from .document import HARD_STOPS, Document, match_span
from .numbers import NUM, PERCENT_RE, Quantity, bare_quantity, decimals_of, round_to, show_raw
from .results import Claim, ClaimKind, Status

AHEAD = "超过|超出|超|高于|快于|领先"
BEHIND = "低于|落后于|落后|慢于|滞后于|滞后|晚于"
REFERENCE = "序时进度|时序进度|时间进度|序时"
GAP_RE = re.compile(
    rf"(?P<dir>{AHEAD}|{BEHIND})(?P<ref>{REFERENCE})(?P<n>{NUM})个?百分点"
    rf"|(?:比|较)(?:{REFERENCE})(?P<dir2>快|慢|高|低|超)了?(?P<n2>{NUM})个?百分点"
    # "完成…目标任务的125.64%,超进度42.31%": points written with a % sign
    rf"|(?<=[,、])(?P<dir3>超|欠)进度(?P<n3>{NUM})(?:%|个?百分点)"
)
AHEAD_WORDS = set(AHEAD.split("|")) | {"快", "高"}
MONTH = r"1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九]"
CHINESE_MONTHS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
CHINESE_MONTHS |= {"十一": 11, "十二": 12}
PERIOD_RE = re.compile(
    rf"(?<![\d])(?:1|一)(?:月)?[-—–~至到](?P<m1>{MONTH})月"
    rf"|(?:截至|截止到|截止|截至到)(?:\d{{4}}年)?(?P<m2>{MONTH})月"
    rf"|(?<![\d])(?P<m3>{MONTH})月(?:底|末)(?!前)"
    rf"|(?P<half>上半年)|(?P<q1>第?一季度)|(?P<q2>前两个?季度|第?二季度末)|(?P<q3>前三季度)"
)
PERIOD_MONTHS = {"half": 6, "q1": 3, "q2": 6, "q3": 9}
COMPLETION_KINDS = {ClaimKind.PLAN_SHARE, ClaimKind.RATE, ClaimKind.SHARE, ClaimKind.PART_SHARE}
GROWTH_WORDS = ("增长", "下降", "增加", "减少", "提高", "降低")
JUST_BELOW = Decimal("1e-12")  # half-up: a raw value at exactly +0.05 rounds to the next figure


@dataclass(frozen=True)
class Completion:
    stated: Decimal
    decimals: int
    raw: Decimal | None  # from the numbers behind the percentage, when the text gives them
    quantity: Quantity | None = None  # where the percentage is written

    @property
    def value(self) -> Decimal:
        return self.raw if self.raw is not None else self.stated

    def text(self) -> str:
        if self.raw is None:
            return f"{plain(self.stated)}%"
        return f"{show_raw(self.raw, self.decimals)}%"


@dataclass(frozen=True)
class Period:
    months: int
    text: str


def month_of(match: re.Match) -> int:
    """Months elapsed for a period match (1-7月 → 7, 上半年 → 6)."""
    for group, months in PERIOD_MONTHS.items():
        if match[group]:
            return months
    token = match["m1"] or match["m2"] or match["m3"]
    return int(token) if token.isdigit() else CHINESE_MONTHS[token]


def period_before(doc: Document, pos: int) -> Period | None:
    """The nearest period before `pos`: in the sentence, the paragraph, then the first line
    (a title such as "1-7月工作总结")."""
    scopes = (
        (doc.sentence_start(pos, HARD_STOPS), pos),
        (doc.paragraph_start(pos), pos),
        (0, min(doc.sentence_end(0, "\n"), pos)),
    )
    for start, end in scopes:
        found = list(PERIOD_RE.finditer(doc.norm, start, end))
        if found:
            return Period(month_of(found[-1]), found[-1][0])
    return None


def percent_at(match: re.Match) -> Quantity:
    """The stated percentage as an operand (its span covers the % sign)."""
    return dataclasses.replace(bare_quantity(match.start(), match["num"]), end=match.end())


def completion_before(doc: Document, pos: int, claims_by_start: dict) -> Completion | None:
    """The completion percentage nearest before `pos` in the sentence: one a share or rate
    claim stated (with its raw value), else the last that is not a growth rate."""
    percents = list(PERCENT_RE.finditer(doc.norm, doc.sentence_start(pos), pos))
    for match in reversed(percents):
        claim = claims_by_start.get(doc.source.to_original(*match_span(match))[0])
        if claim is not None:
            return completion_of(match, claim.raw)
        if is_gap_or_growth(doc, match):
            continue  # "…165.07%,超进度81.74%,完成…的495.69%": not a completion
        return completion_of(match, None)
    return None


def completion_of(match: re.Match, raw: Decimal | None) -> Completion:
    """A completion from a match with a `num` group (its raw value when a claim gave one)."""
    return Completion(Decimal(match["num"]), decimals_of(match["num"]), raw, percent_at(match))


# A list of completions: "完成率分别为43.2%、37.8%" (a % on each item or on the last only).
COMPLETION_LIST_RE = re.compile(rf"(?:{NUM}%?(?:、|和|及|与))+{NUM}%")
LIST_NUM_RE = re.compile(rf"(?P<num>{NUM})%?")
GAP_JOIN_RE = re.compile(r"[、,和及与]?")


def gap_groups(doc: Document, matches: list[re.Match]) -> list[list[re.Match]]:
    """The gaps in runs: "分别超序时进度9.9个百分点、4.5个百分点" is one run of two (a run is
    gaps with only a separator between them); every other gap is a run of one."""
    groups: list[list[re.Match]] = []
    for match in matches:
        if groups and GAP_JOIN_RE.fullmatch(doc.norm, groups[-1][-1].end(), match.start()):
            groups[-1].append(match)
        else:
            groups.append([match])
    return groups


# "分别超序时进度9.9个百分点、4.5个百分点": the second item has no words before its number.
BARE_GAP_RE = re.compile(rf"(?<=[、和及与])(?P<n>{NUM})个?百分点")


def respectively_completions(
    doc: Document, group: list[re.Match], claims_by_start: dict
) -> list[Completion] | None | str:
    """For a run of gaps stated with 分别 (or of more than one gap), the completions they pair
    with by position; a reason (str) when they cannot be paired; None when the run is a single
    gap not written with 分别 (it takes the nearest completion)."""
    first = group[0]
    clause = doc.sentence_start(first.start(), "。;!?\n\t,:")
    respectively = "分别" in doc.norm[clause : first.start()]
    if len(group) == 1 and not respectively:
        return None
    start = doc.sentence_start(first.start())
    lists = list(COMPLETION_LIST_RE.finditer(doc.norm, start, clause))
    if not lists:
        return "差距分别列举，但前文未分别列出对应的完成进度，无法一一对应"
    items = list(LIST_NUM_RE.finditer(doc.norm, lists[-1].start(), lists[-1].end()))
    if len(items) != len(group):
        return f"完成进度列举{len(items)}项，与序时进度的差距{len(group)}项，无法一一对应"
    completions = []
    for item in items:
        claim = claims_by_start.get(doc.source.to_original(*match_span(item))[0])
        completions.append(completion_of(item, claim.raw if claim is not None else None))
    return completions


def is_gap_or_growth(doc: Document, match: re.Match) -> bool:
    """A percentage that is a growth rate or a gap to time progress, not a completion."""
    before = doc.norm[max(0, match.start() - 4) : match.start()]
    return before.endswith(GROWTH_WORDS) or before.endswith("进度")


def extract_time_progress_gaps(doc: Document, claims: list[Claim]) -> list[Claim]:
    """Each 超/低于序时进度N个百分点 and 达/超/低于序时进度 (no number), given the completion
    claims already found."""
    by_start = {c.stated_span[0]: c for c in claims if c.kind in COMPLETION_KINDS}
    matches = sorted(
        [*GAP_RE.finditer(doc.norm), *BARE_GAP_RE.finditer(doc.norm)], key=lambda m: m.start()
    )
    matches = [m for m in matches if not is_label(doc, m)]
    found = []
    for group in gap_groups(doc, matches):
        if group[0].re is BARE_GAP_RE:
            continue  # a bare "、4.5个百分点" that follows no gap
        paired = respectively_completions(doc, group, by_start)
        lead = group[0]
        for index, match in enumerate(group):
            if match.re is GAP_RE:
                lead = match  # "…、低于序时进度2.0个百分点": a new direction
            if isinstance(paired, list):
                label = f"分别列举的第{index + 1}项（共{len(group)}项），"
                found.append(gap_claim(doc, match, by_start, paired[index], lead, label))
            elif isinstance(paired, str):
                found.append(unpaired_gap(doc, match, paired))
            else:
                found.append(gap_claim(doc, match, by_start))
    for match in REACH_RE.finditer(doc.norm):
        if is_label(doc, match) or aim(doc, match.start()):
            continue
        claim = reach_claim(doc, match, by_start)
        if claim is not None:
            found.append(claim)
    return found


# "超序时进度及按序时进度正常推进的51个", "低于序时进度10个百分点以上的项目5个": a category
# of items named by their progress, no statement about a completion.
LABEL_AFTER_GAP_RE = re.compile(r"(?:及以上|及以下|以上|以下|左右)?(?:的|项目|[个项件家])")
LABEL_AFTER_REACH_RE = re.compile(r"(?:的|及|和|与|或|、|项目|[个项件家])")


def is_label(doc: Document, match: re.Match) -> bool:
    """A 序时进度 phrase used as a category label: followed by 的/及/项目/个…, or by 以上的."""
    pattern = LABEL_AFTER_REACH_RE if match.re is REACH_RE else LABEL_AFTER_GAP_RE
    return pattern.match(doc.norm, match.end()) is not None


AIM_WORDS = ("力争", "确保", "争取", "努力", "力求", "务必", "要", "应", "目标")
NOT_WORDS = ("未", "没有", "没", "不", "尚未")


def aim(doc: Document, pos: int) -> bool:
    """ "力争超序时进度": an aim, not a statement."""
    clause = doc.sentence_start(pos, "。;!?\n\t,:")
    return any(word in doc.norm[clause:pos] for word in AIM_WORDS)


REACH_RE = re.compile(
    rf"(?P<dir>达到|达|实现|{AHEAD}|{BEHIND})了?(?P<ref>{REFERENCE})(?:要求|进度)?"
    rf"(?![^,;。\n]{{0,6}}?\d)"
)
REACH_WORDS = ("达到", "达", "实现")


def reach_claim(doc: Document, match: re.Match, claims_by_start: dict) -> Claim | None:
    """ "占年计划的65%,达序时进度": the completion is at least (超: above, 低于: below) the time
    progress of the period; a rounded completion that could lie either side is 无法核对. With no
    completion percentage in the sentence ("节点进度低于序时进度") there is no figure to check."""
    stated = (match.start(), match.end())
    span = (doc.sentence_start(match.start()), match.end())
    kind = ClaimKind.TIME_PROGRESS_GAP
    completion = completion_before(doc, match.start(), claims_by_start)
    period = period_before(doc, match.start())
    if completion is None:
        return None
    if period is None:
        reason = "未给出统计期（如1-7月、上半年），无法计算序时进度"
        return doc.claim(kind, span, stated, Status.UNCHECKABLE, reason)
    progress = time_progress(period.months)
    if completion.raw is not None:
        low = high = completion.raw
    else:
        half = Decimal(5).scaleb(-completion.decimals - 1)
        low, high = completion.stated - half, completion.stated + half - JUST_BELOW
    word = match["dir"]
    if doc.norm[: match.start()].endswith(NOT_WORDS):
        word = "未" + word  # 未达序时进度: below it
        holds, fails = high < progress, low >= progress
    elif word in REACH_WORDS:
        holds, fails = low >= progress, high < progress
    elif word in AHEAD_WORDS:
        holds, fails = low > progress, high <= progress
    else:
        holds, fails = high < progress, low >= progress
    basis = (
        f"{period.text}序时进度{period.months}÷12={show_raw(progress, 0)}%，"
        f"完成进度{completion.text()}"
    )
    operands = (completion.quantity,)
    if holds:
        return doc.claim(kind, span, stated, Status.OK, f"{basis}，与所述一致", operands=operands)
    if fails:
        actual = "低于" if high < progress else ("超过" if low > progress else "恰为")
        reason = f"{basis}，实际{actual}序时进度，文中写作“{word}{match['ref']}”"
        return doc.claim(kind, span, stated, Status.FALSE, reason, operands=operands)
    reason = f"{basis}，完成进度经四舍五入，与序时进度孰高孰低无法判定，无法核对"
    return doc.claim(kind, span, stated, Status.UNCHECKABLE, reason, operands=operands)


@dataclass(frozen=True)
class StatedGap:
    """The gap as written: signed (negative for 低于), its decimals, and the direction word."""

    value: Decimal
    decimals: int
    word: str


def stated_gap(match: re.Match, lead: re.Match | None = None) -> StatedGap:
    """The signed gap of a GAP_RE match (of a bare number, the direction of `lead`, the gap
    before it in its 分别 list)."""
    lead = match if lead is None or match.re is GAP_RE else lead
    number = match["n"] if match.re is BARE_GAP_RE else match["n"] or match["n2"] or match["n3"]
    word = lead["dir"] or lead["dir2"] or lead["dir3"]
    value = Decimal(number) if word in AHEAD_WORDS else -Decimal(number)
    return StatedGap(value, decimals_of(number), word)


def unpaired_gap(doc: Document, match: re.Match, reason: str) -> Claim:
    """A gap of a 分别 list whose completions cannot be paired with it: 无法核对."""
    stated = (match.start(), match.end())
    span = (doc.sentence_start(match.start()), match.end())
    return doc.claim(ClaimKind.TIME_PROGRESS_GAP, span, stated, Status.UNCHECKABLE, reason)


def gap_claim(
    doc: Document,
    match: re.Match,
    claims_by_start: dict,
    completion: Completion | None = None,
    lead: re.Match | None = None,
    label: str = "",
) -> Claim:
    """One gap claim against `completion` (by default the nearest before it; `label` names its
    place in a 分别 list); uncheckable without a completion or a period."""
    stated = (match.start(), match.end())
    span = (doc.sentence_start(match.start()), match.end())
    if completion is None:
        completion = completion_before(doc, match.start(), claims_by_start)
    period = period_before(doc, match.start())
    kind = ClaimKind.TIME_PROGRESS_GAP
    if completion is None:
        return doc.claim(kind, span, stated, Status.UNCHECKABLE, "未给出完成进度")
    if period is None:
        reason = "未给出统计期（如1-7月、上半年），无法计算序时进度"
        return doc.claim(kind, span, stated, Status.UNCHECKABLE, reason)
    gap = stated_gap(match, lead)
    progress = time_progress(period.months)
    raw_gap = gap_points(completion.value, progress)
    expected = round_to(raw_gap, gap.decimals)
    low, high = gap_bounds(completion, progress, gap.decimals)
    # A reader recomputes the gap from the completion as printed ("占年度计划的92%,超序时进度
    # 8.7个百分点" is 92 − 83.3): that reading holds too.
    by_printed = (
        completion.raw is not None
        and round_to(completion.stated - progress, gap.decimals) == gap.value
    )
    holds = low <= gap.value <= high or by_printed
    problems = [] if holds else gap_problems(gap, expected)
    basis = f"{label}{period.text}序时进度{period.months}÷12={show_raw(progress, 0)}%，"
    if by_printed and not (low <= gap.value <= high):
        # The verdict rests on the printed completion: show that figure, the raw one aside.
        raw_gap = completion.stated - progress
        expected = round_to(raw_gap, gap.decimals)
        recomputed = recomputed_gap(expected)
        reason = (
            f"{basis}按文中所列完成进度{plain(completion.stated)}%计算，{recomputed}，与所述一致"
            + raw_aside(completion, progress, gap.decimals)
        )
    else:
        recomputed = recomputed_gap(expected)
        reason = f"{basis}完成进度{completion.text()}，{recomputed}，" + (
            "；".join(problems) or "与所述一致"
        )
    status = Status.FALSE if problems else Status.OK
    return doc.claim(
        kind,
        span,
        stated,
        status,
        reason,
        recomputed=recomputed,
        raw=raw_gap,
        operands=(completion.quantity,),
    )


def raw_aside(completion: Completion, progress: Decimal, decimals: int) -> str:
    """The raw completion named aside a gap judged on the printed one. When the printed figure is
    the raw one rounded, the gap the raw data gives; otherwise the printed completion itself does
    not agree with its figures (judged where it is written), and a gap from them would contradict
    the verdict: only that is said."""
    if round_to(completion.raw, completion.decimals) == completion.stated:
        raw_gap = recomputed_gap(round_to(completion.raw - progress, decimals))
        return f"（按原始数据{completion.text()}计算则为{raw_gap}）"
    return (
        f"（文中所列完成进度{plain(completion.stated)}%与按原始数据重算的{completion.text()}"
        "不符，见该处的核对结论）"
    )


def gap_problems(gap: StatedGap, expected: Decimal) -> list[str]:
    """What is wrong with a stated gap: its direction word, its size."""
    problems = []
    if expected and (expected > 0) != (gap.value > 0):
        actual = "超过" if expected > 0 else "低于"
        problems.append(f"方向写反：实际{actual}序时进度，文中写作“{gap.word}”")
    if abs(expected) != abs(gap.value):
        problems.append(f"应为{abs(expected)}个百分点，文中为{abs(gap.value)}个百分点")
    return problems or ["与重算结果不符"]


def recomputed_gap(expected: Decimal) -> str:
    """A signed gap as the genre writes it: 超/低于序时进度N个百分点."""
    return f"{'超' if expected >= 0 else '低于'}序时进度{abs(expected)}个百分点"


def gap_bounds(completion: Completion, progress: Decimal, decimals: int) -> tuple[Decimal, Decimal]:
    """The rounded gaps the completion allows: exact from a raw value, else every gap that a
    raw completion rounding to the stated one could give."""
    if completion.raw is not None:
        gap = round_to(completion.raw - progress, decimals)
        return gap, gap
    half = Decimal(5).scaleb(-completion.decimals - 1)
    low = completion.stated - half - progress
    high = completion.stated + half - JUST_BELOW - progress
    return round_to(low, decimals), round_to(high, decimals)
