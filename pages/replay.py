"""Replay: go back over the run (a timeline of recorded steps, and a client-side animation), and export it."""

import streamlit as st

from dataio import export
from lesson import grids
from netcore import BOX, PAIRINGS, SNAPSHOT_CAP, grid
from session.state import GRID_RESOLUTION
from ui import render
from ui.state import lab
from viz.replay import animation_figure, timeline_figure

state = lab()
style = render.current_style()
ss = st.session_state
names = list(state.twins.runs)
labels = {n: PAIRINGS[n].label for n in names}
train, test = (state.train.X, state.train.Y), (state.test.X, state.test.Y)

st.title("Replay")
st.caption(f"The twins' parameters are recorded as they train (at most {SNAPSHOT_CAP} snapshots per network, "
           "evenly spaced from step 0). Going back over them never changes the live run.")
render.notices(state)
steps = grids.replay_steps(state.twins)
if len(steps) < 2:
    st.info("Nothing to replay yet: only step 0 is recorded. Train the twins on the Train page, then come back.")


# -- timeline: a fragment, so moving the slider reruns only this panel ------------------------------
@st.fragment
def timeline() -> None:
    st.header("Timeline")
    if ss.get("replay_step") not in steps:
        ss["replay_step"] = steps[-1]
    step = st.select_slider("Recorded step", options=list(steps), key="replay_step",
                            disabled=len(steps) < 2,
                            help="Every recorded step; the boundaries of all twins at that step.")
    yhats, shown = {}, {}
    for name, run in state.twins.runs.items():
        shown[name], params = grids.params_at(run, step)
        xs, ys, _, yhats[name] = grids.grid_outputs(params, run, GRID_RESOLUTION)
    fig = timeline_figure(xs, ys, names, labels, yhats, shown, train, test, BOX, style, step)
    render.figure(fig, key="timeline", filename=f"replay-step{step}")


timeline()

# -- animation: frames played by Plotly in the browser, zero reruns while it plays -------------------------
st.header("Animation")
frame_steps = grids.pick_frames(steps)
st.caption(f"Press ▶ Play under the plot: the browser plays {len(frame_steps)} of the {len(steps)} recorded steps "
           f"(at most {grids.FRAME_CAP}, evenly spaced) without asking the server for anything. Each frame is a "
           f"coarse {grids.ANIMATION_GRID}×{grids.ANIMATION_GRID} grid, smoothed by the browser. The colours: "
           "ŷ from orange (0) to blue (1); MSE + linear is clipped to [−0.5, 1.5].")
xs, ys, _ = grid(grids.ANIMATION_GRID)
frames = grids.replay_grids(state.twins, frame_steps, grids.ANIMATION_GRID)
render.figure(animation_figure(xs, ys, names, labels, frames, train, test, BOX, style), key="animation",
              filename="replay-animation")

# -- export ----------------------------------------------------------------------------------------------
st.header("Export this run")
st.caption("Every figure also downloads as a PNG from the camera icon in its top-right toolbar.")
a, b = st.columns(2)
a.download_button("History of all twins (CSV)", data=lambda: export.history_csv(state.twins),
                  file_name=f"backprop-lab-history-step{state.twins.step_count}.csv", mime="text/csv",
                  key="download_history", icon=":material/table:", on_click="ignore", width="stretch",
                  help="One row per recorded step and network: losses, accuracies, weight and gradient norms.")
b.download_button("Current weights (JSON)", data=lambda: export.weights_json(state.twins),
                  file_name=f"backprop-lab-weights-step{state.twins.step_count}.json", mime="application/json",
                  key="download_weights", icon=":material/data_object:", on_click="ignore", width="stretch",
                  help="W1, b1, W2, b2 of every twin, each with its shape.")
