"""check_text: every extractor over one text, overlapping findings dropped, in text order."""

from .breakdowns import extract_breakdowns, extract_restated, extract_share_lists
from .changes import extract_changes, extract_from_to
from .document import Document
from .lists import extract_lists
from .parts import extract_parts
from .products import extract_products
from .progress import extract_time_progress_gaps
from .readers import read_report
from .respectively import settle_respectively
from .results import CheckResult, Claim
from .rollups import extract_rollups
from .shares import extract_bare_shares, extract_rates, extract_shares
from .structure import extract_structure
from .tables import extract_tables
from .targets import extract_target_gaps

# Earlier extractors win a figure that later ones also match (a part's 占P% is not a bare share).
EXTRACTORS = (
    extract_restated,
    extract_parts,
    extract_rollups,
    extract_breakdowns,
    extract_lists,
    extract_products,
    extract_shares,
    extract_rates,
    extract_structure,
    extract_tables,
    extract_target_gaps,
    extract_bare_shares,
    extract_share_lists,
    extract_from_to,
    extract_changes,
)


def add_new(claims: list[Claim], found: list[Claim], taken: set[int]) -> None:
    """Add the claims whose stated figure no earlier claim has taken (`taken`: its positions)."""
    for claim in found:
        positions = range(*claim.stated_span)
        if not taken.intersection(positions):
            claims.append(claim)
            taken.update(positions)


def check_text(text: str) -> CheckResult:
    """Find the figure claims in a report text and recompute each from the text's own numbers."""
    doc = Document(text)
    claims: list[Claim] = []
    taken: set[int] = set()
    for extractor in EXTRACTORS:
        add_new(claims, extractor(doc), taken)
    add_new(claims, extract_time_progress_gaps(doc, claims), taken)
    claims = settle_respectively(doc, claims)
    claims.sort(key=lambda c: (c.stated_span, c.span))
    return CheckResult(text=text, claims=claims)


def check_file(path) -> CheckResult:
    """check_text on a txt, md or docx file; ReportReadError when it cannot be read."""
    return check_text(read_report(path))
