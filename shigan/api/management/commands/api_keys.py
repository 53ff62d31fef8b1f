"""`shigan api_keys purge`: delete every expired Idempotency-Key (older than 24 hours) of every
caller. Each keyed request already deletes a bounded batch of them (api.idempotency
.purge_expired), so this is for cron (daily is plenty) or after a quiet spell."""

from django.core.management.base import BaseCommand
from django.db import transaction

from shigan.api.idempotency import KEEP_HOURS, purge_expired

BATCH = 5000


class Command(BaseCommand):
    help = f"删除过期（超过{KEEP_HOURS}小时）的API幂等键（Idempotency-Key）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="purge")
        actions.add_parser("purge", help="删除所有调用方的过期幂等键")

    def handle(self, *args, action: str, **options):
        total = 0
        while True:  # in batches: no long lock, no statement of unbounded size
            with transaction.atomic():
                deleted = purge_expired(limit=BATCH)
            total += deleted
            if deleted < BATCH:
                break
        self.stdout.write(f"已删除过期幂等键{total}个。")
