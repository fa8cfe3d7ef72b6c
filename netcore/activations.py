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
    therefore expected and its warning is suppressed. One ``exp`` per entry,
    worked in place on one array.

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
    """A hidden activation: its forward rule ``fn(Z)``, its local derivative ``der(Z, A)``, and how pages write them.

    Attributes
    ----------
    name : registry key; ``label`` is what the sidebar shows.
    fn, der : ``Z (n, m) -> A (n, m)`` and ``(Z, A) -> g'(Z) (n, m)``.
    symbol : plain-text symbol (``"σ"``); ``symbol_latex`` the same in LaTeX.
    latex : the definition, ``g(z) = ...``.
    der_latex : ``g'(Z^{[1]})`` as the backward pass writes it, element-wise over ``Z1``.
    bounds : the range of ``A``, ``None`` when it is unbounded above.
    smooth : False when ``g`` has a kink, where central differences can disagree with backprop.
    """

    name: str
    label: str
    fn: Callable[[np.ndarray], np.ndarray]
    der: Callable[[np.ndarray, np.ndarray], np.ndarray]
    symbol: str
    symbol_latex: str
    latex: str
    der_latex: str
    bounds: tuple[float, float] | None
    smooth: bool = True

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"

    def __deepcopy__(self, memo: dict) -> Activation:
        """Itself: an entry of :data:`HIDDEN`, frozen and shared by every copy of a run."""
        return self


SEED_HIDDEN = "sigmoid"
"""The seed's hidden activation."""

HIDDEN: dict[str, Activation] = {
    SEED_HIDDEN: Activation(
        SEED_HIDDEN, "sigmoid (as in the seed)", sigmoid, sigmoid_prime, "σ", r"\sigma",
        r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma(Z^{[1]})\,(1-\sigma(Z^{[1]}))", (0.0, 1.0)),
    "tanh": Activation(
        "tanh", "tanh", tanh, tanh_prime, "tanh", r"\tanh", r"\tanh(z)", r"(1-\tanh^2 Z^{[1]})", (-1.0, 1.0)),
    "relu": Activation(
        "relu", "ReLU", relu, relu_prime, "ReLU", r"\mathrm{relu}", r"\max(0, z)", r"\mathbf{1}[Z^{[1]}>0]", None,
        smooth=False),
}
