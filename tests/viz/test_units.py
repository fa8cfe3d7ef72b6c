"""Hidden-unit maps: one map per chosen unit, titles with its weights, values from the forward pass."""

import numpy as np
import pytest

from netcore import BOX, grid, init_params
from viz.theme import STANDARD
from viz.units import grid_columns, unit_maps, unit_title, zero_line


def maps_for(n, units, r=12):
    p = init_params(n, np.random.default_rng(1))
    p.b1[:] = 0.3
    xs, ys, G = grid(r)
    A1 = 1 / (1 + np.exp(-(p.W1 @ G + p.b1)))                 # the seed's sigmoid, by hand
    A1 = A1.reshape(n, r, r)
    return p, A1, unit_maps(xs, ys, A1[units], units, p.W1, p.b1, BOX, STANDARD)


@pytest.mark.parametrize("n,units", [(1, [0]), (4, [0, 1, 2, 3]), (64, list(range(16))), (64, list(range(64))),
                                     (20, [3, 17])])
def test_one_heatmap_per_chosen_unit_with_its_values_and_title(n, units):
    p, A1, fig = maps_for(n, units)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    assert len(heatmaps) == len(units)
    for hm, i in zip(heatmaps, units):
        np.testing.assert_allclose(hm.z, A1[i].astype(np.float32))
        assert hm.z.dtype == np.float32
    titles = [a.text for a in fig.layout.annotations]
    assert titles == [unit_title(i, p.W1[i], 0.3) for i in units]
    assert f"w=({p.W1[units[-1], 0]:.2f}, {p.W1[units[-1], 1]:.2f}) b=0.30" in titles[-1]
    assert fig.layout.coloraxis.cmin == 0 and fig.layout.coloraxis.cmax == 1


def test_grid_shape():
    assert [grid_columns(k) for k in (1, 3, 16, 17, 64)] == [1, 3, 4, 8, 8]


def test_zero_line_lies_on_the_units_boundary_inside_the_box():
    w, b = np.array([1.0, 2.0]), 0.5
    xs, ys = zero_line(w, b, BOX)
    assert len(xs) == 2
    for x, y in zip(xs, ys):
        assert abs(w[0] * x + w[1] * y + b) < 1e-9 and abs(x) <= BOX and abs(y) <= BOX
    assert zero_line(np.array([0.0, 1.0]), 5.0, BOX) == ([], [])          # x2 = -5: outside the box


def test_no_units_is_an_error():
    with pytest.raises(ValueError):
        maps_for(3, [])
