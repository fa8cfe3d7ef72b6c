"""The network drawn as a graph: 2 inputs, n hidden units, 1 output, every weight and bias visible.

Edges carry the weights: width grows with ``|w|`` and colour gives the sign.
Nodes carry the biases: the fill colour is the bias on a diverging scale (the
same two hues as the edges), and the value is written beside the node while
the layer is small enough to read; the output bias ``b2`` is always written.
Hovering an edge (near its end) or a node shows the exact value.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from netcore import Params
from viz import spec
from viz.theme import Style, base_layout

WEIGHT_COLORS = ("#D55E00", "#0072B2")
"""Negative (vermillion) and positive (blue) weights and biases; Okabe & Ito hues."""

BIAS_SCALE = [[0.0, WEIGHT_COLORS[0]], [0.5, "#F7F7F7"], [1.0, WEIGHT_COLORS[1]]]

MAX_EDGE_WIDTH = 9.0
"""Line width in pixels of the largest-magnitude weight; the others scale linearly (at least 0.6)."""

WIDTH_LEVELS = 8
"""Edges are grouped into this many widths per sign, so the figure has at most 16 edge traces."""

BIAS_FLOOR = 0.1
"""Smallest half-range of the bias colour scale."""

LABELLED_UNITS = 12
"""Hidden layers up to this width get their biases written beside the nodes (wider ones: hover)."""

X_INPUT, X_HIDDEN, X_OUTPUT = 0.0, 1.0, 2.0


def layer_positions(width: int) -> tuple[np.ndarray, np.ndarray]:
    """Vertical positions of the 2 inputs and the ``width`` hidden units (the output sits at 0).

    Hidden units are one unit apart, top to bottom; the inputs straddle the middle.
    """
    hidden = (width - 1) / 2 - np.arange(width, dtype=float)
    spread = max(0.5, (width - 1) / 4)
    return np.array([spread, -spread]), hidden


def edge_width(w: np.ndarray, w_max: float) -> np.ndarray:
    """Pixel widths: ``0.6 + (MAX_EDGE_WIDTH - 0.6) * |w| / w_max`` (``w_max = 0``: all thin)."""
    frac = np.abs(w) / w_max if w_max > 0 else np.zeros_like(w)
    return 0.6 + (MAX_EDGE_WIDTH - 0.6) * np.clip(frac, 0, 1)


def network_diagram(params: Params, style: Style, title: str, hidden_name: str = "σ") -> go.Figure:
    """The graph of one network.

    Parameters
    ----------
    params : W1 (n, 2), b1 (n, 1), W2 (1, n), b2 (1, 1).
    style : sizes.
    title : figure title, e.g. which twin and step.
    hidden_name : the hidden activation's symbol, shown in the layer caption.
    """
    W1, b1, W2, b2 = (np.nan_to_num(a, nan=0.0, posinf=1e300, neginf=-1e300) for a in params.arrays())
    n = W1.shape[0]
    y_in, y_hid = layer_positions(n)

    # Every edge as (x0, y0, x1, y1, weight, hover text).
    edges = []
    for i in range(n):
        for j in range(2):
            edges.append((X_INPUT, y_in[j], X_HIDDEN, y_hid[i], W1[i, j],
                          f"W1[{i + 1},{j + 1}] = {W1[i, j]:.4g}<br>x{j + 1} → h{i + 1}"))
    for i in range(n):
        edges.append((X_HIDDEN, y_hid[i], X_OUTPUT, 0.0, W2[0, i], f"W2[1,{i + 1}] = {W2[0, i]:.4g}<br>h{i + 1} → ŷ"))
    weights = np.array([e[4] for e in edges])
    w_max = float(np.abs(weights).max())
    widths = edge_width(weights, w_max)
    levels = np.minimum((widths - 0.6) / (MAX_EDGE_WIDTH - 0.6) * WIDTH_LEVELS, WIDTH_LEVELS - 1).astype(int)

    data: list[dict] = []
    shown_sign = set()
    for sign in (0, 1):
        for level in range(WIDTH_LEVELS):
            members = [k for k in range(len(edges)) if (weights[k] > 0) == bool(sign) and levels[k] == level]
            if not members:
                continue
            xs, ys = [], []
            for k in members:
                x0, y0, x1, y1 = edges[k][:4]
                xs += [x0, x1, None]
                ys += [y0, y1, None]
            data.append(dict(
                type="scatter", x=xs, y=ys, mode="lines", hoverinfo="skip", legendgroup=f"sign{sign}",
                line=dict(color=WEIGHT_COLORS[sign], width=float(np.mean(widths[members]))),
                opacity=0.85, name="positive weight" if sign else "negative weight",
                showlegend=sign not in shown_sign))
            shown_sign.add(sign)

    # Hover targets near the receiving end of each edge, where the fan of edges is widest apart.
    t = np.array([0.7 if e[0] == X_INPUT else 0.3 for e in edges])
    hx = np.array([e[0] + (e[2] - e[0]) * tk for e, tk in zip(edges, t)])
    hy = np.array([e[1] + (e[3] - e[1]) * tk for e, tk in zip(edges, t)])
    data.append(dict(type="scatter", x=hx, y=hy, mode="markers", marker=dict(size=12, color="rgba(0,0,0,0)"),
                             text=[e[5] for e in edges], hovertemplate="%{text}<extra></extra>",
                             showlegend=False, name="weights"))

    # Nodes: the inputs in grey, the hidden units and the output coloured by their bias.
    node_size = float(np.clip(420 / max(n, 1), 9, 2.4 * style.marker + 16))
    data.append(dict(
        type="scatter", x=np.array([X_INPUT, X_INPUT]), y=y_in, mode="markers+text", text=["x₁", "x₂"],
        textposition="middle left",
        textfont=dict(size=style.font + 2), marker=dict(size=max(node_size, 26), color="#DDDDDD",
                                                        line=dict(color="#333", width=1.5)),
        hovertemplate="input %{text}<extra></extra>", showlegend=False, name="inputs"))
    # A floor on the colour range: all-zero biases (step 0) are white, not an amplified rounding error.
    b_max = float(max(np.abs(b1).max(), abs(b2[0, 0]), BIAS_FLOOR))
    labelled = n <= LABELLED_UNITS
    data.append(dict(
        type="scatter", x=np.full(n, X_HIDDEN), y=y_hid, mode="markers+text" if labelled else "markers",
        text=[f"b1={b:.2f}" for b in b1[:, 0]], textposition="top center", textfont=dict(size=style.font - 2),
        customdata=np.column_stack([np.arange(1, n + 1), b1[:, 0], W1, W2[0]]),
        hovertemplate=("h%{customdata[0]}: " + hidden_name + "(z)<br>b1 = %{customdata[1]:.4g}"
                       "<br>in: W1 = (%{customdata[2]:.3g}, %{customdata[3]:.3g})"
                       "<br>out: W2 = %{customdata[4]:.3g}<extra></extra>"),
        marker=dict(size=node_size, color=b1[:, 0], colorscale=BIAS_SCALE, cmin=-b_max, cmax=b_max,
                    line=dict(color="#333", width=1.5),
                    colorbar=dict(title=dict(text="bias", side="right"), thickness=12, len=0.6)),
        showlegend=False, name="hidden units"))
    data.append(dict(
        type="scatter", x=np.array([X_OUTPUT]), y=np.array([0.0]), mode="markers+text",
        text=[f"ŷ<br>b2 = {b2[0, 0]:.3g}"],
        textposition="bottom center", textfont=dict(size=style.font),
        marker=dict(size=max(node_size, 30), color=[b2[0, 0]], colorscale=BIAS_SCALE, cmin=-b_max, cmax=b_max,
                    line=dict(color="#111", width=2)),
        hovertemplate=f"output ŷ<br>b2 = {b2[0, 0]:.4g}<extra></extra>", showlegend=False, name="output"))

    top = max(y_hid.max(), y_in.max())
    pad = 0.9 + 0.02 * n
    annotations = [dict(x=x, y=top + pad * 0.8, text=text, showarrow=False, font=dict(size=style.font))
                   for x, text in ((X_INPUT, "inputs"),
                                   (X_HIDDEN, f"hidden layer: {n} unit{'s' if n > 1 else ''}, {hidden_name}"),
                                   (X_OUTPUT, "output"))]
    axis = dict(visible=False, fixedrange=True)
    height = style.height if n <= 16 else int(min(1150, 13 * n + 260))
    annotations.append(dict(x=1, y=-top - pad * 0.75, showarrow=False, font=dict(size=style.font - 3, color="#444"),
                            text=f"edge width ∝ |weight| (thickest: |w| = {w_max:.3g}); node colour = bias"))
    layout = base_layout(
        style, title=dict(text=title, x=0.02), height=height,
        xaxis=dict(axis, range=[-0.45, 2.45]), yaxis=dict(axis, range=[-top - pad, top + pad * 1.2]),
        legend=dict(orientation="h", y=-0.02, x=0, font=dict(size=style.font - 2)),
        hovermode="closest", annotations=annotations,
    )
    return spec.assemble(data, layout)
