"""Inside the network: the graph with every weight and bias, what each hidden unit computes, and how
the weights and gradients evolve."""

import streamlit as st

from lesson import grids
from netcore import BOX, CE_SIGMOID, HIDDEN, PAIRINGS
from ui import controls, render
from ui.state import lab
from viz.boundary import decision_boundary
from viz.dynamics import dynamics_figure
from viz.network import network_diagram
from viz.theme import png_config
from viz.units import MAX_UNITS, unit_maps

DEFAULT_UNITS = 16



def tall_figure(fig, key: str, filename: str) -> None:
    """Like render.figure, with a PNG as tall as the figure (the unit grid and a wide network)."""
    st.plotly_chart(fig, key=key, width="stretch", config=png_config(filename, 1400, int(fig.layout.height) + 40))


state = lab()
style = render.current_style()
ss = st.session_state
names = list(state.twins.runs)

st.title("Inside the network")
st.caption("Open one of the twins: every weight (edges) and bias (nodes), what each hidden unit computes over "
           "the input box, and how the weights and gradients change as it trains.")
render.notices(state)
controls.step_buttons(state)
render.divergence(state)

if ss.get("inside_twin") not in names:
    ss["inside_twin"] = CE_SIGMOID if CE_SIGMOID in names else names[-1]
pick = st.segmented_control("Network to open", names, key="inside_twin", format_func=lambda n: PAIRINGS[n].label,
                            persist_state="session", required=True)
run = state.twins.runs[pick]
hidden = HIDDEN[state.config.hidden]
st.metric("Step", run.step_count)

left, right = st.columns([3, 2], gap="medium")
with left:
    fig = network_diagram(run.params, style, f"{PAIRINGS[pick].label} · step {run.step_count}",
                          hidden_name=hidden.symbol)
    tall_figure(fig, key="network", filename=f"network-{pick}-step{run.step_count}")
with right:
    xs, ys, yhat = state.grid_predictions(pick)
    out = decision_boundary(xs, ys, yhat, (state.train.X, state.train.Y), (state.test.X, state.test.Y),
                            title=f"Output ŷ = {PAIRINGS[pick].output_of('W2·A1 + b2')}", box=BOX,
                            linear_output=PAIRINGS[pick].linear_output, style=style, showlegend=False)
    render.figure(out, key="output-map", filename=f"output-{pick}-step{run.step_count}")

# -- hidden units ---------------------------------------------------------------------------------------
st.header("Hidden units")
n = run.params.width
units_key = f"inside_units_{n}"
if units_key not in ss:
    ss[units_key] = list(range(min(n, DEFAULT_UNITS)))
chosen = st.multiselect(
    f"Units to show (up to {MAX_UNITS})", list(range(n)),
    format_func=lambda i: f"h{i + 1}", key=units_key, max_selections=MAX_UNITS,
    help="The network has one map per hidden unit; the first 16 are shown to start with.")
if n > DEFAULT_UNITS:
    st.button(f"Show all {n} units", key="all_units", on_click=lambda: ss.update({units_key: list(range(n))}))
if chosen:
    units = sorted(chosen)
    resolution = grids.unit_grid(len(units))
    xs, ys, A1, _ = grids.grid_outputs(run.params, run, resolution)
    maps = unit_maps(xs, ys, A1[units], units, run.params.W1, run.params.b1, BOX, style,
                     zrange=hidden.bounds, activation=hidden.symbol)
    tall_figure(maps, key="units", filename=f"hidden-units-{pick}-step{run.step_count}")
    st.caption("Each map is one hidden unit's output A1[i] over the input box. The output ŷ above is "
               "W2 · (these maps) + b2, passed through the output activation.")
else:
    st.info("Choose at least one unit to see its map.")

# -- dynamics --------------------------------------------------------------------------------------------
st.header("Training dynamics")
cols = ("step", "norm_W1", "norm_W2", "norm_dW1", "norm_dW2", "mean_abs_dZ2")
series = {name: {c: r.history.column(c) for c in cols} for name, r in state.twins.runs.items()}
render.figure(dynamics_figure(series, {name: PAIRINGS[name].label for name in names}, style), key="dynamics",
              filename="training-dynamics")
st.caption("‖·‖ is the Frobenius norm. dZ2 = ∂L/∂Z2 is computed by the chain rule for each pairing, "
           "so its mean size shows how hard each output layer pushes back.")
