"""Time one full-batch gradient-descent step of netcore against two baselines.

Prints, for each (m, n): netcore's ``train_step``, scikit-learn's full-batch
``partial_fit`` step, and a hand-written NumPy step that works in place in
preallocated buffers (the fastest a NumPy step can be), with the ratios.
Every figure is the best of several repeats, measured in this one run.

Goals: at least 5x faster than scikit-learn at every size, and within 1.5x
of the in-place step.

Run: ``.venv/bin/python bench/core_speed.py``
"""

from __future__ import annotations

import sys
import timeit
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netcore import CE_SIGMOID, init_params, make_dataset, train_step  # noqa: E402

SIZES = ((200, 4), (400, 8), (1000, 32))
LR = 0.3


def best_time(fn, number: int, repeat: int = 7) -> float:
    """Seconds per call, the minimum over ``repeat`` batches of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def inplace_stepper(params, X, Y, lr):
    """A CE + sigmoid step written for speed: preallocated buffers, no objects."""
    W1, b1, W2, b2 = (a.copy() for a in params.arrays())
    n, m = W1.shape[0], X.shape[1]
    Z1 = np.empty((n, m))
    Z2 = np.empty((1, m))
    dZ1 = np.empty((n, m))
    XT = np.ascontiguousarray(X.T)

    def sigmoid_layer(W, A_in, b, out):
        """``out = sigmoid(W A_in + b)``, in place."""
        np.matmul(W, A_in, out=out)
        np.add(out, b, out=out)
        np.negative(out, out=out)
        np.exp(out, out=out)
        np.add(out, 1.0, out=out)
        np.reciprocal(out, out=out)

    def step():
        sigmoid_layer(W1, X, b1, Z1)       # Z1 now holds A1
        sigmoid_layer(W2, Z1, b2, Z2)      # Z2 now holds A2
        np.subtract(Z2, Y, out=Z2)         # dZ2 = A2 - Y
        np.multiply(W2.T, Z2, out=dZ1)
        np.multiply(dZ1, Z1, out=dZ1)
        np.multiply(dZ1, 1.0 - Z1, out=dZ1)
        np.subtract(W2, (lr / m) * (Z2 @ Z1.T), out=W2)
        np.subtract(b2, (lr / m) * Z2.sum(), out=b2)
        np.subtract(W1, (lr / m) * (dZ1 @ XT), out=W1)
        np.subtract(b1, (lr / m) * dZ1.sum(axis=1, keepdims=True), out=b1)

    return step


def sklearn_stepper(params, X, Y, lr):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    m = X.shape[1]
    clf = MLPClassifier(hidden_layer_sizes=(params.width,), activation="logistic", solver="sgd",
                        momentum=0.0, alpha=0.0, batch_size=m, shuffle=False,
                        learning_rate="constant", learning_rate_init=lr)
    Xs, ys = X.T, Y.ravel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.partial_fit(Xs, ys, classes=[0.0, 1.0])
    clf.coefs_ = [params.W1.T.copy(), params.W2.T.copy()]
    clf.intercepts_ = [params.b1.ravel().copy(), params.b2.ravel().copy()]
    return lambda: clf.partial_fit(Xs, ys)


def main() -> None:
    print(f"numpy {np.__version__}; one CE + sigmoid full-batch step, best of 7 (microseconds)")
    header = (f"{'m':>5} {'n':>3} | {'netcore':>8} {'sklearn':>8} {'in-place':>8} | "
              f"{'sklearn/netcore':>15} {'netcore/in-place':>16}")
    print(header)
    print("-" * len(header))
    ok = True
    for m, n in SIZES:
        data = make_dataset("xor", m, 0.1, np.random.default_rng(0))
        params = init_params(n, np.random.default_rng(1))
        number = max(200, 200_000 // (m * n))
        t_core = best_time(lambda p=params, d=data: train_step(p, d.X, d.Y, CE_SIGMOID, LR), number)
        t_fast = best_time(inplace_stepper(params, data.X, data.Y, LR), number)
        t_skl = best_time(sklearn_stepper(params, data.X, data.Y, LR), max(50, number // 10))
        vs_skl, vs_fast = t_skl / t_core, t_core / t_fast
        ok &= vs_skl >= 5 and vs_fast <= 1.5
        print(f"{m:>5} {n:>3} | {t_core * 1e6:8.1f} {t_skl * 1e6:8.1f} {t_fast * 1e6:8.1f} | "
              f"{vs_skl:14.1f}x {vs_fast:15.2f}x")
    print("goals (>= 5x faster than sklearn, <= 1.5x the in-place step):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
