"""Train: the twins side by side, stepped in lockstep."""

import streamlit as st

from netcore import BOX, PAIRINGS
from ui import controls, lecture, render
from ui.state import lab
from viz.boundary import decision_boundary
from viz.curves import loss_curves

BOUNDARY_KEY = ("Background: the network's output ŷ over the input box, **orange** towards class 0 and **blue** "
                "towards class 1; the black line is ŷ = 0.5. Dots: **filled** = training points, "
                "**hollow** = test points, coloured by their true class.")

state = lab()
style = render.current_style()
present = lecture.presenting()     # presenter view: only Step, Play and Reset

st.title("Train")
st.caption(
    "Two networks start from the **same weights** on the **same data**; only the output layer differs: "
    "MSE with a linear output, and cross-entropy with a sigmoid output. Step them together and watch "
    "the boundaries. The backprop rule is the same for both, so every difference comes from ŷ.")
controls.play_bar(state, show_speed=not present)


interval = controls.run_every(state)


@st.fragment(run_every=interval)
def live_panel() -> None:
    controls.play_tick(state, interval)
    controls.step_buttons(state, show_many=not present)
    lecture.follow_step(state)     # the address bar holds the step after Step / Step × N
    render.notices(state)
    render.divergence(state)
    render.metrics_row(state)
    names = state.visible()
    cols = st.columns(len(names))
    for col, name in zip(cols, names):
        run = state.twins.runs[name]
        xs, ys, yhat = state.grid_predictions(name)
        fig = decision_boundary(
            xs, ys, yhat, (state.train.X, state.train.Y), (state.test.X, state.test.Y),
            title=f"{PAIRINGS[name].label} · step {run.step_count}", box=BOX,
            linear_output=PAIRINGS[name].linear_output, style=style, showlegend=False)
        with col:
            render.figure(fig, key=f"boundary-{name}", filename=f"boundary-{name}-step{run.step_count}")
    st.caption(BOUNDARY_KEY)
    log_y = (st.session_state.get("log_y", False) if present
             else st.toggle("Log-scale loss", key="log_y", persist_state="session"))
    series = {n: {c: state.twins.runs[n].history.column(c) for c in ("step", "train_loss", "test_loss")}
              for n in names}
    render.figure(loss_curves(series, {n: PAIRINGS[n].label for n in names}, style, log_y=log_y),
                  key="loss", filename="loss-curves")


live_panel()
