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
    before = unicodedata.normalize("NFKC", text[i - 1])
    after = unicodedata.normalize("NFKC", text[i + 1])
    return before.isdigit() and after.isdigit()


def normalize(text: str) -> NormalizedText:
    """NFKC character by character, so every normalised character knows where it came from."""
    dropped = dropped_positions(text)
    parts: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        if i in dropped:
            continue
        folded = unicodedata.normalize("NFKC", char)
        if folded.isspace() and folded not in "\n\t":
            folded = " "
        parts.append(folded)
        origin.extend([i] * len(folded))
    origin.append(len(text))
    return NormalizedText(original=text, norm="".join(parts), origin=tuple(origin))
