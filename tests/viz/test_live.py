"""viz.live: the live view's arrays, against independent oracles (Plotly's colour scale, the isoline module)."""

from __future__ import annotations

import zlib
from types import SimpleNamespace

import numpy as np
import plotly.colors

from netcore import BOX
from playback.batches import run_batch
from session.state import LabState
from settings.config import DEFAULT
from tests.support import live
from viz.isoline import level_lines
from viz.live import (
    GRID,
    SPAN,
    Deflated,
    base_arrays,
    colour_table,
    deflate,
    dequantise,
    frame_arrays,
    from_span,
    merge_frames,
    nets_meta,
    pack,
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


def _frames_of(q: np.ndarray, segs: np.ndarray) -> dict:
    f = q.shape[0]
    return {"f_step": np.arange(1, f + 1, dtype=np.int32), "f_q": q.ravel(), "f_seg": segs.ravel(),
            "f_nseg": np.ones(f, dtype=np.int32)}


def test_grids_go_frame_to_frame_with_wrapping_differences_and_come_back_exactly():
    rng = np.random.default_rng(2)
    q = rng.integers(0, 256, (5, 2, 6, 6)).astype(np.uint8)
    q[1:] = q[:1]                                         # still frames...
    q[3, 0, 0, 0], q[2, 0, 0, 0] = 0, 255                 # ...but for a jump down by 255 and up again
    segs = np.repeat(rng.integers(0, SPAN + 1, (1, 4)), 5, axis=0).astype(np.uint16)
    packed = deflate(_frames_of(q, segs))
    grids, line = packed["f_q"], packed["f_seg"]
    assert isinstance(grids, Deflated) and grids.delta == 2 * 6 * 6 and line.delta == 0
    stored = np.frombuffer(zlib.decompress(grids.data), dtype=np.uint8).reshape(5, -1)
    np.testing.assert_array_equal(stored[0], q[0].ravel())                       # the first frame as it is
    assert np.count_nonzero(stored[1:]) == 3 and stored[3, 0] == 1               # 255 -> 0 is +1, wrapping
    np.testing.assert_array_equal(grids.array(), q.ravel())
    np.testing.assert_array_equal(line.array(), segs.ravel())


def test_the_view_reads_a_packed_batch_back_frame_for_frame_through_the_running_sum():
    """tests.support.live decodes as the view's JavaScript does; merge_frames inflates and sums up too."""
    rng = np.random.default_rng(3)
    q = np.cumsum(rng.integers(-2, 3, (7, 2, 4, 4)), axis=0).astype(np.uint8)   # wraps below 0, as grids may not
    segs = rng.integers(0, SPAN + 1, (7, 4)).astype(np.uint16)          # random ends: no shrinking them
    a, b = _frames_of(q[:3], segs[:3]), _frames_of(q[3:], segs[3:])
    b["f_step"] = b["f_step"] + 3
    assert isinstance(deflate(a)["f_q"], Deflated) and isinstance(deflate(a)["f_seg"], np.ndarray)
    merged = merge_frames([deflate(a), deflate(b)])
    np.testing.assert_array_equal(merged["f_q"], q.ravel())
    view = live.decode(SimpleNamespace(bytes=pack({"r": 4}, deflate(merged))))
    np.testing.assert_array_equal(view["f_q"], q.ravel())
    np.testing.assert_array_equal(view["f_seg"], segs.ravel())
    np.testing.assert_array_equal(view["f_step"], np.arange(1, 8))
    assert live.decode(SimpleNamespace(bytes=pack({}, deflate(a, names=()))))["f_q"].tolist() == q[:3].ravel().tolist()


def test_delta_coding_shrinks_a_training_batch_and_a_wrong_stride_would_not_read_back():
    twins = LabState.build(DEFAULT).twins
    twins.step(300)
    f = run_batch(twins, 1, 45, GRID).frames
    arrays = frame_arrays(f.names, f.steps, f.run_steps, f.scores, f.grids, BOX)
    coded, plain = deflate(arrays)["f_q"], deflate(arrays, names=())
    raw = len(zlib.compress(arrays["f_q"].tobytes(), 1))
    assert coded.nbytes < 0.7 * raw, (coded.nbytes, raw)
    np.testing.assert_array_equal(coded.array(), plain["f_q"])
    wrong = Deflated(coded.data, coded.dtype, coded.size, 0)
    assert not np.array_equal(wrong.array(), plain["f_q"])
