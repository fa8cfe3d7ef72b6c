"""The load benchmark's baseline: one button and a counter, nothing else.

``bench/load.py`` runs it with Streamlit's default settings, next to the real
app and under the same load, so the real app's latency is read as a ratio.
"""

import streamlit as st

if "clicks" not in st.session_state:
    st.session_state.clicks = 0
if st.button("Step", key="step"):
    st.session_state.clicks += 1
st.metric("Step", st.session_state.clicks)
