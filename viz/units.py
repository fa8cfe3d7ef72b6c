"""Small multiples: what each hidden unit computes over the input box.

Map ``i`` shows ``A1[i] = g(W1[i] · x + b1[i])`` on a grid over the box, with
the unit's own boundary ``W1[i] · x + b1[i] = 0`` dashed, and a title with its
incoming weights and bias. The output layer adds these maps with the weights
``W2`` and the bias ``b2``; the output map is drawn by :mod:`viz.boundary`.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from viz import spec
from viz.theme import Style, base_layout

UNIT_SCALE = tuple((stop, colour) for stop, colour in get_colorscale("Cividis"))
"""Cividis: sequential and colour-blind safe, and unlike the orange-blue ŷ scale: a unit's output is not a class.
Spelt out as stops, as Plotly's validation would send it."""

MAX_UNITS = 64


def grid_columns(k: int) -> int:
    """Maps per row: 4 up to 16 maps, 8 beyond (64 maps make an 8 × 8 grid)."""
    return max(1, min(k, 4 if k <= 16 else 8))


def zero_line(w: np.ndarray, b: float, box: float) -> tuple[list[float], list[float]]:
    """The segment of ``w[0] x1 + w[1] x2 + b = 0`` inside ``[-box, box]^2`` (empty lists if it misses)."""
    pts = []
    if abs(w[1]) > 1e-12:
        for x in (-box, box):
            y = -(w[0] * x + b) / w[1]
            if -box <= y <= box:
                pts.append((x, y))
    if abs(w[0]) > 1e-12:
        for y in (-box, box):
            x = -(w[1] * y + b) / w[0]
            if -box <= x <= box:
                pts.append((x, y))
    pts = sorted(set((round(x, 9), round(y, 9)) for x, y in pts))
    if len(pts) < 2:
        return [], []
    (x0, y0), (x1, y1) = pts[0], pts[-1]
    return [x0, x1], [y0, y1]


def unit_title(i: int, w: np.ndarray, b: float) -> str:
    """``h3`` over ``w = (0.52, −1.3), b = 0.1`` (``i`` is 0-based; units are shown 1-based)."""
    return f"<b>h{i + 1}</b><br>w=({w[0]:.2f}, {w[1]:.2f}) b={b:.2f}"


def unit_maps(xs: np.ndarray, ys: np.ndarray, A1: np.ndarray, units: list[int], W1: np.ndarray, b1: np.ndarray,
              box: float, style: Style, zrange: tuple[float, float] | None = (0.0, 1.0),
              activation: str = "σ") -> go.Figure:
    """One heatmap per chosen hidden unit, sharing one colour bar.

    Parameters
    ----------
    xs, ys : ndarray (r,), grid coordinates.
    A1 : ndarray (k, r, r), ``A1[i]`` of the chosen units on the grid, in the order of ``units``.
    units : the 0-based indices of the chosen units (at most :data:`MAX_UNITS`).
    W1 : ndarray (n, 2); b1 : ndarray (n, 1), for the titles and zero lines.
    zrange : colour range, e.g. (0, 1) for the sigmoid, (-1, 1) for tanh, None to fit the data (ReLU).
    """
    units = list(units)[:MAX_UNITS]
    k = len(units)
    if k == 0:
        raise ValueError("choose at least one hidden unit")
    cols = grid_columns(k)
    rows = math.ceil(k / cols)
    titles = [unit_title(i, W1[i], float(b1[i, 0])) for i in units]
    title_font = style.font - 1 if cols <= 4 else style.font - 4
    layout = spec.subplot_grid(rows, cols, horizontal_spacing=0.02 if cols > 4 else 0.035,
                               vertical_spacing=min(0.3 / rows + 0.02, 0.12), titles=titles, title_size=title_font)
    z = np.nan_to_num(A1, nan=0.0, posinf=1e6, neginf=-1e6).astype(np.float32)
    x32, y32 = xs.astype(np.float32), ys.astype(np.float32)
    axis = dict(range=[-box, box], showticklabels=False, ticks="", showgrid=False, zeroline=False, fixedrange=True,
                constrain="domain")
    data = []
    for slot, i in enumerate(units):
        x, y = spec.axis_names(slot)
        data.append(dict(type="heatmap", x=x32, y=y32, z=z[slot], coloraxis="coloraxis", zsmooth="best",
                         xaxis=x, yaxis=y,
                         hovertemplate=(f"h{i + 1}<br>x1=%{{x:.2f}}<br>x2=%{{y:.2f}}<br>"
                                        f"A1={activation}(z)=%{{z:.3f}}<extra></extra>")))
        lx, ly = zero_line(W1[i], float(b1[i, 0]), box)
        data.append(dict(type="scatter", x=np.asarray(lx, np.float32), y=np.asarray(ly, np.float32), mode="lines",
                         xaxis=x, yaxis=y, line=dict(color="white", width=2, dash="dash"), hoverinfo="skip",
                         showlegend=False))
    for slot in range(rows * cols):
        x, y = spec.axis_names(slot)
        layout["xaxis" + x[1:]].update(axis)
        layout["yaxis" + y[1:]].update(axis, scaleanchor=x)
    cell = 230 if cols <= 4 else 150
    cmin, cmax = zrange if zrange else (float(np.nanmin(z)), float(np.nanmax(z)) or 1.0)
    layout.update(base_layout(
        style, height=int(rows * cell + 110), showlegend=False,
        title=dict(text=f"Hidden units: A1[i] = {activation}(W1[i]·x + b1[i]) over the box; "
                        "dashed: W1[i]·x + b1[i] = 0", x=0.02, font=dict(size=style.font + 1)),
        coloraxis=dict(colorscale=UNIT_SCALE, cmin=cmin, cmax=cmax,
                       colorbar=dict(title=dict(text="A1", side="right"), thickness=14,
                                     len=min(1.0, 0.4 + 0.1 * rows))),
        margin=dict(l=10, r=10, t=90, b=10),
    ))
    return spec.assemble(data, layout)
