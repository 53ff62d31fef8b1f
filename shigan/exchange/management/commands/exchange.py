"""`shigan exchange …`: exchange packages between separate installations (shigan.exchange)."""

import re
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shigan.exchange import package
from shigan.exchange.export import export_package
from shigan.exchange.models import ImportResult, Peer, PeerSide
from shigan.exchange.services import import_package, installation_self, peer_add

ARGPARSE_MESSAGES = [
    (re.compile(r"the following arguments are required: (.*)"), "缺少必填参数：{0}"),
    (re.compile(r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)"),
     "参数“{0}”的取值“{1}”无效，可选：{2}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数“{0}”缺少取值"),
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数：{0}"),
]  # fmt: skip


def chinese(message: str) -> str:
    """argparse's English usage error, in Chinese."""
    for pattern, template in ARGPARSE_MESSAGES:
        found = pattern.search(message)
        if found:
            parts = (
                re.sub(r"[{}']", "", part).replace(",", "、").replace(" ", "")
                for part in found.groups()
            )
            return template.format(*parts)
    return f"参数有误（{message}）"


class ChineseParser(CommandParser):
    """A parser whose usage errors are in Chinese (shigan exchange help -h for the options)."""

    def error(self, message):
        message = chinese(message)
        if not self.called_from_command_line:
            raise CommandError(message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{message}\n")


class Command(BaseCommand):
    help = (
        "与另一套实干（上级县或下级区）交换数据包：peer add|list 登记对方，"
        "export 导出上报包或交办包，import 导入对方的包。"
    )

    def add_arguments(self, parser):
        parser.error = ChineseParser.error.__get__(parser)
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{id,peer,export,import}",
            parser_class=ChineseParser,
        )  # fmt: skip
        actions.add_parser("id", help="显示本安装的标识（登记到对方时使用）")
        peer = actions.add_parser("peer", help="登记或列出交换对方")
        peer_actions = peer.add_subparsers(
            dest="peer_action", required=True, metavar="{add,list}", parser_class=ChineseParser
        )
        add = peer_actions.add_parser(
            "add", help="登记对方安装（未给 --key 时生成密钥并只显示一次）"
        )
        add.add_argument("--name", required=True, help="对方名称，如“第1区”")
        add.add_argument(
            "--installation", required=True, help="对方的安装标识（对方运行 shigan exchange id）"
        )
        add.add_argument(
            "--side",
            required=True,
            choices=PeerSide.values,
            help="对方是上级（upper）还是下级（lower）",
        )
        add.add_argument(
            "--unit", required=True, help="对方在本库中的单位名称（下级区县或上级县），没有则创建"
        )
        add.add_argument("--home", help="本级党委政府单位的名称（库中只有一个顶层单位时可省略）")
        add.add_argument("--key", help="对方已生成的密钥（64位十六进制）")
        peer_actions.add_parser("list", help="列出已登记的对方")
        export = actions.add_parser(
            "export", help="导出发给对方的包（对上级：上报包；对下级：交办包）"
        )
        export.add_argument("--peer", required=True, help="对方名称")
        export.add_argument("--period", required=True, help="月份，如2023-07")
        export.add_argument("--out", required=True, help="输出文件")
        imp = actions.add_parser("import", help="导入对方发来的包")
        imp.add_argument("file", help="交换包文件")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (ValidationError, package.PackageError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("；".join(messages)) from None

    def _id(self, **options):
        self.stdout.write(str(installation_self().installation_id))

    def _peer(self, *, peer_action: str, **options):
        if peer_action == "list":
            for peer in Peer.objects.select_related("unit"):
                self.stdout.write(
                    f"{peer.name}\t{peer.get_side_display()}\t{peer.unit.name}\t{peer.installation_id}"
                    f"\t已导出序号：{peer.out_seq}\t已接收序号：{peer.in_seq}\t已接收月份：{peer.in_period or '—'}"
                )
            return
        peer, key = peer_add(
            name=options["name"], installation_id=options["installation"], side=options["side"],
            unit_name=options["unit"], home_name=options["home"], key=options["key"],
        )  # fmt: skip
        self.stdout.write(
            f"已登记对方“{peer.name}”（{peer.get_side_display()}，单位：{peer.unit.name}）。"
        )
        self.stdout.write(f"本安装标识：{installation_self().installation_id}")
        if not options["key"]:
            self.stdout.write(f"双方密钥（只显示这一次，请经可靠途径交给对方）：{key}")

    def _export(self, *, peer: str, period: str, out: str, **options):
        found = Peer.objects.filter(name=peer).first()
        if found is None:
            raise CommandError(
                f"没有名为“{peer}”的交换对方（shigan exchange peer list 列出全部）。"
            )
        data = export_package(peer=found, period=period)
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            raise CommandError(file_problem(exc, out, writing=True)) from None
        self.stdout.write(f"已导出 {out}（{len(data)}字节）。")

    def _import(self, *, file: str, **options):
        path = Path(file)
        try:
            with path.open("rb") as stream:
                raw = stream.read(package.MAX_BYTES + 1)  # more than that is refused by its size
        except OSError as exc:
            raise CommandError(file_problem(exc, file)) from None
        outcome = import_package(raw)
        if outcome.result == ImportResult.REFUSED:
            raise CommandError(outcome.message)
        self.stdout.write(outcome.message)


def file_problem(exc: OSError, path: str, *, writing: bool = False) -> str:
    """Why a file could not be read or written, in Chinese."""
    if isinstance(exc, FileNotFoundError):
        return f"找不到{'目录' if writing else '文件'}：{path}"
    if isinstance(exc, IsADirectoryError):
        return f"这是目录，不是文件：{path}"
    if isinstance(exc, PermissionError):
        return f"没有权限{'写入' if writing else '读取'}文件：{path}"
    return f"无法{'写入' if writing else '读取'}文件：{path}"
