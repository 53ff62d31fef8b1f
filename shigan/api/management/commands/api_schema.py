"""`shigan api_schema [-o FILE]`: the OpenAPI schema of /api/v1/ as the server serves it, for
docs/api/openapi.json (a test fails when the two differ)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from shigan.api.api import api


def schema_text() -> str:
    return json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "输出 /api/v1/ 的 OpenAPI 文档（docs/api/openapi.json）"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="写入的文件（默认输出到标准输出）")

    def handle(self, *args, output=None, **options):
        text = schema_text()
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入 {output}")
        else:
            self.stdout.write(text, ending="")
