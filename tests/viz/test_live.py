"""viz.live: the live view's arrays, against independent oracles (Plotly's colour scale, the isoline module)."""

from __future__ import annotations

import numpy as np
import plotly.colors

from netcore import BOX
from viz.isoline import level_lines
from viz.live import (
    SPAN,
    base_arrays,
    colour_table,
    dequantise,
    frame_arrays,
    from_span,
    nets_meta,
    quantise,
    to_span,
)
from viz.theme import LINEAR_RANGE, PROBABILITY_SCALE


def test_the_colour_table_is_plotlys_colour_scale_at_every_level():
    lut = colour_table()
    assert lut.shape == (256, 3) and lut.dtype == np.uint8
    want = plotly.colors.sample_colorscale(PROBABILITY_SCALE, np.linspace(0, 1, 256).tolist(), colortype="tuple")
    np.testing.assert_allclose(lut, np.array(want) * 255, atol=0.51)
    assert tuple(lut[0]) == (0xC7, 0x7A, 0x00) and tuple(lut[-1]) == (0x00, 0x5A, 0x8D)


def test_quantising_keeps_yhat_within_half_a_step_of_its_clipped_value():
    y = np.random.default_rng(0).uniform(-3, 3, 10_000)
    for lo, hi in ((0.0, 1.0), LINEAR_RANGE):
        back = dequantise(quantise(y, lo, hi), lo, hi)
        assert np.abs(back - np.clip(y, lo, hi)).max() <= (hi - lo) / 510 + 1e-12
    assert quantise(np.array([np.nan, np.inf, -np.inf]), -0.5, 1.5).tolist() == [128, 255, 0]
    assert quantise(np.array([0.0, 1.0]), 0.0, 1.0).tolist() == [0, 255]


def test_coordinates_survive_uint16_to_a_hundred_thousandth_of_the_box():
    v = np.random.default_rng(1).uniform(-BOX, BOX, 1000)
    assert np.abs(from_span(to_span(v, BOX), BOX) - v).max() <= BOX / SPAN
    assert to_span(np.array([-BOX, BOX]), BOX).tolist() == [0, SPAN]


def test_frame_arrays_are_flat_and_carry_the_isoline_of_each_grid():
    r = 20
    xs = np.linspace(-BOX, BOX, r)
    X, Y = np.meshgrid(xs, xs)
    grids = np.stack([np.stack([1 / (1 + np.exp(-(X + k * 0.1 - Y))), 0.4 * X + 0.5]) for k in range(3)])
    arrays = frame_arrays(("ce-sigmoid", "mse-linear"), np.array([1, 2, 3]), np.array([[1, 1], [2, 2], [3, 2]]),
                          np.zeros((3, 2, 4)), grids, BOX)
    assert all(a.ndim == 1 for a in arrays.values())
    assert arrays["f_q"].size == 3 * 2 * r * r and arrays["f_run"].tolist() == [1, 1, 2, 2, 3, 2]
    counts = arrays["f_nseg"].reshape(3, 2)
    ends = from_span(arrays["f_seg"].reshape(-1, 4), BOX)
    start = 0
    for k in range(3):
        for j in range(2):
            lines = level_lines(xs, xs, grids[k, j], 0.5)
            assert counts[k, j] == sum(len(x) - 1 for x, _ in lines)
            verts = np.concatenate([np.stack([x, y], 1) for x, y in lines])
            mine = ends[start:start + counts[k, j]]
            start += counts[k, j]
            for end in (mine[:, :2], mine[:, 2:]):
                assert np.abs(end[:, None] - verts[None]).max(axis=2).min(axis=1).max() < 1e-4
    q = arrays["f_q"].reshape(3, 2, r, r)
    np.testing.assert_array_equal(q[:, 1], quantise(grids[:, 1], *LINEAR_RANGE))    # the linear net is clipped


def test_base_arrays_mark_test_points_and_thin_long_histories():
    train = (np.array([[0.0, 1.0], [0.5, -1.0]]), np.array([[0.0, 1.0]]))
    test = (np.array([[0.2], [0.3]]), np.array([[1.0]]))
    long = {"step": np.arange(5000.0), "train_loss": np.linspace(1, 0, 5000), "test_loss": np.full(5000, np.inf)}
    arrays = base_arrays(train, test, [long])
    assert arrays["p_kind"].tolist() == [0, 1, 3] and arrays["p_x"].dtype == np.float32
    n = int(arrays["h_n"][0])
    assert n <= 400 and arrays["h_step"][-1] == 4999 and np.isnan(arrays["h_loss"][n:]).all()
    assert [m["clipped"] for m in nets_meta(("mse-linear", "ce-sigmoid"), {"mse-linear": "a", "ce-sigmoid": "b"})] \
        == [True, False]
