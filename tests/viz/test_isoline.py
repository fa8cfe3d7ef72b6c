"""viz.isoline: the ŷ = 0.5 line, traced in NumPy, against fields whose level sets are known by hand."""

from __future__ import annotations

import numpy as np
import pytest

from viz.isoline import level_lines, level_segments

XS = np.linspace(-2.0, 2.0, 64)
X, Y = np.meshgrid(XS, XS)          # rows follow y, as in netcore.grid


def _crossed_edges(z: np.ndarray, level: float) -> int:
    above = z >= level
    return int((above[:, 1:] != above[:, :-1]).sum() + (above[1:, :] != above[:-1, :]).sum())


def test_a_vertical_plane_gives_one_straight_open_line():
    pieces = level_lines(XS, XS, X + 0.5 - 0.3)           # z = 0.5 at x = 0.3
    assert len(pieces) == 1
    x, y = pieces[0]
    np.testing.assert_allclose(x, 0.3, atol=1e-6)
    assert len(x) == len(XS) and sorted(np.round(y, 5)) == sorted(np.round(XS.astype(np.float32), 5))


def test_a_circle_is_one_closed_loop_on_its_radius():
    pieces = level_lines(XS, XS, 1.0 - (X**2 + Y**2))      # z = 0.5 on r = √0.5
    assert len(pieces) == 1
    x, y = pieces[0]
    assert (x[0], y[0]) == (x[-1], y[-1])                   # closed
    spacing = XS[1] - XS[0]
    assert np.abs(np.hypot(x, y) - np.sqrt(0.5)).max() < spacing**2   # linear interpolation error only
    assert len(x) - 1 == _crossed_edges(1.0 - (X**2 + Y**2), 0.5)


def test_every_vertex_is_an_edge_crossing_interpolated_to_the_level():
    z = 1 / (1 + np.exp(-3 * np.sin(2 * X) * np.cos(1.5 * Y)))
    pieces = level_lines(XS, XS, z)
    for x, y in pieces:
        for px, py in zip(x.astype(float), y.astype(float)):
            # a vertex lies on a grid line, between two grid points whose values bracket 0.5
            on_row = np.isclose(XS, py, atol=1e-6).any()
            i, j = (np.abs(XS - py).argmin(), np.searchsorted(XS, px) - 1) if on_row else \
                   (np.searchsorted(XS, py) - 1, np.abs(XS - px).argmin())
            if on_row:
                a, b, t = z[i, j], z[i, j + 1], (px - XS[j]) / (XS[j + 1] - XS[j])
            else:
                a, b, t = z[i, j], z[i + 1, j], (py - XS[i]) / (XS[i + 1] - XS[i])
            assert min(a, b) <= 0.5 <= max(a, b)
            assert a + t * (b - a) == pytest.approx(0.5, abs=1e-5)


@pytest.mark.parametrize("seed", range(5))
def test_each_crossed_edge_is_used_once(seed):
    rng = np.random.default_rng(seed)
    z = rng.random((20, 20))                                 # many small islands and saddles
    xs = np.linspace(-1, 1, 20)
    pieces = level_lines(xs, xs, z)
    vertices = sum(len(x) - ((x[0], y[0]) == (x[-1], y[-1])) for x, y in pieces)
    assert vertices == _crossed_edges(z, 0.5)
    assert all(np.isfinite(x).all() and np.isfinite(y).all() and x.dtype == np.float32 for x, y in pieces)


def test_a_saddle_splits_by_its_centre():
    xs = np.array([0.0, 1.0])
    # corners: bottom-left and top-right above the level; the centre (mean 0.6) sides with them
    z = np.array([[0.9, 0.2], [0.4, 0.9]])
    pieces = level_lines(xs, xs, z)
    assert len(pieces) == 2
    ends = sorted(tuple(sorted(zip(np.round(x.astype(float), 4).tolist(), np.round(y.astype(float), 4).tolist())))
                  for x, y in pieces)
    # cut off the bottom-right (0.2) and top-left (0.4) corners
    assert ends == sorted([((0.0, 0.8), (0.2, 1.0)), ((0.5714, 0.0), (1.0, 0.4286))])


def test_no_crossing_gives_no_line():
    assert level_lines(XS, XS, np.full_like(X, 0.9)) == []
    assert level_lines(XS, XS, np.zeros_like(X)) == []


def _pairs_of_lines(pieces) -> set:
    """Every consecutive vertex pair of the chained lines, as an unordered pair of rounded points."""
    out = set()
    for x, y in pieces:
        pts = [(round(float(a), 4), round(float(b), 4)) for a, b in zip(x, y)]
        out |= {frozenset(p) for p in zip(pts, pts[1:])}
    return out


def _pairs_of_segments(segments: np.ndarray) -> set:
    s = np.round(segments.astype(np.float32).astype(float), 4)
    return {frozenset([(a, b), (c, d)]) for a, b, c, d in s.tolist()}


@pytest.mark.parametrize("seed", range(4))
def test_segments_are_the_chained_lines_cut_into_pieces_for_a_whole_stack(seed):
    rng = np.random.default_rng(seed)
    smooth = [1 / (1 + np.exp(-3 * np.sin(2 * X + k) * np.cos(1.5 * Y - k))) for k in rng.random(3)]
    stack = np.stack([*smooth, rng.random((64, 64)), np.full_like(X, 0.9), 1.0 - (X**2 + Y**2)])
    segments, counts = level_segments(XS, XS, stack)
    assert segments.shape == (counts.sum(), 4) and counts.shape == (len(stack),)
    starts = np.concatenate([[0], np.cumsum(counts)])
    for k, z in enumerate(stack):
        mine = segments[starts[k]:starts[k + 1]]
        lines = level_lines(XS, XS, z)
        assert len(mine) == sum(len(x) - 1 for x, _ in lines)             # no segment twice, none missing
        assert _pairs_of_segments(mine) == _pairs_of_lines(lines)
    assert counts[-2] == 0                                                  # the field that never crosses


def test_a_saddle_gives_the_same_two_segments_as_the_chained_form():
    xs = np.array([0.0, 1.0])
    for z in (np.array([[0.9, 0.2], [0.4, 0.9]]), np.array([[0.9, 0.45], [0.45, 0.9]]),
              np.array([[0.1, 0.9], [0.8, 0.3]]), np.array([[0.1, 0.55], [0.55, 0.1]])):
        segments, counts = level_segments(xs, xs, z[None])
        assert counts.tolist() == [2]
        assert _pairs_of_segments(segments) == _pairs_of_lines(level_lines(xs, xs, z))


@pytest.mark.parametrize("level", [0.5, 0.3])
def test_a_float32_stack_gives_exactly_the_segments_of_its_float64_copy(level):
    """The live view passes float32 grids; they are read in float64 only where the line crosses."""
    rng = np.random.default_rng(7)
    stack = np.stack([1 / (1 + np.exp(-3 * np.sin(2 * X + k) * np.cos(1.5 * Y - k))) for k in rng.random(4)])
    stack = np.concatenate([stack, rng.random((2, 64, 64))]).astype(np.float32)
    got, want = level_segments(XS, XS, stack, level), level_segments(XS, XS, stack.astype(np.float64), level)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
