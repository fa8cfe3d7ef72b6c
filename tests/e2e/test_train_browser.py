"""The Train page in a real browser: the live view's pixels are netcore's numbers, Play stops on the frame shown,
keys and clickers drive it, Step redraws it, its log scale is its own, PNG and text alternative."""

import re

import numpy as np
import pytest

from netcore import BOX, grid, predict
from session.state import LabState
from settings.config import Config
from tests.e2e.conftest import (
    CANVAS_SIGNATURE,
    DRAWN,
    assert_clean,
    choose,
    load,
    new_page,
    shot,
    step_value,
    view_step,
    wait_idle,
    wait_view_step,
)
from viz.isoline import level_lines
from viz.live import GRID, colour_table, quantise

pytestmark = pytest.mark.browser

PIXELS = """() => {
  const c = document.querySelector('.bpl-live canvas');
  return {panels: JSON.parse(c.dataset.panels), sizes: JSON.parse(c.dataset.sizes), dpr: window.devicePixelRatio,
          width: c.width, height: c.height,
          data: Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data)};
}"""


COUNT_MESSAGES = """
window.__received = 0;
const Native = window.WebSocket;
window.WebSocket = function (...args) {
  const ws = new Native(...args);
  ws.addEventListener('message', () => { window.__received += 1; });
  return ws;
};
window.WebSocket.prototype = Native.prototype;
Object.assign(window.WebSocket, Native);
"""


WATCH_STEP = """() => {
  // each new step on screen: its text, whether it is the frame ahead (data-ahead) and the picture then
  window.__steps = [];
  const box = document.querySelector('.bpl-live'), step = box.querySelector('[data-testid=live-step]');
  new MutationObserver(() => window.__steps.push([step.textContent, box.dataset.ahead || '',
    box.querySelector('canvas').toDataURL()])).observe(step, {childList: true, characterData: true, subtree: true});
}"""


ORDER = """
window.__order = [];
(function watch() {
  const seen = (k) => window.__order.includes(k) || window.__order.push(k);
  if (Number(document.querySelector('.bpl-live')?.dataset.frames || 0) > 0) seen('view');
  const width = document.querySelector('[data-testid=stSidebar] .st-key-width');
  if (width && width.checkVisibility()) seen('sidebar');
  if (window.__order.length < 2) requestAnimationFrame(watch);
})();
"""
"""Records, frame by frame, which came first on screen: the view's first frame or the sidebar's widgets."""


def test_a_fresh_tab_paints_the_view_first_then_the_sidebar_follows_with_the_links_settings(browser, server):
    pg = new_page(browser)
    try:
        pg.add_init_script(ORDER)
        pg.goto(f"{server}/?width=7&seed=5")
        pg.wait_for_function("() => window.__order.length === 2", timeout=30_000)
        assert pg.evaluate("window.__order") == ["view", "sidebar"]
        assert pg.locator(".st-key-width [aria-valuetext]").get_attribute("aria-valuetext") == "7"
        assert pg.locator(".st-key-seed input").input_value() == "5"
        assert pg.locator(".st-key-present").is_visible() and pg.locator(".st-key-copy_link").is_visible()
        wait_idle(pg)
        assert_clean(pg)
    finally:
        pg.context.close()


def read_canvas(pg) -> dict:
    got = pg.evaluate(PIXELS)
    got["rgb"] = np.array(got.pop("data"), dtype=np.uint8).reshape(got["height"], got["width"], 4)[..., :3].astype(int)
    return got


def test_the_pixels_are_the_palette_colour_of_netcores_yhat_and_the_line_is_netcores(page, server):
    config = Config(dataset="moons", width=6, seed=5)
    load(page, f"{server}/?dataset=moons&width=6&seed=5&step=60")
    assert step_value(page) == 60
    canvas = read_canvas(page)
    oracle = LabState.build(config)
    oracle.step(60)
    lut = colour_table().astype(int)
    xs, ys, G = grid(GRID)
    points = np.concatenate([oracle.train.X, oracle.test.X], axis=1)
    dpr = canvas["dpr"]
    for k, x0, y0, w, h in canvas["panels"]:
        run = list(oracle.twins.runs.values())[k]
        yhat = predict(run.params, G, run.pairing, run.hidden).reshape(GRID, GRID)
        lo, hi = (-0.5, 1.5) if run.pairing.linear_output else (0.0, 1.0)
        q = quantise(yhat, lo, hi).astype(int)
        cell = w / (GRID - 1)

        def px(x, y, x0=x0, y0=y0, w=w, h=h):           # box coordinates -> canvas pixels
            return (x0 + (x + BOX) / (2 * BOX) * w) * dpr, (y0 + h - (y + BOX) / (2 * BOX) * h) * dpr

        lines = level_lines(xs, ys, yhat, 0.5)
        verts = np.concatenate([np.stack(px(x, y), 1) for x, y in lines]) if lines else np.zeros((0, 2))
        dots = np.stack(px(points[0], points[1]), 1)
        clear_of_line = (canvas["sizes"]["contour"] / 2 + 3) * dpr
        clear_of_dots = (canvas["sizes"]["marker"] / 2 + 3) * dpr
        checked = 0
        for i in range(2, GRID - 2, 3):
            for j in range(2, GRID - 2, 3):
                cx, cy = px(xs[j], ys[i])
                if len(verts) and np.hypot(*(verts - (cx, cy)).T).min() < max(clear_of_line, cell * dpr):
                    continue
                if np.hypot(*(dots - (cx, cy)).T).min() < clear_of_dots:
                    continue
                got = canvas["rgb"][int(cy), int(cx)]
                # within one quantisation step: the colour of q - 1, q or q + 1
                near = lut[max(0, q[i, j] - 1):q[i, j] + 2]
                assert (np.abs(near - got).max(axis=1) <= 1).any(), (k, i, j, got, lut[q[i, j]])
                checked += 1
        assert checked >= 60, checked
        # the drawn ŷ = 0.5 line lies where netcore's isoline is: dark pixels at its vertices
        rgb = canvas["rgb"]
        dark = (rgb.max(axis=2) < 90)
        on_line = [dark[max(0, int(y) - 1):int(y) + 2, max(0, int(x) - 1):int(x) + 2].any() for x, y in verts]
        assert len(verts) > 20 and np.mean(on_line) > 0.9, np.mean(on_line)
    assert_clean(page)


def test_step_redraws_the_view_with_the_new_step(page, server):
    page.add_init_script(COUNT_MESSAGES)
    load(page, server)
    assert step_value(page) == 0
    before = page.evaluate(CANVAS_SIGNATURE)
    page.evaluate("() => { window.__received = 0; }")
    page.evaluate(WATCH_STEP)
    page.get_by_role("button", name="Step", exact=True).click()
    wait_view_step(page, 1)
    page.wait_for_function(f"() => ({CANVAS_SIGNATURE})() !== {before!r}")
    wait_idle(page)
    assert page.evaluate("() => window.__received") < 10          # the view caught the click: only it reran
    # Step 1 appeared at once, from the frame ahead the server had sent; the server's answer drew the same
    (text, ahead, picture), *answer = page.evaluate("() => window.__steps")
    assert (text, ahead) == ("1", "1")
    assert page.evaluate("() => document.querySelector('.bpl-live').dataset.ahead") is None
    assert all(row == ["1", "", picture] for row in answer)
    assert page.evaluate("() => document.querySelector('.bpl-live canvas').toDataURL()") == picture
    page.wait_for_function("() => location.search.includes('step=1')")     # and the session is at step 1
    text = page.locator("[data-testid=live-text]")
    assert text.get_attribute("aria-live") == "polite"
    said = text.text_content()
    assert said.startswith("Step 1. MSE + linear: train loss ") and "CE + sigmoid" in said and "test accuracy" in said
    assert_clean(page)


DROP_SENDS = """(count) => {
  // the next `count` messages the page sends to the server vanish, as Streamlit's can after a reconnect
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (count-- > 0) return;
    WebSocket.prototype.send = send;
    return send.call(this, data);
  };
}"""


def test_a_step_the_server_never_heard_is_asked_again_and_never_left_on_screen(page, server):
    load(page, server)
    # the first request is lost: the view, still showing its frame ahead, asks again, and the server steps once
    page.evaluate(DROP_SENDS, 1)
    page.get_by_role("button", name="Step", exact=True).click()
    assert view_step(page) == 1
    wait_view_step(page, 1, timeout=20)
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('step=1')")
    page.wait_for_timeout(3000)                                   # no second step comes of the repeat
    assert step_value(page) == 1 and "step=1" in page.url
    # nothing reaches the server: the view goes back to the last step the server sent
    page.evaluate(DROP_SENDS, 10**6)
    page.get_by_role("button", name="Step", exact=True).click()
    assert view_step(page) == 2
    page.wait_for_function("() => !document.querySelector('.bpl-live').dataset.ahead", timeout=20_000)
    assert view_step(page) == 1
    assert_clean(page)

CLICK_PAUSE = """() => {
  const shown = document.querySelector('[data-testid=live-step]').textContent;
  document.querySelector('.st-key-play button').click();        // the view stops on the frame on screen now
  return Number(shown);
}"""


def test_pause_stops_on_the_frame_shown_and_every_page_then_shows_that_step(page, server):
    load(page, server)
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_role("button", name="Pause", exact=True).wait_for()
    page.wait_for_function("() => Number(document.querySelector('[data-testid=live-step]').textContent) >= 40",
                           timeout=30_000)
    shown = page.evaluate(CLICK_PAUSE)
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
    wait_idle(page)
    page.wait_for_timeout(1500)
    assert view_step(page) == shown                                  # it stopped there, and stays there
    page.wait_for_function(f"() => new URL(location.href).searchParams.get('step') === '{shown}'")
    page.locator("[data-testid=stSidebarNav] a").filter(has_text="Output gradients").first.click()
    page.get_by_role("heading", name="Output gradients").first.wait_for()
    wait_idle(page)
    assert step_value(page) == shown                                 # another page: the same twins, that step
    assert_clean(page)


CLICK_COPY_LINK = """() => {
  const shown = document.querySelector('[data-testid=live-step]').textContent;
  document.querySelector('.st-key-copy_link button').click();
  return Number(shown);
}"""


def test_copy_link_while_playing_pins_the_frame_on_screen(page, server):
    load(page, server)
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => Number(document.querySelector('[data-testid=live-step]').textContent) >= 20",
                           timeout=30_000)
    shown = page.evaluate(CLICK_COPY_LINK)
    code = page.locator("[data-testid=stDialog] [data-testid=stCode] code")
    code.wait_for(timeout=30_000)
    assert f"step={shown}&" in code.inner_text() or code.inner_text().endswith(f"step={shown}")
    assert view_step(page) == shown
    assert_clean(page)


def test_keys_and_a_clicker_step_and_play_but_not_while_typing(page, server):
    load(page, server)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for key, want in (("ArrowRight", 1), ("Space", 2), ("PageDown", 3)):
        page.keyboard.press(key)
        wait_view_step(page, want)
    wait_idle(page)
    for key in ("b", "."):                                          # a clicker's blank-screen keys: ignored
        page.keyboard.press(key)
    page.wait_for_timeout(800)
    assert view_step(page) == 3
    page.keyboard.press("p")
    page.get_by_role("button", name="Pause", exact=True).wait_for()
    page.wait_for_function("() => Number(document.querySelector('[data-testid=live-step]').textContent) > 8")
    page.keyboard.press("PageUp")
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
    wait_idle(page)
    paused = view_step(page)
    seed = page.locator(".st-key-seed input")
    seed.click()
    for key in ("ArrowRight", "p", "PageDown", "Space"):
        page.keyboard.press(key)
    page.wait_for_timeout(1500)
    assert view_step(page) == paused and page.get_by_role("button", name="Play", exact=True).count() == 1
    assert_clean(page)


LOSS_AXIS = """() => ({ticks: JSON.parse(document.querySelector('.bpl-live canvas').dataset.yticks),
  pressed: document.querySelector('.bpl-log').getAttribute('aria-pressed')})"""
"""The loss chart's y tick labels as drawn, and whether the view's Log scale button is pressed."""


def powers_of_ten(labels: list[str]) -> bool:
    """Labels such as 10⁻², 10⁰, 10², evenly spaced decades from the bottom up."""
    exponents = [re.fullmatch("10(⁻?)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", t) for t in labels]
    if len(labels) < 2 or not all(exponents):
        return False
    values = [int(m[2].translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))) * (-1 if m[1] else 1) for m in exponents]
    return len({b - a for a, b in zip(values, values[1:])}) == 1 and values[1] > values[0]


def test_log_scale_is_the_views_own_button_and_key_l_with_no_rerun(page, server):
    page.add_init_script(COUNT_MESSAGES)
    load(page, f"{server}/?step=60")
    axis = page.evaluate(LOSS_AXIS)
    assert axis["pressed"] == "false" and len(axis["ticks"]) >= 2 and not powers_of_ten(axis["ticks"])
    linear = page.evaluate(CANVAS_SIGNATURE)
    page.evaluate("() => { window.__received = 0; document.activeElement && document.activeElement.blur(); }")
    page.keyboard.press("l")
    page.wait_for_function("() => document.querySelector('.bpl-log').getAttribute('aria-pressed') === 'true'")
    assert powers_of_ten(page.evaluate(LOSS_AXIS)["ticks"]) and page.evaluate(CANVAS_SIGNATURE) != linear
    page.keyboard.press("L")
    page.wait_for_function("() => document.querySelector('.bpl-log').getAttribute('aria-pressed') === 'false'")
    assert page.evaluate(LOSS_AXIS)["ticks"] == axis["ticks"] and page.evaluate(CANVAS_SIGNATURE) == linear
    page.wait_for_timeout(800)
    assert page.evaluate("() => window.__received") == 0          # drawn in the browser: the server heard nothing
    # the view's next frames and a reload of the tab keep the scale
    page.keyboard.press("l")
    page.get_by_role("button", name="Step", exact=True).click()
    wait_view_step(page, 61)
    wait_idle(page)
    assert powers_of_ten(page.evaluate(LOSS_AXIS)["ticks"])
    page.reload()
    page.wait_for_function(DRAWN, timeout=60_000)
    wait_idle(page)
    assert page.evaluate(LOSS_AXIS)["pressed"] == "true" and powers_of_ten(page.evaluate(LOSS_AXIS)["ticks"])
    # no key while typing; a click on the button switches back
    page.locator(".st-key-seed input").click()
    page.keyboard.press("l")
    page.wait_for_timeout(800)
    assert page.evaluate(LOSS_AXIS)["pressed"] == "true"
    page.get_by_role("button", name="Log scale").click()
    page.wait_for_function("() => document.querySelector('.bpl-log').getAttribute('aria-pressed') === 'false'")
    axis = page.evaluate(LOSS_AXIS)
    assert len(axis["ticks"]) >= 2 and not powers_of_ten(axis["ticks"])
    assert_clean(page)


def test_png_download_of_the_view(page, server, tmp_path):
    load(page, server)
    with page.expect_download() as info:
        page.locator(".bpl-png").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert info.value.suggested_filename == "backprop-lab-step0.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    assert_clean(page)


def test_train_page_screenshot_after_training(page, server):
    load(page, server)
    choose(page, "N", "N = 1000")
    page.get_by_role("button", name="Step × 1000").click()
    wait_view_step(page, 1000)
    wait_idle(page)
    page.wait_for_timeout(1000)
    assert_clean(page)
    shot(page, "train-both", docs=True)


def _move_lr_slider(pg, key: str) -> None:
    """Focus the learning-rate slider's thumb and press ``key`` (one notch), as a keyboard user would."""
    pg.locator(".st-key-lr input[type=range]").focus()
    pg.keyboard.press(key)


def test_a_new_learning_rate_reruns_only_the_controls(page, server):
    page.add_init_script(COUNT_MESSAGES)     # counts the server's messages (one per element drawn, and a few)
    load(page, server)
    page.get_by_role("button", name="Step", exact=True).click()
    wait_view_step(page, 1)
    wait_idle(page)
    lr_before = page.evaluate("() => new URL(location.href).searchParams.get('lr')")
    page.evaluate("() => { window.__received = 0; }")
    _move_lr_slider(page, "ArrowLeft")
    page.wait_for_function(f"() => new URL(location.href).searchParams.get('lr') !== {lr_before!r}",
                           timeout=20_000)
    wait_idle(page)
    lr_after = page.evaluate("() => new URL(location.href).searchParams.get('lr')")
    assert float(lr_after) < float(lr_before)
    # only the sidebar's controls were sent again (a whole-app rerun sends every element: over 40 messages)
    received = page.evaluate("() => window.__received")
    assert received < 30, f"{received} messages: the whole page was rerun for a learning-rate change"
    assert step_value(page) == 1
    assert page.get_by_text("New twins at step 0").count() == 0
    # the next Step trains with the new rate: the link records the change in its schedule. The frame ahead
    # the view held was computed with the old rate, so this step waits for the server's
    page.evaluate(WATCH_STEP)
    page.get_by_role("button", name="Step", exact=True).click()
    wait_view_step(page, 2)
    wait_idle(page)
    assert {(text, ahead) for text, ahead, _ in page.evaluate("() => window.__steps")} == {("2", "")}
    # any other control rebuilds the twins through a whole-app rerun, and says so
    page.locator(".st-key-width input[type=range]").focus()
    page.keyboard.press("ArrowRight")
    page.get_by_text("New twins at step 0").first.wait_for(timeout=20_000)
    wait_idle(page)
    assert step_value(page) == 0
    assert_clean(page)


CLIPPED_TEXT = """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stHorizontalBlock] *')]
  .map(e => [e, e.tagName === 'INPUT' ? e.value : e.children.length ? '' : e.textContent.trim()])
  .filter(([e, text]) => text && e.scrollWidth > e.clientWidth + 1).map(([e, text]) => text)"""
"""The text of every leaf element or input (a menu shows its choice in one) in the page's rows of controls that
is cut off."""


def test_the_controls_show_their_longest_choices_whole_at_1280_with_the_sidebar(browser, server):
    pg = new_page(browser, 1280, 720)
    try:
        load(pg, server)
        sidebar = "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().width"
        assert pg.evaluate(sidebar) > 200                          # open, as a lecturer preparing sees it
        choose(pg, "N", "N = 1000")
        choose(pg, "Steps per frame", "50 steps / frame")
        assert pg.get_by_role("button", name="Step × 1000").is_visible()
        assert pg.evaluate(CLIPPED_TEXT) == []
        assert_clean(pg)
    finally:
        pg.close()
