from .indicators import (
    Accumulation,
    Actual,
    Aggregation,
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
    "Aggregation",
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
