"""Shared test helpers: run the app in AppTest and read what its figures carry."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from netcore import CANONICAL, Twins, make_dataset, train_test_split
from ui.sidebar import DRAWN_KEY

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = str(ROOT / "dashboard.py")

STREAMLIT_FREE = ("netcore", "viz", "settings", "dataio", "session", "lesson", "playback")
"""The app's packages that never import Streamlit (netcore imports NumPy only)."""
APP_PACKAGES = (*STREAMLIT_FREE, "ui", "pages")
"""Every folder of app code, in dependency order: each may import only those before it.
With ``dashboard.py``, this is all the app runs."""


def app_files() -> list[Path]:
    """``dashboard.py`` and every module of the app's packages."""
    return [ROOT / "dashboard.py"] + sorted(p for d in APP_PACKAGES for p in (ROOT / d).glob("*.py"))


def twins_fixture(dataset: str, m: int, noise: float, data_seed, test_fraction: float, split_seed: int, *,
                  width: int, lr: float, seed: int, steps: int, pairings: tuple[str, ...] = CANONICAL):
    """A module-scoped pytest fixture ``twins``: the named data, split, and twins trained ``steps`` steps."""

    @pytest.fixture(scope="module")
    def twins() -> Twins:
        data = make_dataset(dataset, m, noise, np.random.default_rng(data_seed))
        train, test = train_test_split(data, test_fraction, split_seed)
        built = Twins(train, test, width, lr, seed=seed, pairings=pairings)
        built.step(steps)
        return built

    return twins


def new_app(timeout: float = 60, first_run: bool = False) -> AppTest:
    """A fresh AppTest of the whole app (a fresh, isolated session).

    Its runs draw the sidebar's widgets from the first on, as a browser's do from its second (the run the
    page asks for once painted: ``ui.sidebar.comes_later``); ``first_run=True`` starts as a browser does.
    """
    at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
    if not first_run:
        at.session_state[DRAWN_KEY] = True
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    """Run the app on ``pages/<page>.py``."""
    return at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()


def app_on(page: str, dataset: str = "xor", steps: int = 0, **session) -> AppTest:
    """A fresh session on ``pages/<page>.py`` with ``dataset`` chosen, trained ``steps`` steps,
    after setting ``session`` values; fails if the page shows an exception."""
    at = new_app()
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    if dataset != "xor":
        at.selectbox(key="dataset").set_value(dataset).run()
    open_page(at, page)
    if steps:
        at.session_state["lab"].step(steps)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_tables(at: AppTest) -> list:
    """The Markdown tables on the page (``| a | b |`` rows), as text DataFrames indexed by their first column.

    A ``#12`` index cell becomes the integer 12; a ``:blue-background[**x**]`` cell reads ``x``.
    """
    import pandas as pd  # here, not at the top: tests/test_hosting.py checks the Train page runs without pandas

    def plain(text: str) -> str:
        match = re.fullmatch(r":[a-z]+-background\[\*\*(.*)\*\*\]", text)
        return match.group(1) if match else text

    tables = []
    for md in at.markdown:
        lines = [ln for ln in md.value.splitlines() if ln.startswith("|")]
        if len(lines) < 2 or not set(lines[1]) <= set("|-: "):
            continue
        rows = [[plain(c.strip()) for c in ln.strip().strip("|").split(" | ")] for ln in lines]
        head, body = rows[0], rows[2:]
        index = pd.Index([int(r[0][1:]) if r[0].startswith("#") else r[0] for r in body], name=head[0])
        tables.append(pd.DataFrame([r[1:] for r in body], columns=head[1:], index=index))
    return tables


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def live_view(at: AppTest) -> dict:
    """The live view's data on the page, decoded (``tests/support/live.py``)."""
    from tests.support import live

    return live.decode(next(e.proto for e in at.get("bidi_component") if e.proto.component_name == live.VIEW))


def step_on_screen(at: AppTest) -> str:
    """The step the page shows: the live view's on the Train page, else the page's Step metric."""
    if any(e.proto.component_name == "backprop_lab_live" for e in at.get("bidi_component")):
        return str(shown_step(at))
    return metric(at, "Step")


def shown_step(at: AppTest) -> int:
    """The step the live view shows first: the session's step when idle (the frame before the one ahead),
    Play's start while it plays."""
    view = live_view(at)
    return int(view["f_step"][0] if view["meta"]["play"] else view["f_step"][-2 if view["meta"]["next"] else -1])


def _decode(node):
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            arr = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]))
            shape = node.get("shape")
            if shape:
                arr = arr.reshape([int(s) for s in str(shape).split(",")])
            return arr
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def figures(at: AppTest) -> list[dict]:
    """Every Plotly figure on the page, with ``bdata`` arrays decoded to NumPy."""
    return [_decode(json.loads(el.proto.spec)) for el in at.get("plotly_chart")]


def traces(fig: dict, kind: str | None = None) -> list[dict]:
    return [t for t in fig.get("data", []) if kind is None or t.get("type", "scatter") == kind]


def non_finite_paths(node, path: str = "") -> list[str]:
    """Where a decoded figure holds NaN or inf in numeric data (no exceptions: no figure uses NaN gaps)."""
    bad = []
    if isinstance(node, dict):
        for k, v in node.items():
            bad += non_finite_paths(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            bad += non_finite_paths(v, f"{path}[{i}]")
    elif isinstance(node, np.ndarray) and node.dtype.kind == "f":
        if not np.isfinite(node).all():
            bad.append(path)
    elif isinstance(node, float) and not np.isfinite(node):
        bad.append(path)
    return bad
