"""指标数据导入 as a background job (core.jobs) for a workbook over the threshold: the same
import_workbook, all or nothing, as the job's owner. Registered from IndicatorsConfig.ready."""

import io

from shigan.core.jobs import Outcome, runner

from .xlsx import import_workbook

KIND = "indicators"


@runner(KIND)
def run_indicators(*, job, data: bytes) -> Outcome:
    result = import_workbook(path_or_file=io.BytesIO(data), by=job.owner)
    if not result.ok:
        return Outcome(ok=False, errors=result.errors)
    return Outcome(ok=True, lines=[result.summary()])
