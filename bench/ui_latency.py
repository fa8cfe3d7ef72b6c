"""Browser-side speed of the Train page against trivial Streamlit apps, in one run.

Starts five servers on free 127.0.0.1 ports: Backprop Lab, a trivial app with
one Step button and one metric, two reference apps built around that button
(below), and a trivial app whose fragment only bumps a metric on a timer (the
Play baseline). Drives each with Playwright in Debian's
headless Chromium and prints:

- p50/p95 latency from clicking Step to the ``Step`` metric showing the new
  count (and, for the lab, to the boundary heatmap holding new data);
- the same for two reference apps, the trivial Step app inside a six-page
  ``st.navigation`` and the trivial Step app with the lab's sidebar widgets: the
  structure the Train page must have, without any of its figures;
- Play-mode updates per second, counted in the browser over a fixed window;
- server CPU milliseconds per Step rerun, from /proc/<pid>/stat over 50 clicks.

Goals: Step p50 at most 1.2x the trivial app's; Play updates per second at
least 1.0x the trivial fragment app's. Run: ``.venv/bin/python bench/ui_latency.py``
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402
from tests.support.streamlit_ws import free_port  # noqa: E402

CLICKS = 50
PLAY_SECONDS = 6.0

TRIVIAL_STEP = """
import streamlit as st
if "n" not in st.session_state:
    st.session_state.n = 0
def bump():
    st.session_state.n += 1
st.button("Step", on_click=bump)
st.metric("Step", st.session_state.n)
"""

MULTIPAGE = """
import streamlit as st
pages = [st.Page("views/step.py", title="Train", icon=":material/model_training:", default=True)]
pages += [st.Page(f"views/page{i}.py", title=f"Page {i}", icon=":material/hub:") for i in range(1, 6)]
st.navigation(pages).run()
"""
"""Reference: the trivial Step app as the first of six pages in ``st.navigation``, as Backprop Lab's pages are."""

SIDEBAR = TRIVIAL_STEP + """
with st.sidebar:
    st.toggle("Presenter view")
    st.selectbox("Scene", ["a", "b"], index=None)
    st.selectbox("Dataset", ["xor", "moons"])
    st.slider("Points", 50, 1000, 200, step=10)
    st.slider("Noise", 0.0, 1.0, 0.1)
    st.slider("Test fraction", 0.0, 0.5, 0.2)
    st.number_input("Seed", value=0)
    st.radio("View", ["Both", "MSE + linear", "CE + sigmoid"])
    st.slider("Hidden units", 1, 64, 4)
    st.select_slider("Learning rate", [0.001, 0.01, 0.1, 1.0, 10.0], 1.0)
    st.selectbox("Hidden activation", ["sigmoid", "tanh", "relu"])
    st.selectbox("Batch size", ["full batch", "32"])
    st.checkbox("Also train the mismatched MSE + sigmoid")
"""
"""Reference: the trivial Step app with a sidebar of the same widgets as Backprop Lab's shared sidebar."""

TRIVIAL_PLAY = """
import streamlit as st
if "n" not in st.session_state:
    st.session_state.n = 0
@st.fragment(run_every={interval})
def tick():
    st.session_state.n += 1
    st.metric("Step", st.session_state.n)
tick()
"""

METRIC_JS = """() => {
  const m = [...document.querySelectorAll('[data-testid=stMetric]')]
    .find(e => e.querySelector('[data-testid=stMetricLabel]')?.innerText.trim() === 'Step');
  return m ? m.querySelector('[data-testid=stMetricValue]').innerText.trim() : null;
}"""

COUNT_UPDATES_JS = """async (ms) => {
  const read = READ_METRIC;
  let last = read(), changes = 0;
  const obs = new MutationObserver(() => { const v = read(); if (v !== last) { last = v; changes++; } });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
  await new Promise(r => setTimeout(r, ms));
  obs.disconnect();
  return changes;
}""".replace("READ_METRIC", METRIC_JS)

HEATMAP_JS = "() => JSON.stringify(document.querySelector('.js-plotly-plot')?.data?.[0]?.z ?? null).slice(0, 3000)"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_app(browser, url):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url)
    page.wait_for_function(f"() => ({METRIC_JS})() !== null", timeout=60_000)
    page.wait_for_timeout(1500)
    return page


def measure_steps(browser, url: str, pid: int, watch_plot: bool) -> dict:
    page = open_app(browser, url)
    button = page.get_by_role("button", name="Step", exact=True)
    to_metric, to_plot = [], []
    cpu0 = cpu_seconds(pid)
    for _ in range(CLICKS):
        before = int(page.evaluate(METRIC_JS))
        plot_before = page.evaluate(HEATMAP_JS) if watch_plot else None
        t0 = time.perf_counter()
        button.click()
        page.wait_for_function(f"() => ({METRIC_JS})() === '{before + 1}'", polling="raf")
        to_metric.append(time.perf_counter() - t0)
        if watch_plot:
            page.wait_for_function(f"() => ({HEATMAP_JS})() !== {plot_before!r}", polling="raf")
            to_plot.append(time.perf_counter() - t0)
        # let the browser finish drawing before the next click, as a person would
        page.evaluate("() => new Promise(r => requestIdleCallback(() => r(), {timeout: 2000}))")
        page.wait_for_timeout(100)
    cpu = cpu_seconds(pid) - cpu0
    page.close()
    out = {"p50": statistics.median(to_metric), "p95": statistics.quantiles(to_metric, n=20)[-1],
           "cpu_ms": 1000 * cpu / CLICKS}
    if to_plot:
        out["plot_p50"] = statistics.median(to_plot)
    return out


def measure_play(browser, url: str, press_play: bool) -> float:
    page = open_app(browser, url)
    if press_play:
        page.get_by_role("button", name="Play", exact=True).click()
        page.get_by_role("button", name="Pause", exact=True).wait_for()
    page.wait_for_timeout(1000)
    changes = page.evaluate(COUNT_UPDATES_JS, int(PLAY_SECONDS * 1000))
    page.close()
    return changes / PLAY_SECONDS


def main() -> None:
    from playwright.sync_api import sync_playwright

    from ui.controls import PLAY_INTERVAL

    with tempfile.TemporaryDirectory() as tmp:
        step_app, play_app = Path(tmp) / "trivial_step.py", Path(tmp) / "trivial_play.py"
        step_app.write_text(textwrap.dedent(TRIVIAL_STEP))
        play_app.write_text(textwrap.dedent(TRIVIAL_PLAY.format(interval=PLAY_INTERVAL)))
        (Path(tmp) / "multipage").mkdir()
        (Path(tmp) / "multipage" / "views").mkdir()
        multipage = Path(tmp) / "multipage" / "app.py"
        multipage.write_text(textwrap.dedent(MULTIPAGE))
        (multipage.parent / "views" / "step.py").write_text(textwrap.dedent(TRIVIAL_STEP))
        for i in range(1, 6):
            (multipage.parent / "views" / f"page{i}.py").write_text(f"import streamlit as st\nst.write('page {i}')\n")
        sidebar_app = Path(tmp) / "trivial_sidebar.py"
        sidebar_app.write_text(textwrap.dedent(SIDEBAR))
        servers = {name: (free_port(), script) for name, script in
                   (("lab", ROOT / "dashboard.py"), ("trivial", step_app), ("trivial-play", play_app),
                    ("multipage", multipage), ("sidebar", sidebar_app))}
        procs = {name: start_server(script, port) for name, (port, script) in servers.items()}
        urls = {name: f"http://127.0.0.1:{port}" for name, (port, _) in servers.items()}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                # warm both servers once, then measure alternately so drift hits both
                for name in ("lab", "trivial"):
                    open_app(browser, urls[name]).close()
                lab = measure_steps(browser, urls["lab"], procs["lab"].pid, watch_plot=True)
                trivial = measure_steps(browser, urls["trivial"], procs["trivial"].pid, watch_plot=False)
                refs = {name: measure_steps(browser, urls[name], procs[name].pid, watch_plot=False)
                        for name in ("multipage", "sidebar")}
                lab_play = measure_play(browser, urls["lab"], press_play=True)
                trivial_play = measure_play(browser, urls["trivial-play"], press_play=False)
                browser.close()
        finally:
            for proc in procs.values():
                proc.terminate()
                proc.wait(timeout=10)

    ratio = lab["p50"] / trivial["p50"]
    play_ratio = lab_play / trivial_play
    print(f"Step click -> 'Step' metric updated, {CLICKS} clicks each (ms)")
    print(f"  {'app':<14}{'p50':>8}{'p95':>8}{'CPU/rerun':>11}")
    print(f"  {'Backprop Lab':<14}{lab['p50'] * 1e3:8.1f}{lab['p95'] * 1e3:8.1f}{lab['cpu_ms']:11.1f}")
    print(f"  {'trivial app':<14}{trivial['p50'] * 1e3:8.1f}{trivial['p95'] * 1e3:8.1f}{trivial['cpu_ms']:11.1f}")
    print(f"  p50 ratio lab/trivial: {ratio:.2f}x (goal <= 1.2x)")
    print("  reference apps, the same one button and metric with only part of the lab's structure:")
    for name, label in (("multipage", "in a six-page st.navigation"), ("sidebar", "with the lab's sidebar widgets")):
        r = refs[name]
        print(f"    {label:<32} p50 {r['p50'] * 1e3:6.1f} ms = {r['p50'] / trivial['p50']:.2f}x trivial")
    print(f"  lab: click -> boundary heatmap redrawn, p50 {lab['plot_p50'] * 1e3:.1f} ms")
    print(f"Play ({PLAY_INTERVAL}s frames), metric updates per second over {PLAY_SECONDS:g}s")
    print(f"  Backprop Lab {lab_play:.2f}/s, trivial fragment app {trivial_play:.2f}/s, "
          f"ratio {play_ratio:.2f}x (goal >= 1.0x)")
    print(f"Server CPU per Step rerun: {lab['cpu_ms']:.1f} ms (trivial app {trivial['cpu_ms']:.1f} ms)")
    met = ratio <= 1.2 and play_ratio >= 1.0
    print("goals:", "met" if met else "NOT met")


if __name__ == "__main__":
    main()
