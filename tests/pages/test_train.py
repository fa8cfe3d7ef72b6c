"""The Train page in AppTest: controls, panels, divergence, isolation."""

import numpy as np
import pytest

from tests.helpers import figures, metric, new_app, non_finite_paths, open_page, traces


@pytest.fixture
def at():
    app = new_app()
    app.run()
    assert not app.exception
    return app


def boundary_panels(at):
    return [f for f in figures(at) if traces(f, "heatmap")]


def test_first_run_shows_step_zero_and_two_panels(at):
    assert metric(at, "Step") == "0"
    panels = boundary_panels(at)
    assert len(panels) == 2
    titles = [p["layout"]["title"]["text"] for p in panels]
    assert titles == ["MSE + linear · step 0", "CE + sigmoid · step 0"]
    z = traces(panels[1], "heatmap")[0]["z"]
    assert z.dtype == np.float32 and z.shape == (64, 64)       # binary-encoded, not lists
    assert all(not non_finite_paths(f) for f in figures(at))


def test_step_step_many_and_reset(at):
    at.button(key="step").click().run()
    assert metric(at, "Step") == "1"
    at.selectbox(key="step_count").set_value(100).run()
    at.button(key="step_many").click().run()
    assert metric(at, "Step") == "101"
    state = at.session_state["lab"]
    assert state.twins.runs["ce-sigmoid"].step_count == 101
    at.button(key="reset").click().run()
    assert metric(at, "Step") == "0"
    assert not at.exception


def test_boundary_moves_after_training(at):
    before = traces(boundary_panels(at)[1], "heatmap")[0]["z"].copy()
    at.button(key="step_many").click().run()
    after = traces(boundary_panels(at)[1], "heatmap")[0]["z"]
    assert np.abs(after - before).max() > 1e-3


@pytest.mark.parametrize("view,count", [("mse-linear", 1), ("ce-sigmoid", 1), ("both", 2)])
def test_view_sets_the_number_of_panels(at, view, count):
    at.radio(key="view").set_value(view).run()
    assert len(boundary_panels(at)) == count


def test_contrast_adds_a_third_panel(at):
    at.checkbox(key="contrast").check().run()
    assert len(boundary_panels(at)) == 3
    assert any("New twins" in i.value for i in at.info)


def test_width_change_makes_new_twins_and_lr_change_keeps_weights(at):
    at.button(key="step").click().run()
    w1 = at.session_state["lab"].twins.runs["ce-sigmoid"].params.W1.copy()
    at.select_slider(key="lr").set_value(0.3).run()
    state = at.session_state["lab"]
    np.testing.assert_array_equal(state.twins.runs["ce-sigmoid"].params.W1, w1)
    assert state.twins.lr == 0.3 and metric(at, "Step") == "1"
    at.slider(key="width").set_value(8).run()
    assert metric(at, "Step") == "0"
    assert at.session_state["lab"].twins.width == 8
    assert any("width 4 → 8" in i.value for i in at.info)


def test_huge_learning_rate_shows_divergence_callout_without_nan(at):
    at.select_slider(key="lr").set_value(10.0).run()
    at.selectbox(key="step_count").set_value(1000).run()
    at.button(key="step_many").click().run()
    assert not at.exception
    callouts = [e.value for e in at.error]
    assert any("MSE + linear diverged at step" in c and "learning rate" in c for c in callouts)
    for fig in figures(at):
        assert not non_finite_paths(fig)


def test_log_toggle_switches_the_loss_axis(at):
    at.toggle(key="log_y").set_value(True).run()
    loss = [f for f in figures(at) if f["layout"].get("title", {}).get("text") == "Loss per step"][0]
    assert loss["layout"]["yaxis"]["type"] == "log"


def test_two_sessions_are_isolated():
    a, b = new_app(), new_app()
    a.run()
    b.run()
    a.slider(key="width").set_value(6).run()
    a.button(key="step").click().run()
    a.button(key="step").click().run()
    b.button(key="step").click().run()
    assert metric(a, "Step") == "2" and metric(b, "Step") == "1"
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
    assert metric(at, "Step") == "2"
    assert at.session_state["lab"].twins is twins            # same networks, same history
    assert len(twins.runs["ce-sigmoid"].history) == 3


def test_a_corrected_setting_quotes_the_bad_value_as_inert_text():
    at = new_app()
    at.session_state["dataset"] = "[click me](http://example.invalid) **bold**"
    at.run()
    (warning,) = [w.value for w in at.warning if "A setting was corrected" in w.value]
    assert "\\[click me\\]\\(http" in warning and "**" not in warning     # escaped, not a link
    assert at.selectbox(key="dataset").value == "xor"
