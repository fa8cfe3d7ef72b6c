"""What a person in the room sees, in headless Chromium: the live view against trivial Streamlit apps, in one run.

Starts three servers on free 127.0.0.1 ports: Backprop Lab, a trivial app with one Step button and one
metric, and a trivial app whose fragment bumps a metric on a timer (the fastest a server-driven
Streamlit animation goes). Drives each with Playwright in Debian's headless Chromium and prints:

- Step: p50/p95 from clicking Step to the live view showing the new step (``data-testid=live-step``),
  against the trivial app's click to its metric. Goal: p50 at most 1.5x the trivial app's. The view shows
  the frame ahead the server sent with the last one, so it is also timed until the server's own answer
  (the view's ``data-ahead`` cleared), and each next click waits for that answer, as a lecturer looks at
  the picture before stepping again;
- Play: distinct frames the view painted per second over 20 s (its ``data-step`` attribute, set when a
  frame is drawn), and the longest gap between two frames. Goal: at least 30 a second, no gap over
  200 ms. The timer app's updates per second are printed beside it;
- server CPU milliseconds per Step and per second of Play (from /proc/<pid>/stat).

Run: ``.venv/bin/python bench/ui_latency.py [--clicks 50] [--play 20]``
"""

from __future__ import annotations

import argparse
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

TRIVIAL_STEP = """
import streamlit as st
if "n" not in st.session_state:
    st.session_state.n = 0
def bump():
    st.session_state.n += 1
st.button("Step", on_click=bump)
st.metric("Step", st.session_state.n)
"""

TRIVIAL_PLAY = """
import streamlit as st
if "n" not in st.session_state:
    st.session_state.n = 0
@st.fragment(run_every=0.1)
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
VIEW_JS = "() => document.querySelector('[data-testid=live-step]')?.textContent ?? null"
ANSWERED_JS = "() => !document.querySelector('.bpl-live')?.dataset.ahead"
"""The server's answer to the last Step has come (the view no longer shows only the frame ahead)."""

WATCH_JS = """async ([ms, selector, attribute]) => {
  // every change of what is shown, with its time: a frame of the view, or the metric's new value
  const read = () => attribute ? document.querySelector(selector)?.getAttribute(attribute)
                               : (READ_METRIC)();
  const seen = [[performance.now(), read()]];
  const obs = new MutationObserver(() => {
    const v = read();
    if (v !== seen[seen.length - 1][1]) seen.push([performance.now(), v]);
  });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                              attributeFilter: attribute ? [attribute] : undefined});
  await new Promise(r => setTimeout(r, ms));
  obs.disconnect();
  return seen;
}""".replace("READ_METRIC", METRIC_JS)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_app(browser, url, ready: str):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url)
    page.wait_for_function(f"() => ({ready})() !== null", timeout=60_000)
    page.wait_for_timeout(1500)
    return page


def measure_steps(browser, url: str, pid: int, read: str, clicks: int, answered: str | None = None) -> dict:
    page = open_app(browser, url, read)
    button = page.get_by_role("button", name="Step", exact=True)
    took, answer = [], []
    cpu0 = cpu_seconds(pid)
    for _ in range(clicks):
        before = int(page.evaluate(read))
        t0 = time.perf_counter()
        button.click()
        page.wait_for_function(f"() => ({read})() === '{before + 1}'", polling="raf")
        took.append(time.perf_counter() - t0)
        if answered:
            page.wait_for_function(answered, polling="raf")
            answer.append(time.perf_counter() - t0)
        # let the browser finish drawing before the next click, as a person would
        page.evaluate("() => new Promise(r => requestIdleCallback(() => r(), {timeout: 2000}))")
        page.wait_for_timeout(100)
    cpu = cpu_seconds(pid) - cpu0
    page.close()
    return {"p50": statistics.median(took), "p95": statistics.quantiles(took, n=20)[-1], "cpu_ms": 1e3 * cpu / clicks,
            "answer_p50": statistics.median(answer) if answer else None}


def frames_shown(seen: list, seconds: float) -> tuple[float, float]:
    """Distinct values shown per second and the longest gap between two changes (ms)."""
    times = [t for t, _ in seen]
    distinct = len({v for _, v in seen[1:]})
    gaps = [b - a for a, b in zip(times, times[1:])] or [seconds * 1e3]
    return distinct / seconds, max(gaps)


def measure_play(browser, url: str, pid: int, seconds: float, speed: str | None = None) -> dict:
    page = open_app(browser, url, VIEW_JS)
    if speed:
        page.get_by_role("combobox", name="Steps per frame").click()
        page.get_by_role("option", name=speed, exact=True).click()
        page.wait_for_timeout(1000)
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_role("button", name="Pause", exact=True).wait_for()
    page.wait_for_timeout(1500)
    cpu0 = cpu_seconds(pid)
    seen = page.evaluate(WATCH_JS, [int(seconds * 1000), ".bpl-live", "data-step"])
    cpu = cpu_seconds(pid) - cpu0
    page.close()
    rate, gap = frames_shown(seen, seconds)
    return {"rate": rate, "gap_ms": gap, "cpu_ms_per_s": 1e3 * cpu / seconds}


def measure_timer(browser, url: str, seconds: float) -> float:
    page = open_app(browser, url, METRIC_JS)
    seen = page.evaluate(WATCH_JS, [int(seconds * 1000), "", None])
    page.close()
    return frames_shown(seen, seconds)[0]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clicks", type=int, default=50)
    ap.add_argument("--play", type=float, default=20.0, help="seconds of Play to watch")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        step_app, play_app = Path(tmp) / "trivial_step.py", Path(tmp) / "trivial_play.py"
        step_app.write_text(textwrap.dedent(TRIVIAL_STEP))
        play_app.write_text(textwrap.dedent(TRIVIAL_PLAY))
        servers = {name: (free_port(), script) for name, script in
                   (("lab", ROOT / "dashboard.py"), ("trivial", step_app), ("timer", play_app))}
        procs = {name: start_server(script, port) for name, (port, script) in servers.items()}
        urls = {name: f"http://127.0.0.1:{port}" for name, (port, _) in servers.items()}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                open_app(browser, urls["lab"], VIEW_JS).close()          # warm both servers once
                open_app(browser, urls["trivial"], METRIC_JS).close()
                lab = measure_steps(browser, urls["lab"], procs["lab"].pid, VIEW_JS, args.clicks, ANSWERED_JS)
                trivial = measure_steps(browser, urls["trivial"], procs["trivial"].pid, METRIC_JS, args.clicks)
                play = measure_play(browser, urls["lab"], procs["lab"].pid, args.play)
                fast = measure_play(browser, urls["lab"], procs["lab"].pid, min(args.play, 10.0), "50 steps / frame")
                timer = measure_timer(browser, urls["timer"], min(args.play, 10.0))
                browser.close()
        finally:
            for proc in procs.values():
                proc.terminate()
                proc.wait(timeout=10)

    ratio = lab["p50"] / trivial["p50"]
    print(f"Step click -> the new step on screen, {args.clicks} clicks each (ms)")
    print(f"  {'app':<34}{'p50':>8}{'p95':>8}{'CPU/click':>11}")
    print(f"  {'Backprop Lab (live view)':<34}{lab['p50'] * 1e3:8.1f}{lab['p95'] * 1e3:8.1f}{lab['cpu_ms']:11.1f}")
    print(f"  {'one-button app (metric)':<34}{trivial['p50'] * 1e3:8.1f}{trivial['p95'] * 1e3:8.1f}"
          f"{trivial['cpu_ms']:11.1f}")
    print(f"  p50 ratio lab/one-button: {ratio:.2f}x (goal <= 1.5x)")
    print(f"  the lab server's own answer (its new frame in the view) p50: {lab['answer_p50'] * 1e3:.1f} ms, "
          f"{lab['answer_p50'] / trivial['p50']:.2f}x the one-button app's click to metric")
    print(f"Play, default settings (1 step a frame), {args.play:g} s: {play['rate']:.1f} distinct frames/s, "
          f"longest gap {play['gap_ms']:.0f} ms (goal >= 30/s, no gap over 200 ms); "
          f"server CPU {play['cpu_ms_per_s']:.1f} ms per second of Play (goal <= 25)")
    print(f"Play, 50 steps a frame: {fast['rate']:.1f} frames/s, longest gap {fast['gap_ms']:.0f} ms, "
          f"server CPU {fast['cpu_ms_per_s']:.0f} ms/s")
    print(f"  a trivial fragment on a 0.1 s timer shows {timer:.1f} updates/s on the same machine")
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    met = ratio <= 1.5 and play["rate"] >= 30 and play["gap_ms"] <= 200 and play["cpu_ms_per_s"] <= 25
    print("goals:", "met" if met else "NOT met")


if __name__ == "__main__":
    main()
