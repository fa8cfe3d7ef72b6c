"""Backprop Lab: the entry point. Page config, navigation and the shared sidebar."""

from __future__ import annotations

import gc
import time

import streamlit as st

from lesson.text import escape_markdown
from settings.config import needs_redraw
from settings.pages import page_at
from ui import lecture, liveview, sidebar, startup
from ui.navigation import navigation
from ui.state import lab, widget_config


@st.cache_resource(show_spinner=False)
def _startup_once() -> bool:
    """A fresh process's set-up (ui/startup.py), once per process. Holds no per-user data."""
    startup.skip_direct_execution_warning()
    startup.stop_polling_watchers()
    startup.freeze_startup_objects()
    return True


@st.cache_resource(show_spinner=False)
def _last_full_collection() -> list[float]:
    """When this process last ran a full garbage collection. Process-wide, no per-user data."""
    return [time.monotonic()]


def _collect_now_and_then(every: float = 2.0) -> None:
    """A full collection at most every ``every`` seconds, instead of after every run.

    .streamlit/config.toml turns off Streamlit's collection after each run, a
    large share of a Step's CPU. Without any, a closed tab's state is freed only
    when Python's own collector gets round to it, so memory returns late
    (tests/test_memory.py); this brings it back within ``every`` seconds.
    """
    last = _last_full_collection()
    if time.monotonic() - last[0] > every:
        last[0] = time.monotonic()
        gc.collect()


@st.fragment
def _controls() -> None:
    """The sidebar controls, as a fragment: moving one reruns only them.

    A new learning rate changes nothing any page draws (the twins keep their
    weights and take the rate on their next step), so only the controls rerun
    and the address bar follows; when a whole class moves the slider at once,
    this keeps the server responsive. Any other change, or one made while a
    scene's banner is up, reruns the whole app, which syncs the twins first.
    In a whole-app run the twins were synced before the controls were drawn,
    so the widgets' config equals the twins' and nothing is left to do.
    """
    sidebar.draw()
    state = lab()
    config, _ = widget_config()
    if config == state.config:
        return
    if not needs_redraw(state.config, config) and not lecture.scene_shown(state) and not state.playing:
        state.sync(config)
        lecture.publish(state)
    else:
        st.rerun(scope="app")


_startup_once()
_collect_now_and_then()
# A Material icon, not an emoji: Streamlit recognises an emoji by loading its whole emoji catalogue, a
# noticeable share of the first page's run.
st.set_page_config(page_title="Backprop Lab", page_icon=":material/calculate:", layout="wide")
page = navigation()
later = sidebar.comes_later()    # a session's first run: the page first, the sidebar's widgets on the next run
liveview.keys(sidebar_later=later, view=page_at(page.url_path).live_view)   # first: keys, the component code
lecture.read_link()              # a session's first run: the URL's settings into the widgets
lecture.page_setup()             # presenter view: sidebar collapsed, larger text

for note in sidebar.sanitize_widget_state():
    st.warning(f"A setting was corrected: {escape_markdown(note)}.")   # the note quotes the bad value
if not later:
    lecture.sidebar_top()        # presenter toggle, scene menu
config, _ = widget_config()
if config != lab().config or page.url_path:
    liveview.settle(lab())       # Play (on the default page) stops on the frame last shown before anything else
                                 # reads or changes it
lab().sync(config)
lecture.after_sync(lab())        # pre-train a link's or scene's step; its notes
# The controls' place in the sidebar is kept here, and they are drawn after the page: the browser shows an
# element once the code of every element sent with it has loaded, so the page's own buttons and the live view
# no longer wait for the sliders' and inputs' code. Drawn whatever the page does (st.stop, an error), so
# their values are never dropped; not at all on a session's first run, whose page the browser paints before
# it asks for the run that draws them (sidebar.comes_later).
controls = None if lecture.presenting() or later else st.sidebar.container()
try:
    page.run()
finally:
    if controls is not None:
        with controls:
            _controls()
if lecture.link_asked():
    liveview.settle(lab())       # the link pins the step Play was showing
lecture.publish(lab())           # the URL follows the view; "Copy link to this view"
lecture.keep_view_on_reconnect()  # a reconnecting browser reruns the app, which reopens the URL's view
