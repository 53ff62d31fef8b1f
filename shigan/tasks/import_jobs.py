"""任务清单导入's confirmation as a background job (core.jobs) for a list over the threshold: the
same import_task_list, all or nothing, as the job's owner, refused if the campaign's list changed
since the preview (its plan). Registered from TasksConfig.ready."""

import io

from shigan.campaigns.models import Campaign
from shigan.core.jobs import Outcome, runner

from .xlsx import import_task_list

KIND = "task_list"
STALE = "预览之后，系统中本活动的任务已有变化（有人修改了任务或导入了清单），未导入任何内容：请重新上传文件，核对预览后再确认。"


@runner(KIND)
def run_task_list(*, job, data: bytes) -> Outcome:
    campaign = Campaign.objects.get(pk=job.params["campaign"])
    result = import_task_list(
        path_or_file=io.BytesIO(data), by=job.owner, campaign=campaign, expect=job.params["plan"]
    )
    if not result.ok:
        return Outcome(ok=False, errors=result.errors)
    if result.preview:
        return Outcome(ok=False, errors=[STALE])
    outcome = result.outcome
    lines = [result.summary()]
    lines += [f"新增：{task.title}（序号{task.number}）" for task in outcome.created]
    lines += [f"更新：{task.title}：{'；'.join(changes)}" for task, changes in outcome.updated]
    return Outcome(ok=True, lines=lines)
