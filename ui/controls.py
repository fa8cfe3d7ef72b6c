"""Training controls shared by the pages: Step, Step × N, Play/Pause, steps per frame, Reset, and the keys.

Callbacks only change state; the page reruns and draws what the state says.
Play is the live view's (``ui/liveview.py``): the Play button starts it, and
while it plays the view catches Pause and Step itself, so it can stop on the
frame it shows. Every other change first settles Play (:func:`ui.liveview.settle`).
"""

from __future__ import annotations

import streamlit as st

from session.state import LabState
from ui import liveview

SPEEDS = (1, 2, 5, 10, 25, 50)
DEFAULT_SPEED = 1
STEP_COUNTS = (10, 100, 1000)
KEYS_HELP = "Keys (and presentation clickers): → Space PageDown = Step · P PageUp = Play/Pause · L = log-scale loss."


def _toggle_play(state: LabState) -> None:
    if state.playing:
        liveview.settle(state)        # a Pause the view did not catch: stop where it last said it was
    else:
        liveview.start(state, st.session_state.get("speed", DEFAULT_SPEED))


def _reset(state: LabState) -> None:
    liveview.settle(state)
    state.reset()


def _step(state: LabState, k: int) -> None:
    liveview.settle(state)
    state.step(k)


def _step_many(state: LabState, n: int) -> None:
    """Step × N, showing its progress while it runs."""
    liveview.settle(state)
    chunks = 10 if n >= 100 else 1
    bar = st.progress(0.0, text=f"Training {n} steps…") if chunks > 1 else None
    for i in range(chunks):
        state.step(n // chunks)
        if bar:
            bar.progress((i + 1) / chunks, text=f"Training… {(i + 1) * n // chunks} of {n} steps")
    if bar:
        bar.empty()


def _step_button(col, state: LabState) -> None:
    col.button("Step", key="step", on_click=_step, args=(state, 1), width="stretch",
               help="One full-batch gradient-descent step for every network. Keys: → Space PageDown.")


def _step_many_controls(button_col, menu_col, state: LabState) -> None:
    """The N menu and the Step × N button beside it (the button runs Step × N in this run, showing progress)."""
    n = menu_col.selectbox("N", STEP_COUNTS, key="step_count", persist_state="session", label_visibility="collapsed",
                           format_func=lambda k: f"N = {k}")
    if button_col.button(f"Step × {n}", key="step_many", width="stretch"):
        _step_many(state, n)


def step_buttons(state: LabState, show_many: bool = True) -> None:
    """Step and Step × N (the keyboard and clicker press them: ``liveview.keys``)."""
    cols = st.columns([1, 1, 1, 3])
    _step_button(cols[0], state)
    if not show_many:
        return
    _step_many_controls(cols[1], cols[2], state)


def train_bar(state: LabState, present: bool = False) -> None:
    """Step, Step × N, Play/Pause, steps per frame and Reset in one row (Step, Play and Reset in presenter view).

    The menus are wide enough for their longest choice ("N = 1000", "50 steps / frame") at 1280 px with the
    sidebar open.
    """
    widths = [1.1, 1.1, 1.1, 1.2, 3] if present else [1, 1.25, 1.3, 1, 1.9, 1]
    cols = st.columns(widths, vertical_alignment="center")
    _step_button(cols[0], state)
    play = cols[1 if present else 3]
    play.button("Pause" if state.playing else "Play", key="play", on_click=_toggle_play, args=(state,),
                type="primary" if state.playing else "secondary", width="stretch",
                help="Train continuously; the view plays the frames as the server computes them. Keys: P PageUp.")
    cols[2 if present else 5].button("Reset", key="reset", on_click=_reset, args=(state,), width="stretch",
                                     help="New twins from the same initial weights, at step 0.")
    if present:
        return
    cols[4].selectbox("Steps per frame", SPEEDS, index=SPEEDS.index(DEFAULT_SPEED), key="speed",
                      persist_state="session", label_visibility="collapsed",
                      format_func=lambda s: f"{s} step{'s' if s > 1 else ''} / frame",
                      help="Steps between two frames of Play (30 frames a second).")
    _step_many_controls(cols[1], cols[2], state)
