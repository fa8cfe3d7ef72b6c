"""The shared sidebar: every control that defines the twins, drawn on every page.

Widget keys are the :class:`~settings.config.Config` field names. Before the
widgets are drawn, whatever session state holds for them is made legal
(:func:`settings.config.coerce`) and any change is reported, so a bad value set
from outside can neither crash a widget nor pass silently.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from netcore import HIDDEN
from netcore.datasets import LABELS
from settings.config import (
    BATCH_CHOICES,
    DEFAULT,
    FIELD_NAMES,
    LR_CHOICES,
    POINTS_RANGE,
    VIEWS,
    WIDTH_RANGE,
    Config,
    coerce_field,
)


def sanitize_widget_state() -> list[str]:
    """Give every sidebar key a legal value in session state; return what had to change."""
    notes = []
    for name in FIELD_NAMES:
        if name not in st.session_state:
            st.session_state[name] = getattr(DEFAULT, name)
            continue
        value, note = coerce_field(name, st.session_state[name])
        if note:
            notes.append(note)
        if note or type(value) is not type(st.session_state[name]):
            st.session_state[name] = value
    return notes


def draw() -> None:
    """Draw the controls into the current container (their values live in session state under the field names)."""
    st.header("Data")
    st.selectbox("Dataset", list(LABELS), key="dataset", format_func=LABELS.get, persist_state="session",
                 help="Every dataset lies in the same box, so the axes never move.")
    st.slider("Points", *POINTS_RANGE, step=10, key="n_points", persist_state="session")
    st.slider("Noise", 0.0, 1.0, step=0.05, key="noise", persist_state="session",
              help="Jitters the points after labelling: high noise makes the classes overlap.")
    st.slider("Test fraction", 0.0, 0.5, step=0.05, key="test_fraction", persist_state="session",
              help="Share of points held out; they are drawn hollow and never trained on.")
    st.number_input("Seed", min_value=0, max_value=2**31 - 1, step=1, key="seed", persist_state="session",
                    help="Fixes the data, the split and the initial weights: same seed, same run.")
    st.header("Network")
    st.radio("View", list(VIEWS), key="view", format_func=VIEWS.get, persist_state="session")
    st.slider("Hidden units (width n)", *WIDTH_RANGE, key="width", persist_state="session")
    st.select_slider("Learning rate", options=list(LR_CHOICES), key="lr", format_func=lambda v: f"{v:g}",
                     persist_state="session", help="Changing it keeps the current weights.")
    st.selectbox("Hidden activation", list(HIDDEN), key="hidden", format_func=lambda k: HIDDEN[k].label,
                 persist_state="session")
    st.selectbox("Batch size", list(BATCH_CHOICES), key="batch_size", persist_state="session",
                 format_func=lambda b: "full batch (as in the seed)" if b == 0 else str(b))
    st.checkbox("Also train the mismatched MSE + sigmoid", key="contrast", persist_state="session",
                help="A third network on the same weights whose output layer does not cancel.")


def only_lr_changed(old: Config, new: Config) -> bool:
    """True when ``new`` differs from ``old`` in the learning rate alone: the weights, data and figures stay."""
    return new != old and replace(new, lr=old.lr) == old
