"""诉求导入 as a background job (core.jobs) for a sheet over the threshold: the same
concerns_import, all or nothing, as the job's owner. Registered from GrassrootsConfig.ready."""

import io

from shigan.campaigns.models import Campaign
from shigan.core.jobs import Outcome, runner

from .concern_xlsx import concerns_import

KIND = "concerns"


@runner(KIND)
def run_concerns(*, job, data: bytes) -> Outcome:
    campaign = Campaign.objects.get(pk=job.params["campaign"])
    result = concerns_import(path_or_file=io.BytesIO(data), campaign=campaign, by=job.owner)
    if result.errors:
        return Outcome(ok=False, errors=result.errors)
    return Outcome(ok=True, lines=[f"已导入诉求{len(result.saved)}件（{campaign}）。"])
