"""Figures for the output-gradient pages: δ against ŷ − y, δ against z2, dW2/db2 bars, mean |dZ2|.

Pure: arrays in, ``go.Figure`` out, no Streamlit. Callers pass only what
netcore computed; these functions never compute a gradient. Non-finite
values (cross-entropy's factor overflows past ``|z2| > 709``) are dropped
before plotting and the figure says how many were dropped, so no figure
ever carries NaN or inf.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from viz.curves import history_lines
from viz.theme import CLASS_COLORS, PAIRING_COLORS, Style, base_layout

GRID = "#e5e5e5"
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sig(x: float, digits: int = 3) -> str:
    """``x`` to ``digits`` significant digits, powers of ten written ``× 10⁻¹⁶``.

    ``inf`` reads "overflow" and ``nan`` reads "n/a": never a raw float repr.
    """
    if x is None or isinstance(x, float) and math.isnan(x):
        return "n/a"
    x = float(x)
    if math.isinf(x):
        return "overflow" if x > 0 else "−overflow"
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" not in text:
        return text.replace("-", "−")
    mantissa, exponent = text.split("e")
    mantissa = mantissa.replace("-", "−")
    power = "10" + str(int(exponent)).translate(SUPERSCRIPT)
    return power if mantissa == "1" else f"{mantissa} × {power}"


def identity_badge(gap: float, n_skipped: int = 0) -> str:
    """The badge text: ``max |δ − (ŷ−y)| = …`` and how many samples overflowed."""
    text = f"max |δ − (ŷ−y)| = {sig(gap, 2)}"
    if n_skipped:
        text += f"<br>{n_skipped} sample{'s' if n_skipped != 1 else ''} overflow: not drawn"
    return text


def _finite(*arrays: np.ndarray) -> np.ndarray:
    ok = np.ones(arrays[0].shape, dtype=bool)
    for a in arrays:
        ok &= np.isfinite(a)
    return ok


def _padded_range(values: np.ndarray, pad: float = 0.08, floor: float = 1e-3) -> list[float]:
    lo, hi = (float(values.min()), float(values.max())) if values.size else (-1.0, 1.0)
    span = max(hi - lo, floor)
    return [lo - pad * span, hi + pad * span]


def delta_scatter(residual: np.ndarray, delta: np.ndarray, y: np.ndarray, *, title: str, gap: float,
                  style: Style, index: np.ndarray | None = None) -> go.Figure:
    """Per-sample δ = dL/dz2 against ŷ − y, coloured by class, with the identity line and a badge.

    Parameters
    ----------
    residual, delta, y : 1-D arrays of length ``m``: ``ŷ − y``, ``Pairing.delta`` and the labels.
    gap : ``max |δ − (ŷ−y)|`` as computed by the caller, shown in the badge.
    index : sample numbers for the hover text (default ``0..m-1``).

    Samples with a non-finite value are not drawn; the badge counts them.
    """
    index = np.arange(residual.size, dtype=np.int32) if index is None else index.astype(np.int32)
    ok = _finite(residual, delta)
    fig = go.Figure()
    both = np.concatenate([residual[ok], delta[ok]])
    lo, hi = _padded_range(both)
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="δ = ŷ − y",
                             line=dict(color="#111", width=max(1.5, style.line * 0.6), dash="dash"),
                             hoverinfo="skip"))
    for cls, colour in enumerate(CLASS_COLORS):
        sel = ok & (y == cls)
        fig.add_trace(go.Scatter(
            x=residual[sel], y=delta[sel], customdata=index[sel], mode="markers", name=f"class {cls}",
            marker=dict(size=style.marker, color=colour, opacity=0.8, line=dict(width=1, color="white")),
            hovertemplate="sample #%{customdata}<br>ŷ − y = %{x:.4g}<br>δ = %{y:.4g}<extra>class "
                          f"{cls}</extra>"))
    fig.add_annotation(text=identity_badge(gap, int(np.count_nonzero(~ok))), xref="paper", yref="paper",
                       x=0.02, y=0.98, xanchor="left", yanchor="top", showarrow=False, align="left",
                       font=dict(size=style.font, color="#111"), bgcolor="rgba(255,255,255,0.9)",
                       bordercolor="#111", borderwidth=1, borderpad=6)
    axis = dict(range=[lo, hi], showgrid=True, gridcolor=GRID, zeroline=True, zerolinecolor="#bbb")
    fig.update_layout(**base_layout(
        style, title=dict(text=title, x=0.02),
        xaxis=dict(axis, title=dict(text="ŷ − y")),
        yaxis=dict(axis, title=dict(text="δ = ∂L/∂ŷ · ∂ŷ/∂z2")),
        legend=dict(orientation="h", y=-0.2, x=0, font=dict(size=style.font - 2)),
    ))
    return fig


def delta_vs_z2(z: np.ndarray, curves: dict[str, dict[int, np.ndarray]],
                samples: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], labels: dict[str, str],
                style: Style, y_limit: float = 1.15) -> go.Figure:
    """δ as a function of z2 for y = 0 (left) and y = 1 (right), one curve per pairing.

    Parameters
    ----------
    z : 1-D grid of logits; ``curves[name][y]`` is δ on that grid.
    samples : ``name -> (z2, δ, y)`` of the current training samples, drawn on their curves.
        Samples outside the z range or with a non-finite value are left out.
    y_limit : the δ axis is ``[-y_limit, y_limit]``; MSE + linear's straight line leaves it.
    """
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("class y = 0", "class y = 1"))
    zmax = float(np.max(np.abs(z)))
    for col, y in enumerate((0, 1), start=1):
        wrong = (0.0, zmax) if y == 0 else (-zmax, 0.0)
        fig.add_vrect(x0=wrong[0], x1=wrong[1], fillcolor="rgba(0, 0, 0, 0.07)", line_width=0, layer="below",
                      row=1, col=col, exclude_empty_subplots=False)
        # Label the wrong side away from where its curves run: CE's δ heads to +1 (y = 0) or −1 (y = 1).
        fig.add_annotation(text="wrong side: ŷ leans to the other class", x=sum(wrong) / 2,
                           y=-y_limit * 0.93 if y == 0 else y_limit * 0.93, showarrow=False,
                           font=dict(size=style.font - 2, color="#555"), row=1, col=col)
        for name, by_y in curves.items():
            d = by_y[y]
            keep = np.isfinite(d)
            fig.add_trace(go.Scatter(
                x=z[keep], y=d[keep], mode="lines", name=labels[name], legendgroup=name, showlegend=col == 1,
                line=dict(color=PAIRING_COLORS[name], width=style.line),
                hovertemplate="z2 = %{x:.3g}<br>δ = %{y:.4g}<extra>" + labels[name] + "</extra>"), row=1, col=col)
        for name, (z2, delta, ys) in samples.items():
            sel = (ys == y) & _finite(z2, delta) & (np.abs(z2) <= zmax)
            fig.add_trace(go.Scatter(
                x=z2[sel], y=delta[sel], mode="markers", name=f"{labels[name]} · samples", legendgroup=name,
                showlegend=False,
                marker=dict(size=style.marker, color=PAIRING_COLORS[name], opacity=0.55,
                            line=dict(width=1, color="white")),
                hovertemplate="sample<br>z2 = %{x:.3g}<br>δ = %{y:.4g}<extra>" + labels[name] + "</extra>"),
                row=1, col=col)
    if "mse-sigmoid" in curves:
        z_far = 0.75 * zmax
        fig.add_annotation(text="MSE + sigmoid: δ → 0,<br>a confidently wrong point stops learning", x=z_far,
                           y=0.0, ax=0, ay=-70, showarrow=True, arrowhead=2, arrowwidth=2,
                           font=dict(size=style.font - 2, color=PAIRING_COLORS["mse-sigmoid"]),
                           bgcolor="rgba(255,255,255,0.85)", row=1, col=1)
    fig.update_xaxes(title_text="z2 (the output's logit)", range=[-zmax, zmax], showgrid=True, gridcolor=GRID,
                     zeroline=True, zerolinecolor="#bbb")
    fig.update_yaxes(range=[-y_limit, y_limit], showgrid=True, gridcolor=GRID, zeroline=True, zerolinecolor="#999")
    fig.update_yaxes(title_text="δ = ∂L/∂z2", row=1, col=1)
    fig.update_annotations(font_size=style.font)
    fig.update_layout(**base_layout(
        style, title=dict(text="δ against z2: where each pairing still pushes", x=0.02),
        legend=dict(orientation="h", y=-0.22, x=0, font=dict(size=style.font - 2)),
    ))
    return fig


def output_grad_bars(grads: dict[str, tuple[np.ndarray, np.ndarray]], labels: dict[str, str],
                     style: Style) -> go.Figure:
    """Grouped bars of ``dW2 (1, n)`` per hidden unit, and ``db2 (1, 1)``, one colour per twin."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.8, 0.2], horizontal_spacing=0.12,
                        subplot_titles=("dW2 = 1/m · dZ2 A1ᵀ   (1×n)", "db2   (1×1)"))
    for name, (dW2, db2) in grads.items():
        n = dW2.shape[1]
        colour = PAIRING_COLORS[name]
        w = np.nan_to_num(dW2[0], nan=0.0, posinf=0.0, neginf=0.0)
        b = np.nan_to_num(db2[0], nan=0.0, posinf=0.0, neginf=0.0)
        fig.add_trace(go.Bar(x=[str(j) for j in range(1, n + 1)], y=w, name=labels[name], marker_color=colour,
                             legendgroup=name, hovertemplate="unit %{x}<br>dW2 = %{y:.4g}<extra>"
                             + labels[name] + "</extra>"), row=1, col=1)
        fig.add_trace(go.Bar(x=["db2"], y=b, name=labels[name], marker_color=colour, legendgroup=name,
                             showlegend=False, hovertemplate="db2 = %{y:.4g}<extra>" + labels[name] + "</extra>"),
                      row=1, col=2)
    fig.update_xaxes(title_text="hidden unit j", row=1, col=1, type="category")
    fig.update_yaxes(showgrid=True, gridcolor=GRID, zeroline=True, zerolinecolor="#777")
    fig.update_annotations(font_size=style.font)
    fig.update_layout(**base_layout(
        style, barmode="group", title=dict(text="Output-layer gradients at this step", x=0.02),
        legend=dict(orientation="h", y=-0.22, x=0, font=dict(size=style.font - 2)),
    ))
    return fig


def mean_dz2_history(series: dict[str, dict[str, np.ndarray]], labels: dict[str, str], style: Style) -> go.Figure:
    """``mean |dZ2|`` per step for each twin, on a log axis (it spans decades as training converges)."""
    return history_lines(series, "mean_abs_dZ2", labels, style, title="mean |dZ2| over the run",
                         y_title="mean |dZ2| (log scale)", log_y=True)


def sample_picker(X: np.ndarray, Y: np.ndarray, selected: int, box: float, style: Style,
                  height: int | None = None) -> go.Figure:
    """A small scatter of the training points to click on; ``customdata`` carries each sample's index.

    ``X (2, m)``, ``Y (1, m)``; the ``selected`` sample is ringed in black.
    """
    fig = go.Figure()
    idx = np.arange(X.shape[1], dtype=np.int32)    # int32: plotly.js has no 64-bit integer arrays
    for cls, colour in enumerate(CLASS_COLORS):
        sel = Y[0] == cls
        fig.add_trace(go.Scatter(
            x=X[0, sel], y=X[1, sel], customdata=idx[sel], mode="markers", name=f"class {cls}",
            marker=dict(size=style.marker + 2, color=colour, line=dict(width=1, color="white")),
            hovertemplate="sample #%{customdata}<br>x₁=%{x:.2f}<br>x₂=%{y:.2f}<extra>class " f"{cls}</extra>"))
    if 0 <= selected < X.shape[1]:
        fig.add_trace(go.Scatter(
            x=[X[0, selected]], y=[X[1, selected]], customdata=[selected], mode="markers",
            name=f"sample #{selected}",
            marker=dict(size=style.marker * 2.6, color="rgba(0,0,0,0)", line=dict(width=style.line, color="#111")),
            hovertemplate="sample #%{customdata} (shown)<extra></extra>"))
    axis = dict(range=[-box, box], fixedrange=True, constrain="domain", showgrid=False, zeroline=False)
    fig.update_layout(**base_layout(
        style, title=dict(text="Click a point to follow it", x=0.02),
        xaxis=dict(axis, title=dict(text="x₁")), yaxis=dict(axis, title=dict(text="x₂"), scaleanchor="x"),
        legend=dict(orientation="h", y=-0.25, x=0, font=dict(size=style.font - 2)),
        height=height or int(style.height * 0.85), clickmode="event+select",
    ))
    return fig
