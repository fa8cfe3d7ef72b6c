"""Derivation: the seed's equations, one sample's numbers through them, and a gradient check."""

import streamlit as st

from lesson.factors import gradient_norms, picked_sample, sample_pass
from lesson.latex import (
    backward_equations,
    ce_derivation,
    forward_equations,
    loss_equations,
    sample_backward,
    sample_forward,
)
from lesson.tables import GRADCHECK_TOLERANCE, ZERO_GRADIENT, gradcheck_table, styled_gradcheck
from netcore import BOX, CANONICAL, CE_SIGMOID, HIDDEN, PAIRINGS, SEED_HIDDEN, gradient_check
from ui import controls, render
from ui.state import lab
from viz.gradients import sample_picker, sig

SAMPLE_KEY, PICK_KEY = "deriv_sample", "deriv_pick"
EPS = 1e-6

state = lab()
style = render.current_style()
hidden = state.config.hidden
m = state.train.m
# KaTeX ignores the presenter CSS, so formulas are enlarged here for the back row.
BIG = r"\Large " if st.session_state.get("present", False) else ""

st.title("Derivation")
st.markdown(
    "The handwritten derivation, with the live network's numbers in it. Pick one training sample and follow it "
    "through both twins: the formulas differ **only at the output** (the coloured lines), and from δ2 = ŷ − y on "
    "every line is the same. At the bottom, finite differences check every analytic gradient.")
controls.step_buttons(state)
st.metric("Step", state.twins.step_count)
render.notices(state)
render.divergence(state)

# -- 1. the seed's equations ------------------------------------------------------------------
st.header("1 · The seed's equations")
fwd, bwd = st.columns(2)
with fwd:
    st.markdown("**Forward, one sample x**")
    for eq in forward_equations(hidden):
        st.latex(BIG + eq)
    st.markdown("**Losses over m samples**")
    for eq in loss_equations():
        st.latex(BIG + eq)
with bwd:
    st.markdown("**Backward, m samples as columns**")
    for eq in backward_equations(hidden):
        st.latex(BIG + eq)
st.caption(
    f"Shapes under each symbol; here n = {state.twins.width} hidden units and m = {m} training samples. "
    "X is 2×m, so Z1 and A1 are n×m and Z2, A2, Y are 1×m. "
    + ("The seed's hidden activation is the sigmoid σ." if hidden == SEED_HIDDEN else
       f"This run's hidden activation is {HIDDEN[hidden].label}, so its derivative replaces σ(Z1)(1 − σ(Z1))."))

# -- 2. one sample, live -----------------------------------------------------------------------
st.header("2 · One sample, live")
if not 0 <= st.session_state.get(SAMPLE_KEY, 0) < m:
    st.session_state[SAMPLE_KEY] = 0
st.session_state.setdefault(SAMPLE_KEY, 0)


def _pick() -> None:
    """Chart callback: the clicked point becomes the sample (it runs before the page, so the input follows)."""
    index = picked_sample(st.session_state[PICK_KEY].selection.points, m)
    if index is not None:
        st.session_state[SAMPLE_KEY] = index


pick_col, info_col = st.columns([2, 3])
with pick_col:
    render.figure(sample_picker(state.train.X, state.train.Y, st.session_state[SAMPLE_KEY], BOX, style,
                                height=style.height),
                  key=PICK_KEY, filename="sample-picker", on_select=_pick, selection_mode="points")
with info_col:
    index = st.number_input("Sample index (or click a point)", min_value=0, max_value=m - 1, step=1,
                            key=SAMPLE_KEY, persist_state="session")
    passes = {name: sample_pass(state.twins.runs[name].params, state.train.X, state.train.Y, index, name, hidden)
              for name in CANONICAL}
    x, y = state.train.X[:, index], int(state.train.Y[0, index])
    st.markdown(f"### Sample #{index}: x = ({sig(x[0])}, {sig(x[1])}), class y = {y}")
    st.markdown(" · ".join(f"**{PAIRINGS[n].label}**: ŷ = {sig(p.factors.yhat[0], 4)}" for n, p in passes.items()))
    st.caption("The ringed point on the left is this sample. Numbers are to 4 significant digits; vectors longer "
               "than 6 entries show their first 6.")

cols = st.columns(2)
for col, name in zip(cols, CANONICAL):
    sp = passes[name]
    with col:
        st.subheader(PAIRINGS[name].label)
        st.markdown("**Forward**")
        for line in sample_forward(sp, hidden):
            st.latex(BIG + line)
        st.markdown("**Backward**")
        for line in sample_backward(sp, hidden):
            st.latex(BIG + line)
st.caption(
    f"Coloured lines differ between the pairings: the output ŷ and the two factors of δ2. Their product is "
    f"ŷ − y in both, and every line after it is the same formula. δ2 A1ᵀ (1×{state.twins.width}) and "
    f"dZ1 xᵀ ({state.twins.width}×2) are this sample's share: the full-batch dW2 and dW1 are their mean over the "
    f"m = {m} samples.")

# -- 3. cross-entropy, line by line -----------------------------------------------------------
st.header("3 · Cross-entropy, line by line")
lines, notes = ce_derivation(passes[CE_SIGMOID])
for line in lines:
    st.latex(BIG + line)
for note in notes:
    st.warning(note)
ce = PAIRINGS[CE_SIGMOID]
st.caption(f"The seed's derivation with sample #{index}'s numbers from the {ce.short} twin: the big factor "
           f"{ce.dloss_dout_text} and the small factor {ce.dout_dz_text} cancel, leaving ŷ − y.")

# -- 4. gradient check ----------------------------------------------------------------------------
st.header("4 · Gradient check")
errors = {PAIRINGS[name].label: gradient_check(run.params, state.train.X, state.train.Y, name, eps=EPS,
                                                hidden=hidden)
          for name, run in state.twins.runs.items()}
norms = {run.pairing.label: gradient_norms(run.grads) for run in state.twins.runs.values()}
check = gradcheck_table(errors, state.twins.width, GRADCHECK_TOLERANCE, norms)
st.table(styled_gradcheck(check))
st.caption(
    f"For each block, backprop's gradient is compared with central differences (L(θ+ε) − L(θ−ε)) / 2ε, "
    f"ε = {sig(EPS)}, entry by entry on all m = {m} training samples at the current weights. Relative error "
    f"= ‖numeric − analytic‖ / (‖numeric‖ + ‖analytic‖); a block **passes below {sig(GRADCHECK_TOLERANCE)}**. "
    f"A wrong formula is off by order 1. A gradient smaller than {sig(ZERO_GRADIENT)} (a stationary point) is "
    "only rounding noise on both sides, so it is marked ≈ 0 rather than checked."
    + (" With ReLU a difference that straddles a kink at 0 can fail although backprop is right."
       if not HIDDEN[hidden].smooth else ""))
