"""Compare runs written by `benchmarks.run --json`: two scales, or two commits.

    python -m benchmarks.compare city.json province.json [more.json …]

Per page: its queries in each run ("≠" when they differ), its p50 in each run, and the last
run's p50 over the first's (wall-clock and CPU). Needs no database.
"""

import argparse
import json
import sys
from pathlib import Path


def load(path: str) -> dict:
    data = json.loads(Path(path).read_text())
    data["by_name"] = {row["name"]: row for row in data["rows"]}
    return data


def _label(run: dict) -> str:
    return f"{run['scale']} {run['database'].split()[0]} {run['commit'][:7]}"


def compare(runs: list[dict]) -> list[str]:
    """The comparison table's lines."""
    first, last = runs[0], runs[-1]
    lines = [" | ".join(_label(r) for r in runs)]
    lines.append(f"{'page':40} {'queries':>16} {'p50 ms':>24} {'last/first':>10} {'cpu':>6}")
    for name, row in first["by_name"].items():
        found = [r["by_name"].get(name) for r in runs]
        if None in found:
            lines.append(f"{name:40} (not in every run)")
            continue
        queries = "/".join(str(f["queries"]) for f in found)
        same = "" if len({f["queries"] for f in found}) == 1 else " ≠"
        p50 = "/".join(f"{f['p50_ms']:.1f}" for f in found)
        end = last["by_name"][name]
        wall = end["p50_ms"] / row["p50_ms"]
        cpu = end["cpu_p50_ms"] / row["cpu_p50_ms"]
        lines.append(f"{name:40} {queries + same:>16} {p50:>24} {wall:9.3g}× {cpu:5.3g}×")
    return lines


def markdown(runs: list[dict]) -> list[str]:
    """The same as a Markdown table: queries, each run's p50 in ms with its ratio to that run's
    floor, the last run's p50 over the one before it, and peak memory per run (KiB)."""
    vendors = {r["database"].split()[0] for r in runs}
    labels = [
        r["scale"] + (f" {r['database'].split()[0]}" if len(vendors) > 1 else "") for r in runs
    ]
    ratio = f"{labels[-1]}/{labels[-2]}" if len(runs) > 1 else "—"
    head = ["page", "role", "queries", *(f"{x} p50 ms (×floor)" for x in labels), ratio]
    lines = ["| " + " | ".join([*head, "peak KiB"]) + " |", "|" + "---|" * (len(head) + 1)]
    for name, row in runs[0]["by_name"].items():
        found = [r["by_name"].get(name) for r in runs]
        if None in found:
            continue
        queries = "/".join(sorted({str(f["queries"]) for f in found}))
        cells = [name, row["role"], queries]
        cells += [f"{f['p50_ms']:.1f} ({f['ratio']:.0f}×)" for f in found]
        before = found[-2] if len(found) > 1 else found[-1]
        cells.append(f"{found[-1]['p50_ms'] / before['p50_ms']:.2f}")
        cells.append(" → ".join(str(f["peak_kib"]) for f in found))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__)
    parser.add_argument("runs", nargs="+", help="JSON files of benchmarks.run, oldest first")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    runs = [load(p) for p in args.runs]
    print("\n".join(markdown(runs) if args.markdown else compare(runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
