"""The Inside page in AppTest: renders at any width and step, draws the picked twin's real numbers."""

import json

import numpy as np
import pytest

from netcore import grid
from tests.helpers import app_on, figures, traces


def start(width: int, steps: int, lr: float = 1.0):
    return app_on("inside", steps=steps, width=width, lr=lr)


def titled(at, text):
    return [f for f in figures(at) if text in f["layout"].get("title", {}).get("text", "")]


@pytest.mark.parametrize("width", [1, 64])
@pytest.mark.parametrize("steps", [0, 100])
def test_renders_after_steps_at_width(width, steps):
    at = start(width, steps)
    state = at.session_state["lab"]
    assert state.twins.width == width and state.twins.step_count == steps
    run = state.twins.runs["ce-sigmoid"]                       # the default pick
    network = titled(at, f"CE + sigmoid · step {steps}")[0]
    hidden = next(t for t in traces(network) if t.get("name") == "hidden units")
    np.testing.assert_allclose(hidden["marker"]["color"], run.params.b1[:, 0])
    out = next(t for t in traces(network) if t.get("name") == "output")
    assert out["text"][0] == f"ŷ<br>b2 = {run.params.b2[0, 0]:.3g}"
    units = titled(at, "Hidden units")[0]
    assert len(traces(units, "heatmap")) == min(width, 16)
    dynamics = titled(at, "Training dynamics")[0]
    assert len(traces(dynamics)) == 2 * 5
    assert all("diverged at step" in e.value for e in at.error)     # width 64 at lr 1 can diverge: said, not crashed


def test_unit_map_is_the_hidden_activation_by_hand():
    at = start(3, 20)
    run = at.session_state["lab"].twins.runs["ce-sigmoid"]
    units = titled(at, "Hidden units")[0]
    hm = traces(units, "heatmap")[1]
    r = hm["z"].shape[0]
    G = grid(r)[2]
    by_hand = 1 / (1 + np.exp(-(run.params.W1[1] @ G + run.params.b1[1, 0])))
    np.testing.assert_allclose(hm["z"].ravel(), by_hand, atol=1e-6)


def test_pick_the_other_twin_and_show_all_64_units():
    at = start(64, 10, lr=0.1)
    at.segmented_control(key="inside_twin").set_value("mse-linear").run()
    assert titled(at, "MSE + linear · step 10")
    at.button(key="all_units").click().run()
    assert not at.exception
    assert len(traces(titled(at, "Hidden units")[0], "heatmap")) == 64
    at.multiselect(key="inside_units_64").set_value([5, 9]).run()
    annotations = [a["text"] for a in titled(at, "Hidden units")[0]["layout"]["annotations"]]
    assert annotations[0].startswith("<b>h6</b>") and annotations[1].startswith("<b>h10</b>")


def test_step_button_trains_from_this_page():
    at = start(4, 0)
    at.button(key="step").click().run()
    assert at.session_state["lab"].twins.step_count == 1
    assert titled(at, "CE + sigmoid · step 1")


def test_every_figure_has_a_visible_png_button_with_a_sensible_name_and_size():
    at = start(64, 5)
    at.button(key="all_units").click().run()
    configs = {json.loads(el.proto.config)["toImageButtonOptions"]["filename"]: json.loads(el.proto.config)
               for el in at.get("plotly_chart")}
    assert set(configs) == {"network-ce-sigmoid-step5", "output-ce-sigmoid-step5", "hidden-units-ce-sigmoid-step5",
                            "training-dynamics"}
    for config in configs.values():
        assert config["displayModeBar"] is True
        png = config["toImageButtonOptions"]
        assert png["format"] == "png" and 1000 <= png["width"] <= 1600 and 400 <= png["height"] <= 2000
    assert configs["hidden-units-ce-sigmoid-step5"]["toImageButtonOptions"]["height"] > 1000   # 8 rows of maps
