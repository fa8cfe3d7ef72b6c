"""This browser session's :class:`~session.state.LabState`, created in one place.

``lab()`` returns the session's state, creating it on first use inside
``st.session_state`` from the sidebar's widget values; nothing mutable lives
at module level, so two sessions never share a network.
"""

from __future__ import annotations

import streamlit as st

from session.state import LabState
from settings.config import FIELD_NAMES, Config, coerce
from ui.navigation import leave_legacy_mode

STATE_KEY = "lab"


def widget_config() -> tuple[Config, list[str]]:
    """The config the sidebar widgets hold right now, made legal."""
    values = {name: st.session_state[name] for name in FIELD_NAMES if name in st.session_state}
    return coerce(values)


def lab() -> LabState:
    """This session's state, created on first use."""
    leave_legacy_mode()
    if STATE_KEY not in st.session_state:
        config, _ = widget_config()
        st.session_state[STATE_KEY] = LabState.build(config)
    return st.session_state[STATE_KEY]


