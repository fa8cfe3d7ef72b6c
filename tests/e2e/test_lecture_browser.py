"""Lecture mode in a real browser: links, presenter view at 1920×1080, the sidebar collapsing."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import (
    CANVAS_SIGNATURE,
    assert_clean,
    load,
    new_page,
    shot,
    step_value,
    wait_idle,
    wait_view_step,
)

pytestmark = pytest.mark.browser
SIDEBAR_WIDTH = "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right"
PANELS = "() => document.querySelector('.bpl-live canvas').dataset.panels"


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
    wait_view_step(page, 26)
    wait_idle(page)
    link = copied_link(page)
    assert link.startswith(server + "/?") and "step=26" in link and "dataset=moons" in link
    assert page.url == link                                   # the address bar holds the same link
    page.keyboard.press("Escape")
    before = page.evaluate(CANVAS_SIGNATURE)
    other = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    load(other, link)
    assert step_value(other) == 26
    assert other.locator("[data-testid=stAlert]").filter(has_text="ignored").count() == 0
    # The same surroundings (the view fits the room below it): the dialog's rerun drops the one-time
    # "opened from a link" banner, as it did in the first browser.
    assert copied_link(other) == link
    other.keyboard.press("Escape")
    wait_idle(other)
    assert other.evaluate(PANELS) == page.evaluate(PANELS)
    assert other.evaluate(CANVAS_SIGNATURE) == before         # same weights: the same picture, pixel for pixel
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
    assert sorted(visible_buttons(pg)) == ["Log scale", "Play", "Reset", "Step"]     # Log scale: the view's own
    sizes = pg.evaluate("""() => {
        const size = sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
        const canvas = JSON.parse(document.querySelector('.bpl-live canvas').dataset.sizes);
        return {
            step: size('[data-testid=live-step]'),
            text: size('[data-testid=stMain] [data-testid=stAlert] p'),
            button: size('.st-key-step button p'),
            ...canvas,    // what the view draws its text and ŷ = 0.5 line with, in CSS pixels
        };
    }""")
    # from the back row: nothing the audience must read under 18 px, the step over 40 px, a thick line
    assert sizes["step"] >= 40 and sizes["font"] >= 20 and sizes["small"] >= 18 and sizes["title"] >= 26
    assert sizes["text"] >= 20 and sizes["button"] >= 24 and sizes["contour"] >= 5, sizes
    assert step_value(pg) == 1000
    pg.get_by_role("button", name="Step", exact=True).click()
    wait_view_step(pg, 1001)
    wait_idle(pg)
    pg.keyboard.press("l")                                      # the loss chart on a log scale, here too
    pg.wait_for_function("() => document.querySelector('.bpl-log').getAttribute('aria-pressed') === 'true'")
    pg.mouse.move(1900, 1060)                                   # no tooltip over the buttons
    pg.wait_for_timeout(800)
    assert_clean(pg)


def test_the_presenter_toggle_collapses_and_restores_the_sidebar(projector, server):
    pg = projector
    load(pg, server)
    assert pg.evaluate(SIDEBAR_WIDTH) > 200
    assert "Step × 10" in visible_buttons(pg)
    pg.get_by_text("Presenter view").click()
    wait_idle(pg)
    pg.wait_for_function(f"() => ({SIDEBAR_WIDTH})() <= 0")
    assert sorted(visible_buttons(pg)) == ["Log scale", "Play", "Reset", "Step"]
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
    # On a busy machine the page's elements can be drawn a moment before its run ends; what counts is the
    # page as it settles, so wait (up to 15 s) for only Step, Play and Reset to be left.
    kept = ["st-key-step", "st-key-play", "st-key-reset"]
    with contextlib.suppress(PlaywrightTimeout):                # the assertion below says what is left
        pg.wait_for_function(f"(kept) => ({VISIBLE_CONTROLS})().every(k => kept.includes(k))", arg=kept,
                             timeout=15_000)
    assert pg.evaluate(SIDEBAR_WIDTH) <= 0
    shown = pg.evaluate(VISIBLE_CONTROLS)
    assert set(shown) <= set(kept), shown
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


LAYOUT = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const canvas = document.querySelector('.bpl-live canvas'), c = box(canvas);
  const sizes = JSON.parse(canvas.dataset.sizes);
  const parts = {};
  const banner = [...document.querySelectorAll('[data-testid=stMain] [data-testid=stAlert]')]
    .find(e => e.innerText.includes('Scene:'));
  if (banner) parts.banner = box(banner);
  for (const key of ['step', 'play', 'reset']) parts[key] = box(document.querySelector(`.st-key-${key} button`));
  parts.stepText = box(document.querySelector('[data-testid=live-step]'));
  // each panel with its title, numbers, tick labels and colour bar; the loss chart with its tick labels;
  // each entry of the chart's key (title, colours, train and test)
  const panels = JSON.parse(canvas.dataset.panels), drawn = {};
  for (const [k, x, y, w, h] of panels) {
    drawn[`panel${k}`] = [x - sizes.font * 3, y - sizes.head, x + w + sizes.bar, y + h + sizes.foot];
  }
  const [x, y, w, h] = JSON.parse(canvas.dataset.chart);
  drawn.chart = [x - sizes.font * 3, y, x + w, y + h + sizes.foot];
  JSON.parse(canvas.dataset.key).forEach(([x, y, w, h], i) => { drawn[`key${i}`] = [x, y, x + w, y + h]; });
  for (const [name, [l, t, r, b]] of Object.entries(drawn)) parts[name] = [c[0] + l, c[1] + t, c[0] + r, c[1] + b];
  parts.canvas = c;
  const main = document.querySelector('[data-testid=stMain]');
  const header = document.querySelector('[data-testid=stHeader]');     // Streamlit's bar, drawn over the page
  return {parts, drawn, plot: [x, y, x + w, y + h], sides: panels.map(p => [p[3], p[4]]),
          canvas: [c[2] - c[0], c[3] - c[1]], stacked: sizes.stacked,
          width: innerWidth, height: innerHeight, scrolled: window.scrollY + (main ? main.scrollTop : 0),
          header: header ? header.getBoundingClientRect().bottom : 0,
          clipped: [...document.querySelectorAll('[data-testid=live-step], [data-testid=stMetricValue]')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).length};
}"""

LEAST_SIDE = {("both", 1280): 235, ("both", 1920): 440, ("one", 1280): 270, ("one", 1920): 620,
              ("three", 1280): 155, ("three", 1920): 390, ("three-plain", 1280): 190, ("three-plain", 1920): 440}
"""The least side of a boundary panel, in CSS pixels, per case and screen width: what the view's better
arrangement (panels and chart in one row, or panels above a chart as wide as the view) gives."""


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
@pytest.mark.parametrize("query,panels", [("scene=blobs-same-boundary", 2),
                                          ("scene=blobs-same-boundary&view=ce-sigmoid", 1),
                                          ("scene=saturation", 3),
                                          ("contrast=1&step=300", 3)], ids=["both", "one", "three", "three-plain"])
def test_presenter_view_fits_one_screen(browser, server, size, query, panels, request):
    """Scene banner, Step/Play/Reset, every boundary panel and the loss chart, whole, without scrolling,
    none of them under Streamlit's header bar; the panels as large as the screen allows, and the chart's
    key never over its plot."""
    pg = new_page(browser, *size)
    case = request.node.callspec.id.rsplit("-", 1)[0]
    try:
        load(pg, f"{server}/?{query}&present=1")
        pg.wait_for_timeout(1000)
        got = pg.evaluate(LAYOUT)
        parts = got["parts"]
        assert ("banner" in parts) == query.startswith("scene="), list(parts)
        assert sum(k.startswith("panel") for k in parts) == panels, list(parts)
        assert got["scrolled"] == 0 and got["clipped"] == 0 and got["header"] >= 40
        for name, (left, top, right, bottom) in parts.items():
            assert 0 <= left and right <= got["width"] and got["header"] <= top and bottom <= got["height"], (
                name, parts[name], got["header"])
        width, height = got["canvas"]
        for name, (left, top, right, bottom) in got["drawn"].items():       # nothing drawn off the canvas
            assert -0.5 <= left and right <= width + 0.5 and -0.5 <= top and bottom <= height + 0.5, (
                name, got["drawn"])
        keys = [box for name, box in got["drawn"].items() if name.startswith("key")]
        assert len(keys) >= panels + 2 and not [box for box in keys if overlap(box, got["plot"])], (keys, got["plot"])
        least = LEAST_SIDE[(case, size[0])]
        assert all(w == h >= least for w, h in got["sides"]), (got["sides"], least, got["stacked"])
        assert_clean(pg)
        if query == "scene=blobs-same-boundary":
            pg.mouse.move(size[0] - 20, size[1] - 20)
            pg.wait_for_timeout(500)
            shot(pg, f"presenter-{size[0]}x{size[1]}", docs=True)
        if panels == 3:
            shot(pg, f"presenter-{case}-{size[0]}x{size[1]}")
    finally:
        pg.context.close()
