"""The Train page in AppTest: controls, the live view's data checked against netcore, divergence, isolation.

AppTest runs no JavaScript: these tests read what the live view *receives* (its metadata and Arrow
arrays, decoded by ``tests/support/live.py``) and check every frame against the core computed
independently: a fresh ``LabState`` stepped directly, ``netcore.predict`` on the grid and
``viz.isoline.level_lines`` (the chained form) for the ŷ = 0.5 line.
"""

import json

import numpy as np
import pytest

from netcore import BOX, CANONICAL, PAIRINGS, grid, predict
from playback.batches import batch_frames
from session.state import LabState
from settings.config import DEFAULT, Config
from tests.helpers import live_view, new_app, open_page, shown_step
from tests.support.live import frames
from viz.isoline import level_lines


@pytest.fixture
def at():
    app = new_app()
    app.run()
    assert not app.exception
    return app


def oracle(config: Config, steps: int) -> LabState:
    state = LabState.build(config)
    state.step(steps)
    return state


def assert_frame_is_netcores(frame: dict, meta: dict, state: LabState) -> None:
    """Every network's quantised grid within half a quantisation step of netcore's ŷ (clipped to the stated
    range), its line on netcore's isoline, and its scores the history's, all at the frame's step."""
    r = meta["r"]
    xs, ys, G = grid(r)
    assert frame["step"] == state.twins.step_count
    for j, (name, run) in enumerate(state.twins.runs.items()):
        net, got = meta["nets"][j], frame["nets"][j]
        assert net["label"] == PAIRINGS[name].label
        lo, hi = net["lo"], net["hi"]
        assert net["clipped"] == PAIRINGS[name].linear_output
        assert (lo, hi) == ((-0.5, 1.5) if net["clipped"] else (0, 1))
        want = predict(run.params, G, run.pairing, run.hidden).reshape(r, r)
        shown = lo + got["q"].astype(float) * (hi - lo) / 255
        assert np.abs(shown - np.clip(want, lo, hi)).max() <= (hi - lo) / 510 + 1e-6     # grids are float32
        assert got["run"] == run.step_count
        last = run.history.last()
        np.testing.assert_allclose(got["score"], [last[c] for c in ("train_loss", "test_loss", "train_acc",
                                                                     "test_acc")], rtol=1e-6)
        ends = got["seg"].astype(float) * (2 * BOX / 65535) - BOX                   # x0, y0, x1, y1
        lines = level_lines(xs, ys, want, 0.5)
        assert len(ends) == sum(len(x) - 1 for x, _ in lines)
        vertices = np.concatenate([np.stack([x, y], 1) for x, y in lines]) if lines else np.zeros((0, 2))
        for end in (ends[:, :2], ends[:, 2:]):
            gap = np.abs(end[:, None, :] - vertices[None, :, :]).max(axis=2).min(axis=1) if len(end) else []
            assert np.all(np.asarray(gap) <= 1e-4)          # a hundredth of a pixel on a 500-pixel panel


def test_first_run_sends_the_view_the_frame_at_step_zero_and_the_one_ahead_from_netcore(at):
    view = live_view(at)
    meta = view["meta"]
    assert meta["play"] is False and meta["base"] is True and meta["visible"] == [0, 1] and meta["next"] is True
    assert [n["label"] for n in meta["nets"]] == [PAIRINGS[n].label for n in CANONICAL]
    frame, ahead = frames(view)
    assert_frame_is_netcores(frame, meta, LabState.build(DEFAULT))
    assert_frame_is_netcores(ahead, meta, oracle(DEFAULT, 1))          # what Step will show: the server's step 1
    assert at.session_state["lab"].twins.step_count == 0               # computed on a copy
    assert view["f_q"].dtype == np.uint8 and view["f_seg"].dtype == np.uint16 and view["lut"].size == 256 * 3
    proto = next(e.proto for e in at.get("bidi_component") if e.proto.component_name == "backprop_lab_live")
    head = int.from_bytes(proto.bytes[4:8], "little")
    assert head < 3000 < len(proto.bytes)                     # numbers travel as binary arrays, not JSON lists
    assert not at.get("plotly_chart") and not at.metric      # no separate Step metric, no Plotly figure
    test_points = int(view["p_kind"].astype(int).__rshift__(1).sum())
    assert test_points == round(DEFAULT.n_points * DEFAULT.test_fraction)


def test_step_step_many_and_reset_send_the_new_frame(at):
    ahead = frames(live_view(at))[1]
    at.button(key="step").click().run()
    now = frames(live_view(at))[0]
    assert_frame_is_netcores(now, live_view(at)["meta"], oracle(DEFAULT, 1))
    assert now["step"] == ahead["step"] == 1 and all(
        np.array_equal(a["q"], b["q"]) and np.array_equal(a["seg"], b["seg"]) and np.array_equal(a["score"], b["score"])
        for a, b in zip(now["nets"], ahead["nets"]))                   # the frame ahead was exactly the step's
    at.selectbox(key="step_count").set_value(100).run()
    at.button(key="step_many").click().run()
    assert shown_step(at) == 101
    assert_frame_is_netcores(frames(live_view(at))[0], live_view(at)["meta"], oracle(DEFAULT, 101))
    at.button(key="reset").click().run()
    assert shown_step(at) == 0 and not at.exception


@pytest.mark.parametrize("speed", [1, 5])
def test_play_sends_a_batch_of_frames_each_a_real_state(at, speed):
    at.button(key="step").click().run()
    at.selectbox(key="speed").set_value(speed).run()
    at.button(key="play").click().run()
    view = live_view(at)
    meta = view["meta"]
    assert meta["play"] and not meta["cont"] and meta["speed"] == speed and meta["fps"] == 30
    got = frames(view)
    count = batch_frames(speed, first=True)
    assert [f["step"] for f in got] == list(range(1, 1 + count * speed + 1, speed))
    for k in (0, 1, 17, count):                                   # the start, the first, one inside, the last
        assert_frame_is_netcores(got[k], meta, oracle(DEFAULT, got[k]["step"]))
    state = at.session_state["lab"]
    assert state.playing and state.twins.step_count == 1          # the session stays on the frame shown


def test_a_button_pressed_with_no_view_to_catch_it_stops_play_where_it_started(at):
    at.button(key="play").click().run()
    at.button(key="step").click().run()         # no JavaScript here: nothing reported, so Play stops at its start
    state = at.session_state["lab"]
    assert not state.playing and state.twins.step_count == 1 and shown_step(at) == 1
    at.button(key="play").click().run()
    at.button(key="play").click().run()         # Pause, the same way
    assert not at.session_state["lab"].playing and shown_step(at) == 1 and live_view(at)["meta"]["play"] is False


def test_play_stops_on_the_first_frame_of_a_divergence(at):
    at.select_slider(key="lr").set_value(10.0).run()
    at.button(key="play").click().run()
    view = live_view(at)
    assert view["meta"]["final"]                                   # no batch follows this one
    got = frames(view)
    last, runs = got[-1], at.session_state["lab"].twins.runs
    stopped = [j for j, n in enumerate(last["nets"]) if n["run"] < last["step"]]
    assert stopped and all(f["nets"][j]["run"] == f["step"] for f in got[:-1] for j in stopped)
    want = oracle(Config(lr=10.0), last["step"])
    for j in stopped:
        name = list(runs)[j]
        assert want.twins.runs[name].diverged.step == last["nets"][j]["run"] + 1
    assert all(np.isfinite(n["score"][:2]).all() for f in got for n in f["nets"])


@pytest.mark.parametrize("view,count", [("mse-linear", 1), ("ce-sigmoid", 1), ("both", 2)])
def test_view_sets_the_networks_shown(at, view, count):
    at.radio(key="view").set_value(view).run()
    meta = live_view(at)["meta"]
    assert len(meta["visible"]) == count
    names = list(at.session_state["lab"].twins.runs)
    assert [names[k] for k in meta["visible"]] == list(at.session_state["lab"].visible())


def test_contrast_adds_a_third_network(at):
    at.checkbox(key="contrast").check().run()
    view = live_view(at)
    assert len(view["meta"]["visible"]) == 3 and view["f_q"].size == 2 * 3 * 48 * 48      # now and ahead
    assert any("New twins" in i.value for i in at.info)
    assert_frame_is_netcores(frames(view)[0], view["meta"], oracle(Config(contrast=True), 0))


def test_width_change_makes_new_twins_and_lr_change_keeps_weights(at):
    at.button(key="step").click().run()
    w1 = at.session_state["lab"].twins.runs["ce-sigmoid"].params.W1.copy()
    at.select_slider(key="lr").set_value(0.3).run()
    state = at.session_state["lab"]
    np.testing.assert_array_equal(state.twins.runs["ce-sigmoid"].params.W1, w1)
    assert state.twins.lr == 0.3 and shown_step(at) == 1
    at.slider(key="width").set_value(8).run()
    assert shown_step(at) == 0
    assert at.session_state["lab"].twins.width == 8
    assert any("width 4 → 8" in i.value for i in at.info)


def test_huge_learning_rate_shows_divergence_callout_with_finite_frames(at):
    at.select_slider(key="lr").set_value(10.0).run()
    at.selectbox(key="step_count").set_value(1000).run()
    at.button(key="step_many").click().run()
    assert not at.exception
    callouts = [e.value for e in at.error]
    assert any("MSE + linear diverged at step" in c and "learning rate" in c for c in callouts)
    view = live_view(at)
    assert np.isfinite(view["f_score"].reshape(-1, 4)[:, :2]).all() and np.isfinite(view["h_loss"][
        ~np.isnan(view["h_loss"])]).all()


def test_the_log_scale_is_the_views_own_and_no_widget_reruns_the_page_for_it(at):
    """The loss chart's scale is a button in the view's header and the L key, drawn in the browser
    (``tests/e2e/test_train_browser.py`` presses both): no Streamlit widget, nothing in what the view is sent."""
    from ui import liveview

    assert [t.key for t in at.toggle] == ["present"]                # the sidebar's presenter switch, nothing else
    assert not any("log" in key for key in live_view(at)["meta"])
    assert 'class="bpl-log" aria-pressed="false"' in liveview.HTML and "L log scale" in liveview.HTML
    assert any("L = log-scale loss" in c.value for c in at.caption)  # the keys help under the view


def test_the_loss_history_the_view_starts_from_is_the_runs(at):
    at.selectbox(key="step_count").set_value(100).run()
    at.button(key="step_many").click().run()
    view = live_view(at)
    runs = list(at.session_state["lab"].twins.runs.values())
    n = view["h_n"]
    assert n.tolist() == [len(r.history) for r in runs]                        # 101 rows: nothing thinned
    np.testing.assert_array_equal(view["h_step"][:n[0]], runs[0].history.column("step"))
    np.testing.assert_allclose(view["h_loss"][:n[0]], runs[0].history.column("train_loss"), rtol=1e-6)
    np.testing.assert_allclose(view["h_loss"][n[0]:2 * n[0]], runs[0].history.column("test_loss"), rtol=1e-6)


def test_two_sessions_are_isolated():
    a, b = new_app(), new_app()
    a.run()
    b.run()
    a.slider(key="width").set_value(6).run()
    a.button(key="step").click().run()
    a.button(key="step").click().run()
    b.button(key="step").click().run()
    assert shown_step(a) == 2 and shown_step(b) == 1
    wa = a.session_state["lab"].twins.runs["mse-linear"].params
    wb = b.session_state["lab"].twins.runs["mse-linear"].params
    assert wa.width == 6 and wb.width == 4
    assert a.session_state["lab"] is not b.session_state["lab"]


def test_sidebar_values_and_twins_survive_a_page_switch(at):
    at.slider(key="width").set_value(7).run()
    at.select_slider(key="lr").set_value(0.3).run()
    at.button(key="step").click().run()
    at.button(key="step").click().run()
    twins = at.session_state["lab"].twins
    open_page(at, "derivation")
    open_page(at, "train")
    assert not at.exception
    assert at.slider(key="width").value == 7 and at.select_slider(key="lr").value == 0.3
    assert shown_step(at) == 2
    assert at.session_state["lab"].twins is twins            # same networks, same history
    assert len(twins.runs["ce-sigmoid"].history) == 3


def test_user_text_reaches_the_view_only_as_data():
    at = new_app()
    at.run()
    from session.custom import use_upload

    rows = "\n".join(f"{x:.3f},{y:.3f},{int(x > y)}" for x, y in np.random.default_rng(1).uniform(-1, 1, (30, 2)))
    use_upload(at.session_state["lab"], f"a,b,label\n{rows}\n".encode(), "<img src=x onerror=alert(1)>.csv")
    at.run()
    note = live_view(at)["meta"]["note"]
    assert "<img src=x onerror=alert(1)>.csv" in note               # the view sets it with textContent
    from ui import liveview

    js = (liveview._HERE / "live_view.js").read_text() + (liveview._HERE / "live_keys.js").read_text()
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "outerHTML" not in js


def test_a_corrected_setting_quotes_the_bad_value_as_inert_text():
    at = new_app()
    at.session_state["dataset"] = "[click me](http://example.invalid) **bold**"
    at.run()
    (warning,) = [w.value for w in at.warning if "A setting was corrected" in w.value]
    assert "\\[click me\\]\\(http" in warning and "**" not in warning     # escaped, not a link
    assert at.selectbox(key="dataset").value == "xor"


def test_the_view_data_is_a_json_header_and_aligned_binary_arrays(at):
    def layout():
        proto = next(e.proto for e in at.get("bidi_component") if e.proto.component_name == "backprop_lab_live")
        raw = proto.bytes
        head = json.loads(raw[8:8 + int.from_bytes(raw[4:8], "little")])
        assert set(head) == {"meta", "arrays"} and len(head["arrays"]) >= 12
        spans = sorted((offset, offset + stored) for _, _, offset, _, stored, _ in head["arrays"])
        assert all(a % 8 == 0 for a, _ in spans) and all(b <= c for (_, b), (c, _) in zip(spans, spans[1:]))
        assert spans[-1][1] <= len(raw) < spans[-1][1] + 8
        return {name: (n * int(code[1]), stored) for name, code, _, n, stored, _ in head["arrays"]}

    one = layout()
    assert one["f_q"][0] == one["f_q"][1] == 2 * 2 * 48 * 48                 # idle: sent as it is
    at.button(key="play").click().run()
    batch = layout()
    assert batch["f_q"][1] < batch["f_q"][0] / 2 and batch["lut"][1] == batch["lut"][0]   # a batch: compressed
