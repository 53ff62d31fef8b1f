"""A cell's formatting declared once (`Look`) and stamped on cells without rebuilding it.

Setting `cell.font = Font(...)`, `cell.border = …` one cell at a time makes openpyxl hash each
object into the workbook's style tables again: 98% of a 10,000-row export. A Look is resolved
once per workbook into openpyxl's style array (the ids of its font, fill, border, alignment and
number format in the workbook's tables) and every cell with that look gets a copy of the array:
the same workbook, the same styles.xml, at the cost of a copy. Declare looks as module constants.
"""

import weakref
from copy import copy
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True, eq=False)
class Look:
    """The formatting of a cell; None leaves that part as openpyxl's default."""

    font: Font | None = None
    fill: PatternFill | None = None
    border: Border | None = None
    alignment: Alignment | None = None
    number_format: str | None = None

    def but(self, **changes) -> "Look":
        """This look with some parts replaced (build looks once, at import time)."""
        parts = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return Look(**(parts | changes))


# Per workbook: id(look) -> (look, its style array); the look is kept so its id stays its own.
_RESOLVED: "weakref.WeakKeyDictionary[Workbook, dict[int, tuple[Look, StyleArray]]]" = (
    weakref.WeakKeyDictionary()
)


def style_array(ws: Worksheet, look: Look) -> StyleArray:
    """The style array of `look` in the workbook of `ws`, registered on first use."""
    resolved = _RESOLVED.setdefault(ws.parent, {})
    found = resolved.get(id(look))
    if found is None:
        scratch = Cell(ws)
        for part in ("font", "fill", "border", "alignment", "number_format"):
            if (value := getattr(look, part)) is not None:
                setattr(scratch, part, value)
        found = resolved[id(look)] = (look, scratch._style or StyleArray())
    return found[1]


def style_id(ws: Worksheet, look: Look) -> int:
    """The index of `look` in the workbook's cell formats (the `s` of a cell in the sheet XML)."""
    return ws.parent._cell_styles.add(style_array(ws, look))


def stamp(cell: Cell, look: Look) -> Cell:
    """Give `cell` the look (replacing its formatting)."""
    cell._style = copy(style_array(cell.parent, look))
    return cell
