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
   as the browser sends it. The step checked is the one the live view
   receives (on another page, its Step metric);
5. switch page once (to the next page in the navigation) and, if that page
   shows a step, check it again.

Then Play (``--play``): students press Play and keep the live view supplied
as its JavaScript does, asking for the next batch while more than 1.5 s of
frames are left, and playing them back at 30 frames a second on a virtual
clock. Printed: frames shown per second (each student's, lowest and median),
the longest stall (the clock waiting for frames), bytes per second of Play
per student, and server CPU per second of Play. Two classes: every student on
the same scene link (each batch computed once and shared), and every student
on different settings (nothing to share).

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
option on the real app only. It is a benchmark, never part of the test suite; its client
(`Server`, `Session`) lives in `tests/support/streamlit_ws.py`, shared with the tests.

``--proxy N`` runs the same class through nginx in front of N app processes (``deploy/``, the
topology of ``make serve``) and, in the same run, against one process directly; both kinds of
student keep cookies and check ``/_stcore/health`` before opening their socket, as a browser does.
``--kill`` (with ``--proxy``) kills the app process serving the first student halfway through the
clicking: the students it served reconnect as Streamlit's frontend does (through nginx, with their
cookies and the address bar the app last published) and the tool reports how long each waited until
its view was back at its own step; every other student must notice nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import websockets
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.serve import Topology  # noqa: E402
from tests.support import live  # noqa: E402
from tests.support.streamlit_ws import APP, CLK_TCK, Server, Session, SessionError  # noqa: E402

TRIVIAL = ROOT / "bench" / "trivial_app.py"


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
    killed: bool = False                         # --kill: its process was the one killed
    back_s: float | None = None                  # --kill: kill -> its view rebuilt at its own step


def check_step(s: Session, expected: int) -> None:
    shown = s.step()
    if shown != str(expected):
        raise SessionError("isolation", f"the page shows step {shown!r}, this session clicked {expected}")


class Crowd:
    """What the sessions of one level share: who has opened, who has clicked, and CPU marks between.

    ``step_cpu_ms`` is the server CPU per Step rerun measured while every session is open and
    clicking (between the last open and the last click), so it excludes opens and page switches.
    """

    def __init__(self, n: int, cpu=lambda: 0.0) -> None:
        self.n, self.cpu = n, cpu
        self.opened = self.clicked = self.clicks = 0
        self.all_clicked = asyncio.Event()
        self.all_opened = asyncio.Event()
        self.marks: list[tuple[float, int]] = []
        self.killed_at: float | None = None          # --kill: perf_counter() when the process was killed
        self.routes: dict[int, str] = {}             # student -> its sticky route (behind the proxy)
        self.victim_routes: set[str] = set()         # --kill: the routes the killed process served

    def on_open(self) -> None:
        self.opened += 1
        if self.opened == self.n:
            self.marks.append((self.cpu(), self.clicks))
            self.all_opened.set()

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


async def come_back(s: Session, done: int, crowd: Crowd, out: Outcome) -> int:
    """The socket dropped: reconnect as the frontend does, and check the view it comes back to.

    Only the students of the killed process may lose their socket. Returns the step the view came back
    at: the one in the address bar the app last published, which is this student's completed clicks,
    or one more if the click in flight had been published before the process died.
    """
    if crowd.killed_at is None or s.cookies is None or s.cookies.get("backprop_route") not in crowd.victim_routes:
        raise SessionError("lost", "the socket closed, but this session's process was not the one killed")
    out.killed = True
    if not await s.reconnect():
        raise SessionError("lost", "reconnected, but the browser would not rerun: a dead view")
    await s.rerun()
    out.runs += 1
    back = int(parse_qs(s.query).get("step", ["-1"])[0])
    if back not in (done, done + 1):
        raise SessionError("lost", f"came back at step {back}; it had {done} clicks done")
    check_step(s, back)
    out.back_s = time.perf_counter() - crowd.killed_at
    return back


async def first_of(*events: asyncio.Event, timeout: float | None = None) -> None:
    """Wait until one of ``events`` is set (or ``timeout`` seconds pass)."""
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()


async def student(index: int, url: str, clicks: int, timeout: float, think: float, crowd: Crowd,
                  cookies: bool = False) -> Outcome:
    out = Outcome()
    s = Session(url, timeout, cookies={} if cookies else None)
    mine = clicks + index % 3
    done = 0
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

    async def recover() -> None:
        """Its process died (--kill): a browser notices at once and reconnects; so does this student, once."""
        nonlocal done
        if out.killed:
            raise SessionError("closed", "the socket dropped a second time")
        done = await come_back(s, done, crowd, out)

    async def act(kind: str, rerun) -> None:
        """One rerun of ``kind``; if the socket drops before or during it, come back and do it again."""
        for _ in range(2):
            if s.closed.is_set():
                await recover()
            try:
                out.record(kind, await rerun())
                out.runs += 1
                return
            except SessionError as e:
                if e.kind != "closed":
                    raise
                await recover()
        raise SessionError("closed", f"the {kind} rerun failed twice")

    try:
        out.open_s = await s.open()
        out.runs += 1
        opened = True
        crowd.on_open()
        if s.cookies is not None:
            crowd.routes[index] = s.cookies.get("backprop_route", "")
        if s.find("button", "Step") is None:
            raise SessionError("exception", "no Step button in the deltas")
        while done < mine:
            if think:
                await first_of(s.closed, timeout=think)
            if s.closed.is_set():
                await recover()
                continue
            try:
                out.record("step", await s.rerun(trigger=s.find("button", "Step")))
            except SessionError as e:
                if e.kind != "closed":
                    raise
                await recover()                     # the click may be lost with its process: click on
                continue
            out.runs += 1
            done += 1
            crowd.on_click()
            check_step(s, done)
        finish_clicking()
        while not crowd.all_clicked.is_set():
            await first_of(crowd.all_clicked, s.closed)
            if s.closed.is_set():
                await recover()

        # Change a slider once: the learning rate keeps the weights, so Step must still read `mine`.
        def slider():
            lr = s.find("slider", "Learning rate")
            values = {}
            if lr is not None:
                current = list(s.values[lr.proto.id].string_array_value.data)
                options = list(lr.proto.options)
                new = options[(options.index(current[0]) - 1) % len(options)]
                values[lr.proto.id] = WidgetState(id=lr.proto.id)
                values[lr.proto.id].string_array_value.data.append(new)
            return s.rerun(values=values, fragment_id=lr.fragment_id if lr else "")

        await act("slider", slider)
        check_step(s, mine)

        # Switch page once: the next page in the navigation (the same one if there is only one).
        def next_page():
            hashes = [h for h, _ in s.pages] or [s.page_hash]
            target = hashes[(hashes.index(s.page_hash) + 1) % len(hashes)] if s.page_hash in hashes else hashes[0]
            return s.rerun(page_hash=target)

        await act("page", next_page)
        if s.step() is not None:                     # the next page shows this session's own count too
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
    proxy_cpu_s: float = 0.0                     # nginx's CPU (--proxy)
    round: int = 0
    load_avg: tuple[float, float] = (0.0, 0.0)   # the machine's 1-minute load average before and after
    per_process: list[tuple[int, float]] = field(default_factory=list)   # --proxy: (students, p95 ms) each
    killed: int = 0                              # --kill: students of the killed process
    killed_errors: int = 0
    survivor_errors: int = 0
    back_s: list[float] = field(default_factory=list)   # --kill: each killed student's wait for its view


def _cpu_seconds(pid: int) -> float:
    fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields_[11]) + int(fields_[12])) / CLK_TCK      # utime, stime (fields 14, 15)


def _status_bytes(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    return 0


class Deployment:
    """The app as ``deploy/serve.py`` runs it, measured whole: ``deploy/app.sh`` processes behind nginx.

    ``through_proxy``: students go through nginx; otherwise straight to the first process (the direct
    baseline, the same start command without nginx). CPU and memory are summed over the app processes;
    a process that died keeps the CPU and the peak memory it had reached.
    """

    def __init__(self, n: int, through_proxy: bool) -> None:
        self.topo = Topology(n).start()
        self.through_proxy = through_proxy
        self._last_cpu: dict[int, float] = {}
        self._last_peak: dict[int, int] = {}

    @property
    def url(self) -> str:
        base = self.topo.url if self.through_proxy else f"http://{self.topo.apps[0].address}"
        return base.replace("http://", "ws://", 1) + "/_stcore/stream"

    @property
    def warm_urls(self) -> list[str]:
        apps = self.topo.apps if self.through_proxy else self.topo.apps[:1]
        return [f"ws://{a.address}/_stcore/stream" for a in apps]

    def cpu_seconds(self) -> float:
        for a in self.topo.apps:
            if a.alive:
                try:
                    self._last_cpu[a.proc.pid] = _cpu_seconds(a.proc.pid)
                except OSError:
                    pass
        return sum(self._last_cpu.values())

    def proxy_cpu_seconds(self) -> float:
        """nginx's master and its workers."""
        master = self.topo.proxy.pid
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                pid = int(stat.parent.name)
                ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
                if pid == master or ppid == master:
                    total += _cpu_seconds(pid)
            except (OSError, ValueError):
                continue
        return total

    def rss(self) -> int:
        return sum(_status_bytes(a.proc.pid, "VmRSS") for a in self.topo.apps if a.alive)

    def peak_rss(self) -> int:
        for a in self.topo.apps:
            if a.alive:
                self._last_peak[a.proc.pid] = _status_bytes(a.proc.pid, "VmHWM")
        return sum(self._last_peak.values())

    def tail(self) -> str:
        return "\n".join(a.log.read_text()[-1000:] for a in self.topo.apps)

    def stop(self) -> None:
        self.topo.stop()


async def kill_halfway(dep: Deployment, crowd: Crowd, total_clicks: int) -> None:
    """Kill the process that serves student 0 once the class has done half its clicks."""
    await crowd.all_opened.wait()
    while crowd.clicks < total_clicks // 2:
        await asyncio.sleep(0.05)
    table = dep.topo.routes()
    victim = table.get(crowd.routes.get(0, ""))
    crowd.victim_routes = {r for r in crowd.routes.values() if table.get(r) == victim}
    crowd.killed_at = time.perf_counter()
    dep.topo.kill(dep.topo.index_of(victim))


async def run_level(server, app: str, n: int, clicks: int, timeout: float, think: float,
                    kill: bool = False) -> Level:
    cookies = isinstance(server, Deployment)
    # Warm up: one session per process imports every module and draws every figure once.
    for url in getattr(server, "warm_urls", [server.url]):
        warm = await student(0, url, 1, timeout, 0, Crowd(1))
        if warm.error:
            raise RuntimeError(f"{app}: warm-up session failed: {warm.error}\n{server.tail()}")
    probe = Session(server.url, timeout, cookies={} if cookies else None)
    await probe.open()
    pages = len(probe.pages)
    await probe.close()
    await asyncio.sleep(1.0)
    proxy0 = server.proxy_cpu_seconds() if cookies else 0.0
    load0 = os.getloadavg()[0]
    server.peak_rss()                            # so a process killed later keeps its reading
    idle_rss, cpu0, t0, client0 = server.rss(), server.cpu_seconds(), time.perf_counter(), time.process_time()
    crowd = Crowd(n, server.cpu_seconds)
    killer = (asyncio.ensure_future(kill_halfway(server, crowd, sum(clicks + i % 3 for i in range(n))))
              if kill else None)
    paired = app.startswith("paired")            # odd students straight to the process, even ones through nginx
    direct_url = server.warm_urls[0] if cookies else server.url
    outcomes = await asyncio.gather(*(student(i, direct_url if paired and i % 2 else server.url, clicks, timeout,
                                              think, crowd, cookies) for i in range(n)))
    if killer is not None:
        killer.cancel()
    wall, cpu = time.perf_counter() - t0, server.cpu_seconds() - cpu0
    client_cpu = time.process_time() - client0
    proxy_cpu = server.proxy_cpu_seconds() - proxy0 if cookies else 0.0
    killed = [i for i, r in crowd.routes.items() if r in crowd.victim_routes]
    per_process = []
    if paired:
        # (students, p95 ms) through nginx, then straight to the same process, in the same moments.
        for half in (0, 1):
            mine = [x for i, o in enumerate(outcomes) if i % 2 == half for x in o.rerun_s]
            per_process.append((sum(1 for i in range(n) if i % 2 == half), 1e3 * pct(mine, 95)))
    elif cookies:
        # Who was served where (before any kill: the victim's students count for the victim).
        table = server.topo.routes()
        where = {i: next((a for a, addr in enumerate(server.topo.apps) if addr.address == table.get(r)), None)
                 for i, r in crowd.routes.items()}
        for i in killed:
            where[i] = next(a for a, app_ in enumerate(server.topo.apps) if not app_.alive)
        for a in range(len(server.topo.apps)):
            mine = [x for i, o in enumerate(outcomes) if where.get(i) == a for x in o.rerun_s]
            per_process.append((sum(1 for w in where.values() if w == a), 1e3 * pct(mine, 95)))
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
                 first_errors=[o.error for o in outcomes if o.error][:3], proxy_cpu_s=proxy_cpu,
                 killed=len(killed), killed_errors=sum(1 for i in killed if outcomes[i].error),
                 survivor_errors=sum(1 for i, o in enumerate(outcomes) if o.error and i not in killed),
                 back_s=[outcomes[i].back_s for i in killed if outcomes[i].back_s is not None],
                 per_process=per_process, load_avg=(load0, os.getloadavg()[0]))


def measure(app: str, n: int, clicks: int, timeout: float, think: float, options: tuple[str, ...] = (),
            kill: bool = False) -> Level:
    if app == "direct" or app.startswith(("proxy", "paired")):
        processes = int("".join(c for c in app if c.isdigit()) or 1)
        dep = Deployment(processes, through_proxy=app != "direct")
        try:
            return asyncio.run(run_level(dep, app, n, clicks, timeout, think, kill and app.startswith("proxy")))
        finally:
            dep.stop()
    script, cwd = (APP, ROOT) if app == "app" else (TRIVIAL, Path(tempfile.mkdtemp(prefix="load-trivial-")))
    server = Server(script, cwd, options if app == "app" else ())
    try:
        return asyncio.run(run_level(server, app, n, clicks, timeout, think))
    finally:
        server.stop()
        if app != "app":
            os.rmdir(cwd)


# -- Play ------------------------------------------------------------------------------------

FPS = 30
LOW_WATER = 45          # frames: as ui/liveview.LOW_WATER, the view asks for more below this


@dataclass
class Played:
    shown_fps: float = 0.0          # frames the virtual clock showed per second of Play
    stall_s: float = 0.0            # longest wait for frames once Play had started
    bytes_per_s: float = 0.0
    frames: int = 0
    batches: int = 0
    error: str | None = None
    error_kind: str | None = None


async def player(url: str, query: str, seconds: float, timeout: float, started: asyncio.Event | None = None,
                 ready: list | None = None) -> Played:
    """One student: open ``query``, press Play, and keep the view supplied for ``seconds`` as its JS does."""
    out = Played()
    s = Session(url, timeout)
    steps: list[int] = []
    state = {"seq": None, "final": False}

    def on_view(proto) -> None:
        data = live.decode(proto, only=("f_step",))
        meta = data["meta"]
        if not meta["play"]:
            return
        new = data["f_step"].tolist()
        if not meta["cont"] or meta["seq"] != state["seq"]:
            steps[:] = new
            state["seq"] = meta["seq"]
        else:
            steps.extend(x for x in new if x > steps[-1])
        state["final"] = meta["final"]

    try:
        await s.open(query)
        play = s.find("button", "Play")
        if play is None:
            raise SessionError("exception", "no Play button")
        if ready is not None:
            ready.append(1)
        if started is not None:
            await started.wait()
        s.on_view = on_view
        received0 = s.received
        await s.rerun(trigger=play)
        out.batches = 1
        if not steps:
            raise SessionError("exception", "Play sent no frames")
        t0 = clock = time.perf_counter()
        shown, request, stall_from = 0, None, None
        while time.perf_counter() - t0 < seconds:
            await asyncio.sleep(1 / FPS / 2)
            now = time.perf_counter()
            due = int((now - clock) * FPS)
            last = len(steps) - 1
            if due > last:                                  # out of frames: hold, and time the wait
                stall_from = stall_from or now
                clock, due = now - last / FPS, last
            elif stall_from is not None:
                out.stall_s = max(out.stall_s, now - stall_from)
                stall_from = None
            shown = max(shown, due)
            if state["final"] and shown >= last:
                break
            if request is not None and request.done():
                request.result()                             # raises what the rerun raised
                request = None
            if request is None and not state["final"] and last - shown < LOW_WATER:
                event = s.trigger("more", {"seq": state["seq"], "after": steps[-1], "shown": steps[shown]})
                request = asyncio.create_task(s.rerun(event=event))
                out.batches += 1
        if stall_from is not None:
            out.stall_s = max(out.stall_s, time.perf_counter() - stall_from)
        elapsed = time.perf_counter() - t0
        if request is not None:
            await request
        out.frames, out.shown_fps = shown, shown / elapsed
        out.bytes_per_s = (s.received - received0) / elapsed
    except SessionError as e:
        out.error, out.error_kind = str(e), e.kind
    except (OSError, websockets.WebSocketException) as e:
        out.error, out.error_kind = f"closed: {e}", "closed"
    finally:
        await s.close()
    return out


@dataclass
class PlayLevel:
    name: str
    n: int
    min_fps: float
    median_fps: float
    max_stall_s: float
    bytes_per_s: float
    cpu_ms_per_s: float
    errors: dict[str, int]
    first_errors: list[str]
    app: str = "app"


async def run_play(server: Server | Deployment, name: str, queries: list[str], seconds: float,
                   timeout: float) -> PlayLevel:
    # Imports and the first draws in every process, on settings no student plays: nothing measured is in a
    # shared store yet.
    for url in getattr(server, "warm_urls", [server.url]):
        warm = await player(url, WARM_UP, 2.0, timeout)
        if warm.error:
            raise RuntimeError(f"warm-up player failed: {warm.error}\n{server.tail()}")
    started, ready = asyncio.Event(), []
    tasks = [asyncio.create_task(player(server.url, q, seconds, timeout, started, ready)) for q in queries]
    while len(ready) < len(queries) and not any(t.done() for t in tasks):
        await asyncio.sleep(0.05)
    cpu0, t0 = server.cpu_seconds(), time.perf_counter()
    started.set()
    done = await asyncio.gather(*tasks)
    cpu, wall = server.cpu_seconds() - cpu0, time.perf_counter() - t0
    fps = [p.shown_fps for p in done if not p.error]
    errors: dict[str, int] = {}
    for p in done:
        if p.error_kind:
            errors[p.error_kind] = errors.get(p.error_kind, 0) + 1
    return PlayLevel(name=name, n=len(queries), min_fps=min(fps, default=0.0),
                     median_fps=statistics.median(fps) if fps else 0.0,
                     max_stall_s=max((p.stall_s for p in done), default=0.0),
                     bytes_per_s=statistics.median([p.bytes_per_s for p in done if not p.error] or [0.0]),
                     cpu_ms_per_s=1e3 * cpu / wall / len(queries), errors=errors,
                     first_errors=[p.error for p in done if p.error][:3])


def measure_play(name: str, queries: list[str], seconds: float, timeout: float, app: str = "app") -> PlayLevel:
    """A Play class on one server (``app``), or, like :func:`measure`, on ``direct`` / ``proxyN`` deployments."""
    if app == "direct" or app.startswith("proxy"):
        server = Deployment(int("".join(c for c in app if c.isdigit()) or 1), through_proxy=app != "direct")
    else:
        server = Server(APP, ROOT)
    try:
        level = asyncio.run(run_play(server, name, queries, seconds, timeout))
        level.app = app
        return level
    finally:
        server.stop()


WARM_UP = "seed=987654&dataset=moons"
"""The warm-up player's settings: different from every class below, so it computes none of their batches."""

PLAY_CLASSES = {
    "default": ("default settings", lambda i: ""),
    "same": ("the same scene link", lambda i: "scene=xor-four-units"),
    "different": ("different settings", lambda i: f"seed={i + 1}&width={2 + i % 7}&dataset="
                  + ("xor", "circles", "moons", "spiral", "blobs")[i % 5]),
}


def play_report(results: list[PlayLevel]) -> list[str]:
    rows = ["| students | settings | served by | frames/s shown (lowest / median) | longest stall s | "
            "KB/s per student | server CPU ms per student per s of Play | errors |",
            "|---:|---|---|---:|---:|---:|---:|---:|"]
    for r in results:
        rows.append(f"| {r.n} | {r.name} | {r.app} | {r.min_fps:.1f} / {r.median_fps:.1f} | {r.max_stall_s:.2f} | "
                    f"{r.bytes_per_s / 1e3:.0f} | {r.cpu_ms_per_s:.1f} | {sum(r.errors.values())} |")
    return rows


# -- report ----------------------------------------------------------------------------------

BASELINES = ("trivial", "direct")
"""The app each row is compared with at the same class size: the trivial app, or one process direct."""


def table(results: list[Level]) -> str:
    rows = ["| sessions | app | p50 ms | p95 ms | p95 ratio | p95 of Step ms | p95 of slider / page ms | errors | "
            "CPU ms / run | CPU ms / Step | peak RSS MB | growth MB / session |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    base = {(r.n, r.round): r for r in results if r.app in BASELINES}
    for r in results:
        b = base.get((r.n, r.round))
        ratio = f"{r.p95_ms / b.p95_ms:.2f}" if b and r.app not in BASELINES else ""
        k = r.p95_by_kind_ms
        rows.append(f"| {r.n} | {r.app} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | {ratio} | {k['step']:.0f} | "
                    f"{k['slider']:.0f} / {k['page']:.0f} | {sum(r.errors.values())} | {r.cpu_per_run_ms:.1f} | "
                    f"{r.step_cpu_ms:.1f} | {r.peak_rss_mb:.0f} | {r.growth_per_session_mb:.2f} |")
    return "\n".join(rows)


PROXY_GOALS = {(2, 100): ("p95 through nginx with 2 processes", 0.6), (1, 10): ("nginx's overhead at 1 process", 1.1)}
"""(processes, students) -> what issue #13 asks of the p95 ratio against one process direct, and the bound."""


def proxy_verdict(results: list[Level], processes: int) -> list[str]:
    lines = []
    for n in sorted({r.n for r in results}):
        halves = [r for r in results if r.app.startswith("paired") and r.n == n]
        if halves:
            ratios = [r.per_process[0][1] / r.per_process[1][1] for r in halves]
            middle = statistics.median(ratios)
            lines.append(f"{n} students at 1 process, half through nginx and half direct at the same time: p95 "
                         + ", ".join(f"{r.per_process[0][1]:.0f} vs {r.per_process[1][1]:.0f} ms = {x:.2f}x"
                                     for r, x in zip(halves, ratios))
                         + (f"; median {middle:.2f}x" if len(halves) > 1 else "")
                         + f" (goal <= 1.1x) -> {'met' if middle <= 1.1 else 'MISSED'}")
        pairs = [(r, next(b for b in results if b.app == "direct" and b.n == n and b.round == r.round))
                 for r in results if r.app.startswith("proxy") and r.n == n]
        ratios = [r.p95_ms / b.p95_ms for r, b in pairs]
        what, bound = PROXY_GOALS.get((processes, n), (f"p95 through nginx with {processes} processes", None))
        middle = statistics.median(ratios)
        goal = f" (goal <= {bound}x) -> {'met' if middle <= bound else 'MISSED'}" if bound else ""
        lines.append(f"{n} students, {what}: " + ", ".join(
            f"{r.p95_ms:.0f} ms vs {b.p95_ms:.0f} ms direct = {r.p95_ms / b.p95_ms:.2f}x" for r, b in pairs)
            + (f"; median {middle:.2f}x" if len(pairs) > 1 else "") + goal)
        for r, _ in pairs:
            lines.append(f"  round {r.round + 1}: students per process and their p95: "
                         + ", ".join(f"{k} ({p:.0f} ms)" for k, p in r.per_process)
                         + f"; CPU: nginx {r.proxy_cpu_s:.1f} s, app processes {r.server_cpu_s:.1f} s, "
                         f"this client {r.client_cpu_s:.1f} s, in {r.wall_s:.1f} s")
        errors = sum(sum(r.errors.values()) for r, _ in pairs)
        lines.append(f"{n} students through nginx: {errors} errors, every Step count checked after each click, "
                     f"the slider and the page switch (goal 0) -> {'met' if not errors else 'MISSED'}")
        for r, _ in pairs:
            if not r.killed:
                continue
            back = sorted(r.back_s)
            ok = bool(back) and back[-1] <= 10 and len(back) == r.killed and not r.survivor_errors
            lines.append(f"Killed the process of {r.killed} of {r.n} students halfway: on the survivor "
                         f"{r.survivor_errors} lost or failed sessions (goal 0); of the killed process's students "
                         f"{len(back)} came back at their own step, {r.killed_errors} did not (goal: all, within 10 s)")
            if back:
                lines.append(f"  wait from the kill until the view was back: p50 {pct(back, 50):.1f} s, "
                             f"p95 {pct(back, 95):.1f} s, max {back[-1]:.1f} s -> {'met' if ok else 'MISSED'}")
    return lines


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
    ap.add_argument("--proxy", type=int, metavar="N",
                    help="compare nginx in front of N app processes (deploy/) with one process direct, "
                         "instead of the app with the trivial app")
    ap.add_argument("--rounds", type=int, default=1,
                    help="with --proxy: measure direct and proxied this many times, alternating, and judge "
                         "the median ratio (a shared machine's load moves single runs)")
    ap.add_argument("--paired", action="store_true",
                    help="with --proxy 1: also run one class split in two, half through nginx and half straight "
                         "to the same process at the same time, so both halves share the machine's load")
    ap.add_argument("--kill", action="store_true",
                    help="with --proxy: kill the process of the first student halfway through the clicking")
    ap.add_argument("--set", action="append", default=[], metavar="OPTION=VALUE",
                    help="extra Streamlit option for the real app only, e.g. runner.postScriptGC=true (to compare)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--play", default="1:default,50:same,25:different",
                    help="Play classes as size:kind (kind: default, same or different settings); '' for none")
    ap.add_argument("--play-seconds", type=float, default=20.0, help="seconds of Play per student")
    ap.add_argument("--skip-clicks", action="store_true", help="only the Play classes")
    args = ap.parse_args(argv)
    if args.skip_clicks:
        args.levels = ""
    levels = [int(x) for x in args.levels.split(",") if x]
    apps = args.apps.split(",")
    if args.kill and not args.proxy:
        ap.error("--kill needs --proxy N")
    if args.paired and args.proxy != 1:
        ap.error("--paired needs --proxy 1")
    if args.proxy:
        apps = ["direct", f"proxy{args.proxy}"] + (["paired1"] if args.paired else [])
    print(f"{os.cpu_count()} cores; {args.clicks}-{args.clicks + 2} Step clicks per session, then one slider "
          f"change and one page switch; think time {args.think:g} s", flush=True)
    results = []
    rounds = args.rounds if args.proxy else 1
    for n, round_, app in [(n, k, a) for n in levels for k in range(rounds) for a in apps]:
        r = measure(app, n, args.clicks, args.timeout, args.think, tuple(args.set), args.kill)
        r.round = round_
        results.append(r)
        print(f"  {app:8s} N={n:3d}: p50 {r.p50_ms:7.1f} ms  p95 {r.p95_ms:7.1f} ms  max {r.max_ms:7.1f} ms  "
              f"open p95 {r.open_p95_ms:7.0f} ms  errors {r.errors or 0}  "
              f"CPU {r.cpu_per_run_ms:5.1f} ms/run ({r.runs} runs, {r.wall_s:.1f} s; "
              f"server {r.server_cpu_s:.1f} s, "
              f"this client {r.client_cpu_s:.1f} s)  "
              f"RSS {r.idle_rss_mb:.0f} -> {r.peak_rss_mb:.0f} MB ({r.growth_per_session_mb:.2f} MB/session)"
              f"  pages {r.pages}  load average {r.load_avg[0]:.1f} -> {r.load_avg[1]:.1f}", flush=True)
        print("      p95 by rerun: " + ", ".join(f"{k} {v:.0f} ms" for k, v in r.p95_by_kind_ms.items()))
        for e in r.first_errors:
            print(f"      {e}")
    if results:
        print()
        print(table(results))
        print()
        print("\n".join(proxy_verdict(results, args.proxy) if args.proxy else verdict(results)))
    played = []
    play_apps = ["direct", f"proxy{args.proxy}"] if args.proxy else ["app"]
    for spec, app in [(spec, app) for spec in filter(None, args.play.split(",")) for app in play_apps]:
        size, kind = spec.split(":")
        name, query = PLAY_CLASSES[kind]
        r = measure_play(name, [query(i) for i in range(int(size))], args.play_seconds, args.timeout, app)
        played.append(r)
        print(f"  Play ({app}), {r.n} students on {name}: {r.min_fps:.1f} / {r.median_fps:.1f} frames/s "
              "(lowest / median), "
              f"longest stall {r.max_stall_s:.2f} s, {r.bytes_per_s / 1e3:.0f} KB/s each, "
              f"server CPU {r.cpu_ms_per_s:.1f} ms per student per s, errors {r.errors or 0}", flush=True)
        for e in r.first_errors:
            print(f"      {e}")
    if played:
        print()
        print("\n".join(play_report(played)))
        print("Goals: 50 on one link: 0 errors, >= 24 frames/s each; 25 on different settings: 0 errors, "
              ">= 15 frames/s each, no stall over 1 s; <= 250 KB/s per student; <= 25 ms CPU per s for one.")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results + played], indent=1))
    return 0 if all(not r.errors for r in results + played) else 1


if __name__ == "__main__":
    sys.exit(main())
