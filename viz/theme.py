"""Colours, fonts and sizes shared by every figure.

The palette is Okabe & Ito's, chosen to stay distinct under deuteranopia and
protanopia: class 0 is orange, class 1 is blue (the pair that survives every
common colour-vision deficiency), and the three pairings get hues that are
neither. :data:`PRESENTER` scales everything for a projector seen from the
back row.
"""

from __future__ import annotations

from dataclasses import dataclass

CLASS_COLORS = ("#E69F00", "#0072B2")
"""Class 0 (orange) and class 1 (blue), the same on every page."""

PAIRING_COLORS = {"mse-linear": "#CC79A7", "ce-sigmoid": "#228833", "mse-sigmoid": "#444444"}
"""Reddish purple (Okabe & Ito), green (Tol's bright scheme) and a dark grey for the mismatched contrast.

Okabe & Ito's bluish green #009E73 was replaced: under deuteranopia it and the
reddish purple both turn a mid grey (CIEDE2000 distance 16); this darker green
keeps the twins 30 apart and every line at least 3:1 against white
(tests/viz/test_palette.py)."""

PROBABILITY_SCALE = [
    [0.0, "#C77A00"], [0.25, "#F3C879"], [0.5, "#F7F7F7"], [0.75, "#86BCE0"], [1.0, "#005A8D"],
]
"""Diverging orange-white-blue colour scale: y_hat = 0 reads as class 0, 1 as class 1."""

LINEAR_RANGE = (-0.5, 1.5)
"""The colour range of a linear output: symmetric about the 0.5 threshold, clipped beyond."""


def colour_range(linear_output: bool) -> tuple[float, float]:
    """[0, 1] for a sigmoid output; :data:`LINEAR_RANGE` (clipped) for a linear one."""
    return LINEAR_RANGE if linear_output else (0.0, 1.0)


@dataclass(frozen=True)
class Style:
    """Sizes for one display mode."""

    font: int
    title: int
    line: float
    marker: float
    contour: float
    height: int


STANDARD = Style(font=14, title=17, line=2.5, marker=7, contour=3, height=430)
PRESENTER = Style(font=22, title=26, line=5, marker=11, contour=5, height=560)


def style_for(presenter: bool) -> Style:
    return PRESENTER if presenter else STANDARD


def base_layout(style: Style, **extra) -> dict:
    """Layout keys every figure shares: readable fonts, tight margins, a white page."""
    layout = dict(
        font=dict(size=style.font, family="Inter, Segoe UI, Helvetica, Arial, sans-serif", color="#111"),
        title=dict(font=dict(size=style.title)),
        margin=dict(l=10, r=10, t=60, b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=style.height,
        legend=dict(font=dict(size=style.font)),
        hoverlabel=dict(font=dict(size=style.font)),
        # Axis defaults for every axis of every subplot. The app draws figures with
        # Streamlit's chart theme off (it costs the browser about half of each redraw),
        # so what that theme supplied, room for tick labels above all, is set here.
        template=dict(layout=dict(
            xaxis=dict(automargin=True, linecolor="#444", ticks="outside", tickcolor="#444"),
            yaxis=dict(automargin=True, linecolor="#444", ticks="outside", tickcolor="#444"),
            title=dict(font=dict(weight=600)),
        )),
    )
    layout.update(extra)
    return layout


def projector(fig, style: Style):
    """Make ``fig`` readable from the back row (presenter view); returns it.

    Streamlit's chart theme gives axis ticks and titles its own small size
    unless a figure sets them, so they are set here from ``style``. Markers
    stop relying on hue alone, which a washed-out projector fades: filled
    markers get a dark outline, and hollow (test) markers become white discs
    inside a thick ring of their class colour, visible on any background.
    """
    fig.update_layout(title_font_size=style.title)
    axis_fonts = dict(tickfont=dict(size=style.font - 2), title=dict(font=dict(size=style.font)))
    fig.update_xaxes(**axis_fonts)
    fig.update_yaxes(**axis_fonts)
    for trace in fig.data:
        if "markers" not in str(getattr(trace, "mode", "") or ""):
            continue
        marker = trace.marker
        if "open" in str(marker.symbol or ""):
            ring = marker.color if isinstance(marker.color, str) else "#111111"
            ring_line = dict(color=ring, width=max(3, style.line * 0.8))
            trace.update(marker=dict(symbol="circle", color="white", line=ring_line))
        else:
            trace.update(marker_line=dict(color="#111111", width=max(1.5, style.line / 3)))
    return fig


PNG_CONFIG = {
    "displaylogo": False,
    "displayModeBar": True,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
"""Plotly's modebar config: always visible, PNG export at twice the size."""


def png_config(filename: str, width: int = 1200, height: int = 700) -> dict:
    """The modebar config for a figure whose PNG download is named ``filename``."""
    return {**PNG_CONFIG, "toImageButtonOptions": {"format": "png", "filename": filename,
                                                   "width": width, "height": height, "scale": 2}}
