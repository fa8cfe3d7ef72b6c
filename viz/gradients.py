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

from netcore import PAIRINGS
from viz import spec
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


def _panels(widths: tuple[float, float], spacing: float, titles: tuple[str, str], style: Style) -> dict:
    """The layout ``make_subplots(rows=1, cols=2, ...)`` gives, as plain keys: two x domains and their titles."""
    return spec.subplot_grid(1, 2, horizontal_spacing=spacing, titles=titles, title_size=style.font,
                             column_widths=widths)


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
    both = np.concatenate([residual[ok], delta[ok]])
    lo, hi = _padded_range(both)
    data = [dict(type="scatter", x=[lo, hi], y=[lo, hi], mode="lines", name="δ = ŷ − y",
                 line=dict(color="#111", width=max(1.5, style.line * 0.6), dash="dash"), hoverinfo="skip")]
    for cls, colour in enumerate(CLASS_COLORS):
        sel = ok & (y == cls)
        data.append(dict(
            type="scatter", x=residual[sel], y=delta[sel], customdata=index[sel], mode="markers", name=f"class {cls}",
            marker=dict(size=style.marker, color=colour, opacity=0.8, line=dict(width=1, color="white")),
            hovertemplate="sample #%{customdata}<br>ŷ − y = %{x:.4g}<br>δ = %{y:.4g}<extra>class "
                          f"{cls}</extra>"))
    badge = dict(text=identity_badge(gap, int(np.count_nonzero(~ok))), xref="paper", yref="paper",
                 x=0.02, y=0.98, xanchor="left", yanchor="top", showarrow=False, align="left",
                 font=dict(size=style.font, color="#111"), bgcolor="rgba(255,255,255,0.9)",
                 bordercolor="#111", borderwidth=1, borderpad=6)
    axis = dict(range=[lo, hi], showgrid=True, gridcolor=GRID, zeroline=True, zerolinecolor="#bbb")
    layout = base_layout(
        style, title=dict(text=title, x=0.02),
        xaxis=dict(axis, title=dict(text="ŷ − y")),
        yaxis=dict(axis, title=dict(text="δ = ∂L/∂ŷ · ∂ŷ/∂z2")),
        legend_below=True,
        annotations=[badge],
    )
    return spec.assemble(data, layout)


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
    layout = _panels((1.0, 1.0), 0.04, ("class y = 0", "class y = 1"), style)
    layout["yaxis2"].update(matches="y", showticklabels=False)              # shared δ axis
    zmax = float(np.max(np.abs(z)))
    data, shapes = [], []
    for col, y in enumerate((0, 1), start=1):
        xref, yref = ("x", "y") if col == 1 else ("x2", "y2")
        wrong = (0.0, zmax) if y == 0 else (-zmax, 0.0)
        shapes.append(dict(fillcolor="rgba(0, 0, 0, 0.07)", layer="below", line=dict(width=0), type="rect",
                           x0=wrong[0], x1=wrong[1], xref=xref, y0=0, y1=1, yref=f"{yref} domain"))
        # Label the wrong side away from where its curves run: CE's δ heads to +1 (y = 0) or −1 (y = 1).
        layout["annotations"].append(dict(text="wrong side: ŷ leans to the other class", x=sum(wrong) / 2,
                                          y=-y_limit * 0.93 if y == 0 else y_limit * 0.93, showarrow=False,
                                          font=dict(size=style.font, color="#555"), xref=xref, yref=yref))
        for name, by_y in curves.items():
            d = by_y[y]
            keep = np.isfinite(d)
            data.append(dict(
                type="scatter", x=z[keep], y=d[keep], mode="lines", name=labels[name], legendgroup=name,
                showlegend=col == 1, line=dict(color=PAIRING_COLORS[name], width=style.line),
                hovertemplate="z2 = %{x:.3g}<br>δ = %{y:.4g}<extra>" + labels[name] + "</extra>",
                xaxis=xref, yaxis=yref))
        for name, (z2, delta, ys) in samples.items():
            sel = (ys == y) & _finite(z2, delta) & (np.abs(z2) <= zmax)
            data.append(dict(
                type="scatter", x=z2[sel], y=delta[sel], mode="markers", name=f"{labels[name]} · samples",
                legendgroup=name, showlegend=False,
                marker=dict(size=style.marker, color=PAIRING_COLORS[name], opacity=0.55,
                            line=dict(width=1, color="white")),
                hovertemplate="sample<br>z2 = %{x:.3g}<br>δ = %{y:.4g}<extra>" + labels[name] + "</extra>",
                xaxis=xref, yaxis=yref))
    for name in (n for n in curves if not PAIRINGS[n].canonical):
        layout["annotations"].append(dict(
            text=f"{PAIRINGS[name].short}: δ → 0,<br>a confidently wrong point stops learning", x=0.75 * zmax,
            y=0.0, ax=0, ay=-70, showarrow=True, arrowhead=2, arrowwidth=2,
            font=dict(size=style.font, color=PAIRING_COLORS[name]), bgcolor="rgba(255,255,255,0.85)",
            xref="x", yref="y"))
    for axis in ("xaxis", "xaxis2"):
        layout[axis].update(title=dict(text="z2 (the output's logit)"), range=[-zmax, zmax], showgrid=True,
                            gridcolor=GRID, zeroline=True, zerolinecolor="#bbb")
    for axis in ("yaxis", "yaxis2"):
        layout[axis].update(range=[-y_limit, y_limit], showgrid=True, gridcolor=GRID, zeroline=True,
                            zerolinecolor="#999")
    layout["yaxis"]["title"] = dict(text="δ = ∂L/∂z2")
    layout["shapes"] = shapes
    layout.update(base_layout(
        style, title=dict(text="δ against z2: where each pairing still pushes", x=0.02),
        legend_below=True,
    ))
    return spec.assemble(data, layout)


def output_grad_bars(grads: dict[str, tuple[np.ndarray, np.ndarray]], labels: dict[str, str],
                     style: Style) -> go.Figure:
    """Grouped bars of ``dW2 (1, n)`` per hidden unit, and ``db2 (1, 1)``, one colour per twin."""
    layout = _panels((0.8, 0.2), 0.12, ("dW2 = 1/m · dZ2 A1ᵀ   (1×n)", "db2   (1×1)"), style)
    data = []
    for name, (dW2, db2) in grads.items():
        n = dW2.shape[1]
        colour = PAIRING_COLORS[name]
        w = np.nan_to_num(dW2[0], nan=0.0, posinf=0.0, neginf=0.0)
        b = np.nan_to_num(db2[0], nan=0.0, posinf=0.0, neginf=0.0)
        data.append(dict(type="bar", x=[str(j) for j in range(1, n + 1)], y=w, name=labels[name],
                         marker=dict(color=colour), legendgroup=name, xaxis="x", yaxis="y",
                         hovertemplate="unit %{x}<br>dW2 = %{y:.4g}<extra>" + labels[name] + "</extra>"))
        data.append(dict(type="bar", x=["db2"], y=b, name=labels[name], marker=dict(color=colour), legendgroup=name,
                         showlegend=False, xaxis="x2", yaxis="y2",
                         hovertemplate="db2 = %{y:.4g}<extra>" + labels[name] + "</extra>"))
    layout["xaxis"].update(title=dict(text="hidden unit j"), type="category")
    for axis in ("yaxis", "yaxis2"):
        layout[axis].update(showgrid=True, gridcolor=GRID, zeroline=True, zerolinecolor="#777")
    layout.update(base_layout(
        style, barmode="group", title=dict(text="Output-layer gradients at this step", x=0.02),
        legend_below=True,
    ))
    return spec.assemble(data, layout)


def mean_dz2_history(series: dict[str, dict[str, np.ndarray]], labels: dict[str, str], style: Style) -> go.Figure:
    """``mean |dZ2|`` per step for each twin, on a log axis (it spans decades as training converges)."""
    return history_lines(series, "mean_abs_dZ2", labels, style, title="mean |dZ2| over the run",
                         y_title="mean |dZ2| (log scale)", log_y=True)


def sample_picker(X: np.ndarray, Y: np.ndarray, selected: int, box: float, style: Style,
                  height: int | None = None) -> go.Figure:
    """A small scatter of the training points to click on; ``customdata`` carries each sample's index.

    ``X (2, m)``, ``Y (1, m)``; the ``selected`` sample is ringed in black.
    """
    idx = np.arange(X.shape[1], dtype=np.int32)    # int32: plotly.js has no 64-bit integer arrays
    data = []
    for cls, colour in enumerate(CLASS_COLORS):
        sel = Y[0] == cls
        data.append(dict(
            type="scatter", x=X[0, sel], y=X[1, sel], customdata=idx[sel], mode="markers", name=f"class {cls}",
            marker=dict(size=style.marker + 2, color=colour, line=dict(width=1, color="white")),
            hovertemplate="sample #%{customdata}<br>x₁=%{x:.2f}<br>x₂=%{y:.2f}<extra>class " f"{cls}</extra>"))
    if 0 <= selected < X.shape[1]:
        data.append(dict(
            type="scatter", x=X[0, selected:selected + 1], y=X[1, selected:selected + 1],
            customdata=idx[selected:selected + 1], mode="markers", name=f"sample #{selected}",
            marker=dict(size=style.marker * 2.6, color="rgba(0,0,0,0)", line=dict(width=style.line, color="#111")),
            hovertemplate="sample #%{customdata} (shown)<extra></extra>"))
    axis = dict(range=[-box, box], fixedrange=True, constrain="domain", showgrid=False, zeroline=False)
    layout = base_layout(
        style, title=dict(text="Click a point to follow it", x=0.02),
        xaxis=dict(axis, title=dict(text="x₁")), yaxis=dict(axis, title=dict(text="x₂"), scaleanchor="x"),
        legend_below=True,
        height=height or int(style.height * 0.85), clickmode="event+select")
    return spec.assemble(data, layout)
