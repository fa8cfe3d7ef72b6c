"""Browser tests: the real server on a free loopback port, driven by Debian's Chromium.

Without a Chromium these tests skip with a one-line reason; with
``BACKPROP_REQUIRE_BROWSER=1`` (set by ``.ci/run``) a missing browser fails them.
Screenshots go to ``artifacts/screenshots/`` (printed at the end of the run)
and the README's pictures to ``docs/``.
The browser and the server come from ``tests/support/browser.py``, shared with the benchmarks.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, start_server
from tests.support.streamlit_ws import free_port

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
DOCS = ROOT / "docs"
def _require_browser():
    missing = None
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing = f"no Chromium at {CHROMIUM}"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "playwright is not installed"
    if missing:
        if os.environ.get("BACKPROP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required here but {missing}")
        pytest.skip(f"browser tests skipped: {missing}")


@pytest.fixture(scope="session")
def server():
    _require_browser()
    port = free_port()
    proc = start_server(ROOT / "dashboard.py", port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def new_page(browser, width: int = 1600, height: int = 1000):
    """A page in a fresh browser context (a fresh Streamlit session) that records JS errors."""
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda e: pg.js_errors.append(str(e)))
    pg.set_default_timeout(30_000)
    return pg


@pytest.fixture
def page(browser, server):
    """A fresh session at 1600×1000."""
    pg = new_page(browser)
    yield pg
    pg.context.close()


def shot(pg, name: str, docs: bool = False) -> Path:
    """A full-page screenshot in ``artifacts/screenshots/``.

    ``docs=True`` marks a picture the README shows; it is copied into ``docs/`` only by ``make docs``
    (``BACKPROP_REFRESH_DOCS=1``), so ``make test`` never changes the working tree.
    """
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    if docs and os.environ.get("BACKPROP_REFRESH_DOCS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copy(path, DOCS / f"{name}.png")
    return path


BUSY = ("/Running|Stop|Connecting/"
        ".test((document.querySelector('[data-testid=stStatusWidget]') || {innerText: ''}).innerText)")
"""Streamlit's status widget says a run is under way or the page is reconnecting. A run may show only its Stop
button, without the word Running."""


def wait_idle(pg, timeout: float = 30) -> None:
    """Wait until Streamlit says the script is no longer running and the page is connected."""
    pg.wait_for_function(f"() => !({BUSY})", timeout=timeout * 1000)
    pg.wait_for_timeout(300)


DRAWN = ("() => document.querySelector('.js-plotly-plot') || "
         "Number(document.querySelector('.bpl-live')?.dataset.frames || 0) > 0")
"""The page has drawn its first picture: a Plotly figure, or a frame of the live view."""


def load(pg, url: str) -> None:
    """Open ``url`` and wait until the app has drawn its first figure and gone idle."""
    pg.goto(url)
    pg.wait_for_function(DRAWN, timeout=60_000)
    wait_idle(pg)
    pg.wait_for_timeout(700)


def view_step(pg) -> int | None:
    """The step the live view shows (None if the page has no live view)."""
    text = pg.evaluate("() => document.querySelector('[data-testid=live-step]')?.textContent ?? null")
    return None if text is None else int(text)


def wait_view_step(pg, want: int, timeout: float = 60) -> None:
    """Wait until the view shows step ``want`` from the server: not only the frame ahead it showed at a click."""
    pg.wait_for_function("(w) => document.querySelector('[data-testid=live-step]')?.textContent === String(w) "
                         "&& !document.querySelector('.bpl-live').dataset.ahead", arg=want, timeout=timeout * 1000)


CANVAS_SIGNATURE = "() => document.querySelector('.bpl-live canvas').toDataURL().slice(-4000)"
"""What the live view's canvas shows, as text: it changes when any pixel changes."""


def choose(pg, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` and wait for the rerun."""
    pg.get_by_role("combobox", name=label, exact=True).click()
    pg.get_by_role("option", name=option, exact=True).click()
    wait_idle(pg)


def assert_clean(pg) -> None:
    assert pg.locator("[data-testid=stException]").count() == 0, "an exception box is on the page"
    assert not pg.js_errors, f"JS errors: {pg.js_errors}"


OVERLAPS = """() => {
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const bad = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const bar = plot.querySelector('.modebar'), title = plot.querySelector('.gtitle');
    const legend = plot.querySelector('.legend');
    if (bar && title && hit(bar.getBoundingClientRect(), title.getBoundingClientRect()))
      bad.push('toolbar over the title "' + title.textContent + '"');
    const xtitles = [...plot.querySelectorAll('.infolayer text')]
      .filter(t => /^x\\d*title$/.test(t.getAttribute('class')));
    for (const t of xtitles)
      if (legend && hit(legend.getBoundingClientRect(), t.getBoundingClientRect()))
        bad.push('legend over the axis title "' + t.textContent + '"');
  }
  return bad;
}"""


def assert_no_overlaps(pg) -> None:
    """No figure's toolbar covers its title, and no legend covers an x axis title."""
    assert pg.evaluate(OVERLAPS) == []


def step_value(pg) -> int:
    """The step on screen: the live view's, or on a page without it the Step metric."""
    shown = view_step(pg)
    if shown is not None:
        return shown
    m = pg.locator("[data-testid=stMetric]").filter(has=pg.get_by_text("Step", exact=True)).first
    return int(m.locator("[data-testid=stMetricValue]").inner_text().strip())


def pytest_terminal_summary(terminalreporter):
    if SHOTS.exists():
        terminalreporter.write_line(f"screenshots: {SHOTS}")
