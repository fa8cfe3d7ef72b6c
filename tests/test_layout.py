"""The code's layout rules: the tables own every pairing and activation name, and only ui/ draws with Streamlit."""

import ast
import re
from pathlib import Path

import pytest

from netcore import HIDDEN, PAIRINGS
from tests.helpers import APP_PACKAGES, ROOT, STREAMLIT_FREE, app_files

NAMES = set(PAIRINGS) | set(HIDDEN)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in NAMES]


def test_no_pairing_or_activation_name_is_written_outside_netcore():
    outside = [p for p in app_files() + sorted((ROOT / "bench").glob("*.py")) if p.parent.name != "netcore"]
    found = [f"{p.relative_to(ROOT)}:{line}: {text!r}" for p in outside for line, text in _literals(p)]
    assert not found, "use netcore's tables or constants instead:\n" + "\n".join(found)


def test_the_literal_check_finds_what_it_looks_for(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('VIEW = "ce-sigmoid"\nif hidden == "relu":\n    pass\nDOC = "mse-linear twins"\n')
    assert [text for _, text in _literals(probe)] == ["ce-sigmoid", "relu"]


@pytest.mark.parametrize("package", STREAMLIT_FREE)
def test_streamlit_free_packages_import_no_streamlit(package):
    bad = [p.name for p in (ROOT / package).glob("*.py") if "streamlit" in _imports(p)]
    assert not bad, f"{package}/ must not import Streamlit: {bad}"


def test_netcore_imports_numpy_only():
    allowed = {"numpy", "netcore", "__future__", "math", "dataclasses", "collections"}
    for path in (ROOT / "netcore").glob("*.py"):
        assert _imports(path) <= allowed, f"{path.name}: {_imports(path) - allowed}"


def test_every_ui_module_draws_with_streamlit():
    plain = [p.name for p in (ROOT / "ui").glob("*.py") if p.name != "__init__.py" and "streamlit" not in _imports(p)]
    assert not plain, f"ui/ holds Streamlit glue only; move these to a Streamlit-free package: {plain}"


def test_dependencies_point_one_way():
    """Each package imports only the packages before it in APP_PACKAGES: netcore nothing, pages everything."""
    rank = {name: i for i, name in enumerate(APP_PACKAGES)}
    for package in APP_PACKAGES:
        for path in (ROOT / package).glob("*.py"):
            later = {m for m in _imports(path) & set(APP_PACKAGES) if rank[m] > rank[package]}
            assert not later, f"{package}/{path.name} imports {later}, which come after it"


def test_comments_hold_no_benchmark_figures():
    """Figures go in the README and the benchmarks' output; a comment quoting timings goes stale."""
    timing = re.compile(r"\b\d+(\.\d+)?\s?(ms|µs|us)\b|\b\d+(\.\d+)?\s?x faster|\d+(\.\d+)?×\s(faster|slower)")
    found = []
    for path in app_files():
        for n, line in enumerate(path.read_text().splitlines(), start=1):
            if timing.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


def test_page_scripts_hold_no_stray_strings():
    """Streamlit's "magic" draws a bare expression of a script on the page: only a docstring may stand alone."""
    for path in [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]:
        body = ast.parse(path.read_text(), str(path)).body
        stray = [n.lineno for n in body[1:] if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)]
        assert not stray, f"{path.name}: a bare string at line(s) {stray} would be drawn on the page"


def test_the_makefile_compiles_every_folder_of_app_code():
    line = next(x for x in (ROOT / "Makefile").read_text().splitlines() if x.startswith("PACKAGES :="))
    assert set(line.split(":=")[1].split()) == {"dashboard.py", *APP_PACKAGES}
