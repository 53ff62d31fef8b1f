"""How well the checker reads real reports: `python -m shigan.reports.checker.measure [NAME]`
(or `shigan check-report --corpus [NAME]`, `shigan check-report --corpus-dir DIR`).

Runs check_text on every document of a corpus — corpus/ (the default: hand-annotated excerpts
of published reports, see corpus/README.md), heldout/ (documents the checker was never tuned
on, see heldout/README.md) or any folder of files in the same format — and on every planted
mutation, matches the checker's
claims to the annotated ones by the position of the stated figure, and prints one line per
annotated figure and a table per genre. Needs no database or settings; always exits 0 — the
figures are a measurement, not a pass/fail gate (the tests hold the bounds)."""

import argparse
import ast
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TextIO

from .engine import check_text
from .results import Claim, Status

CORPUS_DIR = Path(__file__).with_name("corpus")
HELDOUT_DIR = Path(__file__).with_name("heldout")
CORPORA = {"corpus": CORPUS_DIR, "heldout": HELDOUT_DIR}

# What became of one checkable annotated figure.
VERIFIED = "verified"  # annotated 一致, checker 一致
CAUGHT = "caught"  # annotated 不一致 (real or planted), checker 不一致
FALSE_ALARM = "false_alarm"  # annotated 一致, checker 不一致
UNCHECKED = "uncheckable"  # checkable, checker 无法核对
MISSED = "missed"  # checkable, checker found no claim at the figure
PASSED = "passed"  # annotated 不一致, checker 一致
OUTCOMES = (VERIFIED, CAUGHT, FALSE_ALARM, UNCHECKED, MISSED, PASSED)
OUTCOME_LABELS = {
    VERIFIED: "核对一致",
    CAUGHT: "查出不一致",
    FALSE_ALARM: "误报",
    UNCHECKED: "无法核对",
    MISSED: "未识别",
    PASSED: "漏报",
}
VERDICT_LABELS = {"ok": "一致", "false": "不一致", "uncheckable": "无法核对"}


def evaluate(expr: str) -> Decimal:
    """An annotation's computation ("6/22*100", "(783+579+562)/2495*100") in Decimal."""

    def value(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return value(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return Decimal(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            return BINARY[type(node.op)](value(node.left), value(node.right))
        raise ValueError(f"not an arithmetic expression: {expr}")

    return value(ast.parse(expr, mode="eval"))


BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def half_up(raw: Decimal, like: str) -> Decimal:
    """`raw` rounded half-up to the decimal places of the stated figure `like`."""
    return raw.quantize(Decimal(1).scaleb(Decimal(like).as_tuple().exponent), ROUND_HALF_UP)


def holds(claim: dict, value: str) -> bool:
    """Whether the stated `value` is borne out by the annotation's computation (or an alternative
    reading it lists), rounded half-up to the stated precision or within its stated tolerance."""
    for expr in [claim["expr"], *claim.get("alt_expr", [])]:
        raw = evaluate(expr)
        if half_up(raw, value) == Decimal(value):
            return True
        if "tolerance" in claim and abs(raw - Decimal(value)) <= Decimal(claim["tolerance"]):
            return True
    return False


@dataclass
class Row:
    """One annotated figure (or one planted mutation) and what the checker made of it."""

    document: str
    genre: str
    kind: str
    stated: str
    expected: str  # ok / false / uncheckable
    mutation: bool
    span: tuple[int, int]
    found: Claim | None
    exprs: tuple[str, ...] = ()

    @property
    def right_reason(self) -> bool:
        """Verified or caught with the numbers the annotation uses (the checker's unrounded
        recomputation equals the annotation's, up to sign); a catch that divided by the wrong
        base is a catch for the wrong reason."""
        if self.found is None:
            return False
        raw = self.found.raw
        if raw is None:  # totals carry no raw value: read the recomputed figure
            number = re.search(r"-?\d+(?:\.\d+)?", self.found.recomputed.replace(",", ""))
            if number is None:
                return False
            raw = Decimal(number.group())
        raw = abs(raw)
        for expr in self.exprs:
            want = abs(evaluate(expr))
            if abs(raw - want) <= max(Decimal("0.0005"), want * Decimal("0.000001")):
                return True
        return False

    @property
    def outcome(self) -> str:
        """One of OUTCOMES; "" for a figure the corpus marks uncheckable (counts neither way)."""
        if self.expected == "uncheckable":
            return ""
        if self.found is None:
            return MISSED
        status = self.found.status
        if status == Status.UNCHECKABLE:
            return UNCHECKED
        if self.expected == "ok":
            return VERIFIED if status == Status.OK else FALSE_ALARM
        return CAUGHT if status == Status.FALSE else PASSED

    def line(self) -> str:
        found = (
            "—" if self.found is None else f"{self.found.status.label}（{self.found.kind.value}）"
        )
        mark = "［变异］" if self.mutation else ""
        outcome = OUTCOME_LABELS.get(self.outcome, "不计（原文无法核对）")
        if self.outcome in (VERIFIED, CAUGHT) and not self.right_reason:
            outcome += "（算法与标注不同）"
        return (
            f"{self.document} {mark}{self.stated} {self.kind} "
            f"应为{VERDICT_LABELS[self.expected]} 核对器{found} → {outcome}"
        )


@dataclass
class Measurement:
    rows: list[Row] = field(default_factory=list)
    # Checker claims at figures the corpus does not annotate: (document, claim).
    unannotated: list[tuple[str, Claim]] = field(default_factory=list)

    def counts(self, rows: list[Row] | None = None) -> dict[str, int]:
        rows = self.rows if rows is None else rows
        checkable = [r for r in rows if r.expected != "uncheckable"]
        tally = Counter(r.outcome for r in checkable)
        return {
            "checkable": len(checkable),
            "consistent": sum(r.expected == "ok" for r in checkable),
            "inconsistent": sum(r.expected == "false" for r in checkable),
            "planted": sum(r.mutation for r in checkable),
            **{outcome: tally[outcome] for outcome in OUTCOMES},
            "caught_right": sum(r.outcome == CAUGHT and r.right_reason for r in checkable),
            "real": sum(r.expected == "false" and not r.mutation for r in checkable),
            "caught_real": sum(r.outcome == CAUGHT and not r.mutation for r in checkable),
            "caught_planted": sum(r.outcome == CAUGHT and r.mutation for r in checkable),
            "verified_right": sum(r.outcome == VERIFIED and r.right_reason for r in checkable),
        }

    def other_alarms(self) -> list[tuple[str, Claim]]:
        """不一致 where the corpus has no checkable claim: at a figure it marks uncheckable, or at
        one it does not annotate (a figure that states no relation) — false alarms as well."""
        at_uncheckable = [
            (r.document, r.found)
            for r in self.rows
            if r.expected == "uncheckable"
            and r.found is not None
            and r.found.status == Status.FALSE
        ]
        unannotated = [(d, c) for d, c in self.unannotated if c.status == Status.FALSE]
        return sorted(at_uncheckable + unannotated, key=lambda pair: pair[0])

    def counted_uncheckable(self) -> int:
        return sum(r.expected == "uncheckable" and r.found is not None for r in self.rows)

    def by_genre(self) -> dict[str, dict[str, int]]:
        genres = sorted({r.genre for r in self.rows})
        return {g: self.counts([r for r in self.rows if r.genre == g]) for g in genres}

    def missed_kinds(self) -> Counter:
        return Counter(r.kind for r in self.rows if r.outcome == MISSED)

    def uncheckable_kinds(self) -> Counter:
        return Counter(r.kind for r in self.rows if r.outcome == UNCHECKED)


def corpus_dir(name: str) -> Path:
    """The folder a corpus NAME (corpus, heldout) or a path names; ValueError (in Chinese) when
    it is neither a known name nor a folder holding annotated .json files."""
    directory = CORPORA.get(name, Path(name))
    if not directory.is_dir():
        known = "、".join(CORPORA)
        raise ValueError(f"找不到语料“{name}”：请写 {known}，或一个存放标注 JSON 文件的文件夹")
    if not any(directory.glob("*.json")):
        raise ValueError(f"语料文件夹“{directory}”中没有标注文件（*.json）")
    return directory


def load_corpus(directory: Path = CORPUS_DIR) -> list[dict]:
    """Every annotated document, in file-name order, each with its file stem as "name"."""
    documents = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        documents.append({"name": path.stem, **data})
    return documents


def stated_span(text: str, claim: dict) -> tuple[int, int]:
    """Where the annotated figure stands in the text: its stated figure inside its quote."""
    quote_at = text.index(claim["quote"])
    start = quote_at + claim["quote"].index(claim["stated"])
    return start, start + len(claim["stated"])


def mutated(document: dict, mutation: dict) -> tuple[str, dict, tuple[int, int]]:
    """The document's text with one stated figure changed, the claim, and its new span."""
    claim = document["claims"][mutation["claim"]]
    start, end = stated_span(document["text"], claim)
    text = document["text"][:start] + mutation["stated"] + document["text"][end:]
    return text, claim, (start, start + len(mutation["stated"]))


def match(claims: list[Claim], span: tuple[int, int]) -> Claim | None:
    """The checker's claim whose stated figure overlaps `span` the most, if any."""
    best, best_overlap = None, 0
    for claim in claims:
        overlap = min(span[1], claim.stated_span[1]) - max(span[0], claim.stated_span[0])
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    return best


def expressions(claim: dict) -> tuple[str, ...]:
    if "expr" not in claim:
        return ()
    return (claim["expr"], *claim.get("alt_expr", []))


def measure(documents: list[dict] | None = None) -> Measurement:
    documents = load_corpus() if documents is None else documents
    result = Measurement()
    for doc in documents:
        text = doc["text"]
        found = check_text(text).claims
        spans = []
        for claim in doc["claims"]:
            span = stated_span(text, claim)
            spans.append(span)
            result.rows.append(
                Row(doc["name"], doc["genre"], claim["kind"], claim["stated"], claim["verdict"],
                    False, span, match(found, span), expressions(claim))
            )  # fmt: skip
        for claim in found:
            if not any(match([claim], span) for span in spans):
                result.unannotated.append((doc["name"], claim))
        for mutation in doc.get("mutations", []):
            changed, claim, span = mutated(doc, mutation)
            result.rows.append(
                Row(doc["name"], doc["genre"], claim["kind"], mutation["stated"], "false", True,
                    span, match(check_text(changed).claims, span), expressions(claim))
            )  # fmt: skip
    return result


COLUMNS = ("checkable", *OUTCOMES)
HEADERS = ("可核对", "核对一致", "查出不一致", "误报", "无法核对", "未识别", "漏报")
SPLIT_HEADERS = ("原文不一致查出", "改动查出")


def render(measurement: Measurement, *, lines: bool = True) -> str:
    out = []
    if lines:
        out += [row.line() for row in measurement.rows]
        out.append("")
    out.append("体裁\t" + "\t".join(HEADERS + SPLIT_HEADERS))
    for genre, counts in measurement.by_genre().items():
        out.append(genre + "\t" + table_cells(counts))
    total = measurement.counts()
    out.append("合计\t" + table_cells(total))
    out.append("")
    documents = len({r.document for r in measurement.rows})
    out.append(
        f"文档 {documents} 篇；可核对数字 {total['checkable']} 个"
        f"（原文一致 {total['consistent']}，不一致 {total['inconsistent']}，"
        f"其中人为改动 {total['planted']}）。"
    )
    if total["consistent"]:
        out.append(
            f"核对一致 {total[VERIFIED]}/{total['consistent']}"
            f"（{100 * total[VERIFIED] / total['consistent']:.1f}%）；"
            f"查出不一致 {total[CAUGHT]}/{total['inconsistent']}"
            f"（按标注的算法查出 {total['caught_right']}）；误报 {total[FALSE_ALARM]}。"
        )
        out.append(
            f"其中原文本身的不一致查出 {total['caught_real']}/{total['real']}，"
            f"人为改动查出 {total['caught_planted']}/{total['planted']}；"
            f"无法核对 {total[UNCHECKED]}，未识别 {total[MISSED]}，漏报 {total[PASSED]}。"
        )
    out.append("未识别（按类型）：" + format_kinds(measurement.missed_kinds()))
    out.append("无法核对（按类型）：" + format_kinds(measurement.uncheckable_kinds()))
    others = measurement.other_alarms()
    out.append(
        f"语料未标注或标为无法核对处的核对器结论 "
        f"{len(measurement.unannotated) + measurement.counted_uncheckable()} 个，"
        f"其中判为不一致（亦属误报）{len(others)} 个："
    )
    out += [f"  {d} {c.stated}（{c.kind.value}）：{c.quote} — {c.reason}" for d, c in others]
    return "\n".join(out)


def table_cells(counts: dict[str, int]) -> str:
    """A table row's cells: the outcome counts, then real and planted inconsistencies caught."""
    cells = [str(counts[c]) for c in COLUMNS]
    cells.append(f"{counts['caught_real']}/{counts['real']}")
    cells.append(f"{counts['caught_planted']}/{counts['planted']}")
    return "\t".join(cells)


def format_kinds(counter: Counter) -> str:
    return "、".join(f"{kind} {n}" for kind, n in counter.most_common()) or "无"


def main(argv: list[str] | None = None, *, stdout: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shigan.reports.checker.measure",
        description="在真实报告语料上测量核对器：核对一致、查出不一致、误报、无法核对、未识别。",
    )
    parser.add_argument(
        "corpus",
        nargs="?",
        default="corpus",
        help="语料：corpus（调校用，默认）、heldout（留出集，核对器从未据以调校）或一个文件夹",
    )
    parser.add_argument("--corpus-dir", metavar="DIR", help="存放标注 JSON 文件的文件夹")
    parser.add_argument("--summary", action="store_true", help="只输出汇总表")
    args = parser.parse_args(argv)
    stdout = sys.stdout if stdout is None else stdout
    try:
        directory = corpus_dir(args.corpus_dir or args.corpus)
    except ValueError as exc:
        parser.error(str(exc))
    documents = load_corpus(directory)
    stdout.write(f"语料：{directory.name}（{len(documents)} 篇）\n")
    stdout.write(render(measure(documents), lines=not args.summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
