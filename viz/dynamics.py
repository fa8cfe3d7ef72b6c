"""Training dynamics over a run's history: weight norms, gradient norms, and the output delta.

Three stacked panels sharing the step axis, one colour per pairing:
``‖W1‖`` (solid) and ``‖W2‖`` (dotted); ``‖dW1‖`` (solid) and ``‖dW2‖``
(dotted) on a log axis, since gradients shrink by orders of magnitude; and
``mean |dZ2|``, the average size of the output delta that backprop sends down.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from viz.curves import thin
from viz.theme import PAIRING_COLORS, Style, base_layout

PANELS = (
    ("Weight norms ‖W1‖ (solid), ‖W2‖ (dotted)", ("norm_W1", "norm_W2"), False),
    ("Gradient norms ‖dW1‖ (solid), ‖dW2‖ (dotted), log scale", ("norm_dW1", "norm_dW2"), True),
    ("mean |dZ2|: the average output delta", ("mean_abs_dZ2",), False),
)
NAMES = {"norm_W1": "‖W1‖", "norm_W2": "‖W2‖", "norm_dW1": "‖dW1‖", "norm_dW2": "‖dW2‖",
         "mean_abs_dZ2": "mean |dZ2|"}


def _wire(y: np.ndarray, log: bool) -> np.ndarray:
    """float32 with gaps (NaN) for non-finite values and, on a log axis, for values ≤ 0."""
    out = y.astype(np.float32)
    bad = ~np.isfinite(out)
    if log:
        bad |= out <= 0
    out[bad] = np.nan
    return out


def dynamics_figure(series: dict[str, dict[str, np.ndarray]], labels: dict[str, str], style: Style) -> go.Figure:
    """The three panels of :data:`PANELS`.

    ``series`` maps pairing name to arrays of equal length: ``step`` and the
    history columns ``norm_W1, norm_W2, norm_dW1, norm_dW2, mean_abs_dZ2``.
    Long histories are thinned to :data:`viz.curves.MAX_POINTS`. Each trace is named
    after its pairing (the legend) and carries its history column in ``meta``.
    """
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.09,
                        subplot_titles=[p[0] for p in PANELS])
    for name, cols in series.items():
        idx = thin(len(cols["step"]))
        x = cols["step"][idx].astype(np.float32)
        colour = PAIRING_COLORS[name]
        for row, (_, columns, log) in enumerate(PANELS, start=1):
            for k, column in enumerate(columns):
                fig.add_trace(go.Scatter(
                    x=x, y=_wire(cols[column][idx], log), mode="lines" if len(idx) > 1 else "markers",
                    marker=dict(color=colour, size=style.marker),
                    line=dict(color=colour, width=style.line, dash="solid" if k == 0 else "dot"),
                    name=labels[name], meta=column, legendgroup=name, showlegend=row == 1 and k == 0,
                    hovertemplate=f"{labels[name]}<br>step %{{x}}<br>{NAMES[column]} = %{{y:.4g}}<extra></extra>"),
                    row=row, col=1)
    for row, (_, _, log) in enumerate(PANELS, start=1):
        fig.update_yaxes(type="log" if log else "linear", showgrid=True, gridcolor="#e5e5e5", row=row, col=1,
                         rangemode="normal" if log else "tozero", dtick=1 if log else None)
        fig.update_xaxes(showgrid=True, gridcolor="#e5e5e5", row=row, col=1)
    fig.update_xaxes(title=dict(text="step"), row=3, col=1)
    for ann in fig.layout.annotations:
        ann.font = dict(size=style.font)
    fig.update_layout(**base_layout(
        style, height=int(style.height * 1.9), title=dict(text="Training dynamics", x=0.02),
        legend=dict(orientation="h", y=1.07, x=0, font=dict(size=style.font - 2)),
        margin=dict(l=10, r=10, t=110, b=10),
    ))
    return fig
