"""Bad input, everywhere it enters: one table per entry point, its nastiest values, and what each must end in.

Entry points: sidebar values set through session state (``ui.sidebar.sanitize_widget_state``),
query parameters (``settings.links`` via ``ui.lecture.read_link``), CSV uploads (``dataio.upload`` via the
Data page), extreme settings, Play interrupted by Step × 1000, Reset or a page switch, and widget
values sent by a hand-made websocket client (through ``bench/load.py``'s protocol client).

Every bad input must end in the documented message or a clamped value:

- sidebar: "A setting was corrected: ..." and a legal widget value;
- link: "Some settings in this link were ignored or corrected: ..." and a legal config;
- upload: "That file was not used. ..." or the data used, inside the box;
- divergence: "... diverged at step ..." with the last finite state shown.

Never an exception element, and never NaN or inf in any figure (plotly specs walked with
their ``bdata`` decoded), table or metric. The module counts every bad input it tries and
prints the total at the end.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections import Counter
from urllib.parse import parse_qs

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataio.upload import MAX_ROWS, UploadError, parse_csv
from netcore import BOX, HIDDEN, NAMES
from session.state import LabState
from settings import links as urlstate
from settings.config import (
    BATCH_CHOICES,
    DEFAULT,
    FIELD_NAMES,
    INIT_SCALE_RANGE,
    LR_CHOICES,
    POINTS_RANGE,
    SEED_RANGE,
    TEST_FRACTION_RANGE,
    VIEWS,
    WIDTH_RANGE,
    Config,
    coerce,
    coerce_field,
)
from settings.pages import PAGE_IDS
from tests.helpers import ROOT, figures, markdown_tables, new_app, non_finite_paths, open_page, step_on_screen

TRIED: Counter = Counter()
"""Bad inputs tried, per entry point (printed at the end of the module)."""

NON_FINITE_TEXT = re.compile(r"(?<![A-Za-z])(nan|inf|-inf|infinity)(?![A-Za-z])", re.IGNORECASE)

SIDEBAR_MESSAGE = "A setting was corrected"
LINK_MESSAGE = "Some settings in this link were ignored or corrected"
UPLOAD_MESSAGE = "That file was not used"


@pytest.fixture(scope="module", autouse=True)
def report(request):
    yield
    total = sum(TRIED.values())
    lines = [f"bad inputs tried: {total} ("
             + ", ".join(f"{k} {v}" for k, v in sorted(TRIED.items())) + ")"]
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print("\n" + lines[0])
    out = ROOT / "artifacts"
    out.mkdir(exist_ok=True)
    (out / "bad-inputs.txt").write_text(lines[0] + "\n")


# -- what every case is checked for ------------------------------------------------------------------

def problems(at) -> list[str]:
    """Everything on the page that must never happen, as readable strings (empty when clean)."""
    found = [f"exception element: {e.message[:120]}" for e in at.exception]
    for i, fig in enumerate(figures(at)):
        found += [f"figure {i}: non-finite {p}" for p in non_finite_paths(fig)]
    found += view_problems(at)
    for m in at.metric:
        for text in (m.value, m.proto.delta):
            if NON_FINITE_TEXT.search(str(text)):
                found.append(f"metric {m.label!r} shows {text!r}")
    for kind in ("table", "dataframe"):
        for t in at.get(kind):
            frame = t.value
            if not isinstance(frame, pd.DataFrame):               # a pandas Styler
                frame = frame.data
            for col in frame.columns:
                values = frame[col]
                if pd.api.types.is_numeric_dtype(values) and not np.isfinite(values.to_numpy(float)).all():
                    found.append(f"{kind} column {col!r} has NaN or inf")
                elif values.dtype == object and any(NON_FINITE_TEXT.fullmatch(str(v).strip()) for v in values):
                    found.append(f"{kind} column {col!r} shows NaN or inf as text")
    for t in markdown_tables(at):
        for col in t.columns:
            if any(NON_FINITE_TEXT.fullmatch(str(v).strip()) for v in t[col]):
                found.append(f"Markdown table column {col!r} shows NaN or inf as text")
    return found


def non_finite_in_view(view: dict, no_test_set: bool | None = None) -> list[str]:
    """NaN or inf in the live view's numbers; NaN is allowed only for the test scores when there is no test set
    (by default, when the view draws no test point)."""
    if no_test_set is None:
        no_test_set = not (view["p_kind"] & 2).any()
    bad = [f"live view {k}: inf" for k, a in view.items() if k != "meta" and a.dtype.kind == "f" and np.isinf(a).any()]
    scores = view["f_score"].reshape(-1, 4)
    if np.isnan(scores[:, :1]).any() or np.isnan(scores[:, 2]).any() or (np.isnan(scores).any() and not no_test_set):
        bad.append("live view scores: NaN")
    loss = view.get("h_loss", np.zeros(0))
    if np.isnan(loss).any() and not no_test_set:
        bad.append("live view history: NaN")
    return bad


def view_problems(at) -> list[str]:
    if not any(e.proto.component_name == "backprop_lab_live" for e in at.get("bidi_component")):
        return []
    from tests.helpers import live_view

    return non_finite_in_view(live_view(at), at.session_state["lab"].test.m == 0)


def texts(at, kind: str) -> list[str]:
    return [e.value for e in at.get(kind)]


def legal(name: str, value) -> bool:
    """An independent statement of each field's legal values, from the documented ranges and choices."""
    ranges = {"n_points": POINTS_RANGE, "noise": (0.0, 1.0), "test_fraction": TEST_FRACTION_RANGE,
              "seed": SEED_RANGE, "width": WIDTH_RANGE, "init_scale": INIT_SCALE_RANGE}
    choices = {"dataset": NAMES, "view": tuple(VIEWS), "hidden": tuple(HIDDEN), "lr": LR_CHOICES,
               "batch_size": BATCH_CHOICES, "contrast": (True, False)}
    if name in choices:
        return value in choices[name] and type(value) is type(getattr(DEFAULT, name))
    low, high = ranges[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return False
    if name in ("n_points", "seed", "width") and not isinstance(value, int):
        return False
    return low <= value <= high


def fresh(query: dict | None = None):
    at = new_app()
    at.query_params.update(query or {})
    at.run()
    return at


# -- 1. sidebar values set through session state -------------------------------------------------------

NASTY = [float("nan"), float("inf"), float("-inf"), -0.0, 1e308, -1e308, 10**100, -(10**100), 2**63, -1, 0, 3.5,
         "", " ", "nan", "NaN", "inf", "-Infinity", "1e309", "0x10", "1_000", " 8 ", "64", "abc", "∞", "١٢",
         "<script>alert(1)</script>", "**bold** [x](javascript:alert(1))", "\x00\x01", "9" * 5000, "../../etc/passwd",
         None, True, False, [], {}, [1, 2], (4,), {"a": 1}, b"bytes", complex(1, 1), object()]


@pytest.mark.parametrize("name", FIELD_NAMES)
def test_every_field_makes_every_nasty_value_legal(name):
    for value in NASTY:
        clean, note = coerce_field(name, value)
        TRIED["sidebar (coerce)"] += 1
        assert legal(name, clean), (name, value, clean)
        if note is None:                               # accepted as given: the same value, or the number it spells
            assert clean == (float(value) if isinstance(value, str) else value), (name, value, clean)
        else:
            assert len(note) < 400 and "\n" not in note


NASTIEST = {
    "dataset": ["<script>alert(1)</script>", None, 3],
    "n_points": [float("nan"), 10**9, "-5"],
    "noise": [float("inf"), -3.0, "a lot"],
    "test_fraction": [1.0, float("-inf"), "0.9"],
    "seed": [-1, 2**80, 1.5],
    "view": ["../../etc/passwd", ["both"], ""],
    "width": [0, 65, float("nan")],
    "lr": [1e9, 0.0, float("nan")],
    "hidden": ["softmax", None, "__import__('os')"],
    "batch_size": [-8, 7, "full"],
    "contrast": ["maybe", 2, None],
    "init_scale": [1e300, -1.0, float("nan")],
}


SIDEBAR_CASES = [(name, value) for name, values in NASTIEST.items() for value in values]


@pytest.mark.parametrize("name,value", SIDEBAR_CASES, ids=[f"{n}={v!r}"[:40] for n, v in SIDEBAR_CASES])
def test_sidebar_values_set_through_session_state_are_clamped_with_a_message(name, value):
    """A value put in session state under a sidebar key before the sidebar is drawn (as links and scenes do)."""
    at = new_app()
    at.session_state[name] = value
    at.run()
    TRIED["sidebar (app)"] += 1
    assert not problems(at), problems(at)
    assert legal(name, at.session_state[name]), at.session_state[name]
    assert any(SIDEBAR_MESSAGE in w for w in texts(at, "warning"))
    state = at.session_state["lab"]
    assert state.config == coerce({n: at.session_state[n] for n in FIELD_NAMES})[0]
    at.button(key="step").click().run()
    assert step_on_screen(at) == "1" and not problems(at)


# -- 2. query parameters ------------------------------------------------------------------------------------

LINKS = [
    {"width": "nan"}, {"width": "1e309"}, {"points": "999999999999"}, {"noise": "-inf"}, {"test": "0.99"},
    {"seed": "-1"}, {"lr": "-1"}, {"lr": "0"}, {"view": "../../etc/passwd"}, {"activation": "__import__('os')"},
    {"batch": "7"}, {"contrast": "maybe"}, {"init": "1e400"}, {"dataset": "<img src=x onerror=alert(1)>"},
    {"step": "-5"}, {"step": "1e9"}, {"step": "nan"}, {"step": "3.7"}, {"schedule": "1:1e9,abc"},
    {"schedule": ",".join(["0.1:1"] * 40)}, {"present": "2"}, {"scene": "x" * 5000}, {"page": "../../etc/passwd"},
    {"unknown": "x"}, {"width": ["8", "16", "nan"]}, {"**bold**": "[link](javascript:alert(1))"},
    {"width": "64", "points": "1000", "lr": "10", "contrast": "1", "step": "50"},
]


@pytest.mark.parametrize("query", LINKS, ids=lambda q: "&".join(q)[:40])
def test_links_with_bad_values_are_corrected_with_a_message(query):
    at = fresh(query)
    TRIED["query (app)"] += 1
    assert not problems(at), problems(at)
    state = at.session_state["lab"]
    for name in FIELD_NAMES:
        assert legal(name, getattr(state.config, name)), name
    notes = urlstate.parse(query, page_ids=PAGE_IDS).notes
    shown = " ".join(texts(at, "warning"))
    if notes:
        assert LINK_MESSAGE in shown
        assert not re.search(r"(?<!\\)<", shown)                  # untrusted text is escaped, never HTML
    assert state.twins.step_count <= urlstate.MAX_PRETRAIN_STEPS


QUERY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
QUERY_KEYS = st.sampled_from(list(urlstate.PARAMS) + list(urlstate.EXTRAS)) | QUERY_TEXT
QUERY_VALUES = (st.sampled_from(["nan", "inf", "-inf", "1e309", "-1", "0", "", " ", "1e-320", "0x1f", "64",
                                 "1000", "10", "1:5,0.1:5", "true", "no"]) | QUERY_TEXT
                | st.floats(allow_nan=True).map(repr) | st.integers().map(str))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(QUERY_KEYS, QUERY_VALUES), max_size=8))
def test_fuzzed_query_strings_always_give_a_legal_config(pairs):
    """Any query string a browser can send: parsed as Streamlit does, then read like a link."""
    query_string = "&".join(f"{k}={v}" for k, v in pairs)
    TRIED["query (fuzz)"] += 1
    query = parse_qs(query_string, keep_blank_values=True)
    link = urlstate.parse(query, page_ids=PAGE_IDS)
    config, _ = coerce(link.values)
    for name in FIELD_NAMES:
        assert legal(name, getattr(config, name)), (name, query_string)
    assert link.step is None or 0 <= link.step <= urlstate.MAX_PRETRAIN_STEPS
    assert all(lr in LR_CHOICES and n >= 0 for lr, n in link.schedule)
    steps = urlstate.plan(link.step or 0, link.schedule, config.lr)
    assert sum(n for _, n in steps) <= urlstate.MAX_PRETRAIN_STEPS
    assert all(len(note) < 600 and "\n" not in note for note in link.notes)


# -- 3. CSV uploads ------------------------------------------------------------------------------------------

def _csv(rows: list[str], header: str = "x1,x2,label") -> bytes:
    return ("\n".join([header] + rows) + "\n").encode()


GOOD_ROWS = [f"{x:.2f},{y:.2f},{int(x * y > 0)}" for x, y in np.random.default_rng(3).uniform(-2, 2, (40, 2))]

UPLOADS = {
    "empty": b"",
    "header only": b"x1,x2,label\n",
    "binary": bytes(range(256)) * 4,
    "zip signature": b"PK\x03\x04" + b"\x00" * 100,
    "nan cell": _csv(GOOD_ROWS[:5] + ["nan,1,0"]),
    "inf cell": _csv(GOOD_ROWS[:5] + ["1,inf,1"]),
    "1e400 cell": _csv(GOOD_ROWS[:5] + ["1e400,1,1"]),
    "one class": _csv([f"{i},{i},1" for i in range(20)]),
    "three classes": _csv([f"{i},{i},{i % 3}" for i in range(30)]),
    "one row": _csv(["1,2,0"]),
    "one column": b"x\n1\n2\n3\n",
    "ragged rows": _csv(["1,2,0", "1,2", "1,2,0,5,6"]),
    "html and markdown names": _csv(GOOD_ROWS, header="<b>x1</b>,**x2**,<script>alert(1)</script>"),
    "formula injection": _csv(["=cmd|' /C calc'!A0,1,0"] + GOOD_ROWS),
    "huge values": _csv([f"{1e300 * (i % 2 * 2 - 1)},{i},{i % 2}" for i in range(20)]),
    "all same point": _csv(["1,1,0", "1,1,1"] * 10),
    "utf-16 with bom": "x1,x2,label\n1,2,0\n3,4,1\n".encode("utf-16"),
    "semicolons and commas": b"x1;x2;label\n1,5;2,5;0\n3,1;-4,2;1\n",
    "null bytes": b"x1,x2,label\n1\x00,2,0\n",
    "very long line": _csv(["1," * 100_000 + "0"]),
    "good file": _csv(GOOD_ROWS),
    "too many rows": _csv([f"{i % 97 / 50 - 1},{i % 89 / 45 - 1},{i % 2}" for i in range(MAX_ROWS + 500)]),
}


@pytest.mark.parametrize("name", list(UPLOADS))
def test_csv_parser_ends_every_bad_file_in_a_message_or_legal_data(name):
    TRIED["upload (parser)"] += 1
    try:
        parsed = parse_csv(UPLOADS[name], f"{name}.csv")
    except UploadError as e:
        assert str(e) and len(str(e)) < 2000
        return
    X, Y = parsed.data.X, parsed.data.Y
    assert np.isfinite(X).all() and np.abs(X).max() <= BOX and set(np.unique(Y)) <= {0.0, 1.0}
    assert 2 <= parsed.data.m <= MAX_ROWS


APP_UPLOADS = ["empty", "binary", "nan cell", "one class", "html and markdown names", "huge values", "good file",
               "all same point"]


@pytest.mark.parametrize("name", APP_UPLOADS)
def test_uploads_on_the_data_page_end_in_the_message_or_new_twins(name):
    at = fresh()
    open_page(at, "data")
    at.file_uploader[0].upload(f"{name}.csv", UPLOADS[name], "text/csv").run()
    TRIED["upload (app)"] += 1
    assert not problems(at), problems(at)
    errors = " ".join(texts(at, "error"))
    state = at.session_state["lab"]
    try:
        parse_csv(UPLOADS[name], f"{name}.csv", seed=state.config.seed)
    except UploadError:
        assert UPLOAD_MESSAGE in errors and state.custom is None
    else:
        assert UPLOAD_MESSAGE not in errors and state.custom is not None
        rendered = texts(at, "markdown") + texts(at, "caption") + texts(at, "error") + texts(at, "info")
        assert not [t for t in rendered if re.search(r"(?<!\\)<script", t)]   # Markdown never gets the raw tag
        open_page(at, "train")
        at.button(key="step").click().run()
        assert not problems(at), problems(at)


CELLS = (st.sampled_from(["nan", "inf", "-inf", "1e309", "1e-320", "", " ", "0", "1", "-1", "a", "1,5", "٣",
                          "\"1\"", "'", "\x00", "1e308", "-0"])
         | st.floats(allow_nan=True, allow_infinity=True).map(repr)
         | st.text(max_size=6))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, min_size=1, max_size=4), min_size=0, max_size=25),
       st.sampled_from([",", ";", "\t", "|"]), st.booleans())
def test_fuzzed_csv_files_end_in_a_message_or_finite_training(rows, sep, header):
    """Any table of nasty cells: an UploadError, or data the twins train on with finite figures."""
    lines = ([sep.join(["x1", "x2", "label"])] if header else []) + [sep.join(r) for r in rows]
    raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    TRIED["upload (fuzz)"] += 1
    try:
        parsed = parse_csv(raw, "fuzz.csv")
    except UploadError as e:
        assert str(e)
        return
    assert np.isfinite(parsed.data.X).all() and np.abs(parsed.data.X).max() <= BOX
    from session.state import CustomData

    state = LabState.build(Config(test_fraction=0.0), CustomData(parsed.data, "upload 'fuzz.csv'"))
    state.step(3)
    for name in state.visible():
        assert np.isfinite(state.grid_predictions(name)[2]).all()
        history = state.twins.runs[name].history
        assert np.isfinite(history.column("step")).all() and np.isfinite(history.column("train_loss")).all()
        assert np.isnan(history.column("test_loss")).all()           # test_fraction 0: no test set, no test loss


# -- 4. extreme settings ----------------------------------------------------------------------------------------

EXTREMES = {
    "widest, most points, lr 10, every pairing": {"width": "64", "points": "1000", "lr": "10", "contrast": "1"},
    "relu, lr 10, every pairing": {"width": "64", "points": "1000", "lr": "10", "contrast": "1",
                                   "activation": "relu"},
    "narrowest, fewest points, no test set": {"width": "1", "points": "50", "test": "0", "lr": "0.001",
                                              "batch": "128", "noise": "1", "contrast": "1"},
    "huge initial weights": {"init": "20", "lr": "3", "contrast": "1", "activation": "tanh"},
}


@pytest.mark.parametrize("name", list(EXTREMES))
def test_extreme_settings_train_without_nan_on_every_page(name):
    at = fresh(EXTREMES[name])
    TRIED["extreme settings"] += 1
    at.selectbox(key="step_count").set_value(1000 if name.startswith("widest") else 100).run()
    at.button(key="step_many").click().run()
    assert not problems(at), problems(at)
    state = at.session_state["lab"]
    assert set(state.twins.runs) == {"mse-linear", "ce-sigmoid", "mse-sigmoid"}
    for run in state.twins.runs.values():
        assert np.isfinite(run.history.column("train_loss")).all()        # the last finite state
        if state.test.m:
            assert np.isfinite(run.history.column("test_loss")).all()
        if run.diverged:
            assert any(f"diverged at step {run.diverged.step}" in e for e in texts(at, "error"))
    for page in PAGE_IDS:
        open_page(at, page)
        assert not problems(at), (page, problems(at))


# -- 5. Play, interrupted ---------------------------------------------------------------------------------

def playing():
    at = fresh({"lr": "10", "width": "64", "contrast": "1"})
    at.button(key="play").click().run()
    assert at.session_state["lab"].playing
    return at


def test_step_1000_during_play():
    at = playing()
    at.selectbox(key="step_count").set_value(1000).run()
    at.button(key="step_many").click().run()
    TRIED["during Play"] += 1
    assert not problems(at), problems(at)
    assert at.session_state["lab"].twins.step_count >= 1000


def test_reset_during_play_stops_at_step_zero():
    at = playing()
    at.button(key="step").click().run()
    at.button(key="reset").click().run()
    TRIED["during Play"] += 1
    assert not problems(at), problems(at)
    state = at.session_state["lab"]
    assert step_on_screen(at) == "0" and not state.playing


@pytest.mark.parametrize("page", PAGE_IDS)
def test_switching_pages_during_play(page):
    at = playing()
    open_page(at, page)
    TRIED["during Play"] += 1
    assert not problems(at), problems(at)
    open_page(at, "train")
    assert not problems(at), problems(at)


# -- 6. widget values from a hand-made websocket client -------------------------------------------------------

NAN = float("nan")
CRAFTED = [
    ("Hidden units (width n)", "double_array_value", [NAN]), ("Hidden units (width n)", "double_array_value", [1e308]),
    ("Hidden units (width n)", "double_array_value", [-5.0]), ("Hidden units (width n)", "double_array_value", []),
    ("Hidden units (width n)", "double_array_value", [1.0, 2.0, 3.0]), ("Points", "double_array_value", [NAN]),
    ("Noise", "double_array_value", [float("inf")]), ("Test fraction", "double_array_value", [0.99]),
    ("Learning rate", "string_array_value", ["1e9"]), ("Learning rate", "string_array_value", []),
    ("Dataset", "string_value", "<script>alert(1)</script>"), ("View", "string_value", "nope"),
    ("Hidden activation", "string_value", "__import__('os')"), ("Seed", "int_value", -5),
    ("Also train the mismatched MSE + sigmoid", "string_value", "x"),
    # Rejected by Streamlit's own widget code before the app runs: an error box for that tab alone.
    ("Seed", "double_value", NAN), ("Seed", "string_value", "abc"), ("Hidden units (width n)", "bool_value", True),
]


def test_widget_values_from_a_crafted_client_never_leak_a_traceback_or_touch_other_tabs():
    """Any value a hand-made websocket frame can carry for a sidebar widget.

    Most end like the sidebar cases (a clamped value or "A setting was corrected").
    A few fail inside Streamlit's own deserializers, before any app code runs; those
    end in an error box for the sending tab only, with no traceback (client.showErrorDetails
    is "type" in .streamlit/config.toml), and the server and the other tabs go on.
    """
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    from tests.helpers import _decode
    from tests.support import streamlit_ws as load

    server = load.Server(load.APP, load.ROOT)
    outcomes = Counter()

    def finite_everywhere(s) -> list[str]:
        bad = [f"metric {k}={v}" for k, v in s.metrics.items() if NON_FINITE_TEXT.search(v)]
        for w in s.widgets.values():
            if w.kind == "plotly_chart":
                bad += non_finite_paths(_decode(json.loads(w.proto.spec)))
        if s.view is not None:
            bad += non_finite_in_view(load.live.decode(s.view))
        return bad

    async def scenario():
        bystander = load.Session(server.url, 60)
        await bystander.open()
        for _ in range(2):
            await bystander.rerun(trigger=bystander.find("button", "Step"))
        for label, field, value in CRAFTED:
            s = load.Session(server.url, 60)
            await s.open()
            widget = next(w for w in s.widgets.values() if getattr(w.proto, "label", None) == label)
            ws = WidgetState(id=widget.proto.id)
            if field.endswith("array_value"):
                getattr(ws, field).data.extend(value)
            else:
                setattr(ws, field, value)
            TRIED["crafted client"] += 1
            try:
                await s.rerun(values={widget.proto.id: ws})
            except load.SessionError as e:
                assert e.kind == "exception", e
                assert not s.tracebacks, s.tracebacks[:3]
                assert "redacted" in s.exceptions[-1]
                outcomes["error box"] += 1
            else:
                assert not finite_everywhere(s), finite_everywhere(s)
                outcomes["clamped or corrected"] += 1
            await s.close()
        await bystander.rerun()
        assert bystander.step() == "2" and not bystander.exceptions
        fresh_tab = load.Session(server.url, 60)
        await fresh_tab.open()
        await fresh_tab.rerun(trigger=fresh_tab.find("button", "Step"))
        assert fresh_tab.step() == "1" and not finite_everywhere(fresh_tab)
        await bystander.close()
        await fresh_tab.close()

    with server:
        asyncio.run(scenario())
    assert outcomes["clamped or corrected"] >= 14, outcomes
