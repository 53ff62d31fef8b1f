"""A text prepared for the extractors: normalised copy, quantities found once, sentence bounds,
and a factory that turns positions in the copy into Claims against the original."""

import bisect
import re
from decimal import Decimal

from .numbers import Quantity, find_quantities
from .results import Claim, ClaimKind, Operand, Status
from .text import normalize

SENTENCE_STOPS = "。;!?\n\t"
HARD_STOPS = "。!?\n\t"
CLAUSE_STOPS = SENTENCE_STOPS + ",:、"
# Look-back limits keep a text without sentence breaks from costing quadratic time.
MAX_SENTENCE = 400
MAX_PARAGRAPH = 3000
TOTAL_CUES = ("共", "合计", "总计", "累计", "确定", "梳理", "排查", "交办", "受理", "列出", "任务")


class Document:
    """The text being checked; every extractor reads it, none changes it."""

    def __init__(self, text: str):
        self.source = normalize(text)
        self.norm = self.source.norm
        self.quantities = find_quantities(self.norm)
        self._starts = [q.start for q in self.quantities]

    def sentence_start(self, pos: int, stops: str = SENTENCE_STOPS) -> int:
        """Start of the clause group holding `pos` (after the previous 。；or line break)."""
        floor = max(0, pos - MAX_SENTENCE)
        return max(floor, max(self.norm.rfind(stop, floor, pos) for stop in stops) + 1)

    def sentence_end(self, pos: int, stops: str = SENTENCE_STOPS) -> int:
        """End of the clause group holding `pos` (at the next stop)."""
        ceiling = min(len(self.norm), pos + MAX_SENTENCE)
        ends = [self.norm.find(stop, pos, ceiling) for stop in stops]
        return min([e for e in ends if e >= 0], default=ceiling)

    def paragraph_start(self, pos: int) -> int:
        """Start of the line holding `pos` (at most MAX_PARAGRAPH characters back)."""
        floor = max(0, pos - MAX_PARAGRAPH)
        return max(floor, self.norm.rfind("\n", floor, pos) + 1)

    def paragraph_end(self, pos: int) -> int:
        """End of the line holding `pos` (at most MAX_PARAGRAPH characters on)."""
        ceiling = min(len(self.norm), pos + MAX_PARAGRAPH)
        end = self.norm.find("\n", pos, ceiling)
        return ceiling if end < 0 else end

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        """Quantities lying wholly inside [start, end)."""
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end)
        return [q for q in self.quantities[first:last] if q.end <= end]

    def quantity_at(self, start: int) -> Quantity | None:
        """The quantity starting exactly at `start`, if any."""
        index = bisect.bisect_left(self._starts, start)
        if index < len(self.quantities) and self.quantities[index].start == start:
            return self.quantities[index]
        return None

    def last_quantity_before(
        self, pos: int, *, like: Quantity | None = None, skip: set[int] = frozenset()
    ) -> Quantity | None:
        """The nearest quantity before `pos` in the same clause group, of `like`'s unit."""
        for quantity in reversed(self.quantities_in(self.sentence_start(pos), pos)):
            if quantity.start in skip or (like and not quantity.same_unit(like)):
                continue
            return quantity
        return None

    def find_total(
        self, before: int, unit: str, *, skip: set[int] = frozenset()
    ) -> Quantity | None:
        """The whole a part belongs to: the nearest count of the same unit earlier in the
        sentence, else one introduced by 共/合计/确定… earlier in the paragraph."""
        in_sentence = self.quantities_in(self.sentence_start(before, HARD_STOPS), before)
        for quantity in reversed(in_sentence):
            if quantity.unit == unit and quantity.start not in skip:
                return quantity
        for quantity in reversed(self.quantities_in(self.paragraph_start(before), before)):
            if (
                quantity.unit == unit
                and quantity.start not in skip
                and self.has_total_cue(quantity)
            ):
                return quantity
        return None

    def has_total_cue(self, quantity: Quantity) -> bool:
        """Whether 共/合计/确定… leads into the quantity."""
        lead_in = self.norm[max(0, quantity.start - 8) : quantity.start]
        return any(cue in lead_in for cue in TOTAL_CUES)

    def claim(
        self,
        kind: ClaimKind,
        span: tuple[int, int],
        stated: tuple[int, int],
        status: Status,
        reason: str,
        *,
        recomputed: str = "",
        raw: Decimal | None = None,
        operands: tuple[Quantity, ...] | list[Quantity] = (),
    ) -> Claim:
        """A Claim from positions in the normalised text (mapped back to the original); the
        quoted span starts with its clause, so it reads "完成工业总产值22000万元，…"."""
        start = self.sentence_start(min(span[0], stated[0]), CLAUSE_STOPS)
        end = max(span[1], stated[1])
        return Claim(
            kind=kind,
            span=self.source.to_original(start, end),
            stated_span=self.source.to_original(*stated),
            quote=self.source.quote(start, end),
            stated=self.source.quote(*stated),
            status=status,
            reason=reason,
            recomputed=recomputed,
            raw=raw,
            operands=[self.operand(q) for q in operands if q is not None],
        )

    def operand(self, quantity: Quantity) -> Operand:
        """A quantity used by a verdict, with its span in the text as read."""
        span = self.source.to_original(quantity.start, quantity.end)
        return Operand(text=self.source.original[span[0] : span[1]], span=span)

    def percent_sign(self, stated: tuple[int, int]) -> str:
        """The percent sign the text used for a stated figure (％ or %), to echo it back."""
        return "％" if "％" in self.source.quote(*stated) else "%"


def match_span(match: re.Match, group: str | int = 0) -> tuple[int, int]:
    """A regex group's (start, end)."""
    return match.start(group), match.end(group)
