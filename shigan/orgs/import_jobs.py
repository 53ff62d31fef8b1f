"""组织架构导入's confirmation as a background job (core.jobs) for a workbook over the threshold:
the same org_import_apply, all or nothing, as the job's owner, with the removals ticked on the
preview. Registered from OrgsConfig.ready."""

import io

from shigan.core.jobs import Outcome, runner

from .xlsx import org_import_apply

KIND = "org"


@runner(KIND)
def run_org(*, job, data: bytes) -> Outcome:
    remove = set(job.params.get("remove", []))
    result = org_import_apply(path_or_file=io.BytesIO(data), by=job.owner, remove=remove)
    if not result.ok or result.outcome is None:
        return Outcome(ok=False, errors=result.errors or [result.summary()])
    return Outcome(ok=True, lines=[result.summary()])
