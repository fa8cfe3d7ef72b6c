"""Line charts over a run's history: accuracies, norms, gradients (the loss chart is the live view's)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz import spec
from viz.series import thin
from viz.theme import PAIRING_COLORS, Style, base_layout


def _finite(values: np.ndarray) -> np.ndarray:
    """float32 for the wire, with non-finite values as gaps rather than NaN spikes."""
    out = values.astype(np.float32)
    out[~np.isfinite(out)] = np.nan
    return out


def history_lines(series: dict[str, dict[str, np.ndarray]], column: str, labels: dict[str, str], style: Style,
                  title: str, y_title: str, log_y: bool = False) -> go.Figure:
    """One line per pairing of one history column (e.g. ``mean_abs_dZ2``) against step."""
    data = []
    for name, cols in series.items():
        idx = thin(len(cols["step"]))
        y = cols[column][idx]
        if log_y:
            y = np.where(y > 0, y, np.nan)
        data.append(dict(type="scatter", x=cols["step"][idx].astype(np.float32), y=_finite(y), mode="lines",
                         line=dict(color=PAIRING_COLORS[name], width=style.line), name=labels[name],
                         hovertemplate="step %{x}<br>%{y:.4g}<extra></extra>"))
    layout = base_layout(
        style, title=dict(text=title, x=0.02),
        xaxis=dict(title=dict(text="step"), showgrid=True, gridcolor="#e5e5e5"),
        yaxis=dict(title=dict(text=y_title), type="log" if log_y else "linear", showgrid=True, gridcolor="#e5e5e5"),
        legend_below=True,
    )
    return spec.assemble(data, layout)
