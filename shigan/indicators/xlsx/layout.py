"""The column lists and titles of the two indicator import templates, which the importer reads
back by the same header paths; the layout itself is core.xlsx.layout's."""

from shigan.core.xlsx.layout import MONTH_FORMAT, NUMBER_FORMAT, Column

SERIAL = Column("序号", 6, reference=True)
INDICATOR = Column("指标名称", 30)
MEASURE_UNIT = Column("计量单位", 9)
RESPONSIBLE_UNIT = Column("责任单位", 16)

TARGET_YEAR = Column("年度", 8)
ANNUAL_TARGET = Column("年度目标", 14, number_format=NUMBER_FORMAT)
SAME_PERIOD = [
    Column(f"上年同期数/{m}月", 11, label=f"上年同期数{m}月", number_format=NUMBER_FORMAT)
    for m in range(1, 13)
]
TARGET_COLUMNS = [
    SERIAL, INDICATOR, MEASURE_UNIT, RESPONSIBLE_UNIT, TARGET_YEAR, ANNUAL_TARGET, *SAME_PERIOD
]  # fmt: skip

ACCUMULATION = Column("统计方式", 12, reference=True)
PERIOD = Column("填报月份", 12, number_format=MONTH_FORMAT)
PREVIOUS = Column("上月完成", 12, reference=True, number_format=NUMBER_FORMAT)
VALUE = Column("本月完成/数值", 14, label="本月完成", number_format=NUMBER_FORMAT)
ESTIMATE = Column("本月完成/是否预计", 10, label="是否预计")
NOTE = Column("说明", 30)
REASON = Column("更正原因", 24)
ACTUAL_COLUMNS = [
    SERIAL, INDICATOR, MEASURE_UNIT, ACCUMULATION, RESPONSIBLE_UNIT, PERIOD, PREVIOUS, VALUE,
    ESTIMATE, NOTE, REASON,
]  # fmt: skip

TARGETS_TITLE = "主要指标年度目标及上年同期数"
ACTUALS_TITLE = "主要指标完成情况填报表"
