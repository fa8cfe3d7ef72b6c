r"""The numbers behind the ŷ − y pages: output-layer chain-rule factors, per sample.

Pure NumPy on top of ``netcore`` (no Streamlit, no pandas). Every value here is
computed by a :class:`~netcore.pairings.Pairing`'s own factors,
``dloss_dout`` and ``dout_dz``, and their product ``delta``; ``ŷ − y`` is
computed separately from ``A2`` and ``Y`` so the pages can *compare* the two
instead of assuming they agree.

Cross-entropy's :math:`\partial L/\partial \hat y` overflows to ``inf`` once
:math:`|z^{[2]}| > 709` on the wrong side, and the product can then be ``inf``
or ``nan``. :attr:`OutputFactors.finite` marks the samples whose factors are
all finite; figures draw only those and say how many they left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netcore import PAIRINGS, Cache, Grads, Params, backward, forward

Array = np.ndarray


@dataclass(frozen=True, eq=False)
class OutputFactors:
    """One pairing's output-layer factors on ``m`` samples, each a 1-D array of length ``m``.

    Attributes
    ----------
    pairing : key of :data:`~netcore.PAIRINGS`.
    y, z2, yhat : label, logit :math:`z^{[2]}` and output :math:`\\hat y`.
    dloss_dout : :math:`\\partial L/\\partial \\hat y` per sample (``Pairing.dloss_dout``).
    dout_dz : :math:`\\partial \\hat y/\\partial z^{[2]}` (``Pairing.dout_dz``).
    delta : their product, :math:`\\partial L/\\partial z^{[2]}` (``Pairing.delta``).
    residual : :math:`\\hat y - y`, computed directly from ``A2 - Y``.
    """

    pairing: str
    y: Array
    z2: Array
    yhat: Array
    dloss_dout: Array
    dout_dz: Array
    delta: Array
    residual: Array

    @property
    def m(self) -> int:
        return self.y.shape[0]

    @property
    def finite(self) -> Array:
        """Boolean mask of samples whose every factor is finite (safe to plot)."""
        ok = np.ones(self.m, dtype=bool)
        for a in (self.z2, self.yhat, self.dloss_dout, self.dout_dz, self.delta, self.residual):
            ok &= np.isfinite(a)
        return ok

    @property
    def n_overflow(self) -> int:
        """Samples left out of figures because a factor is ``inf`` or ``nan``."""
        return int(self.m - np.count_nonzero(self.finite))

    def gap(self) -> float:
        """``max |δ − (ŷ − y)|`` over the finite samples (``nan`` when there are none)."""
        ok = self.finite
        if not ok.any():
            return float("nan")
        return float(np.max(np.abs(self.delta[ok] - self.residual[ok])))


def output_factors(pairing: str, Z2: Array, A2: Array, Y: Array) -> OutputFactors:
    """The chain-rule factors of ``pairing`` at outputs ``Z2, A2 (1, m)`` for labels ``Y (1, m)``.

    The mismatched pairing can be evaluated on the CE twin's network because
    both use a sigmoid output: pass that twin's ``Z2`` and ``A2``.
    """
    p = PAIRINGS[pairing]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        dl = p.dloss_dout(A2, Y, Z2)
        dz = p.dout_dz(Z2, A2)
        delta = p.delta(Z2, A2, Y)
        residual = A2 - Y
    return OutputFactors(pairing, Y[0].astype(float), Z2[0].copy(), A2[0].copy(), dl[0].copy(), dz[0].copy(),
                         delta[0].copy(), residual[0].copy())


def select_samples(yhat: Array, y: Array, worst: int = 2, best: int = 1) -> list[int]:
    """A few samples of each class: the ``worst`` furthest from their label, then the ``best`` nearest.

    ``yhat, y`` are 1-D of length ``m``. The order is class 0 then class 1,
    worst first within a class; ties go to the lower index. Non-finite
    outputs count as the worst.
    """
    err = np.abs(np.nan_to_num(yhat - y, nan=np.inf, posinf=np.inf, neginf=np.inf))
    chosen: list[int] = []
    for cls in (0, 1):
        idx = np.flatnonzero(y == cls)
        if idx.size == 0:
            continue
        order = idx[np.argsort(-err[idx], kind="stable")]
        picks = list(order[:worst]) + list(order[::-1][:best])
        for i in picks:
            if int(i) not in chosen:
                chosen.append(int(i))
    return chosen


def delta_curves(z: Array, pairings: tuple[str, ...] = tuple(PAIRINGS)) -> dict[str, dict[int, Array]]:
    """``δ(z)`` for ``y = 0`` and ``y = 1`` under each pairing, from ``Pairing.delta``.

    ``z`` is a 1-D grid of logits; the result maps pairing name to
    ``{0: δ (len(z),), 1: δ (len(z),)}``.
    """
    Z = np.asarray(z, dtype=float).reshape(1, -1)
    out: dict[str, dict[int, Array]] = {}
    for name in pairings:
        p = PAIRINGS[name]
        A = p.output(Z.copy())
        out[name] = {y: p.delta(Z, A, np.full_like(Z, float(y)))[0] for y in (0, 1)}
    return out


def curve_range(z2_values: list[Array], low: float = 8.0, high: float = 40.0) -> float:
    """Half-width of the δ-vs-z2 axis: wide enough for the samples' finite ``|z2|``, within [low, high]."""
    finite = [np.abs(a[np.isfinite(a)]) for a in z2_values]
    biggest = max((float(a.max()) for a in finite if a.size), default=0.0)
    return float(np.clip(np.ceil(biggest * 1.1), low, high))


@dataclass(frozen=True, eq=False)
class SamplePass:
    """One sample through one twin: ``x (2, 1)``, ``y (1, 1)``, its cache and its gradients.

    ``grads`` is ``backward`` on this single sample (``m = 1``), so ``dW2`` and
    ``dW1`` are the sample's *contribution*; the full-batch gradient is the
    mean of these over the training set.
    """

    pairing: str
    x: Array
    y: Array
    cache: Cache
    grads: Grads
    factors: OutputFactors


def sample_pass(params: Params, X: Array, Y: Array, index: int, pairing: str, hidden: str) -> SamplePass:
    """Forward and backward of training sample ``index`` (a column of ``X (2, m)``) with ``params``."""
    x, y = X[:, [index]], Y[:, [index]]
    with np.errstate(over="ignore", invalid="ignore"):
        cache = forward(params, x, pairing, hidden)
        grads = backward(params, x, y, cache, pairing, hidden)
    return SamplePass(pairing, x, y, cache, grads, output_factors(pairing, cache.Z2, cache.A2, y))


def gradient_norms(grads: Grads) -> dict[str, float]:
    """Frobenius norms of ``dW1, db1, dW2, db2``, keyed ``W1, b1, W2, b2`` like ``netcore.gradient_check``."""
    return {b: float(np.linalg.norm(getattr(grads, "d" + b))) for b in ("W1", "b1", "W2", "b2")}


def picked_sample(points: list[dict], m: int) -> int | None:
    """The sample index carried by the first clicked point's ``customdata``, if it is a valid index.

    ``points`` is ``st.plotly_chart``'s ``selection.points``; ``customdata``
    arrives as a number or a one-element list.
    """
    for point in points:
        value = point.get("customdata")
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        try:
            index = int(value)
        except (TypeError, ValueError):
            continue
        if 0 <= index < m and index == value:
            return index
    return None
