"""The random draw (抽查) of items marked done, recorded so that anyone can redraw it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.orgs.models import Unit
from shigan.tasks.models import TaskOrigin

from ..draw import MAX_SHARE, MIN_SHARE, draw, new_seed
from ..models import SpotCheck
from ..queries import spot_check_population

SEED_LENGTH = 64


def _scope(unit: Unit | None, origin: str) -> str:
    parts = [unit.name if unit else "", TaskOrigin(origin).label if origin else ""]
    return "、".join(p for p in parts if p) or "本活动"


@transaction.atomic
def spot_check_draw(
    *,
    campaign: Campaign,
    share: int,
    by,
    seed: str | None = None,
    unit: Unit | None = None,
    origin: str = "",
    note: str = "",
) -> SpotCheck:
    """Draw ceil(share × N / 100) of the campaign's N completed tasks (optionally only one lead
    unit's, or one origin's), with random.Random(seed) over the ids in ascending order.

    The seed is the one given or a fresh one from `secrets`; it is stored with the population and
    the draw. Raises ValidationError and saves nothing when the share is outside 1–100, the seed
    is too long, the origin unknown, or nothing in scope is completed.
    """
    if isinstance(share, bool) or not isinstance(share, int) or not MIN_SHARE <= share <= MAX_SHARE:
        raise ValidationError({"share": f"抽查比例须在{MIN_SHARE}%到{MAX_SHARE}%之间。"})
    seed = (seed or "").strip() or new_seed()
    if len(seed) > SEED_LENGTH:
        raise ValidationError({"seed": f"随机种子不能超过{SEED_LENGTH}个字符。"})
    if origin and origin not in TaskOrigin.values:
        raise ValidationError({"origin": "请选择有效的事项来源。"})
    population = spot_check_population(campaign=campaign, unit=unit, origin=origin)
    if not population:
        raise ValidationError(f"{_scope(unit, origin)}范围内没有已办结的事项，无法抽查。")
    spot_check = SpotCheck.objects.create(
        campaign=campaign,
        share=share,
        seed=seed,
        unit=unit,
        origin=origin,
        population=population,
        drawn=draw(population, share, seed),
        note=note.strip(),
        created_by=by,
    )
    audit_record(
        actor=by,
        obj=spot_check,
        action=AuditAction.CREATE,
        note=f"从{_scope(unit, origin)} {len(population)}项已办结事项中按{share}%"
        f"抽取{len(spot_check.drawn)}项，随机种子{seed}",
    )
    return spot_check
