"""Reading an indicator row: the generic RowReader (core.xlsx.rows) with the indicator, its measure
unit and responsible unit checked against the register, loaded once per file."""

from dataclasses import dataclass, field

from shigan.core.xlsx.cells import BadCell, decimal
from shigan.core.xlsx.layout import Column, norm
from shigan.core.xlsx.rows import FAILED, RowReader
from shigan.orgs.models import Unit
from shigan.orgs.scope import district_units, within_own_level

from ..models import Indicator, MeasureUnit
from ..services import value_problem
from .layout import INDICATOR, MEASURE_UNIT, RESPONSIBLE_UNIT


@dataclass
class Lookups:
    """Registered indicators, units and measure units by their normalised names. A name may
    stand for several records only in an operator's register (every level's): an indicator is then
    told apart by its row's 责任单位."""

    indicators: dict[str, list[Indicator]]
    units: dict[str, list[Unit]]
    measure_units: dict[str, str] = field(
        default_factory=lambda: {norm(label): value for value, label in MeasureUnit.choices}
    )


def load_lookups(by=None) -> Lookups:
    """The register a file is read against: the indicators and units of the importing user's
    own level (names are unique within a district, not across the database); every district's
    for an operator at the command line (`by` None)."""
    units: dict[str, list[Unit]] = {}
    for unit in district_units(by) if by is not None else Unit.objects.all():
        for key in {norm(unit.name), norm(unit.short_name or unit.name)}:
            units.setdefault(key, []).append(unit)
    indicators: dict[str, list[Indicator]] = {}
    rows = Indicator.objects.select_related("responsible_unit").order_by("pk")
    if by is not None:
        rows = within_own_level(by, rows, "responsible_unit_id")
    for i in rows:
        indicators.setdefault(norm(i.name), []).append(i)
    return Lookups(indicators=indicators, units=units)


class IndicatorRowReader(RowReader):
    """A row of an indicator template."""

    def indicator(self, lookups: Lookups) -> Indicator | None:
        """The row's indicator, its measure unit and responsible unit checked against the
        register; None (with the problems recorded) when it cannot be used."""
        name = self.read(INDICATOR)
        if name is FAILED:
            return None
        if not name:
            self.fail(INDICATOR, None, "请填写指标名称")
            return None
        candidates = lookups.indicators.get(norm(name))
        if not candidates:
            self.fail(INDICATOR, name, "不是系统中已登记的指标")
            return None
        indicator = self._of_the_rows_unit(candidates, lookups)
        self._check_measure_unit(indicator, lookups)
        self._check_unit(indicator, lookups)
        return None if self.failed else indicator

    def _of_the_rows_unit(self, candidates: list[Indicator], lookups: Lookups) -> Indicator:
        """Of the indicators sharing the row's name (several levels' in an operator's register),
        the one whose responsible unit the row names; else the first, for _check_unit to report."""
        if len(candidates) > 1:
            col = self.sheet.column(RESPONSIBLE_UNIT.key)  # not read(): _check_unit reports it
            name = self.sheet.values.cell(row=self.row, column=col).value if col else None
            named = lookups.units.get(norm(name)) if isinstance(name, str) and name else None
            pks = {u.pk for u in named or ()}
            for indicator in candidates:
                if indicator.responsible_unit_id in pks:
                    return indicator
        return candidates[0]

    def _check_measure_unit(self, indicator: Indicator, lookups: Lookups) -> None:
        label = self.read(MEASURE_UNIT)
        if label is FAILED or not label:
            return
        code = lookups.measure_units.get(norm(label))
        if code is None:
            known = "、".join(MeasureUnit.labels)
            self.fail(MEASURE_UNIT, label, f"不是可用的计量单位（可用：{known}）")
        elif code != indicator.measure_unit:
            expected = indicator.get_measure_unit_display()
            self.fail(MEASURE_UNIT, label, f"与该指标登记的计量单位“{expected}”不一致")

    def _check_unit(self, indicator: Indicator, lookups: Lookups) -> None:
        name = self.read(RESPONSIBLE_UNIT)
        if name is FAILED or not name:
            return
        units = lookups.units.get(norm(name))
        if not units:
            self.fail(RESPONSIBLE_UNIT, name, "不是系统中已登记的单位")
        elif indicator.responsible_unit_id not in {u.pk for u in units}:
            expected = indicator.responsible_unit.name
            self.fail(RESPONSIBLE_UNIT, name, f"不是该指标的责任单位（应为“{expected}”）")

    def number(self, column: Column) -> object:
        """A figure (None when blank), checked for storage; FAILED when unreadable."""
        value = self.raw(column)
        if value is FAILED:
            return FAILED
        try:
            number = decimal(value, percent_format=self.is_percent(column))
        except BadCell as bad:
            return self.fail(column, value, str(bad))
        if number is not None and (problem := value_problem(number)):
            return self.fail(column, value, problem)
        return number
