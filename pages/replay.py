"""Replay: go back over the run in the live view (one recorded step, or the whole run animated), and export it."""

import streamlit as st

from dataio import export
from lesson import grids
from netcore import SNAPSHOT_CAP
from ui import lecture, liveview, render
from ui.state import lab

ANIMATION_FRAMES = 120       # most recorded steps the animation plays, evenly spaced: four seconds at 30 a second

state = lab()
ss = st.session_state

st.title("Replay")
st.caption(f"The twins' parameters are recorded as they train (at most {SNAPSHOT_CAP} snapshots per network, "
           "evenly spaced from step 0). Going back over them never changes the live run. The picture is the "
           "Train page's, drawn from the recorded parameters.")
render.notices(state)
steps = grids.replay_steps(state.twins)
if len(steps) < 2:
    st.info("Nothing to replay yet: only step 0 is recorded. Train the twins on the Train page, then come back.")


# -- one view for both: a fragment, so the slider and the button rerun only this panel ------------------------
@st.fragment
def timeline() -> None:
    if ss.get("replay_step") not in steps:
        ss["replay_step"] = steps[-1]
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    step = left.select_slider("Recorded step", options=list(steps), key="replay_step", disabled=len(steps) < 2,
                              help="Every recorded step; the boundaries of all twins at that step.")
    animate = right.button("Animate the run", key="replay_animate", icon=":material/play_arrow:", width="stretch",
                           disabled=len(steps) < 2,
                           help="Plays the recorded steps once, in the browser, with no server reruns.")
    frames = grids.pick_frames(steps, ANIMATION_FRAMES) if animate else (step,)
    liveview.replay(state, frames, animate=animate, present=lecture.presenting())
    st.caption(f"The animation plays {len(grids.pick_frames(steps, ANIMATION_FRAMES))} of the {len(steps)} recorded "
               "steps at 30 a second, then stays on the last one; a network that stopped (diverged) shows its last "
               "finite state. The colours: ŷ from orange (0) to blue (1); MSE + linear is clipped to [−0.5, 1.5].")


timeline()

# -- export ----------------------------------------------------------------------------------------------
st.header("Export this run")
st.caption("The picture downloads as a PNG from the button at its top right.")
a, b = st.columns(2)
a.download_button("History of all twins (CSV)", data=lambda: export.history_csv(state.twins),
                  file_name=f"backprop-lab-history-step{state.twins.step_count}.csv", mime="text/csv",
                  key="download_history", icon=":material/table:", on_click="ignore", width="stretch",
                  help="One row per recorded step and network: losses, accuracies, weight and gradient norms.")
b.download_button("Current weights (JSON)", data=lambda: export.weights_json(state.twins),
                  file_name=f"backprop-lab-weights-step{state.twins.step_count}.json", mime="application/json",
                  key="download_weights", icon=":material/data_object:", on_click="ignore", width="stretch",
                  help="W1, b1, W2, b2 of every twin, each with its shape.")
