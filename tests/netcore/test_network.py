"""Forward and backward against finite differences and the seed worked by hand."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netcore import (
    HIDDEN,
    PAIRINGS,
    Params,
    backward,
    forward,
    gradient_check,
    init_params,
    numerical_grads,
    train_step,
)


def _problem(seed, m, n, scale=1.0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(2, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    p = init_params(n, rng, scale=scale)
    p = Params(p.W1, rng.normal(0, 0.5, (n, 1)), p.W2, rng.normal(0, 0.5, (1, 1)))
    return p, X, Y


def test_shapes_follow_the_seed():
    p, X, Y = _problem(0, 7, 3)
    c = forward(p, X, "ce-sigmoid")
    assert (c.Z1.shape, c.A1.shape, c.Z2.shape, c.A2.shape) == ((3, 7), (3, 7), (1, 7), (1, 7))
    g = backward(p, X, Y, c, "ce-sigmoid")
    assert g.dZ2.shape == (1, 7) and g.dZ1.shape == (3, 7)
    assert (g.dW1.shape, g.db1.shape, g.dW2.shape, g.db2.shape) == ((3, 2), (3, 1), (1, 3), (1, 1))


def test_seed_equations_by_hand_one_unit_one_sample():
    # n = 1, m = 1, MSE + linear: every number can be checked with a pencil.
    p = Params(W1=np.array([[1.0, -1.0]]), b1=np.array([[0.0]]), W2=np.array([[2.0]]), b2=np.array([[0.5]]))
    X, Y = np.array([[1.0], [1.0]]), np.array([[1.0]])
    c = forward(p, X, "mse-linear")
    assert c.Z1[0, 0] == 0.0 and c.A1[0, 0] == 0.5            # sigma(0) = 1/2
    assert c.Z2[0, 0] == 1.5 and c.A2[0, 0] == 1.5            # 2 * 1/2 + 0.5, linear output
    g = backward(p, X, Y, c, "mse-linear")
    assert g.dZ2[0, 0] == 0.5                                  # y_hat - y
    assert g.dW2[0, 0] == 0.25                                 # dZ2 A1^T
    assert g.db2[0, 0] == 0.5
    assert g.dZ1[0, 0] == 0.25                                 # W2^T dZ2 * sigma'(0) = 2 * .5 * .25
    np.testing.assert_array_equal(g.dW1, [[0.25, 0.25]])       # dZ1 X^T
    assert g.db1[0, 0] == 0.25
    new = train_step(p, X, Y, "mse-linear", lr=0.1)
    np.testing.assert_allclose(new.W2, [[2.0 - 0.025]])
    np.testing.assert_allclose(new.W1, [[0.975, -1.025]])


@pytest.mark.parametrize("pairing", list(PAIRINGS))
@pytest.mark.parametrize("hidden", list(HIDDEN))
def test_backward_matches_finite_differences(pairing, hidden):
    p, X, Y = _problem(1, 30, 5)
    errors = gradient_check(p, X, Y, pairing, hidden=hidden)
    assert set(errors) == {"W1", "b1", "W2", "b2"}
    assert max(errors.values()) < 1e-6, errors


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(1, 40), n=st.integers(1, 12),
       pairing=st.sampled_from(list(PAIRINGS)), hidden=st.sampled_from(["sigmoid", "tanh"]))
def test_backward_matches_finite_differences_on_random_shapes(seed, m, n, pairing, hidden):
    p, X, Y = _problem(seed, m, n)
    c = forward(p, X, pairing, hidden)
    g = backward(p, X, Y, c, pairing, hidden)
    num = numerical_grads(p, X, Y, pairing, hidden=hidden)
    for name in ("W1", "b1", "W2", "b2"):
        an = getattr(g, "d" + name)
        # absolute floor: blocks whose gradient is ~0 have only rounding noise to compare
        assert np.linalg.norm(num[name] - an) <= 1e-6 * (np.linalg.norm(num[name]) + np.linalg.norm(an)) + 1e-9


def test_relu_gradient_checks_away_from_kinks():
    p, X, Y = _problem(4, 25, 6)
    assert max(gradient_check(p, X, Y, "ce-sigmoid", hidden="relu").values()) < 1e-6


def test_train_step_is_pure():
    p, X, Y = _problem(2, 20, 4)
    before = [a.copy() for a in p.arrays()]
    new = train_step(p, X, Y, "ce-sigmoid", 0.5)
    for a, b in zip(p.arrays(), before):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(new.W1, p.W1)


@pytest.mark.parametrize("pairing", list(PAIRINGS))
def test_saturated_network_gives_finite_loss_and_gradients(pairing):
    # weights so large that |Z2| reaches about 1e3
    p, X, Y = _problem(5, 40, 4, scale=1500.0)
    c = forward(p, X, pairing)
    assert np.abs(c.Z2).max() > 500
    loss = PAIRINGS[pairing].loss(c.A2, Y, c.Z2)
    g = backward(p, X, Y, c, pairing)
    assert np.isfinite(loss)
    for a in (g.dZ2, g.dW1, g.db1, g.dW2, g.db2):
        assert np.isfinite(a).all()


def test_init_params_scale_and_determinism():
    a = init_params(64, np.random.default_rng(9))
    b = init_params(64, np.random.default_rng(9))
    np.testing.assert_array_equal(a.W1, b.W1)
    assert np.all(a.b1 == 0) and np.all(a.b2 == 0)
    assert a.W1.std() == pytest.approx(1 / np.sqrt(2), rel=0.2)
    assert a.W2.std() == pytest.approx(1 / 8, rel=0.3)
    with pytest.raises(ValueError):
        init_params(0, np.random.default_rng(0))
