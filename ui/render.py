"""Small Streamlit helpers shared by pages: figures, notices, the divergence callout."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from netcore import PAIRINGS
from session.state import LabState
from viz.theme import Style, png_config, projector, style_for

if TYPE_CHECKING:                 # for the annotation only: the Train and Replay pages build no Plotly figure
    import plotly.graph_objects as go


def figure(fig: go.Figure, key: str, filename: str | None = None, **chart) -> None:
    """Show a Plotly figure with its PNG download button in the modebar (made projector-ready in presenter view).

    ``chart`` goes on to ``st.plotly_chart`` (e.g. ``on_select`` and ``selection_mode`` for a clickable chart).
    """
    if st.session_state.get("present", False):
        projector(fig, current_style())
    st.plotly_chart(fig, key=key, width="stretch", theme=None, config=png_config(filename or f"backprop-lab-{key}"),
                    **chart)


def notices(state: LabState) -> None:
    """Show what changed since the last rerun (new twins, clamped values), once."""
    for text in state.take_notices():
        st.info(text)
    if state.custom is not None:
        st.caption(f"Training on your own points ({state.data.m} of them), not on a generated dataset. "
                   "Change them or go back on the **Data** page.")


def divergence(state: LabState) -> None:
    """A callout per diverged run: when, why, what to try."""
    for name, run in state.twins.runs.items():
        d = run.diverged
        if d:
            st.error(f"**{PAIRINGS[name].label} diverged at step {d.step}**: {d.reason}. {d.advice}")


def current_style() -> Style:
    """The figure sizes for this session: larger in presenter view."""
    return style_for(bool(st.session_state.get("present", False)))

