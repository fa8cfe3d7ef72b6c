"""Finite-difference check of ``backward``: the sceptical student's oracle."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from netcore.activations import SEED_HIDDEN
from netcore.network import Params, backward, forward
from netcore.pairings import PAIRINGS, Pairing

BLOCKS = ("W1", "b1", "W2", "b2")


def _loss(params: Params, X: np.ndarray, Y: np.ndarray, pairing: Pairing, hidden: str) -> float:
    c = forward(params, X, pairing, hidden)
    return pairing.loss(c.A2, Y, c.Z2)


def numerical_grads(params: Params, X: np.ndarray, Y: np.ndarray, pairing: Pairing | str,
                    eps: float = 1e-6, hidden: str = SEED_HIDDEN) -> dict[str, np.ndarray]:
    r"""Central differences :math:`(L(\theta+\epsilon) - L(\theta-\epsilon)) / 2\epsilon`, entry by entry."""
    pairing = PAIRINGS[pairing] if isinstance(pairing, str) else pairing
    out = {}
    for name in BLOCKS:
        base = getattr(params, name)
        grad = np.zeros_like(base)
        for idx in np.ndindex(base.shape):
            values = []
            for sign in (1.0, -1.0):
                shifted = base.copy()
                shifted[idx] += sign * eps
                values.append(_loss(replace(params, **{name: shifted}), X, Y, pairing, hidden))
            grad[idx] = (values[0] - values[1]) / (2 * eps)
        out[name] = grad
    return out


def gradient_check(params: Params, X: np.ndarray, Y: np.ndarray, pairing: Pairing | str,
                   eps: float = 1e-6, hidden: str = SEED_HIDDEN) -> dict[str, float]:
    r"""Relative error between ``backward`` and central differences, per block.

    :math:`\lVert g_{num} - g_{an}\rVert / \max(\lVert g_{num}\rVert + \lVert g_{an}\rVert, 10^{-12})`
    for each of ``W1, b1, W2, b2``. Below about 1e-7 the analytic gradient is right.
    """
    pairing = PAIRINGS[pairing] if isinstance(pairing, str) else pairing
    cache = forward(params, X, pairing, hidden)
    grads = backward(params, X, Y, cache, pairing, hidden)
    numeric = numerical_grads(params, X, Y, pairing, eps, hidden)
    errors = {}
    for name in BLOCKS:
        analytic = getattr(grads, "d" + name)
        diff = np.linalg.norm(numeric[name] - analytic)
        scale = max(np.linalg.norm(numeric[name]) + np.linalg.norm(analytic), 1e-12)
        errors[name] = float(diff / scale)
    return errors
