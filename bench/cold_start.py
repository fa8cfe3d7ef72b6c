"""Cold start: from ``streamlit run dashboard.py`` to a first page you can use, in headless Chromium.

For each of a few fresh server processes (127.0.0.1, a free port, the repo's
``.streamlit/config.toml``), with the browser already running, it records:

* ``server``: until ``/_stcore/health`` answers;
* ``interactive``: until the Train page's live view has painted its first
  frame (the boundaries are visible), the script has finished, and the Step
  button is enabled;
* ``first step``: until a click on Step has come back as step 1 in the view.

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

TRIVIAL_APP = 'import streamlit as st\nst.title("Hello")\nst.button("Step")\nst.metric("Step", 0)\n'
WIDGETS_APP = (
    "import streamlit as st\n"
    "st.title('Hello')\n"
    "row = st.columns(5)\n"
    "row[0].button('Step')\n"
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
PAINTED = "() => Number(document.querySelector('.bpl-live')?.dataset.frames || 0)"
"""Frames the live view has painted (its boundaries are on the canvas once this is 1)."""
IDLE = ("() => !document.querySelector('[data-testid=stStatusWidget]') || "
        "!document.querySelector('[data-testid=stStatusWidget]').innerText.includes('Running')")


def start(script: Path, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def one_run(browser, script: Path, lab: bool, plot: bool = False) -> dict[str, float]:
    port = free_port()
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    t0 = time.perf_counter()
    proc = start(script, port)
    try:
        wait_healthy(port, 90, interval=0.02)       # polled often: the start-up is what is timed
        times = {"server": time.perf_counter() - t0}
        page.goto(f"http://127.0.0.1:{port}/", timeout=90_000)
        if lab:
            page.wait_for_function(f"() => ({PAINTED})() > 0", timeout=90_000)
        elif plot:
            page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=90_000)
        step = page.get_by_role("button", name="Step", exact=True)
        step.wait_for(state="visible", timeout=90_000)
        page.wait_for_function(IDLE, timeout=90_000)
        assert step.is_enabled()
        times["interactive"] = time.perf_counter() - t0
        if lab:
            step.click()
            page.wait_for_function("() => document.querySelector('[data-testid=live-step]')?.textContent === '1'",
                                   timeout=60_000)
            times["first step"] = time.perf_counter() - t0
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
        one_run(browser, plotly_app, lab=False)         # warm the OS file cache for every app
        one_run(browser, ROOT / "dashboard.py", lab=True)
        lab_runs, base_runs, plotly_runs, widget_runs = [], [], [], []
        for _ in range(runs):                           # interleaved, so a busy moment hits them all
            lab_runs.append(one_run(browser, ROOT / "dashboard.py", lab=True))
            base_runs.append(one_run(browser, trivial, lab=False))
            plotly_runs.append(one_run(browser, plotly_app, lab=False, plot=True))
            widget_runs.append(one_run(browser, widgets, lab=False))
        browser.close()

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    print(f"Cold start, median of {runs} fresh servers (Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    print(f"{'':28}{'server up':>11}{'interactive':>13}{'first Step':>12}")
    print(f"{'Backprop Lab (Train page)':28}{med(lab_runs, 'server'):10.2f}s{med(lab_runs, 'interactive'):12.2f}s"
          f"{med(lab_runs, 'first step'):11.2f}s")
    print(f"{'one-button Streamlit app':28}{med(base_runs, 'server'):10.2f}s{med(base_runs, 'interactive'):12.2f}s")
    print(f"{'  + one Plotly heatmap':28}{med(plotly_runs, 'server'):10.2f}s{med(plotly_runs, 'interactive'):12.2f}s")
    print(f"{'  + its widget kinds only':28}{med(widget_runs, 'server'):10.2f}s"
          f"{med(widget_runs, 'interactive'):12.2f}s")
    lab_i = med(lab_runs, "interactive")
    print(f"ratio interactive, lab / one-button app: {lab_i / med(base_runs, 'interactive'):.2f}x (goal <= 1.3x); "
          f"lab / one-Plotly-chart app: {lab_i / med(plotly_runs, 'interactive'):.2f}x; "
          f"lab / the same widgets without the lab: {lab_i / med(widget_runs, 'interactive'):.2f}x")
    print(f"load average during the runs: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    each = ", ".join(f"{r['interactive']:.2f}s" for r in lab_runs)
    print(f"all lab runs, interactive: {each}")
    print(f"modules loaded once the Train page has run: {heavy_modules_after_first_page()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
