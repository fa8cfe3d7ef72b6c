"""Decision-boundary panels: y_hat over the data box, the ŷ = 0.5 line and the points.

Figures are assembled as one plain spec (:func:`viz.spec.assemble`), which
matters because the Train page rebuilds these panels on every Step.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz import spec
from viz.isoline import level_lines
from viz.theme import CLASS_COLORS, PROBABILITY_SCALE, Style, base_layout, colour_range


def point_traces(X: np.ndarray, Y: np.ndarray, style: Style, hollow: bool = False,
                 name_suffix: str = "", showlegend: bool = True) -> list[dict]:
    """One scatter spec per class. ``X (2, m)``, ``Y (1, m)``; hollow markers for test points."""
    traces = []
    for cls, colour in enumerate(CLASS_COLORS):
        pts = X[:, Y[0] == cls].astype(np.float32)
        name = f"class {cls}{name_suffix}"
        outline = dict(width=max(1.5, style.line * 0.8), color=colour) if hollow else dict(width=1, color="white")
        traces.append(dict(
            type="scatter", x=pts[0], y=pts[1], mode="markers", name=name, showlegend=showlegend,
            marker=dict(size=style.marker, color=colour, line=outline, symbol="circle-open" if hollow else "circle"),
            hovertemplate=name + "<br>x₁=%{x:.2f}<br>x₂=%{y:.2f}<extra></extra>"))
    return traces


def boundary_traces(xs: np.ndarray, ys: np.ndarray, yhat: np.ndarray, linear_output: bool, style: Style,
                    colorbar: bool = True) -> list[dict]:
    """The heatmap of y_hat and its ŷ = 0.5 line, as trace specs.

    ``xs`` and ``ys`` must be evenly spaced (``netcore.grid``): the heatmap
    carries them as a start and a step, and only ``z`` as a float32 array. The
    line is traced here (:func:`viz.isoline.level_lines`), not by a contour trace
    in the browser.
    """
    zmin, zmax = colour_range(linear_output)
    z = np.nan_to_num(yhat, nan=0.5, posinf=zmax, neginf=zmin).astype(np.float32)
    bar_title = f"ŷ, clipped to [{zmin:g}, {zmax:g}]" if linear_output else "ŷ"
    heatmap = dict(type="heatmap", x0=float(xs[0]), dx=float(xs[1] - xs[0]), y0=float(ys[0]),
                   dy=float(ys[1] - ys[0]), z=z, zmin=zmin, zmax=zmax, colorscale=PROBABILITY_SCALE,
                   zsmooth="fast", showscale=colorbar,
                   colorbar=dict(title=dict(text=bar_title, side="right"), thickness=14, len=0.85),
                   hovertemplate="x₁=%{x:.2f}<br>x₂=%{y:.2f}<br>ŷ=%{z:.3f}<extra></extra>")
    lines = [dict(type="scatter", x=lx, y=ly, mode="lines", name="ŷ = 0.5", legendgroup="boundary",
                  showlegend=False, hoverinfo="skip", line=dict(width=style.contour, color="#111"))
             for lx, ly in level_lines(xs, ys, z, 0.5)]
    return [heatmap, *lines]


def box_axes(box: float) -> tuple[dict, dict]:
    """Fixed, square axes over the data box."""
    axis = dict(range=[-box, box], fixedrange=True, constrain="domain", showgrid=False, zeroline=False,
                ticks="outside")
    return dict(axis, title=dict(text="x₁")), dict(axis, title=dict(text="x₂"), scaleanchor="x")


def decision_boundary(xs: np.ndarray, ys: np.ndarray, yhat: np.ndarray, train: tuple[np.ndarray, np.ndarray],
                      test: tuple[np.ndarray, np.ndarray] | None, title: str, box: float,
                      linear_output: bool, style: Style, showlegend: bool = True) -> go.Figure:
    """A heatmap of y_hat with its 0.5 contour, training points filled and test points hollow.

    Parameters
    ----------
    xs, ys : ndarray (r,), grid coordinates.
    yhat : ndarray (r, r), predictions on the grid (rows follow ``ys``); sent as float32.
    train, test : ``(X (2, m), Y (1, m))``; ``test`` may be None.
    box : half-width of the data box; the axes are fixed to ``[-box, box]``.
    linear_output : colour range ``LINEAR_RANGE`` (clipped, said in the colour bar) instead of [0, 1].
    """
    data = boundary_traces(xs, ys, yhat, linear_output, style)
    data += point_traces(*train, style, showlegend=showlegend, name_suffix=" · train")
    if test is not None and test[0].shape[1]:
        data += point_traces(*test, style, hollow=True, showlegend=showlegend, name_suffix=" · test")
    xaxis, yaxis = box_axes(box)
    layout = base_layout(style, title=dict(text=title, font=dict(size=style.title), x=0.02),
                         xaxis=xaxis, yaxis=yaxis, uirevision="boundary",
                         legend_below=True)
    return spec.assemble(data, layout)
