"""Going back over a run: the twins' boundaries at one recorded step, and the whole run as an animation.

The animation is Plotly's own: the figure carries ``frames`` plus Play/Pause
buttons and a slider, so it plays in the browser with no server rerun. Each
frame replaces only the ``z`` of each panel (a coarse float32 grid, drawn
smoothed); the axes and the data points are sent once.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from netcore import PAIRINGS
from viz import spec
from viz.boundary import colour_range, point_traces
from viz.theme import PROBABILITY_SCALE, Style, base_layout

FRAME_MS = 200
"""Milliseconds per animation frame."""

ANIMATION_POINTS = 600
"""Most points of each set (train, test) an animation draws; more are thinned evenly within each class."""


def thin_points(X: np.ndarray, Y: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``cap`` columns of ``X (2, m)``, ``Y (1, m)``, each class keeping its share (and at least one)."""
    m = X.shape[1]
    if m <= cap:
        return X, Y
    keep = []
    for cls in (0, 1):
        idx = np.flatnonzero(Y[0] == cls)
        if idx.size:
            k = max(1, round(cap * idx.size / m))
            keep.append(idx[np.unique(np.linspace(0, idx.size - 1, k).round().astype(int))])
    keep = np.sort(np.concatenate(keep))
    return X[:, keep], Y[:, keep]


def _z(z: np.ndarray, linear_output: bool) -> np.ndarray:
    lo, hi = colour_range(linear_output)
    return np.clip(np.nan_to_num(z, nan=0.5, posinf=hi, neginf=lo), lo, hi).astype(np.float32)


def _surface(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, linear_output: bool, style: Style) -> dict:
    """ŷ as a smooth heatmap with its 0.5 contour drawn, in one trace (so a frame sends z once).

    With ``coloring="heatmap"`` Plotly spreads the colour scale over
    ``[start - size/2, end + size/2]``, so the single level 0.5 with
    ``size = hi - lo`` maps the colours onto exactly ``[lo, hi]`` (both ranges are centred on 0.5).
    """
    lo, hi = colour_range(linear_output)
    return dict(type="contour", x=xs.astype(np.float32), y=ys.astype(np.float32), z=_z(z, linear_output), zmin=lo,
                zmax=hi, zauto=False, colorscale=PROBABILITY_SCALE, showscale=False,
                contours=dict(coloring="heatmap", start=0.5, end=0.5, size=hi - lo, showlines=True),
                line=dict(width=style.contour, color="#111"),
                hovertemplate="x1=%{x:.2f}<br>x2=%{y:.2f}<br>ŷ=%{z:.3f}<extra></extra>")


def _panels(names: list[str], titles: list[str], xs, ys, grids: dict[str, np.ndarray],
            train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray] | None,
            box: float, style: Style, max_points: int | None = None) -> tuple[list[dict], dict, list[int]]:
    """Side-by-side panels: their traces, their layout keys, and the index of each panel's surface trace."""
    if max_points:
        train = thin_points(*train, max_points)
        test = thin_points(*test, max_points) if test is not None else None
    layout = spec.subplot_grid(1, len(names), horizontal_spacing=0.04, titles=titles, title_size=style.title - 1)
    data: list[dict] = []
    surfaces = []
    X, Y = train[0].astype(np.float32), train[1]
    axis = dict(range=[-box, box], fixedrange=True, constrain="domain", showgrid=False, zeroline=False,
                ticks="outside")
    for c, name in enumerate(names):
        xref, yref = spec.axis_names(c)
        surfaces.append(len(data))
        panel = [_surface(xs, ys, grids[name], PAIRINGS[name].linear_output, style)]
        panel += point_traces(X, Y, style, showlegend=c == 0, name_suffix=" · train")
        if test is not None and test[0].shape[1]:
            panel += point_traces(test[0].astype(np.float32), test[1], style, hollow=True,
                                  showlegend=c == 0, name_suffix=" · test")
        data += [dict(trace, xaxis=xref, yaxis=yref) for trace in panel]
        layout["xaxis" + xref[1:]].update(axis, title=dict(text="x₁"))
        layout["yaxis" + yref[1:]].update(axis, scaleanchor=xref, **({"title": dict(text="x₂")} if c == 0 else {}))
    return data, layout, surfaces


def timeline_figure(xs: np.ndarray, ys: np.ndarray, names: list[str], labels: dict[str, str],
                    grids: dict[str, np.ndarray], shown_steps: dict[str, int],
                    train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray] | None,
                    box: float, style: Style, step: int) -> go.Figure:
    """Every run's ŷ over the box at a recorded ``step``, side by side.

    ``grids[name]`` is ``yhat (r, r)`` on ``xs, ys``; ``shown_steps[name]`` is
    the step it was recorded at (earlier than ``step`` for a run that diverged).
    """
    titles = [labels[n] + (f" (stopped at step {shown_steps[n]})" if shown_steps[n] != step else "") for n in names]
    data, layout, _ = _panels(names, titles, xs, ys, grids, train, test, box, style)
    layout.update(base_layout(
        style, title=dict(text=f"Replay · step {step}", x=0.02), height=style.height + 120,
        legend_below=True,
    ))
    return spec.assemble(data, layout)


def animation_figure(xs: np.ndarray, ys: np.ndarray, names: list[str], labels: dict[str, str],
                     frames: list[tuple[int, dict[str, np.ndarray]]], train: tuple[np.ndarray, np.ndarray],
                     test: tuple[np.ndarray, np.ndarray] | None, box: float, style: Style,
                     frame_ms: int = FRAME_MS) -> go.Figure:
    """A client-side animation of the runs' ŷ over ``frames = [(step, {name: yhat (r, r)})]``.

    Frame ``k`` is named ``str(step)`` and holds one float32 ``z`` per run;
    Play/Pause buttons and a slider drive it in the browser. At most
    :data:`ANIMATION_POINTS` points per set are drawn, to keep the payload small.
    """
    first_step, first = frames[0]
    data, layout, surfaces = _panels(names, [labels[n] for n in names], xs, ys, first, train, test, box, style,
                                     max_points=ANIMATION_POINTS)
    for trace in data:
        trace["showlegend"] = False                        # the timeline above has the legend
    frame_specs = [dict(name=str(step), traces=surfaces,
                        data=[dict(type="contour", z=_z(grids[n], PAIRINGS[n].linear_output)) for n in names],
                        layout=dict(title=dict(text=f"Animation · step {step}")))
                   for step, grids in frames]
    play = dict(label="▶ Play", method="animate",
                args=[None, dict(frame=dict(duration=frame_ms, redraw=True), fromcurrent=True,
                                 transition=dict(duration=0), mode="immediate")])
    pause = dict(label="❚❚ Pause", method="animate",
                 args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate",
                                    transition=dict(duration=0))])
    every = max(1, len(frames) // 8)
    slider = dict(
        active=0, x=0.16, len=0.84, y=-0.13, yanchor="top", pad=dict(t=10, b=10),
        currentvalue=dict(prefix="step ", font=dict(size=style.font)), font=dict(size=style.font - 3),
        steps=[dict(method="animate", label=str(step) if i % every == 0 or i == len(frames) - 1 else "",
                    args=[[str(step)], dict(mode="immediate", frame=dict(duration=0, redraw=True),
                                            transition=dict(duration=0))])
               for i, (step, _) in enumerate(frames)])
    layout.update(base_layout(
        style, title=dict(text=f"Animation · step {first_step}", x=0.02), height=style.height + 200,
        updatemenus=[dict(type="buttons", direction="left", x=0, y=-0.13, xanchor="left", yanchor="top",
                          pad=dict(t=38, r=10), showactive=False, buttons=[play, pause],
                          font=dict(size=style.font))],
        sliders=[slider],
        margin=dict(l=10, r=10, t=80, b=150),
    ))
    return spec.assemble(data, layout, frame_specs)
