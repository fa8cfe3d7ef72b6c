"""A fresh server entered at a page's own URL still runs through dashboard.py."""

import pytest

from tests.e2e.conftest import ROOT, assert_clean, free_port, new_page, start_server

pytestmark = pytest.mark.browser


def test_first_visit_to_a_page_url_gets_the_whole_app(browser):
    port = free_port()
    proc = start_server(ROOT / "dashboard.py", port)   # a new process: no st.navigation has run yet
    try:
        page = new_page(browser)
        page.goto(f"http://127.0.0.1:{port}/data")
        page.locator("h1#data").wait_for(timeout=60_000)                   # the Data page itself
        sidebar = page.locator("[data-testid=stSidebar]")
        sidebar.get_by_text("Hidden units (width n)").wait_for()            # the shared sidebar is there
        assert sidebar.get_by_text("Output gradients").count() >= 1         # titled pages, not file names
        assert_clean(page)
        page.context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
