"""scikit-learn's MLP, trained full-batch from the same weights, is an independent oracle.

With ``solver='sgd'``, ``momentum=0``, ``alpha=0``, ``batch_size=m`` and no
shuffling, ``partial_fit`` is exactly one step of plain gradient descent on
the same loss (sklearn's squared loss is the seed's half-MSE).
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from netcore import init_params, make_dataset, train_step

STEPS = 200


def _oracle(kind, params, X, Y, lr):
    common = dict(hidden_layer_sizes=(params.width,), activation="logistic", solver="sgd", momentum=0.0,
                  alpha=0.0, batch_size=X.shape[1], shuffle=False, learning_rate="constant",
                  learning_rate_init=lr)
    est = MLPRegressor(**common) if kind == "mse-linear" else MLPClassifier(**common)
    Xs, ys = X.T, Y.ravel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if kind == "mse-linear":
            est.partial_fit(Xs, ys)
        else:
            est.partial_fit(Xs, ys, classes=[0.0, 1.0])
    est.coefs_ = [params.W1.T.copy(), params.W2.T.copy()]
    est.intercepts_ = [params.b1.ravel().copy(), params.b2.ravel().copy()]
    return est, Xs, ys


@pytest.mark.parametrize("pairing", ["mse-linear", "ce-sigmoid"])
@pytest.mark.parametrize("dataset,width", [("xor", 4), ("moons", 8)])
def test_netcore_reproduces_sklearn_after_200_steps(pairing, dataset, width):
    data = make_dataset(dataset, 120, 0.2, np.random.default_rng(0))
    params = init_params(width, np.random.default_rng(1))
    lr = 0.5
    est, Xs, ys = _oracle(pairing, params, data.X, data.Y, lr)
    for _ in range(STEPS):
        est.partial_fit(Xs, ys)
        params = train_step(params, data.X, data.Y, pairing, lr)
    np.testing.assert_allclose(params.W1, est.coefs_[0].T, rtol=0, atol=1e-10)
    np.testing.assert_allclose(params.W2, est.coefs_[1].T, rtol=0, atol=1e-10)
    np.testing.assert_allclose(params.b1.ravel(), est.intercepts_[0], rtol=0, atol=1e-10)
    np.testing.assert_allclose(params.b2.ravel(), est.intercepts_[1], rtol=0, atol=1e-10)
    # the weights really moved, so the comparison is not between two starting points
    assert np.abs(params.W1 - init_params(width, np.random.default_rng(1)).W1).max() > 0.05
