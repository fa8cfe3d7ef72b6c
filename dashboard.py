"""Backprop Lab: the entry point. Page config, navigation and the shared sidebar."""

from __future__ import annotations

import gc
import time

import streamlit as st

from ui import lecture, liveview, sidebar
from ui.state import lab, widget_config
from ui.text import escape_markdown


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


@st.cache_resource
def _last_full_collection() -> list[float]:
    """When this process last ran a full garbage collection. Process-wide, no per-user data."""
    return [time.monotonic()]


def _collect_now_and_then(every: float = 2.0) -> None:
    """A full collection at most every ``every`` seconds, instead of after every run.

    .streamlit/config.toml turns off Streamlit's collection after each run (about
    10 ms of every rerun). Without any, a closed tab's state is freed only when
    Python's own collector gets round to it, so memory returns late
    (tests/test_memory.py); this brings it back within seconds for about 1% of a core.
    """
    last = _last_full_collection()
    if time.monotonic() - last[0] > every:
        last[0] = time.monotonic()
        gc.collect()


_WHOLE_RUN = "_controls_in_whole_run"


@st.fragment
def _controls() -> None:
    """The sidebar controls, as a fragment: moving one reruns only them.

    A new learning rate keeps the weights, so nothing on any page changes: the
    twins take the new rate and the address bar follows, and the charts are not
    redrawn (when a whole class moves the slider at once, this is what keeps the
    server responsive; bench/load.py). Any other change, or one made while a
    scene's banner is up, reruns the whole app, which syncs the twins first.
    """
    sidebar.draw()
    if st.session_state.get(_WHOLE_RUN):
        return
    state = lab()
    config, _ = widget_config()
    if sidebar.only_lr_changed(state.config, config) and not lecture.scene_shown(state) and not state.playing:
        state.sync(config)
        lecture.publish(state)
    elif config != state.config:
        st.rerun(scope="app")


_freeze_startup_objects()
_collect_now_and_then()
st.set_page_config(page_title="Backprop Lab", page_icon="🧮", layout="wide")
# st.navigation before any widget: on a session's first run Streamlit still treats the pages/
# folder as a legacy multipage app, and until st.navigation is called the widgets get ids that
# change on the next run, which resets every sidebar value (bench/load.py found this).
pages = [
    st.Page("pages/train.py", title="Train", icon=":material/model_training:", default=True),
    st.Page("pages/output_gradients.py", title="Output gradients", icon=":material/scatter_plot:"),
    st.Page("pages/derivation.py", title="Derivation", icon=":material/functions:"),
    st.Page("pages/inside.py", title="Inside the network", icon=":material/hub:"),
    st.Page("pages/data.py", title="Data", icon=":material/table_view:"),
    st.Page("pages/replay.py", title="Replay", icon=":material/replay:"),
]
page = st.navigation(pages)
lecture.read_link()              # a session's first run: the URL's settings into the widgets
lecture.page_setup()             # presenter view: sidebar collapsed, larger text

for note in sidebar.sanitize_widget_state():
    st.warning(f"A setting was corrected: {escape_markdown(note)}.")   # the note quotes the bad value
lecture.sidebar_top()            # presenter toggle, scene menu
# The widgets' values are in session state before they are drawn: sync first, so the controls'
# fragment below finds nothing to do when it runs as part of this whole-app run.
config, _ = widget_config()
if config != lab().config or page is not pages[0]:
    liveview.settle(lab())       # Play stops on the frame last shown before anything else reads or changes it
lab().sync(config)
lecture.after_sync(lab())        # pre-train a link's or scene's step; its notes
if not lecture.presenting():
    st.session_state[_WHOLE_RUN] = True
    try:
        with st.sidebar:
            _controls()
    finally:
        st.session_state[_WHOLE_RUN] = False

page.run()
if lecture.link_asked():
    liveview.settle(lab())       # the link pins the step Play was showing
lecture.publish(lab())           # the URL follows the view; "Copy link to this view"
