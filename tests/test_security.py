"""Security basics: no user text as HTML, a small upload limit, no user path on disk, 127.0.0.1 in tests.

The app's code is read as Python syntax trees (not grepped as text), so a
renamed import or a keyword argument on another line cannot hide a call.
"""

from __future__ import annotations

import ast
import re
import sys
import sysconfig
import tempfile
import tomllib
from pathlib import Path

import pytest

from dataio.upload import MAX_UPLOAD_MB
from tests.helpers import ROOT, app_files, new_app, open_page

APP_FILES = app_files()
HARNESS_FILES = sorted(p for d in ("tests", "bench") for p in (ROOT / d).rglob("*.py")) + [ROOT / "Makefile"]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def calls(path: Path):
    tree = ast.parse(path.read_text(), str(path))
    constants = {t.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                 for t in node.targets if isinstance(t, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node, constants


def name_of(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def is_constant_text(arg: ast.expr, constants: dict) -> bool:
    """A string literal, or a module-level name bound once to one."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return True
    if isinstance(arg, ast.Name) and arg.id.isupper() and arg.id in constants:
        return is_constant_text(constants[arg.id], {})
    return False


# -- HTML --------------------------------------------------------------------------------------------

def test_html_is_only_ever_constant_text():
    """``unsafe_allow_html=True`` and ``st.html`` / ``components.html`` only ever get literal text.

    Text from a user (a link, a file name, a CSV cell, a scene) can then never become HTML.
    """
    raw_html = []
    for path in APP_FILES:
        for call, constants in calls(path):
            unsafe = any(k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and not k.value.value)
                         for k in call.keywords)
            if unsafe or name_of(call.func) == "html":
                raw_html.append(f"{path.relative_to(ROOT)}:{call.lineno}")
                assert call.args and is_constant_text(call.args[0], constants), \
                    f"{path.relative_to(ROOT)}:{call.lineno} renders HTML that is not a constant"
    assert len(raw_html) <= 3, f"HTML is rendered in {raw_html}: prefer Markdown"


# -- configuration -----------------------------------------------------------------------------------

def test_upload_limit_is_set_in_config_and_small():
    assert CONFIG["server"]["maxUploadSize"] == MAX_UPLOAD_MB <= 10


def test_config_keeps_deployment_defaults_and_hides_tracebacks():
    server = CONFIG.get("server", {})
    assert "address" not in server and "port" not in server       # deployment binds as Streamlit does
    assert server.get("enableXsrfProtection", True) is True and server.get("enableCORS", True) is True
    assert CONFIG.get("client", {}).get("showErrorDetails") in ("type", "none")


# -- the filesystem ----------------------------------------------------------------------------------

FILESYSTEM_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "unlink", "glob", "rglob",
                    "listdir", "scandir", "walk", "remove", "rename", "mkdir", "rmdir", "load", "save", "loadtxt",
                    "savetxt", "read_csv", "read_excel", "read_json", "read_parquet", "to_csv", "iterdir", "stat"}
ALLOWED = {
    ("settings/scenes.py", "read_text"): "the scene book, a path fixed at import (SCENES_PATH) or given by tests",
    ("settings/scenes.py", "stat"): "the scene book's modification time, to reload it when the lecturer edits it",
    ("ui/lecture.py", "glob"): "the app's own pages/ folder, to list page names",
    ("ui/liveview.py", "read_text"): "the live view's own JavaScript files next to it, at import",
    ("dataio/upload.py", "read_csv"): "reads an in-memory io.StringIO of the uploaded bytes, never a path",
}


def test_the_app_touches_the_filesystem_only_where_listed():
    found = {}
    for path in APP_FILES:
        rel = str(path.relative_to(ROOT))
        for call, _ in calls(path):
            name = name_of(call.func)
            in_memory = name == "to_csv" and not call.args and not [k for k in call.keywords if k.arg == "path_or_buf"]
            if name in FILESYSTEM_CALLS and not in_memory and not (name == "load" and "json" in ast.unparse(call.func)):
                found.setdefault((rel, name), []).append(call.lineno)
    unexpected = {k: v for k, v in found.items() if k not in ALLOWED}
    assert not unexpected, f"new filesystem access, review it and add it to ALLOWED: {unexpected}"
    read_csv = next(call for call, _ in calls(ROOT / "dataio" / "upload.py") if name_of(call.func) == "read_csv")
    assert ast.unparse(read_csv.args[0]).startswith("io.StringIO(")


HOSTILE = "etc/passwd"


@pytest.fixture
def opened_paths():
    """Every path the process opens or lists while the test runs (Python audit events)."""
    seen: list[str] = []
    active = [True]

    def hook(event, args):
        if active[0] and event in ("open", "os.listdir", "os.scandir", "glob.glob", "os.remove", "os.rename"):
            if args and isinstance(args[0], str | bytes | Path):
                seen.append(str(args[0]))

    sys.addaudithook(hook)                   # hooks cannot be removed; this one goes quiet after the test
    yield seen
    active[0] = False


def test_no_user_text_reaches_the_filesystem(opened_paths):
    """Links, an upload and session values that look like paths are never opened, listed or written."""
    at = new_app()
    at.query_params.update({"page": f"../../../{HOSTILE}", "scene": f"/{HOSTILE}", "dataset": f"../{HOSTILE}"})
    at.session_state["hidden"] = f"/{HOSTILE}"
    at.run()
    open_page(at, "data")
    at.file_uploader[0].upload(f"../../../{HOSTILE}.csv", b"x1,x2,label\n1,2,0\n2,1,1\n0,0,0\n", "text/csv").run()
    assert not at.exception and at.session_state["lab"].custom is not None
    for page in ("train", "replay", "inside"):
        open_page(at, page)
    assert not at.exception

    assert opened_paths, "the audit hook saw nothing: the test would pass vacuously"
    assert not [p for p in opened_paths if "passwd" in p]
    roots = {str(ROOT), sys.prefix, sys.base_prefix, sysconfig.get_paths()["stdlib"], tempfile.gettempdir(),
             "/dev/", "/proc/", "/sys/", "/etc/localtime", "/usr/share/zoneinfo", "/etc/mime.types"}
    outside = sorted({p for p in opened_paths if p.startswith("/") and not any(p.startswith(r) for r in roots)})
    assert not outside, outside


# -- every server a test or benchmark starts binds 127.0.0.1 ---------------------------------------------

def test_every_test_and_benchmark_binds_127_0_0_1():
    starts = 0
    for path in HARNESS_FILES:
        if path == Path(__file__):
            continue
        text = path.read_text()
        rel = path.relative_to(ROOT)
        assert "0.0.0.0" not in text and "localhost" not in text, rel
        if re.search(r"[\"']streamlit[\"'],\s*[\"']run[\"']", text):
            starts += 1
            assert re.search(r"[\"']--server\.address[\"'],\s*(\"127\.0\.0\.1\"|HOST)", text), \
                f"{rel} starts streamlit without --server.address 127.0.0.1"
        for bind in re.findall(r"\.bind\(\(([^,]+),", text):
            assert bind.strip() in ('"127.0.0.1"', "HOST"), f"{rel} binds {bind}"
        if re.search(r"^HOST\s*=", text, re.M):
            assert re.search(r'^HOST\s*=\s*"127\.0\.0\.1"', text, re.M), rel
    assert starts >= 2                     # the e2e harness and bench/load.py at least
