"""Plotly figures from plain specs, without Plotly's per-property validation.

Every builder in ``viz/`` writes its figure as one dict of trace specs and one
layout dict. ``go.Figure(spec)`` would check each property against Plotly's
schema as it copies it in, which costs more than the network's forward pass,
the grid predictions and the JSON encoding together. The pages rebuild their
figures on every rerun, for every student, so :func:`assemble` skips that
check (``bench/figure_build.py`` prints what it saves).

The check is not lost. These specs come from code, never from users, so
tests/viz/test_specs.py runs every builder and re-reads its output through a
fully validating ``go.Figure``: a misspelt property or an out-of-range value
fails there, and the validated figure must encode to the same JSON as the
one the app sends.
"""

from __future__ import annotations

import plotly.graph_objects as go


def assemble(data: list[dict], layout: dict, frames: list[dict] | None = None) -> go.Figure:
    """A figure holding ``data``, ``layout`` (and animation ``frames``) as given, unchecked.

    NumPy arrays keep their dtype.
    """
    spec = dict(data=data, layout=layout)
    if frames is not None:
        spec["frames"] = frames
    return go.Figure(spec, _validate=False)


def validated(fig: go.Figure) -> go.Figure:
    """``fig`` read back through Plotly's validation; raises ``ValueError`` on anything Plotly would reject."""
    return go.Figure(fig.to_dict())


def axis_names(k: int) -> tuple[str, str]:
    """The x and y axis references of subplot ``k`` (0-based, row-major): ``("x", "y")``, ``("x2", "y2")``..."""
    suffix = "" if k == 0 else str(k + 1)
    return f"x{suffix}", f"y{suffix}"


def subplot_grid(rows: int, cols: int, horizontal_spacing: float = 0.2, vertical_spacing: float = 0.3,
                 titles: list[str] | tuple[str, ...] = (), title_size: int = 16,
                 column_widths: tuple[float, ...] | None = None, shared_xaxes: bool = False) -> dict:
    """The layout keys ``plotly.subplots.make_subplots`` gives a grid, as plain dicts.

    Axes ``xaxis``, ``yaxis``, ``xaxis2``... with their domains and anchors
    (subplot 1 top left, row-major), and one title annotation per subplot
    above it. ``make_subplots`` builds the same through validated objects, which
    is slow for a grid of maps on every rerun; tests/viz/test_specs.py checks
    this against it.
    """
    widths = column_widths or (1.0,) * cols
    free_x = 1.0 - horizontal_spacing * (cols - 1)
    x_domains, left = [], 0.0
    for w in widths:
        span = free_x * w / sum(widths)
        x_domains.append([left, left + span])
        left += span + horizontal_spacing
    height = (1.0 - vertical_spacing * (rows - 1)) / rows
    y_domains = [[(rows - 1 - r) * (height + vertical_spacing), (rows - 1 - r) * (height + vertical_spacing) + height]
                 for r in range(rows)]
    # rounding can leave an edge at 1.0000000000000002, which Plotly rejects
    x_domains = [[min(1.0, max(0.0, v)) for v in d] for d in x_domains]
    y_domains = [[min(1.0, max(0.0, v)) for v in d] for d in y_domains]
    layout: dict = {}
    for r in range(rows):
        for c in range(cols):
            k = r * cols + c
            x, y = axis_names(k)
            xaxis = dict(anchor=y, domain=x_domains[c])
            if shared_xaxes and r < rows - 1:
                xaxis.update(matches=axis_names((rows - 1) * cols + c)[0], showticklabels=False)
            layout["xaxis" + x[1:]] = xaxis
            layout["yaxis" + y[1:]] = dict(anchor=x, domain=y_domains[r])
    layout["annotations"] = [
        dict(font=dict(size=title_size), showarrow=False, text=text, x=sum(x_domains[k % cols]) / 2,
             xanchor="center", xref="paper", y=y_domains[k // cols][1], yanchor="bottom", yref="paper")
        for k, text in enumerate(titles)]
    return layout
