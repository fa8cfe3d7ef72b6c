"""Ready for Streamlit Community Cloud: deploys as-is, writes nothing, needs no secrets, starts lean.

Community Cloud installs ``requirements.txt`` from the repo root and runs
``streamlit run dashboard.py`` with ``.streamlit/config.toml``. These tests
check what that needs, with the app's own code as the subject.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tempfile
import tomllib

from dataio.upload import MAX_UPLOAD_MB
from tests.helpers import APP_PACKAGES, ROOT, app_files, new_app

LOCAL = {*APP_PACKAGES, "tests", "bench"}


def page_files() -> list[str]:
    return re.findall(r'st\.Page\("(pages/[\w/]+\.py)"', (ROOT / "dashboard.py").read_text(encoding="utf-8"))


def requirement_names() -> set[str]:
    names = set()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            names.add(re.split(r"[<>=!~\[; ]", line)[0].lower())
    return names


def test_requirements_at_the_root_cover_every_import_of_the_app():
    assert (ROOT / "dashboard.py").exists()
    imported = set()
    for path in app_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - LOCAL - {"__future__"}
    assert third_party <= requirement_names(), f"imported but not in requirements.txt: {third_party}"
    assert {"streamlit", "numpy", "plotly"} <= requirement_names()
    assert not {"pytest", "hypothesis", "playwright", "scikit-learn", "ruff"} & requirement_names()


def test_streamlit_config_sets_theme_upload_limit_and_no_telemetry():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["theme"]["base"] == "light" and config["theme"]["primaryColor"]
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB


def test_nothing_needs_secrets():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [f for f in tracked if f.endswith("secrets.toml")]
    for path in app_files():
        assert "st.secrets" not in path.read_text(encoding="utf-8"), path


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_writes: list[tuple] = []
_watching = [False]


def _audit(event: str, args: tuple) -> None:
    if not _watching[0]:
        return
    if event == "open":
        path, mode, flags = args
        if (mode and any(c in str(mode) for c in "wax+")) or (isinstance(flags, int) and flags & _WRITE_FLAGS):
            _writes.append((event, str(path)))
    elif event in ("os.remove", "os.rename", "os.replace", "os.mkdir", "os.rmdir", "shutil.rmtree", "shutil.copyfile"):
        _writes.append((event, str(args[0])))


sys.addaudithook(_audit)       # process-wide and permanent, so it only records while _watching is set


def test_the_app_writes_nothing_outside_a_temp_dir():
    _writes.clear()
    _watching[0] = True
    try:
        with open(os.devnull, "w"):                 # the hook itself works: this write is seen
            pass
        at = new_app()
        at.query_params = {"dataset": "moons", "step": "20"}
        at.run()
        at.selectbox(key="scene").select("saturation").run()
        at.button(key="step").click().run()
        at.button(key="copy_link").click().run()
        for page in page_files():
            at.switch_page(str(ROOT / page)).run()
            assert not at.exception, (page, at.exception)
    finally:
        _watching[0] = False
    assert ("open", os.devnull) in _writes
    temp = os.path.realpath(tempfile.gettempdir())
    outside = [w for w in _writes if w[1] != os.devnull and not os.path.realpath(w[1]).startswith(temp)]
    assert outside == []


def test_pytest_turns_warnings_into_errors():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    filters = config["tool"]["pytest"]["ini_options"]["filterwarnings"]
    assert filters[0] == "error" and "error::DeprecationWarning" in filters


def test_every_app_module_imports_with_deprecation_warnings_as_errors():
    modules = [f"{p.parent.name}.{p.stem}" for p in app_files()[1:]
               if p.parent.name != "pages" and p.stem != "__init__"]
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    out = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-W", "error::PendingDeprecationWarning",
                          "-c", code, *modules], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert len(modules) >= 15


def test_the_first_page_loads_without_heavy_modules_it_does_not_need():
    code = ("import sys\nsys.path.insert(0, '.')\nimport tests.conftest\nfrom tests.helpers import new_app\n"
            "at = new_app(); at.run(); assert not at.exception, at.exception\n"
            "print(','.join(m for m in ('pandas', 'pyarrow', 'sklearn', 'scipy', 'matplotlib', 'hypothesis')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    # the live view's data is one bytes object: no pandas or pyarrow to encode it
    assert out.stdout.strip() == "", f"the Train page pulled in: {out.stdout.strip()}"


REMOVED_IN_313 = {"aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "mailcap", "msilib", "nis", "nntplib",
                  "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib", "lib2to3", "imp",
                  "distutils", "asynchat", "asyncore", "smtpd"}
DEPRECATED_IN_312_313 = ("datetime.utcnow(", ".utcnow(", "utcfromtimestamp(", "pkgutil.find_loader(", "get_event_loop(",
                         "getdefaultlocale(", "ast.Num", "ast.Str", "typing.ByteString", "locale.resetlocale(")


def test_no_module_removed_or_call_deprecated_by_python_312_or_313():
    # CI runs 3.11, where these still import or warn only on 3.12+; Community Cloud may run 3.12 or 3.13.
    for path in app_files():
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            assert not {n.split(".")[0] for n in names} & REMOVED_IN_313, (path, names)
        assert not [d for d in DEPRECATED_IN_312_313 if d in text], path
