r"""Output pairings: an output activation together with a loss.

Each :class:`Pairing` carries the two chain-rule factors of the seed,

.. math::
    \frac{\partial L}{\partial z^{[2]}}
      = \underbrace{\frac{\partial L}{\partial \hat y}}_{\texttt{dloss\_dout}}
        \cdot
        \underbrace{\frac{\partial \hat y}{\partial z^{[2]}}}_{\texttt{dout\_dz}},

both per sample (shape ``(1, m)``) and without the ``1/m`` of the mean, which
``backward`` applies when it forms ``dW`` and ``db``. ``delta`` is their
product and is what every page shows: nothing on screen assumes ``A2 - Y``.

Training takes a shortcut. For the two *canonical* pairings the product
collapses to ``A2 - Y`` (see ``canonical``), and the training path uses that
difference directly, because the factored form divides by ``y_hat (1 - y_hat)``
for cross-entropy, which is 0/0 once the sigmoid saturates in float64.
``tests/netcore/test_pairings.py`` proves the shortcut equals the product.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from netcore.activations import sigmoid

Array = np.ndarray


def _identity(Z2: Array) -> Array:
    return Z2


def _ones_like(Z2: Array, A2: Array) -> Array:
    r"""Linear output: :math:`\partial \hat y / \partial z = 1`."""
    return np.ones_like(Z2)


def _sigmoid_slope(Z2: Array, A2: Array) -> Array:
    r"""Sigmoid output: :math:`\partial \hat y / \partial z = \sigma(z)\,\sigma(-z)`.

    Equal to ``A2 * (1 - A2)``, but written as ``sigma(z) * sigma(-z)`` so that
    it stays a true (tiny, non-zero) slope when ``A2`` has rounded to 1.0.
    """
    return sigmoid(Z2) * sigmoid(-Z2)


def _mean_per_set(per_sample: Array, scale: float = 1.0) -> float | Array:
    """Each set's sum over its samples (the last axis) divided by ``m / scale``, i.e. ``scale`` times its mean:
    a float for one set ``(1, m)``, an array ``(k,)`` for ``k`` stacked sets ``(k, 1, m)``.

    Each set's sum is its own reduction over its own row, the same whatever else is stacked with it, so a
    set's loss does not depend on how many were computed together."""
    means = np.sum(per_sample, axis=-1)[..., 0] / (per_sample.shape[-1] / scale)
    return float(means) if means.ndim == 0 else means


def half_mse(A2: Array, Y: Array, Z2: Array | None = None) -> float | Array:
    r"""The seed's loss, :math:`L = \frac{1}{2m} (A^{[2]} - Y)^T (A^{[2]} - Y)`.

    Parameters
    ----------
    A2, Y : ndarray (1, m); ``A2`` may be a stack ``(k, 1, m)`` of sets, then one loss per set.
    Z2 : unused; accepted so every loss has the same signature.
    """
    D = A2 - Y
    return _mean_per_set(D * D, 0.5)


def binary_cross_entropy(A2: Array, Y: Array, Z2: Array | None = None) -> float | Array:
    r"""Mean binary cross-entropy, :math:`L = -\frac1m\sum y\log\hat y + (1-y)\log(1-\hat y)`.

    With ``Z2`` (the training path always passes it) the loss is computed from
    the logit in the stable form
    :math:`y\,\mathrm{softplus}(-z) + (1-y)\,\mathrm{softplus}(z)` with
    :math:`\mathrm{softplus}(t) = \log(1 + e^{t}) = \max(t, 0) + \log(1 + e^{-|t|})` (``np.logaddexp(0, t)``),
    which is finite for every finite ``z`` however saturated the sigmoid is,
    and keeps full relative precision for tiny losses (no ``z - z``).
    Without ``Z2`` only ``A2`` is known, and ``A2`` is clipped to
    ``[1e-15, 1 - 1e-15]`` (scikit-learn's choice) before the logarithm.

    Parameters
    ----------
    A2, Y : ndarray (1, m); ``A2`` (and ``Z2``) may be a stack ``(k, 1, m)`` of sets, then one loss per set.
    Z2 : ndarray (1, m), optional
    """
    if Z2 is not None:
        per_sample = Y * np.logaddexp(0.0, -Z2)
        per_sample += (1.0 - Y) * np.logaddexp(0.0, Z2)
        return _mean_per_set(per_sample)
    P = np.clip(A2, 1e-15, 1 - 1e-15)
    return _mean_per_set(Y * np.log(P) + (1 - Y) * np.log1p(-P), -1.0)


def _dmse_dout(A2: Array, Y: Array, Z2: Array | None = None) -> Array:
    r""":math:`\partial L/\partial \hat y = \hat y - y` per sample (the half cancels the 2)."""
    return A2 - Y


def _dce_dout(A2: Array, Y: Array, Z2: Array | None = None) -> Array:
    r"""Cross-entropy's :math:`\partial L/\partial \hat y`, per sample.

    :math:`-\frac{y}{\hat y} + \frac{1-y}{1-\hat y} = \frac{\hat y - y}{\hat y(1-\hat y)}`.

    With ``Z2`` the reciprocals are taken from the logit,
    :math:`1/\hat y = 1 + e^{-z}` and :math:`1/(1-\hat y) = 1 + e^{z}`, so the
    factor stays exact where ``A2`` has rounded to 0 or 1. It can still be
    huge (it *is* huge for a confidently wrong sample); past ``|z| > 709`` it
    overflows to ``inf``, and that is the true size of the factor in float64.
    A term whose label weight is 0 is left out rather than multiplied: for a
    confidently *right* sample (``y = 1``, ``z > 709``) ``0 * inf`` would turn
    the finite factor ``-1`` into ``nan``.
    """
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if Z2 is not None:
            pos, neg = -Y * (1.0 + np.exp(-Z2)), (1.0 - Y) * (1.0 + np.exp(Z2))
        else:
            pos, neg = -Y / A2, (1.0 - Y) / (1.0 - A2)
        return np.where(Y == 0.0, 0.0, pos) + np.where(Y == 1.0, 0.0, neg)


@dataclass(frozen=True)
class Pairing:
    """An output activation with its loss, and the chain-rule factors that join them.

    The numbers (``output``, ``loss``, the two factors) and every text a page
    shows about the pairing (labels, formulas in LaTeX and in plain text) live
    here, side by side, so a formula on screen is always the one computed.

    Attributes
    ----------
    name : registry key.
    label : what the UI shows, e.g. ``"CE + sigmoid"``; ``short`` drops any qualifier.
    loss_name : the loss in words, for legends and exports (``"half-MSE"``).
    output : ``Z2 (1, m) -> A2 (1, m)``.
    output_symbol : the output activation's symbol (``"σ"``), empty for the identity.
    output_bounds : the range of ``A2``, ``None`` when it is unbounded (a linear output).
    loss : ``(A2, Y, Z2=None) -> float`` (one loss per set for stacked sets).
    dloss_dout : ``(A2, Y, Z2=None) -> (1, m)``, the per-sample ``dL/dy_hat`` without ``1/m``.
    dout_dz : ``(Z2, A2) -> (1, m)``, the output activation's slope.
    canonical : True when ``dloss_dout * dout_dz == A2 - Y`` identically.
    loss_latex, output_latex, delta_latex : the loss, the output rule and ``δ`` as LaTeX.
    dloss_dout_latex, dout_dz_latex : the two factors as LaTeX, in terms of ŷ and y.
    dloss_dout_text, dout_dz_text : the same factors as plain text (``"(ŷ − y)/(ŷ(1 − ŷ))"``).
    """

    name: str
    label: str
    short: str
    loss_name: str
    output: Callable[[Array], Array]
    output_symbol: str
    output_bounds: tuple[float, float] | None
    loss: Callable[..., float]
    dloss_dout: Callable[..., Array]
    dout_dz: Callable[[Array, Array], Array]
    canonical: bool
    loss_latex: str
    output_latex: str
    delta_latex: str
    dloss_dout_latex: str
    dout_dz_latex: str
    dloss_dout_text: str
    dout_dz_text: str

    def __deepcopy__(self, memo: dict) -> Pairing:
        """Itself: an entry of :data:`PAIRINGS`, frozen and shared by every copy of a run."""
        return self

    @property
    def linear_output(self) -> bool:
        """True when ``A2 = Z2``: the output is unbounded, so figures clip its colour range."""
        return self.output_bounds is None

    def output_of(self, argument: str) -> str:
        """The output rule applied to ``argument`` as plain text: ``σ(W2·A1 + b2)``, or the argument itself."""
        return f"{self.output_symbol}({argument})" if self.output_symbol else argument

    def delta(self, Z2: Array, A2: Array, Y: Array) -> Array:
        r"""Per-sample :math:`\partial L / \partial z^{[2]}`, the product of the two factors.

        Shapes ``(1, m)`` in and out. This is the chain rule itself, computed
        factor by factor; it is what the pages plot against ``A2 - Y``.
        """
        with np.errstate(invalid="ignore", over="ignore"):
            return self.dloss_dout(A2, Y, Z2) * self.dout_dz(Z2, A2)

    def training_delta(self, Z2: Array, A2: Array, Y: Array) -> Array:
        """The ``dZ2`` that ``backward`` uses.

        ``A2 - Y`` holds for exactly these (output, loss) pairs: identity output
        with half squared error, and sigmoid output with binary cross-entropy
        (the same pairs scikit-learn names in ``_backprop``). Every other
        pairing multiplies its factors. Tested in ``test_pairings.py``.
        """
        if self.canonical:
            return A2 - Y
        return self.dloss_dout(A2, Y, Z2) * self.dout_dz(Z2, A2)

    def __repr__(self) -> str:
        return f"Pairing({self.name!r})"


MSE_LINEAR, CE_SIGMOID, MSE_SIGMOID = "mse-linear", "ce-sigmoid", "mse-sigmoid"
"""The registry keys, for code that means one pairing in particular (the twins, the mismatched contrast)."""

_HALF_MSE_LATEX = r"L = \frac{1}{2m}\sum_i (\hat y_i - y_i)^2"
_SIGMOID_SLOPE = dict(dout_dz=_sigmoid_slope, dout_dz_latex=r"\hat y(1-\hat y)", dout_dz_text="ŷ(1 − ŷ)",
                      output=sigmoid, output_symbol="σ", output_bounds=(0.0, 1.0),
                      output_latex=r"\hat y = \sigma(z^{[2]})")
_HALF_MSE = dict(loss=half_mse, loss_name="half-MSE", loss_latex=_HALF_MSE_LATEX, dloss_dout=_dmse_dout,
                 dloss_dout_latex=r"\hat y - y", dloss_dout_text="ŷ − y")

PAIRINGS: dict[str, Pairing] = {
    MSE_LINEAR: Pairing(
        name=MSE_LINEAR, label="MSE + linear", short="MSE + linear", **_HALF_MSE,
        output=_identity, output_symbol="", output_bounds=None, output_latex=r"\hat y = z^{[2]}",
        dout_dz=_ones_like, dout_dz_latex="1", dout_dz_text="1", canonical=True,
        delta_latex=r"\delta = (\hat y - y)\cdot 1 = \hat y - y",
    ),
    CE_SIGMOID: Pairing(
        name=CE_SIGMOID, label="CE + sigmoid", short="CE + sigmoid", loss_name="cross-entropy",
        loss=binary_cross_entropy, **_SIGMOID_SLOPE, canonical=True,
        loss_latex=r"L = -\frac{1}{m}\sum_i y_i\log\hat y_i + (1-y_i)\log(1-\hat y_i)",
        dloss_dout=_dce_dout, dloss_dout_latex=r"\frac{\hat y - y}{\hat y(1-\hat y)}",
        dloss_dout_text="(ŷ − y)/(ŷ(1 − ŷ))",
        delta_latex=r"\delta = \frac{\hat y - y}{\hat y(1-\hat y)}\cdot\hat y(1-\hat y) = \hat y - y",
    ),
    MSE_SIGMOID: Pairing(
        name=MSE_SIGMOID, label="MSE + sigmoid (mismatched)", short="MSE + sigmoid", **_HALF_MSE,
        **_SIGMOID_SLOPE, canonical=False,
        delta_latex=r"\delta = (\hat y - y)\cdot\hat y(1-\hat y)",
    ),
}

CANONICAL = (MSE_LINEAR, CE_SIGMOID)
"""The two pairings the twins train: the seed's two algorithms."""

MISMATCHED = tuple(name for name, pairing in PAIRINGS.items() if not pairing.canonical)
"""The pairings whose factors do not cancel: the optional contrast network."""
