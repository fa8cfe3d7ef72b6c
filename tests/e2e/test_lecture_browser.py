"""Lecture mode in a real browser: links, presenter view at 1920×1080, the sidebar collapsing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_clean, load, new_page, shot, step_value, wait_idle

pytestmark = pytest.mark.browser

HEATMAP_Z = "() => JSON.stringify(document.querySelector('.js-plotly-plot').data[0].z)"
SIDEBAR_WIDTH = "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right"


@pytest.fixture
def projector(browser):
    """A 1920×1080 page, the size of a lecture-hall projector."""
    pg = new_page(browser, 1920, 1080)
    yield pg
    pg.context.close()


def visible_buttons(pg) -> list[str]:
    return pg.evaluate("() => [...document.querySelectorAll('[data-testid=stMain] button')]"
                       ".filter(b => b.offsetParent !== null && !b.closest('.js-plotly-plot')"
                       " && !b.closest('[data-testid=stElementToolbar]')).map(b => b.innerText.trim())")


def copied_link(pg) -> str:
    pg.get_by_role("button", name="Copy link to this view").click()
    code = pg.locator("[data-testid=stDialog] [data-testid=stCode] code")
    code.wait_for()
    return code.inner_text().strip()


def test_a_copied_link_opens_the_same_twins_in_another_browser(page, browser, server):
    load(page, f"{server}/?dataset=moons&width=6&seed=3&step=25")
    assert step_value(page) == 25
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                           ".some(e => e.innerText.trim() === '26')")
    wait_idle(page)
    link = copied_link(page)
    assert link.startswith(server + "/?") and "step=26" in link and "dataset=moons" in link
    assert page.url == link                                   # the address bar holds the same link
    before = page.evaluate(HEATMAP_Z)
    other = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    load(other, link)
    assert step_value(other) == 26
    assert other.evaluate(HEATMAP_Z) == before                # same weights: the same boundary, number for number
    assert other.locator("[data-testid=stAlert]").filter(has_text="ignored").count() == 0
    other.context.close()
    assert_clean(page)


def test_a_bad_link_opens_with_a_note_and_no_error(page, server):
    load(page, f"{server}/?points=abc&width=999&width=2&foo=%3Cb%3Ebold%3C%2Fb%3E&step=-4&lr=banana")
    note = page.locator("[data-testid=stAlert]").filter(has_text="ignored or corrected")
    assert note.count() == 1
    text = note.inner_text()
    for key in ("points", "width was given 2 times", "'foo' is not a setting", "step", "lr"):
        assert key in text
    assert note.locator("b").count() == 0                   # user text is shown as text, never as HTML
    assert step_value(page) == 0
    assert_clean(page)


def test_presenter_view_on_a_projector(projector, server):
    pg = projector
    load(pg, f"{server}/?scene=xor-four-units&present=1")
    assert pg.evaluate(SIDEBAR_WIDTH) <= 0                      # collapsed
    assert sorted(visible_buttons(pg)) == ["Play", "Reset", "Step"]
    sizes = pg.evaluate("""() => {
        const size = sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
        return {
            metric: size('[data-testid=stMetricValue] p'),
            tick: size('.js-plotly-plot .xtick text'),
            title: size('.js-plotly-plot .gtitle'),
            text: size('[data-testid=stMain] [data-testid=stCaptionContainer] p'),
            button: size('.st-key-step button p'),
            // the ŷ = 0.5 line: the line traces of the plots that hold a heatmap
            contour: Math.max(...[...document.querySelectorAll('.js-plotly-plot')]
                         .filter(plot => plot.querySelector('.heatmaplayer image'))
                         .flatMap(plot => [...plot.querySelectorAll('.scatterlayer path.js-line')])
                         .map(p => parseFloat(getComputedStyle(p).strokeWidth) || 0)),
        };
    }""")
    # from the back row: nothing the audience must read under 20 px, the step count over 40 px
    assert sizes["metric"] >= 40 and sizes["tick"] >= 20 and sizes["title"] >= 26
    assert sizes["text"] >= 20 and sizes["button"] >= 24 and sizes["contour"] >= 5, sizes
    assert step_value(pg) == 1000
    pg.get_by_role("button", name="Step", exact=True).click()
    pg.wait_for_function("() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                         ".some(e => e.innerText.trim() === '1001')")
    wait_idle(pg)
    pg.mouse.move(1900, 1060)                                   # no tooltip over the buttons
    pg.wait_for_timeout(800)
    assert_clean(pg)
    shot(pg, "presenter-1920x1080", docs=True)


def test_the_presenter_toggle_collapses_and_restores_the_sidebar(projector, server):
    pg = projector
    load(pg, server)
    assert pg.evaluate(SIDEBAR_WIDTH) > 200
    assert "Step × 10" in visible_buttons(pg)
    pg.get_by_text("Presenter view").click()
    wait_idle(pg)
    pg.wait_for_function(f"() => ({SIDEBAR_WIDTH})() <= 0")
    assert sorted(visible_buttons(pg)) == ["Play", "Reset", "Step"]
    assert "present=1" in pg.url
    pg.locator("[data-testid=stExpandSidebarButton]").click()
    pg.get_by_text("Presenter view").click()
    wait_idle(pg)
    pg.wait_for_function(f"() => ({SIDEBAR_WIDTH})() > 200")
    pg.get_by_role("button", name="Step × 10").wait_for(state="visible")
    assert "Step × 10" in visible_buttons(pg)
    assert "present=1" not in pg.url
    assert_clean(pg)


VISIBLE_CONTROLS = """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stElementContainer]')]
    .filter(e => e.offsetParent !== null && e.querySelector('input, textarea, select, [role=slider], [role=combobox], '
        + '[data-testid=stButton], [data-testid=stDownloadButton], [data-testid=stFileUploader]'))
    .map(e => [...e.classList].find(c => c.startsWith('st-key-')) || e.innerText.slice(0, 30))"""


@pytest.mark.parametrize("path", ["output_gradients", "derivation", "inside", "data", "replay"])
def test_presenter_view_hides_the_controls_of_every_page(projector, server, path):
    pg = projector
    pg.goto(f"{server}/?page={path}&present=1")
    pg.wait_for_url(f"**/{path}?*", timeout=60_000)
    pg.wait_for_selector("[data-testid=stMain] h1", timeout=60_000)
    wait_idle(pg)
    pg.wait_for_timeout(1500)
    assert pg.evaluate(SIDEBAR_WIDTH) <= 0
    shown = pg.evaluate(VISIBLE_CONTROLS)
    assert set(shown) <= {"st-key-step", "st-key-play", "st-key-reset"}, shown
    assert_clean(pg)
    shot(pg, f"presenter-{path}")


def test_a_link_copied_on_another_page_opens_that_page_with_the_same_twins(page, browser, server):
    load(page, f"{server}/?page=inside&width=5&step=12")
    page.wait_for_url("**/inside?*")
    wait_idle(page)
    link = copied_link(page)
    assert link.startswith(server + "/?") and "page=inside" in link and "step=12" in link
    other = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    other.goto(link)
    other.wait_for_url("**/inside?*", timeout=60_000)
    other.wait_for_selector("[data-testid=stMain] h1", timeout=60_000)
    wait_idle(other)
    assert "Inside" in other.locator("[data-testid=stMain] h1").first.inner_text()
    assert "step=12" in other.url and "width=5" in other.url
    other.context.close()
    assert_clean(page)
