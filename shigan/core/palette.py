"""The colours of the app, read from the one definition: the :root variables of app.css.

Pages use the CSS variables directly; what cannot (the Excel exports' cell fills) asks here, so
a colour changed in app.css changes everywhere and no hex value is repeated (docs/style.md).
"""

import functools
import re
from pathlib import Path

APP_CSS = Path(__file__).resolve().parent.parent / "static" / "shigan" / "app.css"

_ROOT = re.compile(r":root\s*\{(.*?)\}", re.S)
_VAR = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


@functools.cache
def variables() -> dict[str, str]:
    """The :root custom properties of app.css, var() references resolved."""
    css = _COMMENT.sub("", APP_CSS.read_text(encoding="utf-8"))
    raw = dict(_VAR.findall(_ROOT.search(css).group(1)))

    def resolve(value: str, depth: int = 0) -> str:
        match = re.fullmatch(r"var\((--[\w-]+)\)", value.strip())
        if match and depth < 5:
            return resolve(raw[match.group(1)], depth + 1)
        return value.strip()

    return {name: resolve(value) for name, value in raw.items()}


def excel(name: str) -> str:
    """A variable's colour as openpyxl wants it: six upper-case hex digits, no '#'."""
    value = variables()[name].lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return value.upper()
