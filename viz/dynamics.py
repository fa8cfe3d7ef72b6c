"""Training dynamics over a run's history: weight norms, gradient norms, and the output delta.

Three stacked panels sharing the step axis, one colour per pairing:
``‖W1‖`` (solid) and ``‖W2‖`` (dotted); ``‖dW1‖`` (solid) and ``‖dW2‖``
(dotted) on a log axis, since gradients shrink by orders of magnitude; and
``mean |dZ2|``, the average size of the output delta that backprop sends down.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz import spec
from viz.series import thin
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
    Long histories are thinned to :data:`viz.series.MAX_POINTS`. Each trace is named
    after its pairing (the legend) and carries its history column in ``meta``.
    """
    layout = spec.subplot_grid(3, 1, vertical_spacing=0.09, titles=[p[0] for p in PANELS], title_size=style.font,
                               shared_xaxes=True)
    data = []
    for name, cols in series.items():
        idx = thin(len(cols["step"]))
        x = cols["step"][idx].astype(np.float32)
        colour = PAIRING_COLORS[name]
        for row, (_, columns, log) in enumerate(PANELS):
            xref, yref = spec.axis_names(row)
            for k, column in enumerate(columns):
                data.append(dict(
                    type="scatter", x=x, y=_wire(cols[column][idx], log), xaxis=xref, yaxis=yref,
                    mode="lines" if len(idx) > 1 else "markers", marker=dict(color=colour, size=style.marker),
                    line=dict(color=colour, width=style.line, dash="solid" if k == 0 else "dot"),
                    name=labels[name], meta=column, legendgroup=name, showlegend=row == 0 and k == 0,
                    hovertemplate=f"{labels[name]}<br>step %{{x}}<br>{NAMES[column]} = %{{y:.4g}}<extra></extra>"))
    for row, (_, _, log) in enumerate(PANELS):
        xref, yref = spec.axis_names(row)
        layout["yaxis" + yref[1:]].update(type="log" if log else "linear", showgrid=True, gridcolor="#e5e5e5",
                                          rangemode="normal" if log else "tozero", **({"dtick": 1} if log else {}))
        layout["xaxis" + xref[1:]].update(showgrid=True, gridcolor="#e5e5e5")
    layout["xaxis3"]["title"] = dict(text="step")
    layout.update(base_layout(
        style, height=int(style.height * 1.9), title=dict(text="Training dynamics", x=0.02),
        legend=dict(orientation="h", y=1.07, x=0, font=dict(size=style.font - 2)),
        margin=dict(l=10, r=10, t=110, b=10),
    ))
    return spec.assemble(data, layout)
