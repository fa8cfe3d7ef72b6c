"""Output gradients: dL/dz2 against ŷ − y for both twins, factor by factor."""

import numpy as np
import streamlit as st

from lesson.factors import curve_range, delta_curves, output_factors, select_samples
from lesson.tables import factor_markdown, factor_table
from netcore import CANONICAL, CE_SIGMOID, MSE_SIGMOID, PAIRINGS
from ui import controls, render
from ui.state import lab
from viz.gradients import delta_scatter, delta_vs_z2, mean_dz2_history, output_grad_bars

TWINS = CANONICAL
MISMATCH = MSE_SIGMOID
# The mismatched pairing is scored on the network of the twin with the same output activation.
MISMATCH_NETWORK = next(n for n in TWINS if PAIRINGS[n].output_symbol == PAIRINGS[MISMATCH].output_symbol)
LABELS = {name: pairing.short for name, pairing in PAIRINGS.items()}

state = lab()
style = render.current_style()
Y = state.train.Y

st.title("Output gradients")
st.markdown(
    "Backprop starts at the output with **δ = ∂L/∂z2 = ∂L/∂ŷ · ∂ŷ/∂z2**, computed here factor by factor for "
    "every training sample. Look for the dots on the **dashed identity line**: for MSE + linear and for "
    "CE + sigmoid the product of the two factors *is* ŷ − y, while the mismatched MSE + sigmoid leaves the "
    "line. Press **Step** and watch the two twins move apart, although they share one update rule.")
controls.step_buttons(state)
st.metric("Step", state.twins.step_count)
render.notices(state)
render.divergence(state)

factors = {name: output_factors(name, state.twins.runs[name].cache.Z2, state.twins.runs[name].cache.A2, Y)
           for name in TWINS}
# The same network as that twin, scored with the mismatched loss: only the loss differs.
shared = state.twins.runs[MISMATCH_NETWORK].cache
factors[MISMATCH] = output_factors(MISMATCH, shared.Z2, shared.A2, Y)

# -- 1. δ against ŷ − y -----------------------------------------------------------
st.header("1 · δ against ŷ − y, sample by sample")
show_mismatch = st.toggle(
    f"Also show the mismatched {LABELS[MISMATCH]} (on the {LABELS[MISMATCH_NETWORK]} twin's network)", value=True,
    key="og_mismatch", persist_state="session")
panels = TWINS + ((MISMATCH,) if show_mismatch else ())
for col, name in zip(st.columns(len(panels)), panels):
    f = factors[name]
    title = f"{LABELS[name]} · step {state.twins.step_count}"
    with col:
        render.figure(delta_scatter(f.residual, f.delta, f.y, title=title, gap=f.gap(), style=style),
                      key=f"og-scatter-{name}", filename=f"delta-vs-residual-{name}")
st.caption(
    f"Each dot is one training sample (m = {state.train.m}); ŷ − y and δ are 1×m rows. The y value is netcore's "
    "`Pairing.delta`, the product ∂L/∂ŷ · ∂ŷ/∂z2, never ŷ − y itself. The badge is the largest distance from "
    "the dashed line, computed now: about 10⁻¹⁶ is float64 rounding, i.e. exactly on the line.")

# -- 2. the chain rule, factor by factor -------------------------------------------------------
st.header("2 · The chain rule, factor by factor")
auto = select_samples(factors[CE_SIGMOID].yhat, factors[CE_SIGMOID].y)
choose = st.toggle("Choose the samples myself", key="og_choose", persist_state="session")
if choose:
    signature = f"{state.data.name}-{state.train.m}-{state.config.seed}"
    picked = st.multiselect(
        "Samples", list(range(state.train.m)), default=auto, key=f"og_samples_{signature}",
        format_func=lambda i: f"#{i} · class {int(Y[0, i])}", max_selections=20)
    samples = picked or auto
else:
    samples = auto
    st.caption("Showing, for each class, the two samples the CE twin gets most wrong and the one it gets most "
               "right. Turn on *Choose the samples myself* to pick others.")
for name in (*TWINS, MISMATCH):
    on_twin = f" (mismatched, {LABELS[MISMATCH_NETWORK]} twin's network)" if name == MISMATCH else ""
    st.subheader(LABELS[name] + on_twin)
    st.latex((r"\Large " if st.session_state.get("present", False) else "") + PAIRINGS[name].delta_latex)
    st.markdown(factor_markdown(factor_table(factors[name], samples)))
ce, mismatch = PAIRINGS[CE_SIGMOID], PAIRINGS[MISMATCH]
st.caption(
    f"Read each row left to right: the two factors multiply to the shaded, bold product. For {ce.short} a large "
    f"∂L/∂ŷ = {ce.dloss_dout_text} meets a small ∂ŷ/∂z2 = {ce.dout_dz_text} and they cancel to ŷ − y. For "
    f"{mismatch.short} the factor {mismatch.dout_dz_text} stays, so the product is smaller than ŷ − y. All values "
    "are per sample (1×1), to 4 significant digits.")

# -- 3. δ against z2 -----------------------------------------------------------------
st.header("3 · δ against z2: who stops learning")
zmax = curve_range([factors[name].z2 for name in TWINS])
z = np.linspace(-zmax, zmax, 401)
samples_on_curves = {name: (f.z2, f.delta, f.y) for name, f in factors.items()}
render.figure(delta_vs_z2(z, delta_curves(z), samples_on_curves, LABELS, style), key="og-delta-z2",
              filename="delta-vs-z2")
outside = sum(int(np.count_nonzero(np.isfinite(f.z2) & (np.abs(f.z2) > zmax))) for f in factors.values())
overflow = factors[CE_SIGMOID].n_overflow
notes = []
if outside:
    notes.append(f"{outside} sample points lie beyond |z2| = {zmax:g} and are not drawn")
if overflow:
    notes.append(f"{overflow} CE samples overflow float64 (|z2| > 709) and are not drawn")
st.caption(
    "Curves: δ as a function of the logit z2 for a sample of class 0 (left) and class 1 (right), from each "
    "pairing's own factors. Dots: the current training samples on their curves (the CE twin's z2 for both "
    f"sigmoid pairings). On the shaded wrong side, CE's δ tends to ±1 and keeps pushing, but {mismatch.short}'s "
    f"δ = ({mismatch.dloss_dout_text})·{mismatch.dout_dz_text} goes to 0 as the sigmoid saturates: a confidently "
    "wrong point barely moves. "
    "MSE + linear's δ = z2 − y is a straight line that leaves the chart." + (" " + "; ".join(notes) + "."
                                                                             if notes else ""))

# -- 4. same formula, different ŷ ---------------------------------------------------------
st.header("4 · Same formula, different ŷ")
left, right = st.columns([3, 2])
with left:
    grads = {name: (state.twins.runs[name].grads.dW2, state.twins.runs[name].grads.db2) for name in TWINS}
    render.figure(output_grad_bars(grads, LABELS, style), key="og-bars", filename="dW2-db2")
with right:
    series = {name: {c: state.twins.runs[name].history.column(c) for c in ("step", "mean_abs_dZ2")}
              for name in TWINS}
    render.figure(mean_dz2_history(series, LABELS, style), key="og-history", filename="mean-abs-dZ2")
st.caption(
    f"Both twins compute dW2 = 1/m · dZ2 A1ᵀ (1×{state.twins.width}) and db2 = 1/m · Σ dZ2 (1×1) with the same "
    "dZ2 = ŷ − y. What differs is ŷ: the linear output is unbounded, so a point far on the right side "
    "(ŷ = 3 for y = 1) is still pulled back, while the sigmoid's ŷ only approaches y. Different ŷ gives "
    "different dZ2, different steps, different weights, and those feed back into the next ŷ.")
