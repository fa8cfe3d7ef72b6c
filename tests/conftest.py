"""Suite-wide set-up.

AppTest runs the app as the server does after its first run: through ``dashboard.py`` and its
``st.navigation`` (``ui.navigation`` says why this needs help with a folder named ``pages/``).
"""

from ui.navigation import run_as_navigation_app

run_as_navigation_app()


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's sync API keeps an event loop running in the main thread
    for as long as the session-scoped browser lives, and tests that call ``asyncio.run`` (the
    websocket load and isolation checks) cannot start theirs after it."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
