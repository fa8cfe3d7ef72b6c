r"""The seed's network: 2 inputs, one hidden layer of ``n`` units, one output.

Samples are columns. One function per equation of the seed::

    Z1 = W1 X + b1      (n, m) = (n, 2)(2, m) + (n, 1)
    A1 = g(Z1)          (n, m)          g: hidden activation, sigmoid in the seed
    Z2 = W2 A1 + b2     (1, m) = (1, n)(n, m) + (1, 1)
    A2 = out(Z2)        (1, m)          out: the pairing's output activation

    dZ2 = dL/dZ2 per sample                     (1, m)
    dW2 = 1/m dZ2 A1^T                          (1, n)
    db2 = 1/m sum(dZ2, axis=1)                  (1, 1)
    dZ1 = W2^T dZ2 * g'(Z1)                     (n, m)
    dW1 = 1/m dZ1 X^T                           (n, 2)
    db1 = 1/m sum(dZ1, axis=1)                  (n, 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netcore.activations import HIDDEN, SEED_HIDDEN, Activation
from netcore.pairings import PAIRINGS, Pairing

Array = np.ndarray


@dataclass(eq=False, slots=True)
class Params:
    """Weights and biases: ``W1 (n, 2)``, ``b1 (n, 1)``, ``W2 (1, n)``, ``b2 (1, 1)``."""

    W1: Array
    b1: Array
    W2: Array
    b2: Array

    @property
    def width(self) -> int:
        """``n``, the number of hidden units."""
        return self.W1.shape[0]

    def arrays(self) -> tuple[Array, Array, Array, Array]:
        """``(W1, b1, W2, b2)`` in the seed's order."""
        return self.W1, self.b1, self.W2, self.b2

    def copy(self) -> Params:
        return Params(self.W1.copy(), self.b1.copy(), self.W2.copy(), self.b2.copy())

    @staticmethod
    def stack(sets: list[Params]) -> Params:
        """Several parameter sets as one, each array with a new leading axis (``forward`` broadcasts over it)."""
        return Params(*(np.stack(arrays) for arrays in zip(*(p.arrays() for p in sets))))

    def is_finite(self) -> bool:
        return all(np.isfinite(a).all() for a in self.arrays())

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays())

    def __repr__(self) -> str:
        return f"Params(n={self.width}, |W1|={np.linalg.norm(self.W1):.3g}, |W2|={np.linalg.norm(self.W2):.3g})"


@dataclass(eq=False, slots=True)
class Cache:
    """What the forward pass keeps for backprop: ``Z1, A1 (n, m)``, ``Z2, A2 (1, m)``."""

    Z1: Array
    A1: Array
    Z2: Array
    A2: Array


@dataclass(eq=False, slots=True)
class Grads:
    """Gradients of the mean loss: ``dZ2 (1, m)``, ``dZ1 (n, m)`` per sample, and
    ``dW2 (1, n)``, ``db2 (1, 1)``, ``dW1 (n, 2)``, ``db1 (n, 1)`` with the ``1/m``."""

    dZ2: Array
    dW2: Array
    db2: Array
    dZ1: Array
    dW1: Array
    db1: Array


def init_params(width: int, rng: np.random.Generator, scale: float = 1.0) -> Params:
    r"""Small random weights and zero biases.

    ``W1 ~ N(0, scale^2 / 2)`` and ``W2 ~ N(0, scale^2 / n)``: LeCun's
    :math:`1/\sqrt{\text{fan-in}}`. With inputs of order 1 this keeps every
    pre-activation of order 1 at the start, where the sigmoid is steep (not
    saturated) yet not so flat at 0 that the units learn alike. ``scale``
    enlarges them on purpose, e.g. for the saturation scene.

    Parameters
    ----------
    width : int, ``n >= 1``.
    rng : numpy.random.Generator; the only source of randomness.
    scale : float, multiplies both standard deviations.
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    W1 = rng.normal(0.0, scale / np.sqrt(2.0), size=(width, 2))
    W2 = rng.normal(0.0, scale / np.sqrt(width), size=(1, width))
    return Params(W1=W1, b1=np.zeros((width, 1)), W2=W2, b2=np.zeros((1, 1)))


def _pairing(pairing: Pairing | str) -> Pairing:
    return PAIRINGS[pairing] if isinstance(pairing, str) else pairing


def _hidden(hidden: Activation | str) -> Activation:
    return HIDDEN[hidden] if isinstance(hidden, str) else hidden


def forward(params: Params, X: Array, pairing: Pairing | str, hidden: Activation | str = SEED_HIDDEN) -> Cache:
    """Forward pass, ``X (2, m)`` to :class:`Cache` (``Z1, A1 (n, m)``, ``Z2, A2 (1, m)``)."""
    g = _hidden(hidden)
    Z1 = params.W1 @ X + params.b1
    A1 = g.fn(Z1)
    Z2 = params.W2 @ A1 + params.b2
    A2 = _pairing(pairing).output(Z2)
    return Cache(Z1, A1, Z2, A2)


def backward(params: Params, X: Array, Y: Array, cache: Cache, pairing: Pairing | str,
             hidden: Activation | str = SEED_HIDDEN) -> Grads:
    """Backward pass, exactly the seed's equations (see the module docstring).

    ``X (2, m)``, ``Y (1, m)`` with labels in {0, 1}. ``dZ2`` comes from
    ``Pairing.training_delta``: ``A2 - Y`` for the canonical pairings, the
    product of the two chain-rule factors otherwise.
    """
    g = _hidden(hidden)
    inv_m = 1.0 / X.shape[1]
    dZ2 = _pairing(pairing).training_delta(cache.Z2, cache.A2, Y)
    dW2 = (dZ2 @ cache.A1.T) * inv_m
    db2 = dZ2.sum(axis=1, keepdims=True) * inv_m
    # W2^T dZ2 has an inner dimension of 1: an outer product, which broadcasting
    # computes with the same single multiply per entry, without a matmul call.
    dZ1 = (params.W2.T * dZ2) * g.der(cache.Z1, cache.A1)
    dW1 = (dZ1 @ X.T) * inv_m
    db1 = dZ1.sum(axis=1, keepdims=True) * inv_m
    return Grads(dZ2, dW2, db2, dZ1, dW1, db1)


def apply_update(params: Params, grads: Grads, lr: float) -> Params:
    """Gradient descent, ``theta - lr * dtheta`` for each block; returns new arrays."""
    return Params(
        W1=params.W1 - lr * grads.dW1,
        b1=params.b1 - lr * grads.db1,
        W2=params.W2 - lr * grads.dW2,
        b2=params.b2 - lr * grads.db2,
    )


def train_step(params: Params, X: Array, Y: Array, pairing: Pairing | str, lr: float,
               hidden: Activation | str = SEED_HIDDEN) -> Params:
    """One full-batch gradient-descent step. Pure: ``params`` is not modified."""
    cache = forward(params, X, pairing, hidden)
    return apply_update(params, backward(params, X, Y, cache, pairing, hidden), lr)


def predict(params: Params, X: Array, pairing: Pairing | str, hidden: Activation | str = SEED_HIDDEN) -> Array:
    """``A2 (1, m)`` for inputs ``X (2, m)``: the forward pass without the cache."""
    return forward(params, X, pairing, hidden).A2
