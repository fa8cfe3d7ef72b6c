"""The dataset on its own: training points filled, test points hollow, inside the fixed box."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from viz import spec
from viz.boundary import point_traces
from viz.theme import Style, base_layout


def data_preview(train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray], box: float,
                 style: Style, title: str) -> go.Figure:
    """Scatter of ``train = (X (2, m), Y (1, m))`` (filled) and ``test`` (hollow), coloured by class.

    Four traces, always in this order: class 0 · train, class 1 · train, class 0 · test, class 1 · test
    (a test trace is empty when there is no test set), so the legend never changes shape.
    """
    data = point_traces(train[0].astype(np.float32), train[1], style, name_suffix=" · train")
    data += point_traces(test[0].astype(np.float32), test[1], style, hollow=True, name_suffix=" · test")
    axis = dict(range=[-box, box], fixedrange=True, constrain="domain", showgrid=True, gridcolor="#eeeeee",
                zeroline=True, zerolinecolor="#cccccc", ticks="outside")
    layout = base_layout(
        style, title=dict(text=title, x=0.02),
        xaxis=dict(axis, title=dict(text="x₁")), yaxis=dict(axis, title=dict(text="x₂"), scaleanchor="x"),
        legend_below=True,
    )
    return spec.assemble(data, layout)
