"""The text as the checker matches it: NFKC-normalised, with a map back to the text as read.

Full-width ，；％（）and digits become their half-width forms, so one set of patterns serves both.
Some characters are dropped from the matching copy only: the source site's ##paidbegin##/
##paidend## marks, Markdown emphasis (`**`, backticks), and spaces except between two digits
(web copies write "22000 万元"). Spans found in the copy are mapped back to the original."""

import re
import unicodedata
from dataclasses import dataclass

DROPPED = re.compile(r"##paid(?:begin|end)##|\*\*|`")


@dataclass(frozen=True)
class NormalizedText:
    """`norm[i]` came from `original[origin[i]]`; `origin` has one extra entry: len(original)."""

    original: str
    norm: str
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span a span of the normalised text came from."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        """The original text behind a span of the normalised text."""
        first, last = self.to_original(start, end)
        return self.original[first:last]


def dropped_positions(text: str) -> set[int]:
    """Indices of the original text that the matching copy leaves out."""
    positions = {i for m in DROPPED.finditer(text) for i in range(m.start(), m.end())}
    for i, char in enumerate(text):
        if char.isspace() and char not in "\n\t" and not between_digits(text, i):
            positions.add(i)
    return positions


def between_digits(text: str, i: int) -> bool:
    """True when the characters either side of position i are both digits (after NFKC)."""
    if i == 0 or i + 1 >= len(text):
        return False
    before, after = text[i - 1], text[i + 1]
    return fold(before) in ASCII_DIGITS and fold(after) in ASCII_DIGITS


ASCII_DIGITS = frozenset("0123456789")
FULL_WIDTH_DIGITS = frozenset("０１２３４５６７８９")
NOT_A_DIGIT = "□"  # stands for a digit form that is no figure digit (①, ٣): ends a number


def is_mark(char: str) -> bool:
    """A superscript or subscript digit (22000²万元: a footnote mark, never part of a number)."""
    return unicodedata.decomposition(char).startswith(("<super>", "<sub>")) and any(
        c.isdigit() for c in unicodedata.normalize("NFKC", char)
    )


def fold(char: str) -> str:
    """NFKC of one character; digits only from ASCII and full-width digits (a circled ①, an
    Arabic-Indic ٣ or a superscript ² never silently becomes a digit of a figure)."""
    if char in ASCII_DIGITS:
        return char
    if char in FULL_WIDTH_DIGITS:
        return unicodedata.normalize("NFKC", char)
    folded = unicodedata.normalize("NFKC", char)
    if any(c.isdigit() or c.isdecimal() for c in folded) or char.isdigit() or char.isdecimal():
        return NOT_A_DIGIT
    return folded


def normalize(text: str) -> NormalizedText:
    """NFKC character by character, so every normalised character knows where it came from;
    superscript and subscript digits (footnote marks) are dropped, other digit forms than
    ASCII and full-width become a mark that is no digit."""
    dropped = dropped_positions(text)
    parts: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        if i in dropped or is_mark(char):
            continue
        folded = fold(char)
        if folded.isspace() and folded not in "\n\t":
            folded = " "
        parts.append(folded)
        origin.extend([i] * len(folded))
    origin.append(len(text))
    return NormalizedText(original=text, norm="".join(parts), origin=tuple(origin))
