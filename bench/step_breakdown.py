"""Where a Step's time goes, for the live view and the one-button app, interleaved in one run.

``bench/ui_latency.py`` gives the end-to-end figure; this splits it. For each click on Step, in headless
Chromium (one page open at a time, the two apps taking turns in rounds, so a busy moment hits both):

- ``latency``: click to the new step on screen (as ``ui_latency.py`` measures it);
- ``server``: the websocket frames as Chromium's network stack received them (CDP ``Network`` events,
  independent of the page's main thread), in ms after the rerun request left: when the run started
  (``new_session``), when the first element came, when the page info (address bar) came, when it finished;
- ``browser``: main-thread work per click (CDP ``Performance.getMetrics``: all tasks, of which script);
- ``server CPU`` per click (``/proc/<pid>/stat``).

Run: ``.venv/bin/python bench/step_breakdown.py [--clicks 8] [--rounds 3]``
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from bench.ui_latency import METRIC_JS, TRIVIAL_STEP, VIEW_JS, cpu_seconds, open_app  # noqa: E402
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402
from tests.support.streamlit_ws import free_port  # noqa: E402

MARKS = ("new_session", "delta", "page_info_changed", "script_finished")


def _kind(payload: str) -> str:
    msg = ForwardMsg()
    msg.ParseFromString(base64.b64decode(payload))
    return msg.WhichOneof("type") or ""


def _clicks(page, cdp, read: str, clicks: int, pid: int) -> list[dict]:
    frames: list[tuple[float, str, str]] = []
    cdp.on("Network.webSocketFrameSent", lambda e: frames.append((e["timestamp"], "sent", "")))
    cdp.on("Network.webSocketFrameReceived",
           lambda e: frames.append((e["timestamp"], "got", e["response"]["payloadData"])))
    button = page.get_by_role("button", name="Step", exact=True)
    rows = []
    for _ in range(clicks):
        before = int(page.evaluate(read))
        frames.clear()
        metrics0 = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        cpu0, t0 = cpu_seconds(pid), time.perf_counter()
        button.click()
        page.wait_for_function(f"() => ({read})() === '{before + 1}'", polling="raf")
        latency = time.perf_counter() - t0
        page.evaluate("() => new Promise(r => requestIdleCallback(() => r(), {timeout: 2000}))")
        page.wait_for_timeout(150)
        metrics1 = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        sent = next((t for t, what, _ in frames if what == "sent"), None)
        got = [(t, _kind(p)) for t, what, p in frames if what == "got"] if sent else []
        row = {"latency": latency * 1e3, "cpu": (cpu_seconds(pid) - cpu0) * 1e3,
               "task": (metrics1["TaskDuration"] - metrics0["TaskDuration"]) * 1e3,
               "script": (metrics1["ScriptDuration"] - metrics0["ScriptDuration"]) * 1e3, "messages": len(got)}
        for mark in MARKS:
            row[mark] = next(((t - sent) * 1e3 for t, kind in got if kind == mark), None)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clicks", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial_step.py"
        trivial.write_text(textwrap.dedent(TRIVIAL_STEP))
        apps = {"Backprop Lab (live view)": (ROOT / "dashboard.py", VIEW_JS), "one-button app": (trivial, METRIC_JS)}
        ports = {name: free_port() for name in apps}
        procs = {name: start_server(script, ports[name]) for name, (script, _) in apps.items()}
        rows: dict[str, list[dict]] = {name: [] for name in apps}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for _ in range(args.rounds):
                    for name, (_, read) in apps.items():
                        page = open_app(browser, f"http://127.0.0.1:{ports[name]}", read)
                        cdp = page.context.new_cdp_session(page)
                        cdp.send("Network.enable")
                        cdp.send("Performance.enable")
                        rows[name] += _clicks(page, cdp, read, args.clicks + 1, procs[name].pid)[1:]
                        page.close()
                browser.close()
        finally:
            for proc in procs.values():
                proc.terminate()
                proc.wait(timeout=10)

    def med(name: str, key: str) -> str:
        values = [r[key] for r in rows[name] if r[key] is not None]
        return f"{statistics.median(values):7.1f}" if values else "      –"

    print(f"Per Step click, medians of {args.rounds} x {args.clicks} clicks (ms)")
    print(f"  {'':26}{'latency':>8}{'run':>8}{'element':>8}{'address':>8}{'done':>8}{'msgs':>8}"
          f"{'browser':>8}{'script':>8}{'srv CPU':>8}")
    for name in apps:
        print(f"  {name:<26}{med(name, 'latency')} {med(name, 'new_session')} {med(name, 'delta')} "
              f"{med(name, 'page_info_changed')} {med(name, 'script_finished')} {med(name, 'messages')} "
              f"{med(name, 'task')} {med(name, 'script')} {med(name, 'cpu')}")
    print("  run/element/address/done: after the rerun request left, when Chromium received the run's start, its "
          "first element, the address bar's update and its end; browser: main-thread work (script: JavaScript)")


if __name__ == "__main__":
    main()
