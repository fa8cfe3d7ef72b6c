"""A whole class at once: drive the real app over Streamlit's own websocket protocol.

The tool starts ``streamlit run dashboard.py`` on a free 127.0.0.1 port and,
for comparison, a trivial one-button app (``bench/trivial_app.py``, Streamlit's
default settings). For each load level N it opens N sessions at once; each
does what a student does:

1. open the app (the first ``rerun_script`` BackMsg) and wait for ``script_finished``;
2. find the Step button's widget id in the deltas (key ``step``, label "Step");
3. click Step K times (K to K+2, so sessions differ), waiting for each rerun to
   finish. On the Train page Step sits inside an ``st.fragment``: the rerun is
   sent with the fragment's id and ends with ``FINISHED_FRAGMENT_RUN_SUCCESSFULLY``;
4. once every session has clicked, change a slider (the learning rate, which
   keeps the weights) and check that its own Step metric still shows its own
   clicks (isolation: a shared state would show the class's total). The
   sidebar controls are a fragment, so this is sent with the fragment's id,
   as the browser sends it;
5. switch page once (to the next page in the navigation) and, if that page
   shows a Step metric, check it again.

Every browser-side rule the tool needs is in ``streamlit.proto``: a rerun is a
``BackMsg.rerun_script`` (``ClientState``) carrying the page, the query string,
the fragment id and every widget's current value, as the browser sends them;
the server answers with ``ForwardMsg`` deltas and one ``script_finished``.

Printed per app and level: p50/p95 rerun latency (click to ``script_finished``),
overall and per kind of rerun (Step, slider, page), errors (exception element,
closed socket, timeout, wrong Step metric), server CPU per script run and per
Step (from ``/proc/<pid>/stat``; per Step is measured while every session is open
and clicking), peak RSS and its growth per session, and the real app's p95 ratio
against the trivial one under the same load. Each (app, level) gets a fresh
server so memory is not carried over. The capacity line turns CPU per rerun into
students per core, each rerunning once every two seconds.

Run: ``.venv/bin/python bench/load.py`` (about 6 minutes on 2 cores), or e.g.
``--levels 1,10 --clicks 5``; ``--set runner.postScriptGC=true`` tries a Streamlit
option on the real app only. It is a benchmark, never part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
"""Every server this tool starts binds here, never to another address."""

APP = ROOT / "dashboard.py"
TRIVIAL = ROOT / "bench" / "trivial_app.py"
CLK_TCK = os.sysconf("SC_CLK_TCK")

FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
"""A whole-app run and a fragment run (Step on the Train page) both end a rerun."""


# -- the server --------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_healthy(port: int, timeout: float = 60, interval: float = 0.2,
                 proc: subprocess.Popen | None = None) -> None:
    """Return once ``http://127.0.0.1:port/_stcore/health`` answers 200; poll every ``interval`` seconds.

    Raises ``RuntimeError`` after ``timeout`` seconds, or at once if ``proc`` (the server) has exited.
    The one health wait of the benchmarks and the browser tests.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(interval)
    raise RuntimeError(f"the server did not answer within {timeout:g} s")


class Server:
    """``streamlit run <script>`` on a free 127.0.0.1 port, headless, no usage stats.

    ``cwd`` decides which ``.streamlit/config.toml`` applies: the project's
    for the real app, an empty temporary folder (Streamlit's defaults) for
    the trivial app.
    """

    def __init__(self, script: Path, cwd: Path, options: tuple[str, ...] = ()) -> None:
        self.script, self.cwd = script, cwd
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile("w+", prefix="load-server-", suffix=".log", delete=False)
        env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.address", HOST,
             "--server.port", str(self.port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false", *(f"--{o}" for o in options)],
            cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self._wait_healthy()

    @property
    def url(self) -> str:
        return f"ws://{HOST}:{self.port}/_stcore/stream"

    def _wait_healthy(self, timeout: float = 60) -> None:
        try:
            wait_healthy(self.port, timeout, proc=self.proc)
        except RuntimeError as e:
            raise RuntimeError(f"{e}: {self.tail()}") from None

    def tail(self, n: int = 2000) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()[-n:]

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        fields_ = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields_[11]) + int(fields_[12])) / CLK_TCK      # utime, stime (fields 14, 15)

    def _status(self, key: str) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(key)

    def rss(self) -> int:
        return self._status("VmRSS")

    def peak_rss(self) -> int:
        return self._status("VmHWM")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        os.unlink(self.log.name)


# -- one simulated browser ---------------------------------------------------------------

class SessionError(Exception):
    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


@dataclass
class Widget:
    kind: str            # the Element oneof: button, slider, selectbox, ...
    proto: object
    fragment_id: str


def widget_state(w: Widget) -> WidgetState | None:
    """The value a widget starts with in the browser: the server's value when it sets one, else the default.

    ``None`` for buttons, which report only a click (a trigger).
    """
    p, ws = w.proto, WidgetState(id=w.proto.id)
    if w.kind == "checkbox":
        ws.bool_value = p.value if p.set_value else p.default
    elif w.kind == "slider" and len(p.options):                     # st.select_slider
        ws.string_array_value.data.extend(p.raw_value if p.set_value else [p.options[int(i)] for i in p.default])
    elif w.kind == "slider":
        ws.double_array_value.data.extend(p.value if p.set_value else p.default)
    elif w.kind in ("selectbox", "radio"):
        if p.set_value:
            ws.string_value = p.raw_value
        elif p.HasField("default") and len(p.options):
            ws.string_value = p.options[p.default]
        else:
            return None                                             # index=None: nothing chosen yet
    elif w.kind == "number_input":
        if not (p.set_value or p.HasField("default")):
            return None
        value = p.value if p.set_value else p.default
        if p.data_type == p.INT:
            ws.int_value = int(value)
        else:
            ws.double_value = value
    else:
        return None
    return ws


class Session:
    """One browser tab: a websocket, the widgets and metrics it shows, and its reruns."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url, self.timeout = url, timeout
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, WidgetState | None] = {}     # what the browser reports for each widget
        self.metrics: dict[str, str] = {}
        self.alerts: list[str] = []                   # st.info/warning/error texts of the last run
        self.pages: list[tuple[str, str]] = []       # (page_script_hash, url_pathname)
        self.page_hash = ""
        self.query = ""
        self.exceptions: list[str] = []
        self.tracebacks: list[str] = []              # stack-trace lines sent to this browser, if any
        self._done: asyncio.Future | None = None
        self._fragment = ""                          # fragment id of the rerun in flight, "" for the whole app
        self._seen: set[str] = set()                 # widget ids drawn by the run in flight
        self._ws = None
        self._reader: asyncio.Task | None = None

    async def open(self, query: str = "") -> float:
        self.query = query
        self._ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=self.timeout, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        return await self.rerun()

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                self._handle(data)
        except websockets.ConnectionClosed:
            pass
        if self._done and not self._done.done():
            self._done.set_exception(SessionError("closed", "the server closed the socket"))

    def _handle(self, data: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "new_session":                    # the start of every run, whole-app or fragment
            self._seen = set()
            self.alerts = []
            # A fragment run can end by starting a whole-app run (the sidebar controls do, for any change
            # but the learning rate); which widgets a run replaces follows the run actually under way.
            self._fragment = next(iter(msg.metadata.run.fragment_ids), "")
            if not self._fragment:
                self.metrics = {}                    # a whole-app run draws every metric anew
        elif kind == "navigation":
            self.pages = [(p.page_script_hash, p.url_pathname) for p in msg.navigation.app_pages]
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            el_kind = el.WhichOneof("type")
            body = getattr(el, el_kind)
            if el_kind == "exception":
                self.exceptions.append(f"{body.type}: {body.message}"[:200])
                self.tracebacks += list(body.stack_trace)
            elif el_kind == "metric":
                self.metrics[body.label] = body.body
            elif el_kind == "alert":
                self.alerts.append(body.body)
            elif getattr(body, "id", ""):
                w = self.widgets[body.id] = Widget(el_kind, body, msg.delta.fragment_id)
                self._seen.add(body.id)
                # The browser keeps what the user chose unless the server sets a value.
                if getattr(body, "set_value", False) or body.id not in self.values:
                    self.values[body.id] = widget_state(w)
        elif kind == "page_not_found":
            self.exceptions.append("page not found")
        elif kind == "script_finished" and self._done and not self._done.done():
            if msg.script_finished in FINISHED:
                self._drop_stale()
                self._done.set_result(msg.script_finished)
            elif msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                self._done.set_exception(SessionError("exception", "script compile error"))
            # FINISHED_EARLY_FOR_RERUN: a newer run follows; keep waiting for it.

    def _drop_stale(self) -> None:
        """As the browser does when a run ends: forget the widgets the run did not draw.

        A whole-app run replaces every element; a fragment run only its own.
        """
        for k in [k for k, w in self.widgets.items()
                  if k not in self._seen and (not self._fragment or w.fragment_id == self._fragment)]:
            del self.widgets[k]
            self.values.pop(k, None)

    def find(self, kind: str, label: str) -> Widget | None:
        return next((w for w in self.widgets.values() if w.kind == kind and w.proto.label == label), None)

    async def rerun(self, trigger: Widget | None = None, values: dict[str, WidgetState] | None = None,
                    page_hash: str | None = None, fragment_id: str = "") -> float:
        """Send one rerun as the browser would; return seconds until its ``script_finished``.

        ``fragment_id``: the fragment of a widget whose value changed (a trigger brings its own).
        """
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_hash if page_hash is None else page_hash
        self.values.update(values or {})
        cs.widget_states.widgets.extend(ws for ws in self.values.values() if ws is not None)
        cs.fragment_id = fragment_id
        if trigger is not None:
            cs.widget_states.widgets.add(id=trigger.proto.id, trigger_value=True)
            cs.fragment_id = trigger.fragment_id
        self._fragment = cs.fragment_id
        seen = len(self.exceptions)
        self._done = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        try:
            await self._ws.send(msg.SerializeToString())
            await asyncio.wait_for(self._done, self.timeout)
        except TimeoutError:
            raise SessionError("timeout", f"no script_finished within {self.timeout:g}s") from None
        except websockets.ConnectionClosed:
            raise SessionError("closed", "the socket closed while sending") from None
        elapsed = time.perf_counter() - start
        if len(self.exceptions) > seen:
            raise SessionError("exception", self.exceptions[-1])
        return elapsed


# -- one student --------------------------------------------------------------------------

@dataclass
class Outcome:
    open_s: float | None = None
    rerun_s: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)     # "step", "slider", "page"

    def record(self, kind: str, seconds: float) -> None:
        self.rerun_s.append(seconds)
        self.by_kind.setdefault(kind, []).append(seconds)
    runs: int = 0                                # script runs the server did for this session
    error: str | None = None
    error_kind: str | None = None


def check_step(s: Session, expected: int) -> None:
    shown = s.metrics.get("Step")
    if shown != str(expected):
        raise SessionError("isolation", f"Step metric shows {shown!r}, this session clicked {expected}")


class Crowd:
    """What the sessions of one level share: who has opened, who has clicked, and CPU marks between.

    ``step_cpu_ms`` is the server CPU per Step rerun measured while every session is open and
    clicking (between the last open and the last click), so it excludes opens and page switches.
    """

    def __init__(self, n: int, cpu=lambda: 0.0) -> None:
        self.n, self.cpu = n, cpu
        self.opened = self.clicked = self.clicks = 0
        self.all_clicked = asyncio.Event()
        self.marks: list[tuple[float, int]] = []

    def on_open(self) -> None:
        self.opened += 1
        if self.opened == self.n:
            self.marks.append((self.cpu(), self.clicks))

    def on_click(self) -> None:
        self.clicks += 1

    def on_done_clicking(self) -> None:
        self.clicked += 1
        if self.clicked == self.n:
            if len(self.marks) == 1:
                self.marks.append((self.cpu(), self.clicks))
            self.all_clicked.set()

    @property
    def step_cpu_ms(self) -> float:
        if len(self.marks) < 2 or self.marks[1][1] == self.marks[0][1]:
            return float("nan")
        (c0, k0), (c1, k1) = self.marks
        return 1e3 * (c1 - c0) / (k1 - k0)


async def student(index: int, url: str, clicks: int, timeout: float, think: float, crowd: Crowd) -> Outcome:
    out = Outcome()
    s = Session(url, timeout)
    mine = clicks + index % 3
    done_clicking = False
    opened = False

    def finish_clicking() -> None:
        nonlocal done_clicking, opened
        if not opened:                              # a session that failed to open still counts as arrived
            opened = True
            crowd.on_open()
        if not done_clicking:
            done_clicking = True
            crowd.on_done_clicking()
    try:
        out.open_s = await s.open()
        out.runs += 1
        opened = True
        crowd.on_open()
        step = s.find("button", "Step")
        if step is None:
            raise SessionError("exception", "no Step button in the deltas")
        for c in range(mine):
            if think:
                await asyncio.sleep(think)
            out.record("step", await s.rerun(trigger=step))
            out.runs += 1
            crowd.on_click()
            check_step(s, c + 1)
        finish_clicking()
        await crowd.all_clicked.wait()
        # Change a slider once: the learning rate keeps the weights, so Step must still read `mine`.
        lr = s.find("slider", "Learning rate")
        values = {}
        if lr is not None:
            current = list(s.values[lr.proto.id].string_array_value.data)
            options = list(lr.proto.options)
            new = options[(options.index(current[0]) - 1) % len(options)]
            values[lr.proto.id] = WidgetState(id=lr.proto.id)
            values[lr.proto.id].string_array_value.data.append(new)
        out.record("slider", await s.rerun(values=values, fragment_id=lr.fragment_id if lr else ""))
        out.runs += 1
        check_step(s, mine)
        # Switch page once: the next page in the navigation (the same one if there is only one).
        hashes = [h for h, _ in s.pages] or [s.page_hash]
        target = hashes[(hashes.index(s.page_hash) + 1) % len(hashes)] if s.page_hash in hashes else hashes[0]
        out.record("page", await s.rerun(page_hash=target))
        out.runs += 1
        if "Step" in s.metrics:                      # the next page shows this session's own count too
            check_step(s, mine)
    except SessionError as e:
        out.error, out.error_kind = str(e), e.kind
    except (OSError, websockets.WebSocketException) as e:
        out.error, out.error_kind = f"closed: {e}", "closed"
    finally:
        finish_clicking()
        await s.close()
    return out


# -- one load level -----------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


@dataclass
class Level:
    app: str
    n: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    open_p95_ms: float
    reruns: int
    runs: int
    errors: dict[str, int]
    cpu_per_run_ms: float
    idle_rss_mb: float
    peak_rss_mb: float
    growth_per_session_mb: float
    wall_s: float
    pages: int
    client_cpu_s: float
    server_cpu_s: float
    p95_by_kind_ms: dict[str, float]
    step_cpu_ms: float
    first_errors: list[str]


async def run_level(server: Server, app: str, n: int, clicks: int, timeout: float, think: float) -> Level:
    # Warm up: one session imports every module and draws every figure once.
    warm = await student(0, server.url, 1, timeout, 0, Crowd(1))
    if warm.error:
        raise RuntimeError(f"{app}: warm-up session failed: {warm.error}\n{server.tail()}")
    probe = Session(server.url, timeout)
    await probe.open()
    pages = len(probe.pages)
    await probe.close()
    await asyncio.sleep(1.0)
    idle_rss, cpu0, t0, client0 = server.rss(), server.cpu_seconds(), time.perf_counter(), time.process_time()
    crowd = Crowd(n, server.cpu_seconds)
    outcomes = await asyncio.gather(*(student(i, server.url, clicks, timeout, think, crowd) for i in range(n)))
    wall, cpu = time.perf_counter() - t0, server.cpu_seconds() - cpu0
    client_cpu = time.process_time() - client0
    peak = server.peak_rss()
    latencies = [x for o in outcomes for x in o.rerun_s]
    kinds = {k: 1e3 * pct([x for o in outcomes for x in o.by_kind.get(k, [])], 95) for k in ("step", "slider", "page")}
    errors: dict[str, int] = {}
    for o in outcomes:
        if o.error_kind:
            errors[o.error_kind] = errors.get(o.error_kind, 0) + 1
    runs = sum(o.runs for o in outcomes)
    return Level(app=app, n=n, p50_ms=1e3 * pct(latencies, 50), p95_ms=1e3 * pct(latencies, 95),
                 max_ms=1e3 * max(latencies, default=float("nan")),
                 open_p95_ms=1e3 * pct([o.open_s for o in outcomes if o.open_s is not None], 95),
                 reruns=len(latencies), runs=runs, errors=errors, cpu_per_run_ms=1e3 * cpu / max(runs, 1),
                 idle_rss_mb=idle_rss / 2**20, peak_rss_mb=peak / 2**20,
                 growth_per_session_mb=(peak - idle_rss) / 2**20 / n, wall_s=wall, pages=pages,
                 client_cpu_s=client_cpu, server_cpu_s=cpu, p95_by_kind_ms=kinds, step_cpu_ms=crowd.step_cpu_ms,
                 first_errors=[o.error for o in outcomes if o.error][:3])


def measure(app: str, n: int, clicks: int, timeout: float, think: float, options: tuple[str, ...] = ()) -> Level:
    script, cwd = (APP, ROOT) if app == "app" else (TRIVIAL, Path(tempfile.mkdtemp(prefix="load-trivial-")))
    server = Server(script, cwd, options if app == "app" else ())
    try:
        return asyncio.run(run_level(server, app, n, clicks, timeout, think))
    finally:
        server.stop()
        if app != "app":
            os.rmdir(cwd)


# -- report ----------------------------------------------------------------------------------

def table(results: list[Level]) -> str:
    rows = ["| sessions | app | p50 ms | p95 ms | p95 ratio | p95 of Step ms | p95 of slider / page ms | errors | "
            "CPU ms / run | CPU ms / Step | peak RSS MB | growth MB / session |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    base = {r.n: r for r in results if r.app == "trivial"}
    for r in results:
        b = base.get(r.n)
        ratio = f"{r.p95_ms / b.p95_ms:.2f}" if b and r.app == "app" else ""
        k = r.p95_by_kind_ms
        rows.append(f"| {r.n} | {r.app} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | {ratio} | {k['step']:.0f} | "
                    f"{k['slider']:.0f} / {k['page']:.0f} | {sum(r.errors.values())} | {r.cpu_per_run_ms:.1f} | "
                    f"{r.step_cpu_ms:.1f} | {r.peak_rss_mb:.0f} | {r.growth_per_session_mb:.2f} |")
    return "\n".join(rows)


def verdict(results: list[Level]) -> list[str]:
    top = max(r.n for r in results)
    app = next(r for r in results if r.app == "app" and r.n == top)
    base = next((r for r in results if r.app == "trivial" and r.n == top), None)
    lines = [f"Goals at {top} sessions:",
             f"  errors: {sum(app.errors.values())} (goal 0) -> {'met' if not app.errors else 'MISSED'}"]
    if base:
        ok = app.p95_ms <= base.p95_ms
        lines.append(f"  p95 {app.p95_ms:.0f} ms vs trivial {base.p95_ms:.0f} ms (goal: at most) -> "
                     f"{'met' if ok else 'MISSED'}; Step reruns alone: {app.p95_by_kind_ms['step']:.0f} ms vs "
                     f"{base.p95_by_kind_ms['step']:.0f} ms")
    lines.append(f"  memory growth {app.growth_per_session_mb:.2f} MB/session (goal < 5) -> "
                 f"{'met' if app.growth_per_session_mb < 5 else 'MISSED'}")
    for label, ms in (("a Step", app.step_cpu_ms), ("the average rerun", app.cpu_per_run_ms)):
        if ms == ms:
            lines.append(f"Capacity, one core, each student rerunning once every 2 s, at {label} ({ms:.0f} ms CPU): "
                         f"{2000 / ms:.0f} students at 100% CPU, {0.7 * 2000 / ms:.0f} at 70%.")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--levels", default="1,10,25,50", help="comma-separated session counts")
    ap.add_argument("--clicks", type=int, default=10, help="Step clicks per session (K; sessions click K..K+2)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds a rerun may take before it counts as lost")
    ap.add_argument("--think", type=float, default=0.0, help="seconds a student waits before each click")
    ap.add_argument("--apps", default="app,trivial", help="which of app,trivial to run")
    ap.add_argument("--set", action="append", default=[], metavar="OPTION=VALUE",
                    help="extra Streamlit option for the real app only, e.g. runner.postScriptGC=true (to compare)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    apps = args.apps.split(",")
    print(f"{os.cpu_count()} cores; {args.clicks}-{args.clicks + 2} Step clicks per session, then one slider "
          f"change and one page switch; think time {args.think:g} s", flush=True)
    results = []
    for n in levels:
        for app in apps:
            r = measure(app, n, args.clicks, args.timeout, args.think, tuple(args.set))
            results.append(r)
            print(f"  {app:8s} N={n:3d}: p50 {r.p50_ms:7.1f} ms  p95 {r.p95_ms:7.1f} ms  max {r.max_ms:7.1f} ms  "
                  f"open p95 {r.open_p95_ms:7.0f} ms  errors {r.errors or 0}  "
                  f"CPU {r.cpu_per_run_ms:5.1f} ms/run ({r.runs} runs, {r.wall_s:.1f} s; "
                  f"server {r.server_cpu_s:.1f} s, "
                  f"this client {r.client_cpu_s:.1f} s)  "
                  f"RSS {r.idle_rss_mb:.0f} -> {r.peak_rss_mb:.0f} MB ({r.growth_per_session_mb:.2f} MB/session)"
                  f"  pages {r.pages}", flush=True)
            print("      p95 by rerun: " + ", ".join(f"{k} {v:.0f} ms" for k, v in r.p95_by_kind_ms.items()))
            for e in r.first_errors:
                print(f"      {e}")
    print()
    print(table(results))
    print()
    print("\n".join(verdict(results)))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))
    return 0 if all(not r.errors for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
