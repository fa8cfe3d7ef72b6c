"""Decision-boundary panels: y_hat over the data box, the 0.5 contour and the points."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz.theme import CLASS_COLORS, LINEAR_RANGE, PROBABILITY_SCALE, Style, base_layout


def colour_range(linear_output: bool) -> tuple[float, float]:
    """[0, 1] for a sigmoid output; :data:`LINEAR_RANGE` (clipped) for a linear one."""
    return LINEAR_RANGE if linear_output else (0.0, 1.0)


def point_traces(X: np.ndarray, Y: np.ndarray, style: Style, hollow: bool = False,
                 name_suffix: str = "", showlegend: bool = True) -> list[go.Scatter]:
    """One scatter per class. ``X (2, m)``, ``Y (1, m)``; hollow markers for test points."""
    traces = []
    for cls, colour in enumerate(CLASS_COLORS):
        pts = X[:, Y[0] == cls]
        marker = dict(size=style.marker, color=colour,
                      line=dict(width=max(1.5, style.line * 0.8) if hollow else 1, color=colour if hollow else "white"),
                      symbol="circle-open" if hollow else "circle")
        name = f"class {cls}{name_suffix}"
        traces.append(go.Scatter(x=pts[0], y=pts[1], mode="markers", marker=marker, name=name,
                                 showlegend=showlegend,
                                 hovertemplate=name + "<br>x₁=%{x:.2f}<br>x₂=%{y:.2f}<extra></extra>"))
    return traces


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
    zmin, zmax = colour_range(linear_output)
    z = np.nan_to_num(yhat, nan=0.5, posinf=zmax, neginf=zmin).astype(np.float32)
    bar_title = f"ŷ, clipped to [{zmin:g}, {zmax:g}]" if linear_output else "ŷ"
    fig = go.Figure()
    fig.add_trace(go.Heatmap(x=xs.astype(np.float32), y=ys.astype(np.float32), z=z, zmin=zmin, zmax=zmax,
                             colorscale=PROBABILITY_SCALE, zsmooth="best",
                             colorbar=dict(title=dict(text=bar_title, side="right"), thickness=14, len=0.85),
                             hovertemplate="x1=%{x:.2f}<br>x2=%{y:.2f}<br>ŷ=%{z:.3f}<extra></extra>"))
    fig.add_trace(go.Contour(x=xs.astype(np.float32), y=ys.astype(np.float32), z=z, showscale=False,
                             contours=dict(start=0.5, end=0.5, size=1, coloring="none"),
                             line=dict(width=style.contour, color="#111"), hoverinfo="skip",
                             name="ŷ = 0.5", showlegend=showlegend))
    for trace in point_traces(*train, style, showlegend=showlegend, name_suffix=" · train"):
        fig.add_trace(trace)
    if test is not None and test[0].shape[1]:
        for trace in point_traces(*test, style, hollow=True, showlegend=showlegend, name_suffix=" · test"):
            fig.add_trace(trace)
    axis = dict(range=[-box, box], fixedrange=True, constrain="domain", showgrid=False, zeroline=False,
                ticks="outside")
    fig.update_layout(**base_layout(
        style, title=dict(text=title, font=dict(size=style.title), x=0.02),
        xaxis=dict(axis, title=dict(text="x₁")), yaxis=dict(axis, title=dict(text="x₂"), scaleanchor="x"),
        legend=dict(orientation="h", y=-0.12, x=0, font=dict(size=style.font - 2)),
        uirevision="boundary",
    ))
    return fig
