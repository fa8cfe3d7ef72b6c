"""Small Streamlit helpers shared by pages: figures, notices, metrics."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from netcore import PAIRINGS
from session.state import LabState
from viz.theme import Style, png_config, projector, style_for


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


def pct(x: float) -> str:
    """A share as a percentage; a dash when there is none (e.g. no test set)."""
    return "–" if x != x else f"{100 * x:.0f}%"


def num(x: float) -> str:
    """A loss to three significant digits; a dash when there is none."""
    return "–" if x != x else f"{x:.3g}"


def current_style() -> Style:
    """The figure sizes for this session: larger in presenter view."""
    return style_for(bool(st.session_state.get("present", False)))


def metrics_row(state: LabState) -> None:
    """Step, then train/test loss and accuracy for each visible pairing."""
    names = state.visible()
    cols = st.columns([1] + [4] * len(names))
    cols[0].metric("Step", state.twins.step_count)
    for col, name in zip(cols[1:], names):
        last = state.twins.runs[name].history.last()
        col.markdown(f"**{PAIRINGS[name].label}**")
        a, b, c, d = col.columns(4)
        a.metric("train loss", num(last["train_loss"]))
        b.metric("test loss", num(last["test_loss"]))
        c.metric("train acc", pct(last["train_acc"]))
        d.metric("test acc", pct(last["test_acc"]))
