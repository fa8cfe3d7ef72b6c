"""The Output gradients and Derivation pages in a real browser: they draw, Step moves them, a click picks a sample."""

import re

import pytest

from tests.e2e.conftest import assert_clean, assert_no_overlaps, load, shot, step_value, wait_idle

pytestmark = pytest.mark.browser

SAMPLE_HEADING = re.compile(r"Sample #(\d+):")


def _sample_shown(pg) -> int:
    text = pg.get_by_role("heading", name=SAMPLE_HEADING).first.inner_text()
    return int(SAMPLE_HEADING.search(text).group(1))


def _open(pg, server: str, title: str) -> None:
    """Open the app, then the page through the sidebar navigation, as a student would."""
    load(pg, server)
    pg.locator("[data-testid=stSidebarNav] a").filter(has_text=title).first.click()
    pg.get_by_role("heading", name=title).first.wait_for()
    wait_idle(pg)
    pg.wait_for_timeout(700)


def _full_shot(pg, name: str) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to the page's height, then shoot."""
    height = pg.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    pg.set_viewport_size({"width": 1600, "height": min(int(height) + 40, 8000)})
    pg.wait_for_timeout(1500)
    wait_idle(pg)
    shot(pg, name, docs=True)
    pg.set_viewport_size({"width": 1600, "height": 1000})


def _step_many(pg, n: int = 100) -> None:
    pg.get_by_role("combobox", name="N", exact=True).click()
    pg.get_by_role("option", name=f"N = {n}", exact=True).click()
    wait_idle(pg)
    before = step_value(pg)
    pg.get_by_role("button", name=f"Step × {n}").click()
    pg.wait_for_function("(want) => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                         ".some(e => e.innerText.trim() === String(want))", arg=before + n, timeout=60_000)
    wait_idle(pg)
    pg.wait_for_timeout(800)


def test_output_gradients_page(page, server):
    _open(page, server, "Output gradients")
    _step_many(page, 100)
    assert step_value(page) == 100
    # three δ panels, δ-vs-z2, bars, history (charts below the fold draw once scrolled to)
    page.get_by_text("feed back into the next ŷ").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 6")
    badges = page.locator(".js-plotly-plot .annotation-text").filter(has_text="max |δ − (ŷ−y)|")
    assert badges.count() == 3
    assert page.locator("[data-testid=stMarkdownContainer] table").filter(has_text="sample #").count() == 3
    assert page.locator(".js-plotly-plot .gtitle").filter(has_text="· step 100").count() == 3
    assert_no_overlaps(page)
    assert_clean(page)
    _full_shot(page, "output-gradients")


def test_derivation_click_picks_a_sample(page, server):
    _open(page, server, "Derivation")
    assert _sample_shown(page) == 0
    picker = page.locator(".js-plotly-plot").first
    # A class-1 point (second trace) far from sample #0: click the centre of its marker.
    points = picker.locator(".scatterlayer .trace").nth(1).locator("path.point")
    target = points.nth(points.count() // 2)
    target.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = target.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(
        "() => { const h = [...document.querySelectorAll('h3')].find(e => e.innerText.startsWith('Sample #'));"
        " return h && !h.innerText.startsWith('Sample #0:'); }", timeout=20_000)
    wait_idle(page)
    chosen = _sample_shown(page)
    assert chosen != 0
    field = page.get_by_label("Sample index (or click a point)")
    assert int(field.input_value()) == chosen
    # Step: the twins advance and this page's numbers move.
    before = page.locator(".katex").nth(20).inner_text()
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                           ".some(e => e.innerText.trim() === '1')")
    wait_idle(page)
    assert _sample_shown(page) == chosen
    assert page.locator(".katex").nth(20).inner_text() != before
    assert page.locator("[data-testid=stTable]").count() == 1
    assert_clean(page)
    _full_shot(page, "derivation")
