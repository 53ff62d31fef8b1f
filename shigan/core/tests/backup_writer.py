"""A writer in its own process, for the SQLite backup test: migrates the data folder named by
SHIGAN_DATA_DIR, builds the test world, prints `ready`, then submits progress reports through
the service, printing `<report id> <monotonic time>` after each commit, until the file named by
its argument exists."""

import sys
import time
from pathlib import Path


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from shigan.core.tests.backup_support import submit_reports
    from shigan.testing import build_world

    call_command("migrate", verbosity=0)
    world = build_world()
    print("ready", flush=True)
    stop_file = Path(sys.argv[1])
    submit_reports(
        world,
        stop=stop_file.exists,
        committed=lambda pk: print(pk, time.monotonic(), flush=True),
    )


if __name__ == "__main__":
    main()
