"""The app's navigation, built from :data:`settings.pages.PAGES`, and the one workaround its folder needs.

Why the workaround exists: the project's layout keeps the page scripts in a
folder named ``pages/``. Streamlit (checked on 1.67) still treats such a
folder as a legacy multipage app: the first ``PagesManager`` a process creates
next to a ``pages/`` folder sets the process-wide flag
``PagesManager.uses_pages_directory``, and until ``st.navigation`` runs once
and clears it, a script run goes through the legacy path. On the server that
matters only for a fresh process entered at a page's own URL (the page
script runs alone, without ``dashboard.py``: no sidebar, no shared set-up);
AppTest re-creates the flag before every run. Everything that depends on
that flag is here; ``tests/ui/test_navigation.py`` fails loudly if a
Streamlit upgrade changes the behaviour.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from settings.pages import DEFAULT_PAGE, PAGE_IDS, PAGES


def navigation():
    """``st.navigation`` over every page of the registry (the first is the default); returns the page to run.

    It must run before any widget: until it has, a session's first run still goes the legacy way, and the
    widgets get ids that change on the next run, which would reset every sidebar value.
    """
    return st.navigation([st.Page(p.script, title=p.title, icon=p.icon, default=i == 0)
                          for i, p in enumerate(PAGES)])


def leave_legacy_mode() -> None:
    """Rerun through ``dashboard.py`` when a page script finds itself run alone (see the module docstring).

    ``st.navigation`` clears the flag for the whole process; a page that finds
    it still set clears it and reruns, and the rerun goes through the entry
    script to the same page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def run_as_navigation_app() -> None:
    """Make every later ``PagesManager`` see a navigation app, as the server does after its first run.

    For AppTest only (``tests/conftest.py``), which resets the flag and creates
    a new manager before each run: cleared right after each detection, AppTest
    runs ``dashboard.py`` and its ``st.navigation``, as the server does.
    """
    original = PagesManager.__init__

    def init_as_navigation_app(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init_as_navigation_app


def switch_to(page_id: str) -> None:
    """Go to a registered page on this run (the settings already in session state stay)."""
    st.switch_page(next(p.script for p in PAGES if p.id == page_id))


def root_and_page() -> tuple[str, str | None]:
    """The app's root address and the page on show (``None`` for the default one), from ``st.context.url``.

    Links point at the root and name the page with ``page=``, so a link opened
    in a fresh process starts with ``dashboard.py`` (see the module docstring).
    """
    url = st.context.url or ""
    if not url:
        return "", None
    parts = urlsplit(url)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    page = last if last in PAGE_IDS and last != DEFAULT_PAGE else None
    path = (head if page else parts.path.rstrip("/")) + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")), page
