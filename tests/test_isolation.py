"""Two students never see each other's work: weights, steps, links, uploads.

AppTest gives each test app its own session, as two browser tabs get. The last
test drives the real server over Streamlit's websocket protocol with the load
tool's client (``bench/load.py``), where a session's first run differs from
AppTest's.
"""

from __future__ import annotations

import asyncio

import numpy as np

from netcore import make_dataset
from session.state import LabState
from settings.config import DEFAULT, Config
from tests.helpers import new_app, open_page, step_on_screen
from tests.support import streamlit_ws as load


def trained(config: Config, steps: int) -> LabState:
    """The oracle: a LabState built and stepped directly, with no Streamlit at all."""
    state = LabState.build(config)
    state.step(steps)
    return state


def params(at, name: str = "ce-sigmoid"):
    return at.session_state["lab"].twins.runs[name].params


def run_app(query: dict | None = None):
    at = new_app()
    at.query_params.update(query or {})
    at.run()
    assert not at.exception
    return at


def test_two_sessions_trained_differently_keep_their_own_weights_and_steps():
    a, b = run_app(), run_app()
    a.slider(key="width").set_value(8).run()
    a.select_slider(key="lr").set_value(0.3).run()
    for _ in range(5):
        a.button(key="step").click().run()
    b.button(key="step").click().run()
    b.button(key="step").click().run()

    assert step_on_screen(a) == "5" and step_on_screen(b) == "2"
    want_a = trained(Config(width=8, lr=0.3), 5)
    want_b = trained(DEFAULT, 2)
    for name in ("mse-linear", "ce-sigmoid"):
        np.testing.assert_array_equal(params(a, name).W1, want_a.twins.runs[name].params.W1)
        np.testing.assert_array_equal(params(b, name).W1, want_b.twins.runs[name].params.W1)
    assert params(a).W1.shape == (8, 2) and params(b).W1.shape == (4, 2)
    assert a.session_state["lab"] is not b.session_state["lab"]
    assert a.session_state["lab"].twins.runs["ce-sigmoid"].history is not \
        b.session_state["lab"].twins.runs["ce-sigmoid"].history


def test_a_link_applies_to_its_own_session_only():
    linked = run_app({"width": "8", "seed": "7", "step": "30"})
    plain = run_app()
    assert step_on_screen(linked) == "30" and step_on_screen(plain) == "0"
    assert linked.session_state["lab"].config.width == 8 and linked.session_state["lab"].config.seed == 7
    assert plain.session_state["lab"].config == DEFAULT
    assert plain.query_params.get("step") in (None, "0", ["0"])


def test_pretrained_links_are_copies_stepping_one_leaves_the_next_untouched():
    first = run_app({"step": "40"})
    for _ in range(3):
        first.button(key="step").click().run()
    assert step_on_screen(first) == "43"
    second = run_app({"step": "40"})
    assert step_on_screen(second) == "40"
    np.testing.assert_array_equal(params(second).W1, trained(DEFAULT, 40).twins.runs["ce-sigmoid"].params.W1)
    assert params(second) is not params(first)


def _csv(rng_seed: int, m: int = 60) -> bytes:
    d = make_dataset("moons", m, 0.1, np.random.default_rng(rng_seed))
    rows = ["x1,x2,label"] + [f"{x:.4f},{y:.4f},{int(c)}" for x, y, c in zip(d.X[0], d.X[1], d.Y[0])]
    return "\n".join(rows).encode()


def test_an_upload_replaces_the_data_of_its_own_session_only():
    a, b = run_app(), run_app()
    open_page(a, "data")
    open_page(b, "data")
    uploader = a.file_uploader[0]
    uploader.upload("mine.csv", _csv(1), "text/csv").run()
    assert not a.exception
    sa, sb = a.session_state["lab"], b.session_state["lab"]
    assert sa.custom is not None and sa.data.m == 60
    assert sb.custom is None and sb.data.m == DEFAULT.n_points
    b.run()
    assert b.session_state["lab"].custom is None


def test_sessions_over_the_real_protocol_keep_their_own_steps_and_settings():
    """Open two tabs on a real server, click differently, then rerun the whole app in each.

    A whole-app rerun is what Play, Reset and every sidebar change send. It
    must keep each tab's step count and sidebar values (the first run once gave
    the sidebar widgets ids that changed on the next run, which reset them).
    """
    server = load.Server(load.APP, load.ROOT)

    async def scenario():
        a, b = load.Session(server.url, 60), load.Session(server.url, 60)
        try:
            await a.open()
            await b.open()
            step_a, step_b = a.find("button", "Step"), b.find("button", "Step")
            for _ in range(3):
                await a.rerun(trigger=step_a)
            await b.rerun(trigger=step_b)
            assert (a.step(), b.step()) == ("3", "1")
            await a.rerun()
            await b.rerun()
            assert (a.step(), b.step()) == ("3", "1")
            assert not [t for t in a.alerts + b.alerts if "New twins" in t]
            assert not a.exceptions and not b.exceptions
        finally:
            await a.close()
            await b.close()

    with server:
        asyncio.run(scenario())
