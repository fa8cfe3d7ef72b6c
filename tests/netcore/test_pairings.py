"""The pairings: the chain-rule factors, their product, and the A2 - Y shortcut."""

import numpy as np
import pytest

from netcore import PAIRINGS, sigmoid
from netcore.pairings import binary_cross_entropy, half_mse


@pytest.fixture
def batch():
    rng = np.random.default_rng(3)
    Z2 = rng.normal(0, 3, size=(1, 50))
    Y = (rng.random((1, 50)) > 0.5).astype(float)
    return Z2, Y


@pytest.mark.parametrize("name", ["mse-linear", "ce-sigmoid"])
def test_canonical_delta_equals_yhat_minus_y(batch, name):
    Z2, Y = batch
    p = PAIRINGS[name]
    A2 = p.output(Z2)
    delta = p.delta(Z2, A2, Y)
    np.testing.assert_allclose(delta, A2 - Y, rtol=1e-12, atol=1e-15)
    # and the shortcut the training path takes is the same number
    np.testing.assert_allclose(p.training_delta(Z2, A2, Y), delta, rtol=1e-12, atol=1e-15)


def test_mismatched_delta_carries_the_sigmoid_slope(batch):
    Z2, Y = batch
    p = PAIRINGS["mse-sigmoid"]
    A2 = p.output(Z2)
    delta = p.delta(Z2, A2, Y)
    np.testing.assert_allclose(delta, (A2 - Y) * A2 * (1 - A2), rtol=1e-10, atol=1e-300)
    assert np.max(np.abs(delta - (A2 - Y))) > 0.1  # it really leaves the identity line
    np.testing.assert_array_equal(p.training_delta(Z2, A2, Y), delta)


def test_factors_worked_by_hand():
    # z2 = 0, y = 1 under CE + sigmoid: y_hat = 1/2, dL/dy_hat = -1/y_hat = -2,
    # dy_hat/dz = 1/4, product -1/2 = y_hat - y.
    p = PAIRINGS["ce-sigmoid"]
    Z2, Y = np.array([[0.0]]), np.array([[1.0]])
    A2 = p.output(Z2)
    assert A2[0, 0] == 0.5
    assert p.dloss_dout(A2, Y, Z2)[0, 0] == pytest.approx(-2.0)
    assert p.dout_dz(Z2, A2)[0, 0] == pytest.approx(0.25)
    assert p.delta(Z2, A2, Y)[0, 0] == pytest.approx(-0.5)
    # z2 = ln 3, y = 0: y_hat = 3/4, dL/dy_hat = 1/(1 - y_hat) = 4, slope 3/16, product 3/4.
    Z2, Y = np.array([[np.log(3.0)]]), np.array([[0.0]])
    A2 = p.output(Z2)
    assert A2[0, 0] == pytest.approx(0.75)
    assert p.dloss_dout(A2, Y, Z2)[0, 0] == pytest.approx(4.0)
    assert p.dout_dz(Z2, A2)[0, 0] == pytest.approx(3 / 16)
    # mismatched at the same point: (3/4)(3/16) = 9/64, not 3/4
    assert PAIRINGS["mse-sigmoid"].delta(Z2, A2, Y)[0, 0] == pytest.approx(9 / 64)


def test_seed_losses_by_hand():
    A2, Y = np.array([[0.5, 2.0]]), np.array([[1.0, 0.0]])
    assert half_mse(A2, Y) == pytest.approx((0.25 + 4.0) / 4)
    P = np.array([[0.9, 0.2]])
    expected = -(np.log(0.9) + np.log(0.8)) / 2
    assert binary_cross_entropy(P, Y) == pytest.approx(expected)
    Z = np.log(P / (1 - P))
    assert binary_cross_entropy(P, Y, Z) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("z", [-1000.0, -745.0, -40.0, 40.0, 709.0, 1000.0])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_saturated_cross_entropy_is_finite_and_exact(z, y):
    Z2, Y = np.array([[z]]), np.array([[y]])
    A2 = sigmoid(Z2)
    loss = binary_cross_entropy(A2, Y, Z2)
    # the loss of a logit z is softplus(z) - y z; for |z| >= 40 that is |z| or ~0
    wrong = (z > 0) != (y == 1)
    assert np.isfinite(loss)
    assert loss == pytest.approx(abs(z) if wrong else np.exp(-abs(z)), rel=1e-12, abs=1e-300)
    d = PAIRINGS["ce-sigmoid"].training_delta(Z2, A2, Y)
    assert np.isfinite(d).all() and abs(d[0, 0]) <= 1.0


@pytest.mark.parametrize("m", [1, 7, 160, 1000])
@pytest.mark.parametrize("name", list(PAIRINGS))
def test_stacked_sets_get_exactly_their_own_losses(name, m):
    """Run.step scores many parameter sets in one call: each set's loss must not depend on its neighbours."""
    rng = np.random.default_rng(m)
    Y = (rng.random((1, m)) < 0.5).astype(float)
    Z2 = rng.normal(0.0, 3.0, size=(64, 1, m))
    pairing = PAIRINGS[name]
    A2 = pairing.output(Z2)
    alone = [pairing.loss(A2[i], Y, Z2[i]) for i in range(64)]
    assert all(isinstance(v, float) for v in alone)
    for k in (1, 5, 64):
        np.testing.assert_array_equal(pairing.loss(A2[:k], Y, Z2[:k]), alone[:k])
        np.testing.assert_array_equal(pairing.loss(A2[:k], Y), [pairing.loss(A2[i], Y) for i in range(k)])


def test_sigmoid_is_exact_and_silent():
    z = np.array([-1000.0, -745.5, -709.0, -30.0, 0.0, 30.0, 709.0, 1000.0])
    s = sigmoid(z)   # warnings are errors in this suite, so an overflow warning fails here
    ref = np.array([0.0, 0.0, np.exp(-709.0), np.exp(-30.0) / (1 + np.exp(-30.0)), 0.5,
                    1 / (1 + np.exp(-30.0)), 1.0, 1.0])
    np.testing.assert_allclose(s, ref, rtol=1e-15, atol=0)
    assert np.all((s >= 0) & (s <= 1))


def test_registry_names_and_labels():
    assert list(PAIRINGS) == ["mse-linear", "ce-sigmoid", "mse-sigmoid"]
    assert [p.canonical for p in PAIRINGS.values()] == [True, True, False]
    assert PAIRINGS["ce-sigmoid"].label == "CE + sigmoid"
    assert repr(PAIRINGS["mse-linear"]) == "Pairing('mse-linear')"
