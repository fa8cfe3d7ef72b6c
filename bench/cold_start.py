"""Cold start: from ``streamlit run dashboard.py`` to a first page you can use, in headless Chromium.

For each of a few fresh server processes (127.0.0.1, a free port, the repo's
``.streamlit/config.toml``), with the browser already running, it records:

* ``server``: until ``/_stcore/health`` answers;
* ``interactive``: until the first animation frame on which the script has
  finished, the Step button is visible and enabled, and the app's picture is
  painted and visible (the lab: its live view's boundaries; the Plotly app:
  its heatmap). A probe in the page checks this on every frame and keeps that
  frame's wall-clock time, so the figure is what the screen showed, not when
  a polling test runner next looked (Playwright's ``locator.wait_for``
  re-checks at growing intervals, up to 500 ms apart);
* ``sidebar``: the lab only, until the sidebar's controls are all on screen.
  A session's first run draws the page and leaves them to the next run,
  which the page asks for once painted (``ui.sidebar.comes_later``), so this
  is the whole page drawn;
* ``first step``: the lab only; Step is clicked once the sidebar is drawn,
  until step 1 is in the view.

All times count from the moment ``streamlit run`` is started. The same is
measured for a one-button Streamlit app, for the same app with one Plotly
heatmap, and for it with the kinds of widget the lab's Train page and sidebar
use (no NumPy, no live view), so the ratios show what Streamlit's widgets,
Plotly's browser bundle and the lab itself each cost. Goal: the lab at most
1.3x the one-button app. It also lists the heavy modules imported by then.

The app's modules are compiled to bytecode first, as ``make run`` does and as
any deployment has after its first start: a fresh process is timed, not a
fresh checkout.

Run: ``.venv/bin/python bench/cold_start.py [runs]`` (default 3).
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers import APP_PACKAGES  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.streamlit_ws import free_port, wait_healthy  # noqa: E402

TRIVIAL_APP = 'import streamlit as st\nst.title("Hello")\nst.button("Step", key="step")\nst.metric("Step", 0)\n'
WIDGETS_APP = (
    "import streamlit as st\n"
    "st.title('Hello')\n"
    "row = st.columns(5)\n"
    "row[0].button('Step', key='step')\n"
    "row[1].number_input('N', 1, 1000, label_visibility='collapsed')\n"
    "row[2].button('Play')\n"
    "row[3].selectbox('Speed', [1, 5, 50], label_visibility='collapsed')\n"
    "row[4].button('Reset')\n"
    "st.metric('Step', 0)\n"
    "with st.sidebar:\n"
    "    st.toggle('Presenter view')\n"
    "    st.selectbox('Dataset', ['moons', 'circles'])\n"
    "    st.slider('Points', 50, 500)\n"
    "    st.number_input('Seed', 0, 999)\n"
    "    st.radio('View', ['twins', 'all'])\n"
    "    st.select_slider('Learning rate', [0.1, 1.0])\n"
    "    st.checkbox('Also train the mismatched pair')\n")
"""The one-button app with the kinds of widget the lab's Train page and sidebar use, and no NumPy."""
PLOTLY_APP = TRIVIAL_APP + ("import plotly.graph_objects as go\n"
                            "st.plotly_chart(go.Figure(go.Heatmap(z=[[0, 1], [1, 0]])))\n")
SHOWN_PROBE = """
(() => {
  const visible = (el) => !!el && el.checkVisibility();
  const picture = {
    lab: () => Number(document.querySelector('.bpl-live')?.dataset.frames || 0) > 0 &&
               visible(document.querySelector('.bpl-live canvas')),
    plot: () => visible(document.querySelector('.js-plotly-plot .heatmaplayer')),
    none: () => true,
  }[PICTURE];
  const shown = () => {
    const steps = [...document.querySelectorAll('.st-key-step button')];
    return document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning' &&
           steps.some((b) => visible(b) && !b.disabled) && picture();
  };
  const sidebar = () => visible(document.querySelector('[data-testid=stSidebar] .st-key-contrast'));
  const tick = () => {
    const now = performance.timeOrigin + performance.now();
    if (!window.__shownAt && shown()) window.__shownAt = now;
    if (!window.__sidebarAt && PICTURE === 'lab' && sidebar()) window.__sidebarAt = now;
    if (!window.__shownAt || (PICTURE === 'lab' && !window.__sidebarAt)) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""
"""Runs in the page before its own scripts: on every animation frame, until the page is usable, checks
that the script has finished, Step is visible and enabled, and the picture (PICTURE: lab, plot or none) is
painted; then keeps that frame's wall-clock time in ms in ``window.__shownAt``. For the lab it also keeps
when the sidebar's controls are all drawn (its last one, the mismatched pairing's checkbox, is on screen)
in ``window.__sidebarAt``."""


def start(script: Path, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def one_run(browser, script: Path, picture: str) -> dict[str, float]:
    """One fresh server for ``script``; seconds from ``streamlit run`` to each mark (module docstring)."""
    port = free_port()
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.add_init_script(SHOWN_PROBE.replace("PICTURE", repr(picture)))
    started = time.time()           # wall clock, as the page's performance.timeOrigin
    proc = start(script, port)
    try:
        wait_healthy(port, 90, interval=0.02)       # polled often: the start-up is what is timed
        times = {"server": time.time() - started}
        page.goto(f"http://127.0.0.1:{port}/", timeout=90_000)
        page.wait_for_function("() => window.__shownAt", timeout=90_000)
        times["interactive"] = page.evaluate("window.__shownAt") / 1000 - started
        if picture == "lab":
            page.wait_for_function("() => window.__sidebarAt", timeout=90_000)
            times["sidebar"] = page.evaluate("window.__sidebarAt") / 1000 - started
            page.get_by_role("button", name="Step", exact=True).click()
            page.wait_for_function("() => document.querySelector('[data-testid=live-step]')?.textContent === '1'",
                                   timeout=60_000)
            times["first step"] = time.time() - started
        return times
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=20)


def heavy_modules_after_first_page() -> str:
    code = ("import sys\nsys.path.insert(0, '.')\nimport tests.conftest\nfrom tests.helpers import new_app\n"
            "at = new_app(); at.run()\n"
            "print(', '.join(m for m in ('numpy', 'plotly', 'PIL', 'pandas', 'pyarrow', 'altair', 'sklearn', 'scipy')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    return out.stdout.strip() or out.stderr.strip()[-300:]


def main(runs: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    for name in ("dashboard.py", *APP_PACKAGES):       # what the Makefile compiles before `make run`
        target = ROOT / name
        (compileall.compile_file if target.is_file() else compileall.compile_dir)(str(target), quiet=1)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        trivial, plotly_app, widgets = (Path(tmp) / f"{n}_app.py" for n in ("trivial", "plotly", "widgets"))
        trivial.write_text(TRIVIAL_APP, encoding="utf-8")
        plotly_app.write_text(PLOTLY_APP, encoding="utf-8")
        widgets.write_text(WIDGETS_APP, encoding="utf-8")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        one_run(browser, plotly_app, "plot")          # warm the OS file cache for every app
        one_run(browser, ROOT / "dashboard.py", "lab")
        lab_runs, base_runs, plotly_runs, widget_runs = [], [], [], []
        for _ in range(runs):                           # interleaved, so a busy moment hits them all
            lab_runs.append(one_run(browser, ROOT / "dashboard.py", "lab"))
            base_runs.append(one_run(browser, trivial, "none"))
            plotly_runs.append(one_run(browser, plotly_app, "plot"))
            widget_runs.append(one_run(browser, widgets, "none"))
        browser.close()

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    print(f"Cold start, median of {runs} fresh servers (Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    print(f"{'':28}{'server up':>11}{'interactive':>13}{'sidebar':>10}{'first Step':>12}")
    print(f"{'Backprop Lab (Train page)':28}{med(lab_runs, 'server'):10.2f}s{med(lab_runs, 'interactive'):12.2f}s"
          f"{med(lab_runs, 'sidebar'):9.2f}s{med(lab_runs, 'first step'):11.2f}s")
    print(f"{'one-button Streamlit app':28}{med(base_runs, 'server'):10.2f}s{med(base_runs, 'interactive'):12.2f}s")
    print(f"{'  + one Plotly heatmap':28}{med(plotly_runs, 'server'):10.2f}s{med(plotly_runs, 'interactive'):12.2f}s")
    print(f"{'  + its widget kinds only':28}{med(widget_runs, 'server'):10.2f}s"
          f"{med(widget_runs, 'interactive'):12.2f}s")
    lab_i, lab_all = med(lab_runs, "interactive"), med(lab_runs, "sidebar")
    print(f"ratio interactive, lab / one-button app: {lab_i / med(base_runs, 'interactive'):.2f}x (goal <= 1.3x); "
          f"lab / one-Plotly-chart app: {lab_i / med(plotly_runs, 'interactive'):.2f}x; "
          f"lab / the same widgets without the lab: {lab_i / med(widget_runs, 'interactive'):.2f}x")
    print(f"ratio with the sidebar drawn too, lab / one-button app: {lab_all / med(base_runs, 'interactive'):.2f}x")
    print(f"load average during the runs: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name, rows, key in (("lab", lab_runs, "interactive"), ("lab", lab_runs, "sidebar"),
                            ("one-button app", base_runs, "interactive")):
        print(f"all {name} runs, {key}: {', '.join(f'{r[key]:.2f}s' for r in rows)}")
    print(f"modules loaded once the Train page has run: {heavy_modules_after_first_page()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
