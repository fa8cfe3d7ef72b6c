"""A Streamlit client over its own websocket protocol, and the servers it talks to.

Test support, shared by the suite and the benchmarks: ``Server`` starts ``streamlit run`` on a free
127.0.0.1 port; ``Session`` is one browser tab without a browser. It sends ``BackMsg.rerun_script``
exactly as the frontend does (page, query string, fragment id, every widget's value) and reads the
``ForwardMsg`` deltas back: widgets, metrics, alerts, exceptions and the end of each run. Like the
browser, it sends the query string the app last published (``page_info_changed``).

With ``cookies`` (behind the proxy in ``deploy/``) it also keeps cookies as a browser does, pings
``/_stcore/health`` before it opens the socket, and can :meth:`Session.reconnect` the way the frontend
does when its socket drops.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from deploy.serve import HOST, free_port, wait_healthy  # noqa: F401  (the one port pick and health wait)
from tests.support import live

ROOT = Path(__file__).resolve().parents[2]

APP = ROOT / "dashboard.py"
CLK_TCK = os.sysconf("SC_CLK_TCK")

FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
"""A whole-app run and a fragment run (Step on the Train page) both end a rerun."""


# -- the server --------------------------------------------------------------------

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

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

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
    """One browser tab: a websocket, the widgets and metrics it shows, and its reruns.

    ``cookies``: ``None`` for a bare websocket client; a dict (usually empty) for a tab that keeps
    cookies, as it must behind the proxy: they hold its sticky route and Streamlit's XSRF token.
    """

    def __init__(self, url: str, timeout: float, cookies: dict[str, str] | None = None) -> None:
        self.url, self.timeout = url, timeout
        self.cookies = cookies
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, WidgetState | None] = {}     # what the browser reports for each widget
        self.metrics: dict[str, str] = {}
        self.view = None                             # the live view's element (BidiComponent proto), if drawn
        self.keys = None                             # the keys' element (BidiComponent proto) of the last run
        self.views = 0                               # how many times the live view's data arrived
        self.received = 0                            # bytes the server sent this tab
        self.on_view = None                          # called with each live view element as it arrives
        self.alerts: list[str] = []                   # st.info/warning/error texts of the last run
        self.pages: list[tuple[str, str]] = []       # (page_script_hash, url_pathname)
        self.page_hash = ""
        self.query = ""                              # the address bar's query string, as the app published it
        self.exceptions: list[str] = []
        self.tracebacks: list[str] = []              # stack-trace lines sent to this browser, if any
        self.session_id = ""                         # the server's id for this tab, sent back on reconnecting
        self.last_run_fragment = False               # the last run was a fragment run
        self.timed_fragments: set[str] = set()       # fragments with run_every: the browser holds a timer each
        self.in_flight = False                       # a rerun was sent and has not finished (survives a drop)
        self._done: asyncio.Future | None = None
        self._fragment = ""                          # fragment id of the rerun in flight, "" for the whole app
        self._seen: set[str] = set()                 # widget ids drawn by the run in flight
        self._ws = None
        self._reader: asyncio.Task | None = None
        self.closed = asyncio.Event()                # set when the server side of the socket goes away

    @property
    def http_base(self) -> str:
        parts = urlsplit(self.url)
        return f"{'https' if parts.scheme == 'wss' else 'http'}://{parts.netloc}"

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def _keep_cookies(self, set_cookie_headers: list[str]) -> None:
        for header in set_cookie_headers:
            name, _, value = header.split(";", 1)[0].strip().partition("=")
            if name:
                self.cookies[name] = value

    async def ping(self, path: str = "/_stcore/health") -> int:
        """One GET through the same address, with this tab's cookies; keeps what it sets. Returns the status."""
        parts = urlsplit(self.http_base)
        reader, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, parts.port), self.timeout)
        try:
            head = (f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n"
                    + "".join(f"{k}: {v}\r\n" for k, v in self._cookie_header().items()) + "\r\n")
            writer.write(head.encode())
            await writer.drain()
            raw = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.timeout)
            lines = raw.decode("latin-1").split("\r\n")
            self._keep_cookies([line.split(":", 1)[1] for line in lines[1:] if line.lower().startswith("set-cookie:")])
            await asyncio.wait_for(reader.read(), self.timeout)
            return int(lines[0].split()[1])
        finally:
            writer.close()

    async def _connect(self) -> None:
        """Open the socket as the frontend does: health check first, then the websocket with the cookies,
        Streamlit's XSRF token and the last session id in the subprotocol list."""
        subprotocols = ["streamlit"]
        headers: dict[str, str] = {}
        if self.cookies is not None:
            status = await self.ping()
            if status != 200:
                raise OSError(f"health check answered {status}")
            subprotocols += [self.cookies.get("_streamlit_xsrf", "PLACEHOLDER_AUTH_TOKEN")]
            if self.session_id:
                subprotocols.append(self.session_id)
            headers = {**self._cookie_header(), "Origin": self.http_base}
        self._ws = await websockets.connect(self.url, subprotocols=subprotocols, max_size=None,
                                            open_timeout=self.timeout, ping_interval=None,
                                            additional_headers=headers or None)
        if self.cookies is not None and self._ws.response is not None:
            self._keep_cookies(self._ws.response.headers.get_all("Set-Cookie"))
        self.closed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def open(self, query: str = "") -> float:
        """Open the tab: its first run, then, as the keys' script asks once that page is painted, the whole-app
        run that draws the sidebar's widgets (``ui.sidebar.comes_later``). Returns the first run's seconds."""
        self.query = query
        await self._connect()
        elapsed = await self.rerun()
        if self.keys is not None and json.loads(self.keys.json or "{}").get("sidebar"):
            await self.rerun(event=self.event(self.keys, "ready", True))
        return elapsed

    async def reconnect(self, attempts: int = 40) -> bool:
        """Do what the frontend does once its socket has dropped; return whether it asked for a rerun.

        It waits 250-500 ms (then longer, doubling up to 4 s), checks ``/_stcore/health`` until it
        answers, opens a new socket with the same cookies and the last session id, and asks for a
        whole-app run with the query string the app last published only if a run was under way, the
        last run was a fragment run, or a fragment has a timer. :meth:`rerun` awaits that run; without
        it the tab keeps showing what it showed.
        """
        await self.close()
        for attempt in range(1, attempts + 1):
            ceiling = min(4.0, 0.5 * 2 ** (attempt - 1))
            floor = 0.25 if attempt == 1 else ceiling / 2
            await asyncio.sleep(floor + random.random() * (ceiling - floor))
            try:
                await self._connect()
                break
            except (OSError, TimeoutError, websockets.WebSocketException):
                continue
        else:
            raise SessionError("closed", f"could not reconnect in {attempts} attempts")
        return self.in_flight or self.last_run_fragment or bool(self.timed_fragments)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
        self._ws = self._reader = None

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                self.received += len(data)
                self._handle(data)
        except websockets.ConnectionClosed:
            pass
        self.closed.set()
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
            self.last_run_fragment = bool(self._fragment)
            if msg.new_session.initialize.session_id:
                self.session_id = msg.new_session.initialize.session_id
            if not self._fragment:
                self.metrics = {}                    # a whole-app run draws every metric anew
                self.timed_fragments = set()         # and the browser drops its fragment timers until re-sent
                self.view = None
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
            elif el_kind == "bidi_component" and body.component_name == live.KEYS:
                self.keys = body
            elif el_kind == "bidi_component" and body.component_name == live.VIEW:
                self.view, self.views = body, self.views + 1
                if self.on_view is not None:
                    self.on_view(body)
                self.widgets[body.id] = Widget(el_kind, body, msg.delta.fragment_id)
                self._seen.add(body.id)
            elif getattr(body, "id", ""):
                w = self.widgets[body.id] = Widget(el_kind, body, msg.delta.fragment_id)
                self._seen.add(body.id)
                # The browser keeps what the user chose unless the server sets a value.
                if getattr(body, "set_value", False) or body.id not in self.values:
                    self.values[body.id] = widget_state(w)
        elif kind == "page_info_changed":         # the app set st.query_params: the address bar follows
            self.query = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            self.timed_fragments.add(msg.auto_rerun.fragment_id)
        elif kind == "page_not_found":
            self.exceptions.append("page not found")
        elif kind == "script_finished" and self._done and not self._done.done():
            if msg.script_finished in FINISHED:
                self.in_flight = False
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

    def step(self) -> str | None:
        """The step on screen: the live view's (the first frame while it plays, the frame before the one ahead
        when idle) or, without it, the Step metric."""
        if self.view is None:
            return self.metrics.get("Step")
        data = live.decode(self.view, only=("f_step",))
        meta = data["meta"]
        return str(int(data["f_step"][0] if meta["play"] else data["f_step"][-2 if meta["next"] else -1]))

    def trigger(self, event: str, value: dict) -> WidgetState:
        """The widget state the live view sends for ``setTriggerValue(event, value)``."""
        return self.event(self.view, event, value)

    @staticmethod
    def event(component, event: str, value) -> WidgetState:
        """The widget state a component's script sends for ``setTriggerValue(event, value)``."""
        ws = WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{component.id}__events")
        ws.json_trigger_value = json.dumps([{"event": event, "value": value}])
        return ws

    def find(self, kind: str, label: str) -> Widget | None:
        return next((w for w in self.widgets.values() if w.kind == kind and w.proto.label == label), None)

    async def rerun(self, trigger: Widget | None = None, values: dict[str, WidgetState] | None = None,
                    page_hash: str | None = None, fragment_id: str = "",
                    event: WidgetState | None = None) -> float:
        """Send one rerun as the browser would; return seconds until its ``script_finished``.

        ``fragment_id``: the fragment of a widget whose value changed (a trigger brings its own).
        ``event``: a live view trigger (:meth:`trigger`), sent once with the live view's fragment.
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
        if event is not None:                      # the live view's runs in its fragment; the keys' the whole app's
            cs.widget_states.widgets.append(event)
            keys = self.keys is not None and self.keys.id in event.id
            cs.fragment_id = "" if keys else self.widgets[self.view.id].fragment_id
        self._fragment = cs.fragment_id
        seen = len(self.exceptions)
        self._done = asyncio.get_running_loop().create_future()
        self.in_flight = True
        start = time.perf_counter()
        try:
            await self._ws.send(msg.SerializeToString())
            await asyncio.wait_for(self._done, self.timeout)
        except TimeoutError:
            raise SessionError("timeout", f"no script_finished within {self.timeout:g}s") from None
        except websockets.ConnectionClosed:
            raise SessionError("closed", "the socket closed while sending") from None
        finally:
            if not self._done.done():
                self._done.cancel()                  # nobody waits for this run any more
        elapsed = time.perf_counter() - start
        if len(self.exceptions) > seen:
            raise SessionError("exception", self.exceptions[-1])
        return elapsed
