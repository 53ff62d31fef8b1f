"""服务记录导入 as a background job (core.jobs) for a sheet over the threshold: the same
import_services, all or nothing, as the job's owner, into the unit he chose (still one he may
enter for). Registered from TimebankConfig.ready."""

import io

from shigan.core.jobs import Outcome, runner

from .access import activities_for_entry, units_for_entry
from .imports import import_services

KIND = "timebank"
UNIT_GONE = "所选村（社区）已不在您可录入的范围内，未导入任何记录。"


@runner(KIND)
def run_timebank(*, job, data: bytes) -> Outcome:
    unit = units_for_entry(job.owner).filter(pk=job.params["unit"]).first()
    if unit is None:
        return Outcome(ok=False, errors=[UNIT_GONE])
    result = import_services(
        path_or_file=io.BytesIO(data), unit=unit, by=job.owner,
        activities=activities_for_entry(job.owner),
    )  # fmt: skip
    if not result.ok:
        return Outcome(ok=False, errors=result.errors)
    return Outcome(ok=True, lines=[f"{unit.name}：{result.summary()}"])
