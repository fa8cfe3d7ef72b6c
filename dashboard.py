"""Backprop Lab: the entry point. Page config, navigation and the shared sidebar."""

from __future__ import annotations

import gc

import streamlit as st

from ui import sidebar
from ui.state import lab, widget_config


@st.cache_resource
def _freeze_startup_objects() -> bool:
    """Move everything imported so far out of the garbage collector's reach, once per process.

    numpy, pandas, plotly and Streamlit leave hundreds of thousands of
    long-lived objects; without this, every rerun's GC passes walk them all.
    Holds no per-user data.
    """
    gc.collect()
    gc.freeze()
    return True


_freeze_startup_objects()
st.set_page_config(page_title="Backprop Lab", page_icon="🧮", layout="wide")

for note in sidebar.sanitize_widget_state():
    st.warning(f"A setting was corrected: {note}.")
sidebar.draw()
config, _ = widget_config()
lab().sync(config)

pages = [
    st.Page("pages/train.py", title="Train", icon="🏋️", default=True),
]
st.navigation(pages).run()
