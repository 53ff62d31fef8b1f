"""Compare runs written by `benchmarks.run --json`: two scales, or two commits.

    python -m benchmarks.compare city.json province.json [more.json …]
    python -m benchmarks.compare district.json province.json --max-growth 1.5 [--cpu]

Per page: its queries in each run ("≠" when they differ), its p50 in each run, and the last
run's p50 over the first's (wall-clock and CPU). Then the upper levels' checks (issue 17): each
"level: …" row's p50 over the district coordinator's own cockpit in the same run (flagged over
LEVEL_LIMIT), and its queries the same in every run that has it. `--max-growth X` (issue 18)
fails (exit status 1) when a page's p50 in the last run exceeds X times its p50 in the first.
Needs no database.
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


LEVEL_PREFIX = "level: "  # as pages.LEVEL_PREFIX (this module needs no Django)
COCKPIT = "cockpit (coordinator)"
LEVEL_LIMIT = 3.0


def level_checks(runs: list[dict]) -> list[str]:
    """Each run's "level: …" rows over its district cockpit (wall and CPU p50, "> 3×" flagged),
    and whether each such row's queries are the same in every run that has it."""
    lines, queries = [], {}
    for run in runs:
        cockpit = run["by_name"].get(COCKPIT)
        levels = [r for n, r in run["by_name"].items() if n.startswith(LEVEL_PREFIX)]
        if not levels:
            continue
        lines.append(f"\n{_label(run)}: level pages over the district's own cockpit")
        for row in levels:
            queries.setdefault(row["name"], []).append(row["queries"])
            if cockpit is None:
                lines.append(f"  {row['name']:52} (no cockpit row in this run)")
                continue
            wall = row["p50_ms"] / cockpit["p50_ms"]
            cpu = row["cpu_p50_ms"] / cockpit["cpu_p50_ms"]
            flag = f"  > {LEVEL_LIMIT:g}×" if max(wall, cpu) > LEVEL_LIMIT else ""
            lines.append(
                f"  {row['name']:52} {row['queries']:4d} q {row['p50_ms']:8.1f} ms"
                f"  {wall:5.2f}× (cpu {cpu:5.2f}×){flag}"
            )
    for name, counts in queries.items():
        if len(counts) > 1:
            same = "same" if len(set(counts)) == 1 else "DIFFER"
            lines.append(f"  queries {same} in every run: {name} ({'/'.join(map(str, counts))})")
    return lines


def growth_check(runs: list[dict], limit: float, cpu: bool = False) -> tuple[list[str], bool]:
    """Pages whose p50 in the last run exceeds `limit` × their p50 in the first (issue 18: the
    province against the district), judged on wall-clock time or, with `cpu`, on CPU time (the
    figure to trust on a loaded machine); returns the lines and whether every page held."""
    first, last = runs[0], runs[-1]
    kind = "cpu" if cpu else "wall"
    lines = [f"\n{kind} p50 {_label(last)} over {_label(first)}, limit {limit:g}×"]
    held = True
    for name, row in first["by_name"].items():
        end = last["by_name"].get(name)
        if end is None or "floor" in name:
            continue
        wall, cpu_ratio = end["p50_ms"] / row["p50_ms"], end["cpu_p50_ms"] / row["cpu_p50_ms"]
        if (cpu_ratio if cpu else wall) > limit:
            held = False
            lines.append(f"  FAILS {name:46} wall {wall:5.2f}×, cpu {cpu_ratio:5.2f}×")
    lines.append("  every page holds" if held else f"  judged on {kind} time")
    return lines, held


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__)
    parser.add_argument("runs", nargs="+", help="JSON files of benchmarks.run, oldest first")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--max-growth",
        type=float,
        help="fail when a page's p50 in the last run exceeds this many times the first's",
    )
    parser.add_argument("--cpu", action="store_true", help="--max-growth on CPU time, not wall")
    args = parser.parse_args(argv)
    runs = [load(p) for p in args.runs]
    print("\n".join(markdown(runs) if args.markdown else compare(runs)))
    print("\n".join(level_checks(runs)))
    if args.max_growth is None:
        return 0
    lines, held = growth_check(runs, args.max_growth, cpu=args.cpu)
    print("\n".join(lines))
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
