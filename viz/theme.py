"""Colours, fonts and sizes shared by every figure.

The palette is Okabe & Ito's, chosen to stay distinct under deuteranopia and
protanopia: class 0 is orange, class 1 is blue (the pair that survives every
common colour-vision deficiency), and the three pairings get hues that are
neither. :data:`PRESENTER` scales everything for a projector seen from the
back row.
"""

from __future__ import annotations

from dataclasses import dataclass

from netcore import PAIRINGS

CLASS_COLORS = ("#E69F00", "#0072B2")
"""Class 0 (orange) and class 1 (blue), the same on every page."""

PAIRING_COLORS = dict(zip(PAIRINGS, ("#CC79A7", "#228833", "#444444")))
"""In registry order: reddish purple (Okabe & Ito) for MSE + linear, green (Tol's bright scheme) for
CE + sigmoid and a dark grey for the mismatched contrast.

Not Okabe & Ito's bluish green #009E73: under deuteranopia it and the
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


MODEBAR_PX = 34
"""Height of Plotly's toolbar row at the top right of every figure, with a small gap; titles start below it."""


def base_layout(style: Style, legend_below: bool = False, **extra) -> dict:
    """Layout keys every figure shares: readable fonts, tight margins, a white page.

    The title sits under the toolbar row (which is always shown, for the PNG
    download), so the toolbar never covers its end. ``legend_below`` puts a
    one-row horizontal legend at the very bottom of the figure, under the x
    axis title, with the bottom margin sized for both. ``extra`` overrides any
    key; a ``title``, ``legend`` or ``margin`` given there is merged into these defaults.
    """
    title_px = MODEBAR_PX + round(style.title * 1.5)
    layout = dict(
        font=dict(size=style.font, family="Inter, Segoe UI, Helvetica, Arial, sans-serif", color="#111"),
        margin=dict(l=10, r=10, t=title_px + 8, b=10),
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=style.height,
        hoverlabel=dict(font=dict(size=style.font)),
        # Axis defaults for every axis of every subplot. The app draws figures with
        # Streamlit's chart theme off (it makes the browser's redraw much slower),
        # so what that theme supplied, room for tick labels above all, is set here.
        template=dict(layout=dict(
            xaxis=dict(automargin=True, linecolor="#444", ticks="outside", tickcolor="#444"),
            yaxis=dict(automargin=True, linecolor="#444", ticks="outside", tickcolor="#444"),
            title=dict(font=dict(weight=600)),
        )),
    )
    title = dict(font=dict(size=style.title), yref="container", y=1.0, yanchor="top", pad=dict(t=MODEBAR_PX))
    legend = dict(font=dict(size=style.font))
    if legend_below:
        legend.update(orientation="h", x=0, xanchor="left", yref="container", y=0, yanchor="bottom",
                      font=dict(size=style.font - 2))
        # tick labels, the axis title and their gaps, then one row of legend entries
        layout["margin"]["b"] = round(style.font * 4.2) + round(style.font * 2)
    title.update(extra.pop("title", {}))
    legend.update(extra.pop("legend", {}))
    layout["margin"].update(extra.pop("margin", {}))
    layout.update(extra, title=title, legend=legend)
    return layout


def projector(fig, style: Style):
    """Make ``fig`` readable from the back row (presenter view); returns it.

    Axis ticks and titles are sized from ``style`` here, larger than the
    figure's base font would make them. Markers
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
