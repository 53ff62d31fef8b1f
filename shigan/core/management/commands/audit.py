"""`shigan audit verify` / `shigan audit seal`: the tamper-evident chain (shigan.core.chain)."""

from django.core.management.base import BaseCommand

from shigan.core.chain import chain_seal
from shigan.core.chain_verify import Kind, verify_all
from shigan.core.models import ChainHead, ChainLink


class Command(BaseCommand):
    help = "防篡改链：verify 校验全部记录与链（有问题时逐条列出并以状态1退出）；seal 为尚未入链的记录（链建立之前的数据）补链。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,seal}")
        actions.add_parser(
            "verify", help="校验每个区县的链和每条入链记录，列出被改动、插入或删除的记录"
        )
        seal = actions.add_parser("seal", help="为尚未入链的记录补链（升级后运行一次）")
        seal.add_argument(
            "--force",
            action="store_true",
            help="链已建立时仍为未入链的记录补链（这些记录是在系统之外插入的，补链后将无法再被发现）",
        )

    def handle(self, *args, action: str, force: bool = False, **options):
        if action == "seal":
            if ChainLink.objects.exists() and not force:
                self._refuse_seal()
            sealed = chain_seal()
            self.stdout.write(f"已为{sealed}条记录补链。")
            return
        problems = 0
        for finding in verify_all():
            problems += 1
            self.stdout.write(finding.message)
        for head in ChainHead.objects.order_by("district"):
            self.stdout.write(f"区县 {head.district}：{head.seq}环，链头 {head.hash}")
        if problems:
            self.stderr.write(f"校验未通过：{problems}处问题。")
            raise SystemExit(1)
        self.stdout.write("校验通过：全部记录与链一致。")

    def _refuse_seal(self) -> None:
        """Once the chain holds links, every write the app makes is linked as it is made: a
        record without a link was inserted behind its back, and sealing it would launder it
        (verify would pass again). Refused unless --force, naming those records."""
        inserted = [f for f in verify_all() if f.kind == Kind.INSERTED]
        if not inserted:
            return  # nothing unlinked: sealing links nothing
        for finding in inserted:
            self.stderr.write(finding.message)
        self.stderr.write(
            f"链已建立，未入链的{len(inserted)}条记录是在系统之外插入的，没有补链。"
            "核实它们是否应当存在；确需补链请加 --force（补链后 shigan audit verify 不再报告它们）。"
        )
        raise SystemExit(1)
