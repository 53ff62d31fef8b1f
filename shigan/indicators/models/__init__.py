from .indicators import (
    Accumulation,
    Actual,
    Direction,
    Indicator,
    IndicatorCategory,
    IndicatorYear,
    MeasureUnit,
    SamePeriodValue,
)
from .investment import Agreement, InvestmentTrip
from .projects import EnterpriseFigure, KeyEnterprise, KeyProject, ProjectFigure

__all__ = [
    "Accumulation",
    "Actual",
    "Agreement",
    "Direction",
    "EnterpriseFigure",
    "Indicator",
    "IndicatorCategory",
    "IndicatorYear",
    "InvestmentTrip",
    "KeyEnterprise",
    "KeyProject",
    "MeasureUnit",
    "ProjectFigure",
    "SamePeriodValue",
]
