"""Cross-entropy's first factor at saturation: inf only where it truly overflows, never 0 · inf = nan."""

import numpy as np
import pytest

from netcore import PAIRINGS, sigmoid

CE = PAIRINGS["ce-sigmoid"]


@pytest.mark.parametrize("z,y,expected", [
    (800.0, 1.0, -1.0),          # confidently right: -1/ŷ with ŷ = 1
    (-800.0, 0.0, 1.0),          # confidently right: 1/(1-ŷ) with ŷ = 0
    (800.0, 0.0, np.inf),        # confidently wrong: 1 + e^800 overflows, truly
    (-800.0, 1.0, -np.inf),
    (3.0, 1.0, -(1 + np.exp(-3.0))),
])
def test_dloss_dout_from_the_logit(z, y, expected):
    Z2, Y = np.array([[z]]), np.array([[y]])
    got = CE.dloss_dout(sigmoid(Z2), Y, Z2)[0, 0]
    assert got == pytest.approx(expected, rel=1e-15)


def test_dloss_dout_from_the_output_alone_keeps_right_samples_finite():
    A2, Y = np.array([[1.0, 0.0, 0.25]]), np.array([[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(CE.dloss_dout(A2, Y)[0], [-1.0, 1.0, 1 / 0.75], rtol=1e-15)


def test_soft_labels_still_use_both_terms():
    Z2, Y = np.array([[0.3]]), np.array([[0.25]])
    A2 = sigmoid(Z2)
    expected = -0.25 / A2[0, 0] + 0.75 / (1 - A2[0, 0])
    assert CE.dloss_dout(A2, Y, Z2)[0, 0] == pytest.approx(expected, rel=1e-12)


def test_delta_of_a_confidently_right_sample_is_finite():
    Z2, Y = np.array([[800.0, -800.0]]), np.array([[1.0, 0.0]])
    d = CE.delta(Z2, sigmoid(Z2), Y)
    assert np.isfinite(d).all() and np.abs(d).max() == 0.0
