"""viz.gradients: the figures carry exactly the arrays they are given, and never NaN or inf."""

import numpy as np
import pytest

from lesson.factors import delta_curves
from tests.helpers import non_finite_paths
from viz.gradients import (
    delta_scatter,
    delta_vs_z2,
    identity_badge,
    mean_dz2_history,
    output_grad_bars,
    sample_picker,
    sig,
)
from viz.theme import CLASS_COLORS, PAIRING_COLORS, STANDARD

LABELS = {"mse-linear": "MSE + linear", "ce-sigmoid": "CE + sigmoid", "mse-sigmoid": "MSE + sigmoid"}


def _clean(fig) -> list[str]:
    return non_finite_paths(fig.to_dict())


@pytest.mark.parametrize("x,digits,text", [
    (1.1102230246251565e-16, 2, "1.1 × 10⁻¹⁶"),
    (0.4538492, 3, "0.454"),
    (-0.0001234, 3, "−0.000123"),
    (1e-300, 3, "10⁻³⁰⁰"),
    (0.0, 3, "0"),
    (float("inf"), 3, "overflow"),
    (float("nan"), 3, "n/a"),
    (2.5e12, 2, "2.5 × 10¹²"),
])
def test_sig(x, digits, text):
    assert sig(x, digits) == text


def test_identity_badge_text():
    assert identity_badge(2.22e-16) == "max |δ − (ŷ−y)| = 2.2 × 10⁻¹⁶"
    assert identity_badge(0.45, 3).endswith("3 samples overflow: not drawn")
    assert "1 sample overflow" in identity_badge(0.0, 1)


def test_delta_scatter_draws_each_class_and_the_identity_line():
    residual = np.array([0.4, -0.3, 0.2, -0.9])
    delta = np.array([0.1, -0.05, 0.04, -0.08])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    fig = delta_scatter(residual, delta, y, title="t", gap=0.82, style=STANDARD)
    line, c0, c1 = fig.data
    assert list(line.x) == list(line.y)                            # the identity
    assert line.x[0] <= -0.9 and line.x[1] >= 0.4
    np.testing.assert_array_equal(c0.x, [0.4, 0.2])
    np.testing.assert_array_equal(c0.y, [0.1, 0.04])
    np.testing.assert_array_equal(c1.customdata, [1, 3])
    assert c0.marker.color == CLASS_COLORS[0] and c1.marker.color == CLASS_COLORS[1]
    assert fig.layout.annotations[0].text == identity_badge(0.82)
    assert fig.layout.xaxis.range == fig.layout.yaxis.range


def test_delta_scatter_drops_non_finite_samples_and_says_so():
    residual = np.array([1.0, -1.0, 0.3])
    delta = np.array([np.inf, np.nan, 0.3])
    fig = delta_scatter(residual, delta, np.array([0.0, 1.0, 0.0]), title="t", gap=0.0, style=STANDARD)
    assert sum(len(t.x) for t in fig.data[1:]) == 1
    assert "2 samples overflow" in fig.layout.annotations[0].text
    assert not _clean(fig)


def test_delta_vs_z2_curves_and_samples():
    z = np.linspace(-10, 10, 201)
    curves = delta_curves(z)
    samples = {"ce-sigmoid": (np.array([1.0, -2.0, 50.0, 800.0]), np.array([0.7, -0.9, 1.0, np.inf]),
                              np.array([0.0, 1.0, 0.0, 0.0]))}
    fig = delta_vs_z2(z, curves, samples, LABELS, STANDARD)
    lines = [t for t in fig.data if t.mode == "lines"]
    assert len(lines) == 6                                       # 3 pairings × 2 classes
    mis = [t for t in lines if t.line.color == PAIRING_COLORS["mse-sigmoid"]]
    for t in mis:                                                 # δ → 0 at both ends
        assert abs(t.y[0]) < 1e-3 and abs(t.y[-1]) < 1e-3
    dots = [t for t in fig.data if t.mode == "markers"]
    assert [len(t.x) for t in dots] == [1, 1]                     # class 0: z=1 only (50 beyond range, 800 inf)
    assert dots[0].x[0] == 1.0 and dots[1].x[0] == -2.0
    assert fig.layout.yaxis.range == (-1.15, 1.15)
    # the wrong side is shaded: z2 > 0 for class 0, z2 < 0 for class 1
    assert [(s.x0, s.x1) for s in fig.layout.shapes] == [(0.0, 10.0), (-10.0, 0.0)]
    assert not _clean(fig)


def test_output_grad_bars_hold_dw2_and_db2():
    grads = {"mse-linear": (np.array([[0.1, -0.2, 0.3]]), np.array([[0.05]])),
             "ce-sigmoid": (np.array([[0.01, 0.02, -0.03]]), np.array([[-0.5]]))}
    fig = output_grad_bars(grads, LABELS, STANDARD)
    bars = [t for t in fig.data if t.type == "bar"]
    np.testing.assert_array_equal(bars[0].y, [0.1, -0.2, 0.3])
    assert list(bars[0].x) == ["1", "2", "3"]
    np.testing.assert_array_equal(bars[1].y, [0.05])
    np.testing.assert_array_equal(bars[3].y, [-0.5])
    assert bars[2].marker.color == PAIRING_COLORS["ce-sigmoid"]
    assert fig.layout.barmode == "group"


def test_mean_dz2_history_is_a_log_chart_of_the_column():
    series = {"mse-linear": {"step": np.arange(4.0), "mean_abs_dZ2": np.array([0.5, 0.4, 0.3, 0.25])}}
    fig = mean_dz2_history(series, LABELS, STANDARD)
    np.testing.assert_allclose(fig.data[0].y, [0.5, 0.4, 0.3, 0.25], rtol=1e-6)
    assert fig.layout.yaxis.type == "log"


def test_sample_picker_carries_indices_and_rings_the_selection():
    X = np.array([[0.1, 0.2, 0.3, 0.4], [1.0, 1.1, 1.2, 1.3]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    fig = sample_picker(X, Y, 2, box=2.0, style=STANDARD)
    c0, c1, ring = fig.data
    np.testing.assert_array_equal(c0.customdata, [0, 3])
    np.testing.assert_array_equal(c1.x, [0.2, 0.3])
    assert ring.x == (0.3,) and ring.y == (1.2,) and ring.customdata == (2,)
    assert c0.customdata.dtype == np.int32                        # plotly.js reads no int64
    assert list(fig.layout.xaxis.range) == [-2.0, 2.0]
    assert len(sample_picker(X, Y, 9, box=2.0, style=STANDARD).data) == 2
