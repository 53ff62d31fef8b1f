"""The project's shape (README "Layout"): the layers hold, no import hides inside a function, and
every app keeps the same files."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHIGAN = ROOT / "shigan"
# The CLI keeps `shigan --help` free of Django: it imports Django and the apps in the command
# that needs them. Nothing else imports inside a function.
LAZY_IMPORTS_ALLOWED = {SHIGAN / "cli.py"}
# AppConfig.ready() registers hooks and signal receivers (the audit chain, the login signal):
# Django imports apps.py before any model can be imported, so those imports wait for ready().
# import-linter still sees them.
READY_IMPORTS = "apps.py"
# Optional heavy readers the checker loads only for a .docx.
LAZY_EXTERNAL_ALLOWED = {SHIGAN / "reports" / "checker" / "readers.py"}
DOMAIN_APPS = ["campaigns", "tasks", "indicators", "meetings", "supervision", "publicity"]


def _source_files():
    for path in sorted(SHIGAN.rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        yield path


def _imports_in_functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom):
                    yield inner.lineno, "." * inner.level + (inner.module or "")
                elif isinstance(inner, ast.Import):
                    yield inner.lineno, inner.names[0].name


def test_the_import_contracts_hold():
    """`lint-imports` (import-linter, contracts in pyproject.toml) as CI runs it."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.fail("lint-imports is not installed (scripts/setup installs the test tools)")
    done = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_no_module_imports_inside_a_function():
    """An import inside a function would hide a dependency from the contracts."""
    found = []
    for path in _source_files():
        if path in LAZY_IMPORTS_ALLOWED or path.name == READY_IMPORTS:
            continue
        for line, module in _imports_in_functions(path):
            is_ours = module.startswith((".", "shigan"))
            if is_ours or path not in LAZY_EXTERNAL_ALLOWED:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert found == []


def test_views_never_look_at_a_role():
    """Views ask their app's access module (can_*, *_for_user); the role is the access
    modules' business (orgs.scope)."""
    found = []
    for path in _source_files():
        if "views" not in path.parts and path.stem != "views":
            continue
        text = path.read_text(encoding="utf-8")
        for word in ("role_of(", "is_coordinator(", "Role.", "reads_everything("):
            if word in text:
                found.append(f"{path.relative_to(ROOT)}: {word}")
    assert found == []


@pytest.mark.parametrize("app", DOMAIN_APPS + ["orgs"])
def test_every_domain_app_has_its_access_module(app):
    assert (SHIGAN / app / "access.py").is_file()


def test_no_suffixed_modules_for_one_layer():
    """One shape: a layer that outgrows its module becomes a package (views/, services/),
    never views_something.py beside views.py."""
    suffixed = [
        str(path.relative_to(ROOT))
        for path in _source_files()
        for layer in ("views", "services", "queries", "forms", "models")
        if path.stem.startswith(f"{layer}_")
    ]
    assert suffixed == []
