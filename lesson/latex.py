r"""LaTeX for the Derivation page: the seed's equations, and one sample's numbers in them.

Pure string building (no Streamlit): numbers are rounded to significant
digits and written :math:`1.2\times10^{-16}`, never as a 17-digit float;
vectors and matrices become ``bmatrix`` with their shape under them
(``\underset``: KaTeX enlarges the inside of an ``\underbrace`` twice under
``\Large``, which presenter view uses), and long
ones are cut with :math:`\vdots` so a width-64 network still fits a slide.
"""

from __future__ import annotations

import math

import numpy as np

from lesson.factors import SamplePass
from netcore import CANONICAL, HIDDEN, PAIRINGS, SEED_HIDDEN, sigmoid

MAX_ROWS = 6
"""Longest vector written out in full; longer ones show their first entries and a ⋮."""

DIFFERS = "#B4005A"
"""Colour of the lines where the two pairings' formulas differ."""


def num(x: float, digits: int = 4) -> str:
    r"""``x`` in LaTeX to ``digits`` significant digits: ``0.1235``, ``-3.2\times10^{-16}``, ``\infty``."""
    x = float(x)
    if math.isnan(x):
        return r"\text{n/a}"
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    if mantissa in ("1", "-1"):
        return ("-" if mantissa == "-1" else "") + power
    return rf"{mantissa}\times{power}"


def shape(a: np.ndarray) -> str:
    r"""``n\times m`` for a 2-D array."""
    return rf"{a.shape[0]}\times{a.shape[1]}"


def matrix(a: np.ndarray, digits: int = 4, max_rows: int = MAX_ROWS) -> str:
    r"""A 2-D array as ``\begin{bmatrix}…\end{bmatrix}`` with its shape underneath.

    Rows (or, for a single row, columns) beyond ``max_rows`` are replaced by
    :math:`\vdots` (:math:`\cdots`). A ``1×1`` array is written as a plain number.
    """
    a = np.asarray(a)
    if a.shape == (1, 1):
        return num(a[0, 0], digits)
    rows = [[num(v, digits) for v in row] for row in a]
    if a.shape[0] == 1 and a.shape[1] > max_rows:
        rows = [rows[0][:max_rows] + [r"\cdots"]]
    elif a.shape[0] > max_rows:
        rows = rows[:max_rows] + [[r"\vdots"] * a.shape[1]]
    body = r" \\ ".join(" & ".join(r) for r in rows)
    return rf"\underset{{{shape(a)}}}{{\begin{{bmatrix}} {body} \end{{bmatrix}}}}"


def forward_equations(hidden: str = SEED_HIDDEN, pairings: tuple[str, ...] = CANONICAL) -> list[str]:
    """The seed's forward pass for one sample ``x``, each symbol with its shape, then each pairing's output."""
    g = HIDDEN[hidden]
    return [
        r"\underset{n\times1}{Z^{[1]}} = \underset{n\times2}{W^{[1]}}\,\underset{2\times1}{x}"
        r" + \underset{n\times1}{b^{[1]}}, \qquad \underset{n\times1}{A^{[1]}} = " + g.symbol_latex + r"(Z^{[1]})",
        r"\underset{1\times1}{Z^{[2]}} = \underset{1\times n}{W^{[2]}}\,\underset{n\times1}{A^{[1]}}"
        r" + \underset{1\times1}{b^{[2]}}",
        *(rf"\text{{{PAIRINGS[name].label}:}}\ \ {PAIRINGS[name].output_latex}" for name in pairings),
        r"\sigma(z) = \frac{1}{1+e^{-z}} \;\Rightarrow\; \frac{d\sigma(z)}{dz} = \sigma(z)\,(1-\sigma(z))",
        *([] if hidden == SEED_HIDDEN else [rf"\text{{hidden layer:}}\ \ {g.latex}"]),
    ]


def loss_equations(pairings: tuple[str, ...] = CANONICAL) -> list[str]:
    """Each pairing's loss over ``m`` samples, named after its pairing."""
    return [rf"\text{{{PAIRINGS[name].label}:}}\ \ {PAIRINGS[name].loss_latex}" for name in pairings]


_NP_SUM = r"\frac{1}{m}\,\texttt{np.sum}(dZ^{[K]},\,\texttt{axis=1},\,\texttt{keepdims=True})"


def backward_equations(hidden: str = SEED_HIDDEN) -> list[str]:
    """The seed's backward pass over ``m`` samples (columns), each result with its shape."""
    return [
        r"\underset{1\times m}{dZ^{[2]}} = \frac{\partial L}{\partial Z^{[2]}}"
        r" = \frac{\partial L}{\partial A^{[2]}}\,\frac{\partial A^{[2]}}{\partial Z^{[2]}} = A^{[2]} - Y",
        r"\underset{1\times n}{dW^{[2]}} = \frac{1}{m}\, dZ^{[2]} A^{[1]T}",
        r"\underset{1\times1}{db^{[2]}} = " + _NP_SUM.replace("K", "2"),
        r"\underset{n\times m}{dZ^{[1]}} = W^{[2]T} dZ^{[2]} \ast " + HIDDEN[hidden].der_latex,
        r"\underset{n\times2}{dW^{[1]}} = \frac{1}{m}\, dZ^{[1]} X^T",
        r"\underset{n\times1}{db^{[1]}} = " + _NP_SUM.replace("K", "1"),
    ]


def _differs(tex: str) -> str:
    return rf"\textcolor{{{DIFFERS}}}{{{tex}}}"


def sample_forward(sp: SamplePass, hidden: str) -> list[str]:
    """One sample's forward pass with the current weights: ``x, Z1, A1, Z2, ŷ``."""
    c, g = sp.cache, HIDDEN[hidden].symbol_latex
    return [
        rf"x = {matrix(sp.x)}, \quad y = {num(sp.y[0, 0])}",
        rf"Z^{{[1]}} = W^{{[1]}}x + b^{{[1]}} = {matrix(c.Z1)}",
        rf"A^{{[1]}} = {g}(Z^{{[1]}}) = {matrix(c.A1)}",
        rf"Z^{{[2]}} = W^{{[2]}}A^{{[1]}} + b^{{[2]}} = {num(c.Z2[0, 0])}",
        _differs(rf"{PAIRINGS[sp.pairing].output_latex} = {num(c.A2[0, 0])}"),
    ]


def _valued(formula: str, value: float) -> str:
    """``formula = value``, or the value alone when the formula is that very number (``1``)."""
    shown = num(value)
    return shown if formula == shown else f"{formula} = {shown}"


def sample_backward(sp: SamplePass, hidden: str) -> list[str]:
    """One sample's backward pass: the pairing's two factors, ``δ2``, and its shares of ``dW2, dZ1, dW1``."""
    f, gr, p = sp.factors, sp.grads, PAIRINGS[sp.pairing]
    return [
        _differs(r"\frac{\partial L}{\partial \hat y} = " + _valued(p.dloss_dout_latex, f.dloss_dout[0])),
        _differs(r"\frac{\partial \hat y}{\partial z^{[2]}} = " + _valued(p.dout_dz_latex, f.dout_dz[0])),
        rf"\delta^{{[2]}} = \frac{{\partial L}}{{\partial \hat y}}\,\frac{{\partial \hat y}}{{\partial z^{{[2]}}}}"
        rf" = {num(f.delta[0])}, \qquad \hat y - y = {num(f.residual[0])}",
        rf"\delta^{{[2]}} A^{{[1]T}} = {matrix(gr.dW2)}",
        rf"dZ^{{[1]}} = W^{{[2]T}}\delta^{{[2]}} \ast {HIDDEN[hidden].der_latex} = {matrix(gr.dZ1)}",
        rf"dZ^{{[1]}} x^T = {matrix(gr.dW1)}",
    ]


def ce_derivation(sp: SamplePass) -> tuple[list[str], list[str]]:
    """The seed's cross-entropy derivation, line by line, with sample ``sp``'s numbers (a CE + sigmoid pass).

    Returns the LaTeX lines and plain-text notes (e.g. when a factor overflows float64).
    """
    f = sp.factors
    y, z, yhat = float(f.y[0]), float(f.z2[0]), float(f.yhat[0])
    one_minus = float(sigmoid(np.array([-z]))[0])    # 1 − ŷ from the logit: exact where ŷ has rounded to 1
    dl, dz, delta, residual = (float(v[0]) for v in (f.dloss_dout, f.dout_dz, f.delta, f.residual))
    loss = PAIRINGS[sp.pairing].loss(sp.cache.A2, sp.y, sp.cache.Z2)
    lines = [
        rf"L = -y\log\hat y - (1-y)\log(1-\hat y) = -{num(y)}\log {num(yhat)} - {num(1 - y)}\log {num(one_minus)}"
        rf" = {num(loss)}",
        r"\frac{\partial L}{\partial \hat y} = -\frac{y}{\hat y} + \frac{1-y}{1-\hat y}"
        r" = \frac{\hat y - y}{\hat y(1-\hat y)}"
        + (rf" = \frac{{{num(residual)}}}{{{num(dz)}}}" if dz != 0 else "") + f" = {num(dl)}",
        rf"\hat y = \sigma(z) \;\Rightarrow\; \frac{{\partial \hat y}}{{\partial z}} = \hat y(1-\hat y)"
        rf" = {num(yhat)}\times{num(one_minus)} = {num(dz)}",
        rf"\frac{{\partial L}}{{\partial z}} = \frac{{\partial L}}{{\partial \hat y}}\,\frac{{\partial \hat y}}"
        rf"{{\partial z}} = ({num(dl)})\times({num(dz)}) = {num(delta)}",
        rf"\hat y - y = {num(yhat)} - {num(y)} = {num(residual)}"
        + (rf", \qquad \left|\tfrac{{\partial L}}{{\partial z}} - (\hat y - y)\right| = {num(abs(delta - residual), 2)}"
           if math.isfinite(delta) else ""),
    ]
    notes = []
    if not math.isfinite(dl) or not math.isfinite(delta):
        notes.append(
            f"For this sample z2 = {z:.4g}: the factor ∂L/∂ŷ = 1 + e^|z2| is beyond float64's largest number "
            "(about 1.8 × 10³⁰⁸), so the product cannot be formed in floating point. The algebra still cancels: "
            "training uses ŷ − y directly, which stays exact.")
    elif dz == 0:
        notes.append(
            f"For this sample z2 = {z:.4g}: the sigmoid has saturated in float64, ŷ rounds to {yhat:g} and "
            "ŷ(1 − ŷ) underflows to 0, so the fraction would read 0/0. netcore takes ∂L/∂ŷ from the logit "
            "instead (1/ŷ = 1 + e^−z, 1/(1 − ŷ) = 1 + e^z), which stays exact.")
    return lines, notes
