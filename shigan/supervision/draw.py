"""The random draw (抽查): which items of a population are checked on site.

Reproducible by construction: the same seed and the same population give the same draw on any
machine and Python version that keeps random.Random's version-2 string seeding (SHA-512 of the
seed text), which CPython has since 3.2.
"""

import random
import secrets
from collections.abc import Sequence

MIN_SHARE, MAX_SHARE = 1, 100


def draw_size(share: int, population_size: int) -> int:
    """ceil(share × N / 100), in integers so no float rounding creeps in."""
    return -(-share * population_size // 100)


def draw(population: Sequence[int], share: int, seed: str) -> list[int]:
    """The ids drawn, in the order drawn, from `population` sorted ascending."""
    ordered = sorted(population)
    return random.Random(str(seed)).sample(ordered, draw_size(share, len(ordered)))


def new_seed() -> str:
    """A fresh seed from the operating system's secure source, recorded with the draw."""
    return secrets.token_hex(8)
