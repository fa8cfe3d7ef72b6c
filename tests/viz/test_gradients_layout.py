"""viz.gradients builds its two-panel figures by hand (make_subplots is slow): the panels must match it."""

import numpy as np
import pytest
from plotly.subplots import make_subplots

from viz.gradients import _panels, delta_vs_z2, output_grad_bars
from viz.theme import PRESENTER, STANDARD


@pytest.mark.parametrize("widths,spacing", [((1.0, 1.0), 0.04), ((0.8, 0.2), 0.12)])
@pytest.mark.parametrize("style", [STANDARD, PRESENTER])
def test_panels_match_make_subplots(widths, spacing, style):
    ref = make_subplots(rows=1, cols=2, column_widths=list(widths), horizontal_spacing=spacing,
                        subplot_titles=("left", "right"))
    ref.update_annotations(font_size=style.font)
    want = ref.to_dict()["layout"]
    got = _panels(widths, spacing, ("left", "right"), style)
    for axis in ("xaxis", "yaxis", "xaxis2", "yaxis2"):
        assert got[axis]["anchor"] == want[axis]["anchor"]
        np.testing.assert_allclose(got[axis]["domain"], want[axis]["domain"], atol=1e-12)
    for g, w in zip(got["annotations"], want["annotations"], strict=True):
        assert {k: v for k, v in g.items() if k != "x"} == {k: v for k, v in w.items() if k != "x"}
        assert g["x"] == pytest.approx(w["x"], abs=1e-12)


def test_traces_sit_on_their_panel():
    z = np.linspace(-5, 5, 21)
    curves = {"ce-sigmoid": {0: np.tanh(z), 1: -np.tanh(z)}}
    samples = {"ce-sigmoid": (np.array([1.0, -1.0]), np.array([0.5, -0.5]), np.array([0, 1]))}
    fig = delta_vs_z2(z, curves, samples, {"ce-sigmoid": "CE"}, STANDARD).to_dict()
    assert [(t["xaxis"], t["yaxis"]) for t in fig["data"]] == [("x", "y"), ("x", "y"), ("x2", "y2"), ("x2", "y2")]
    assert fig["layout"]["yaxis2"]["matches"] == "y" and [s["xref"] for s in fig["layout"]["shapes"]] == ["x", "x2"]
    bars = output_grad_bars({"ce-sigmoid": (np.ones((1, 3)), np.ones((1, 1)))}, {"ce-sigmoid": "CE"}, STANDARD)
    assert [t.xaxis for t in bars.data] == ["x", "x2"] and list(bars.data[0].x) == ["1", "2", "3"]
