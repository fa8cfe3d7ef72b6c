"""This browser session's :class:`~session.state.LabState`, created in one place.

``lab()`` returns the session's state, creating it on first use inside
``st.session_state`` from the sidebar's widget values; nothing mutable lives
at module level, so two sessions never share a network.
"""

from __future__ import annotations

import streamlit as st

from session.state import LabState
from settings.config import FIELD_NAMES, Config, coerce

STATE_KEY = "lab"


def widget_config() -> tuple[Config, list[str]]:
    """The config the sidebar widgets hold right now, made legal."""
    values = {name: st.session_state[name] for name in FIELD_NAMES if name in st.session_state}
    return coerce(values)


def _leave_legacy_page_mode() -> None:
    """Run the app through ``dashboard.py`` even when a fresh process is entered at a page's own URL.

    Until ``st.navigation`` has run once in a process, Streamlit treats a folder
    named ``pages/`` as a legacy multipage app and runs a deep-linked page script
    on its own: no sidebar, no shared set-up. ``st.navigation`` clears that mode
    for the whole process; a page that finds it still set clears it and reruns,
    and the rerun goes through ``dashboard.py`` to the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def lab() -> LabState:
    """This session's state, created on first use."""
    _leave_legacy_page_mode()
    if STATE_KEY not in st.session_state:
        config, _ = widget_config()
        st.session_state[STATE_KEY] = LabState.build(config)
    return st.session_state[STATE_KEY]


