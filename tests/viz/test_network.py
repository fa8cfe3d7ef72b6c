"""The network diagram: every weight on an edge, every bias on a node, values in the hover."""

import numpy as np
import pytest

from netcore import Params, init_params
from viz.network import MAX_EDGE_WIDTH, WEIGHT_COLORS, edge_width, layer_positions, network_diagram
from viz.theme import STANDARD


def params(n: int, seed: int = 0) -> Params:
    p = init_params(n, np.random.default_rng(seed))
    p.b1[:] = np.linspace(-1, 1, n).reshape(n, 1)
    p.b2[:] = 0.375
    return p


def by_name(fig, name):
    return [t for t in fig.data if t.name == name]


@pytest.mark.parametrize("n", [1, 4, 64])
def test_every_weight_has_an_edge_and_a_hover_value(n):
    p = params(n)
    fig = network_diagram(p, STANDARD, "t")
    edges = [t for t in fig.data if t.mode == "lines"]
    segments = sum(len(t.x) // 3 for t in edges)
    assert segments == 3 * n                                    # 2n input edges + n output edges
    hover = by_name(fig, "weights")[0]
    assert len(hover.text) == 3 * n
    assert f"W1[1,2] = {p.W1[0, 1]:.4g}" in hover.text[1]
    assert f"W2[1,{n}] = {p.W2[0, n - 1]:.4g}" in hover.text[-1]
    assert len(edges) <= 16


def test_edge_colour_is_the_sign_and_width_the_magnitude():
    p = Params(W1=np.array([[2.0, -1.0]]), b1=np.zeros((1, 1)), W2=np.array([[-0.5]]), b2=np.zeros((1, 1)))
    fig = network_diagram(p, STANDARD, "t")
    edges = {(t.line.color, round(t.line.width, 3)): t for t in fig.data if t.mode == "lines"}
    np.testing.assert_allclose(edge_width(np.array([2.0, -1.0, -0.5]), 2.0), [MAX_EDGE_WIDTH, 4.8, 2.7])
    assert (WEIGHT_COLORS[1], MAX_EDGE_WIDTH) in edges                     # the +2 weight: blue, widest
    negative = [w for c, w in edges if c == WEIGHT_COLORS[0]]
    assert len(negative) == 2 and max(negative) < MAX_EDGE_WIDTH


@pytest.mark.parametrize("n", [3, 64])
def test_every_bias_is_shown_b2_always_written(n):
    p = params(n)
    fig = network_diagram(p, STANDARD, "t")
    hidden = by_name(fig, "hidden units")[0]
    np.testing.assert_array_equal(hidden.marker.color, p.b1[:, 0])
    np.testing.assert_array_equal(np.asarray(hidden.customdata)[:, 1], p.b1[:, 0])
    assert "b1 = %{customdata[1]" in hidden.hovertemplate
    out = by_name(fig, "output")[0]
    assert out.text[0] == "ŷ<br>b2 = 0.375" and "b2 = 0.375" in out.hovertemplate
    assert ("text" in hidden.mode) == (n <= 12)


def test_layout_positions_and_height_grow_with_width():
    y_in, y_hid = layer_positions(5)
    np.testing.assert_array_equal(y_hid, [2, 1, 0, -1, -2])
    np.testing.assert_array_equal(y_in, [1, -1])
    wide, narrow = network_diagram(params(64), STANDARD, "t"), network_diagram(params(4), STANDARD, "t")
    assert wide.layout.height > narrow.layout.height


def test_non_finite_weights_do_not_break_the_figure():
    p = params(2)
    p.W1[0, 0] = np.nan
    p.W2[0, 1] = np.inf
    fig = network_diagram(p, STANDARD, "t")
    assert all(np.isfinite(np.asarray(t.line.width)) for t in fig.data if t.mode == "lines")


def test_zero_biases_are_white_on_a_sane_scale():
    p = params(3)
    p.b1[:] = 0.0
    p.b2[:] = 0.0
    hidden = by_name(network_diagram(p, STANDARD, "t"), "hidden units")[0]
    assert hidden.marker.cmax == 0.1 and hidden.marker.cmin == -0.1
