"""`shigan check-report FILE [--json]`: recompute the figures of a report text (txt, md, docx).

The module is named with a hyphen so that Django registers the command as `check-report`, the
name the product documents. The work is done by shigan.reports.checker.cli, which also runs
without Django."""

import sys

from django.core.management.base import BaseCommand

from shigan.reports.checker import cli


class Command(BaseCommand):
    help = cli.DESCRIPTION
    requires_system_checks = []

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, **options):
        """Print the findings; exit 1 on an inconsistency, 2 on an unreadable file."""
        status = cli.run(
            options["file"], as_json=options["json"], stdout=self.stdout, stderr=self.stderr
        )
        if status:
            self.stdout.flush()
            sys.exit(status)
