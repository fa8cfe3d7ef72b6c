"""Suite-wide set-up.

The app uses ``st.navigation`` (multipage v2) with its page scripts in a
folder named ``pages/``. Before every ``AppTest.run()`` Streamlit re-detects
that folder as a legacy (v1) multipage app, and then reruns the *page* script
alone, without ``dashboard.py`` and its sidebar. On the real server
``st.navigation`` clears that flag on the first run and it stays cleared; here
we clear it right after each detection so AppTest runs the app as the server does.
"""

from streamlit.runtime.pages_manager import PagesManager

_original_init = PagesManager.__init__


def _init_as_navigation_app(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


PagesManager.__init__ = _init_as_navigation_app


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's sync API keeps an event loop running in the main thread
    for as long as the session-scoped browser lives, and tests that call ``asyncio.run`` (the
    websocket load and isolation checks) cannot start theirs after it."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
