"""Every public function of the access modules (each app's access.py and the scope primitive
orgs/scope.py) is named in at least one test file under shigan/: a new rule comes with its test
(the persona tables are in shigan/<app>/tests/test_access.py)."""

import importlib
import inspect
import re
from pathlib import Path

import shigan

ROOT = Path(shigan.__file__).parent
THIS = Path(__file__).resolve()


def access_modules() -> list[str]:
    paths = sorted(ROOT.glob("*/access.py")) + sorted(ROOT.glob("*/access/*.py"))
    paths.append(ROOT / "orgs" / "scope.py")
    return [
        ".".join(p.relative_to(ROOT.parent).with_suffix("").parts)
        for p in paths
        if p.name != "__init__.py"
    ]


def public_functions(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    return [
        name
        for name, value in inspect.getmembers(module, inspect.isfunction)
        if value.__module__ == module.__name__ and not name.startswith("_")
    ]


def test_files() -> list[Path]:
    found = {p for p in ROOT.rglob("test_*.py")} | {p for p in ROOT.rglob("tests/*.py")}
    return sorted(p for p in found if p.resolve() != THIS)


test_files.__test__ = False  # a helper, not a test


def test_the_access_modules_are_found():
    names = access_modules()
    for app in ["tasks", "meetings", "supervision", "publicity", "indicators", "reports", "orgs"]:
        assert f"shigan.{app}.access" in names
    assert "shigan.orgs.scope" in names
    assert len([f for m in names for f in public_functions(m)]) >= 50


def test_every_access_function_is_named_in_a_test():
    text = "\n".join(p.read_text(encoding="utf-8") for p in test_files())
    untested = [
        f"{module}.{name}"
        for module in access_modules()
        for name in public_functions(module)
        if not re.search(rf"\b{name}\b", text)
    ]
    assert not untested, f"access functions no test names: {untested}"
