"""Hidden-layer activations as a table of ``(function, derivative)`` pairs.

Each entry follows the seed: the forward rule and its local derivative sit
next to each other, and the derivative is written in terms of what the forward
pass already computed (``Z`` and ``A = g(Z)``), so backprop never recomputes
an exponential.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def sigmoid(Z: np.ndarray) -> np.ndarray:
    r"""Logistic sigmoid, :math:`\sigma(z) = 1 / (1 + e^{-z})`, element-wise.

    Exact and silent for every finite input. For ``z < -709`` the term
    ``exp(-z)`` overflows to ``inf`` and ``1 / inf`` is ``0.0``, which is the
    correctly rounded float64 value of ``sigma(z)`` there; the overflow is
    therefore expected and its warning is suppressed. This costs one ``exp``,
    roughly half of ``0.5 * (1 + tanh(z / 2))``.

    Parameters
    ----------
    Z : ndarray of any shape, float64.

    Returns
    -------
    A : ndarray, same shape as ``Z``, values in ``[0, 1]``.
    """
    A = np.negative(Z)
    with np.errstate(over="ignore"):
        np.exp(A, out=A)
    A += 1.0
    return np.reciprocal(A, out=A)


def sigmoid_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    r""":math:`\sigma'(z) = \sigma(z)(1 - \sigma(z))`, from ``A = sigma(Z)``."""
    return A * (1.0 - A)


def tanh(Z: np.ndarray) -> np.ndarray:
    r""":math:`\tanh(z)`, element-wise; NumPy's is already stable."""
    return np.tanh(Z)


def tanh_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    r""":math:`\tanh'(z) = 1 - \tanh^2(z)`, from ``A = tanh(Z)``."""
    return 1.0 - A * A


def relu(Z: np.ndarray) -> np.ndarray:
    r""":math:`\max(0, z)`, element-wise."""
    return np.maximum(Z, 0.0)


def relu_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    r""":math:`\mathbb{1}[z > 0]` (the sub-gradient 0 is taken at ``z = 0``)."""
    return (Z > 0.0).astype(Z.dtype)


@dataclass(frozen=True)
class Activation:
    """A hidden activation: its forward rule ``fn(Z)`` and local derivative ``der(Z, A)``."""

    name: str
    label: str
    fn: Callable[[np.ndarray], np.ndarray]
    der: Callable[[np.ndarray, np.ndarray], np.ndarray]
    latex: str

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


HIDDEN: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", "sigmoid (as in the seed)", sigmoid, sigmoid_prime,
                          r"\sigma(z) = \frac{1}{1 + e^{-z}}"),
    "tanh": Activation("tanh", "tanh", tanh, tanh_prime, r"\tanh(z)"),
    "relu": Activation("relu", "ReLU", relu, relu_prime, r"\max(0, z)"),
}
