"""ui.navigation: the page registry drives the navigation, and the pages/ workaround still matches Streamlit."""

import inspect
import subprocess
import sys

import streamlit.commands.navigation as st_navigation

from settings.pages import DEFAULT_PAGE, PAGE_IDS, PAGES
from tests.helpers import ROOT, new_app


def test_every_registered_page_has_its_script_and_every_script_is_registered():
    assert sorted(PAGE_IDS) == sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
    assert len(set(PAGE_IDS)) == len(PAGES) and DEFAULT_PAGE == PAGES[0].id
    assert all((ROOT / p.script).exists() for p in PAGES)


def test_the_navigation_lists_the_registry_in_order_with_the_default_page_at_the_root():
    at = new_app().run()
    assert not at.exception
    shown = list(at._registered_pages.values())       # what st.navigation sent, in its order
    assert [p["page_name"] for p in shown] == [p.title for p in PAGES]
    assert [p["url_pathname"] for p in shown] == ["", *PAGE_IDS[1:]]
    assert [p["icon"] for p in shown] == [p.icon for p in PAGES]


def test_streamlit_still_flags_a_pages_folder_as_a_legacy_app_until_st_navigation_runs():
    """If this fails, Streamlit changed what ui.navigation works around: re-read its docstring."""
    probe = (
        "from streamlit.runtime.pages_manager import PagesManager as P\n"
        f"P.uses_pages_directory = None; P({str(ROOT / 'dashboard.py')!r}); print(P.uses_pages_directory)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(st_navigation.navigation)
