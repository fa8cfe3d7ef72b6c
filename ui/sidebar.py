"""The shared sidebar: every control that defines the twins, drawn on every page.

Widget keys are the :class:`~settings.config.Config` field names. Before the
widgets are drawn, whatever session state holds for them is made legal
(:func:`settings.config.coerce`) and any change is reported, so a bad value set
from outside can neither crash a widget nor pass silently.
"""

from __future__ import annotations

import streamlit as st

from netcore import HIDDEN, MISMATCHED, PAIRINGS
from netcore.datasets import LABELS
from settings.config import DEFAULT, FIELD_NAMES, SETTINGS, VIEWS, coerce_field

DRAWN_KEY = "_sidebar_drawn"
"""Set in session state once a session has had its first run: every later run draws the sidebar's widgets."""


def comes_later() -> bool:
    """Whether this run leaves the sidebar's widgets to the next one: on a session's first run only.

    The page comes first. Drawn in the same run, the sidebar's widgets (over a
    dozen, of six kinds, each kind's code loaded by the browser on first use)
    hold back the page's own first picture (README, Cold start). Once the
    page is painted, the browser asks for the next run (``liveview.keys``),
    which draws them; their values are in session state from the start
    (:func:`sanitize_widget_state`), so the first run already uses them.
    """
    later = DRAWN_KEY not in st.session_state
    st.session_state[DRAWN_KEY] = True
    return later


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


def _bounds(name: str) -> tuple:
    return SETTINGS[name].bounds


def _choices(name: str) -> list:
    return list(SETTINGS[name].choices)


def draw() -> None:
    """Draw the controls into the current container (their values live in session state under the field names).

    Ranges and choices come from the settings table (:data:`settings.config.SETTINGS`); what is
    chosen here is only how each is shown: the widget, its label, its increments and its help.
    """
    st.header("Data")
    st.selectbox("Dataset", _choices("dataset"), key="dataset", format_func=LABELS.get, persist_state="session",
                 help="Every dataset lies in the same box, so the axes never move.")
    st.slider("Points", *_bounds("n_points"), step=10, key="n_points", persist_state="session")
    st.slider("Noise", *_bounds("noise"), step=0.05, key="noise", persist_state="session",
              help="Jitters the points after labelling: high noise makes the classes overlap.")
    st.slider("Test fraction", *_bounds("test_fraction"), step=0.05, key="test_fraction", persist_state="session",
              help="Share of points held out; they are drawn hollow and never trained on.")
    st.number_input("Seed", *_bounds("seed"), step=1, key="seed", persist_state="session",
                    help="Fixes the data, the split and the initial weights: same seed, same run.")
    st.header("Network")
    st.radio("View", _choices("view"), key="view", format_func=VIEWS.get, persist_state="session")
    st.slider("Hidden units (width n)", *_bounds("width"), key="width", persist_state="session")
    st.select_slider("Learning rate", options=_choices("lr"), key="lr", format_func=lambda v: f"{v:g}",
                     persist_state="session", help="Changing it keeps the current weights.")
    st.selectbox("Hidden activation", _choices("hidden"), key="hidden", format_func=lambda k: HIDDEN[k].label,
                 persist_state="session")
    st.selectbox("Batch size", _choices("batch_size"), key="batch_size", persist_state="session",
                 format_func=lambda b: "full batch (as in the seed)" if b == 0 else str(b))
    st.checkbox(f"Also train the mismatched {' / '.join(PAIRINGS[n].short for n in MISMATCHED)}", key="contrast",
                persist_state="session",
                help="A third network on the same weights whose output layer does not cancel.")
