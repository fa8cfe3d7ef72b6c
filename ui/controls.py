"""Training controls shared by the pages: Step, Step × N, Play/Pause, Reset.

Callbacks only change state; the page reruns and draws what the state says.
Play runs inside an ``st.fragment(run_every=...)``, so while it plays only the
fragment reruns; the Play/Pause and Reset buttons sit outside the fragment
because they change what the whole page shows.
"""

from __future__ import annotations

import streamlit as st

from session.state import LabState

PLAY_INTERVAL = 0.8
"""Seconds between Play frames. A frame reruns the fragment and redraws three figures in the browser;
a shorter interval than that takes only queues fragment reruns, which crowds a shared server and can
swallow a Pause click. Steps per frame set the training speed instead."""
SPEEDS = (1, 2, 5, 10, 25, 50)
DEFAULT_SPEED = 5
STEP_COUNTS = (10, 100, 1000)


def _toggle_play(state: LabState) -> None:
    state.playing = not state.playing and not all(r.diverged for r in state.twins.runs.values())


def _reset(state: LabState) -> None:
    state.reset()


def play_bar(state: LabState, show_speed: bool = True) -> None:
    """Play/Pause, steps per frame and Reset (each triggers a full rerun)."""
    cols = st.columns([1, 1, 1, 3] if show_speed else [1, 1, 4])
    cols[0].button("Pause" if state.playing else "Play", key="play", on_click=_toggle_play, args=(state,),
                   type="primary" if state.playing else "secondary", width="stretch",
                   help="Train continuously; only the training panel reruns.")
    cols[1].button("Reset", key="reset", on_click=_reset, args=(state,), width="stretch",
                   help="New twins from the same initial weights, at step 0.")
    if show_speed:
        cols[2].selectbox("Steps per frame", SPEEDS, index=SPEEDS.index(DEFAULT_SPEED), key="speed",
                          persist_state="session",
                          label_visibility="collapsed", format_func=lambda s: f"{s} steps / frame")


def step_buttons(state: LabState, show_many: bool = True) -> None:
    """Step and Step × N. Step × N shows its progress while it runs."""
    cols = st.columns([1, 1, 1, 3])
    cols[0].button("Step", key="step", on_click=state.step, args=(1,), width="stretch",
                   help="One full-batch gradient-descent step for every network.")
    if not show_many:
        return
    n = cols[2].selectbox("N", STEP_COUNTS, key="step_count", persist_state="session", label_visibility="collapsed",
                          format_func=lambda k: f"N = {k}")
    if cols[1].button(f"Step × {n}", key="step_many", width="stretch"):
        chunks = 10 if n >= 100 else 1
        bar = st.progress(0.0, text=f"Training {n} steps…") if chunks > 1 else None
        for i in range(chunks):
            state.step(n // chunks)
            if bar:
                bar.progress((i + 1) / chunks, text=f"Training… {(i + 1) * n // chunks} of {n} steps")
        if bar:
            bar.empty()


def play_tick(state: LabState, interval: float | None) -> None:
    """One Play frame: advance, and stop playing (with a full rerun) once every run has diverged.

    ``interval`` is the ``run_every`` the fragment was defined with. A timer tick
    can pre-empt the full rerun that a Pause click starts, leaving a timed
    fragment and a stale "Pause" label behind; a tick that finds Play off
    therefore asks for the full rerun again, which redraws the label and stops the timer.
    """
    if not state.playing:
        if interval is not None:
            st.rerun(scope="app")
        return
    state.step(st.session_state.get("speed", DEFAULT_SPEED))
    if all(r.diverged for r in state.twins.runs.values()):
        state.playing = False
        st.rerun(scope="app")


def run_every(state: LabState) -> float | None:
    return PLAY_INTERVAL if state.playing else None
