"""Train: the twins side by side, stepped in lockstep, in the live view."""

import streamlit as st

from ui import controls, lecture, liveview, render
from ui.state import lab

BOUNDARY_KEY = ("Background: the network's output ŷ over the input box, **orange** towards class 0 and **blue** "
                "towards class 1, one square per grid point; the black line is ŷ = 0.5. Dots: **filled** = "
                "training points, **hollow** = test points, coloured by their true class. "
                + controls.KEYS_HELP)

state = lab()
present = lecture.presenting()     # presenter view: only Step, Play and Reset, and the view fits the screen

if not present:
    st.title("Train")
    st.caption(
        "Two networks start from the **same weights** on the **same data**; only the output layer differs: "
        "MSE with a linear output, and cross-entropy with a sigmoid output. Step them together and watch "
        "the boundaries. The backprop rule is the same for both, so every difference comes from ŷ.")


@st.fragment
def live_view(note: str) -> None:
    """The view alone: its own requests (the next frames of Play, Step) rerun nothing else. Its Log scale
    button (and the L key) redraws the loss chart in the browser, so it reruns nothing at all."""
    liveview.show(state, present=present, note=note)
    lecture.follow_step(state)                # the address bar holds the step the view shows


@st.fragment
def training_panel() -> None:
    controls.train_bar(state, present)
    note = ""
    with st.container():                      # banners above the view, which keeps its place in the page
        if present:                           # a projector keeps its height for the view: notices go in it
            note = " ".join(state.take_notices())
        else:
            render.notices(state)
        render.divergence(state)
    live_view(note)                           # it follows the step into the address bar, Step × N's and Reset's too
    if not present:
        st.caption(BOUNDARY_KEY)


training_panel()
