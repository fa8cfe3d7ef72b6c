"""Backprop Lab on several app processes behind nginx, on this machine.

``make serve N=4`` runs ``python deploy/serve.py start -n 4``: N app processes (``deploy/app.sh``, the
image's command too) on loopback ports, and nginx in front of them with ``deploy/nginx/backprop.conf.template``
(the template compose uses too), run as the current user with its own prefix, logs and temp files in a
scratch directory; never the system's nginx configuration. It stays in the foreground; Ctrl-C, or
``make stop`` from another terminal, stops nginx and every app process.

The tests and ``bench/load.py --proxy`` start the same :class:`Topology` on free ports.
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_SH = ROOT / "deploy" / "app.sh"
TEMPLATE = ROOT / "deploy" / "nginx" / "backprop.conf.template"
HOST = "127.0.0.1"
"""Every app process started here, and the tests' servers, bind to loopback; only nginx may listen wider."""
PLACEHOLDERS = ("BACKPROP_LISTEN", "BACKPROP_SERVERS", "BACKPROP_ACCESS_LOG")
DEFAULT_SCRATCH = Path(tempfile.gettempdir()) / f"backprop-serve-{getpass.getuser()}"

# nginx's own file locations, all inside the scratch directory: the compiled-in ones (/var/lib/nginx,
# /run/nginx.pid) belong to the system's nginx and need root.
MAIN_CONF = """\
# Written by deploy/serve.py for this run only; the routing lives in backprop.conf (from the template).
{user}worker_processes 1;
worker_rlimit_nofile 8192;
daemon off;
pid {scratch}/nginx.pid;
error_log {scratch}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {scratch}/temp/body;
    proxy_temp_path {scratch}/temp/proxy;
    fastcgi_temp_path {scratch}/temp/fastcgi;
    uwsgi_temp_path {scratch}/temp/uwsgi;
    scgi_temp_path {scratch}/temp/scgi;
    include {scratch}/backprop.conf;
}}
"""


def find_nginx() -> str | None:
    """``$BACKPROP_NGINX``, else ``nginx`` on the PATH, else Debian's ``/usr/sbin/nginx``."""
    for candidate in (os.environ.get("BACKPROP_NGINX"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def render(template: str, values: dict[str, str]) -> str:
    """Replace ``${NAME}`` for the names in :data:`PLACEHOLDERS`, as the nginx image's envsubst does.

    Nothing else is touched, so nginx's own ``$variables`` stay. Raises ``ValueError`` for a missing
    value or a placeholder left over.
    """
    missing = set(PLACEHOLDERS) - set(values)
    if missing:
        raise ValueError(f"no value for {sorted(missing)}")
    for name in PLACEHOLDERS:
        template = template.replace("${" + name + "}", values[name])
    if "${BACKPROP_" in template:
        raise ValueError("a ${BACKPROP_...} placeholder is left in the template")
    return template


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_healthy(port: int, timeout: float = 60, interval: float = 0.2,
                 proc: subprocess.Popen | None = None) -> None:
    """Return once ``http://127.0.0.1:port/_stcore/health`` answers 200; poll every ``interval`` seconds.

    Raises ``RuntimeError`` after ``timeout`` seconds, or at once if ``proc`` (the server) has exited.
    The one health wait of this script, the benchmarks and the browser tests.
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


@dataclass
class App:
    """One app process: ``deploy/app.sh`` on a loopback port."""

    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None


@dataclass
class Topology:
    """nginx on ``port`` in front of ``n`` app processes on ``app_ports``, files in ``scratch``.

    ``start()`` returns once nginx and every process answer ``/_stcore/health``; ``stop()`` ends them
    all. ``kill(i)`` kills process ``i`` at once (SIGKILL), as a crash would.
    """

    n: int
    port: int = 0
    listen_host: str = HOST                      # nginx's address; the app processes stay on loopback
    app_ports: list[int] = field(default_factory=list)
    scratch: Path | None = None
    python: str = sys.executable
    nginx: str | None = None
    apps: list[App] = field(default_factory=list)
    proxy: subprocess.Popen | None = None
    _own_scratch: bool = False

    def __post_init__(self) -> None:
        self.port = self.port or free_port()
        self.app_ports = self.app_ports or [free_port() for _ in range(self.n)]
        if len(self.app_ports) != self.n:
            raise ValueError(f"{self.n} processes but {len(self.app_ports)} ports")
        if self.scratch is None:
            self.scratch, self._own_scratch = Path(tempfile.mkdtemp(prefix="backprop-proxy-")), True
        self.nginx = self.nginx or find_nginx()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.scratch / "access.log"

    def start(self, timeout: float = 90) -> Topology:
        if self.nginx is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
        self.scratch.mkdir(parents=True, exist_ok=True)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.scratch / "temp" / sub).mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = (os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET")
                                                 or secrets.token_hex(32))
        env["BACKPROP_PYTHON"] = self.python
        env["BACKPROP_ADDRESS"] = HOST
        try:
            for i, port in enumerate(self.app_ports):
                log = self.scratch / f"app-{i}.log"
                with open(log, "w") as out:
                    proc = subprocess.Popen([str(APP_SH)], env={**env, "BACKPROP_PORT": str(port)}, cwd=ROOT,
                                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
                self.apps.append(App(port, proc, log))
            for i, app in enumerate(self.apps):
                try:
                    wait_healthy(app.port, timeout, proc=app.proc)
                except RuntimeError as e:
                    raise RuntimeError(f"app process {i}: {e} (log: {app.log})") from None
            self._write_conf()
            self.proxy = subprocess.Popen([self.nginx, "-p", str(self.scratch), "-c", str(self.scratch / "nginx.conf"),
                                           "-e", str(self.scratch / "error.log")],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                wait_healthy(self.port, 20, proc=self.proxy)
            except RuntimeError as e:
                raise RuntimeError(f"nginx: {e} (log: {self.scratch / 'error.log'})") from None
        except BaseException:
            self.stop()
            raise
        return self

    def _write_conf(self) -> None:
        servers = "\n    ".join(f"server {a.address};" for a in self.apps)
        conf = render(TEMPLATE.read_text(), {"BACKPROP_LISTEN": f"{self.listen_host}:{self.port}",
                                             "BACKPROP_SERVERS": servers,
                                             "BACKPROP_ACCESS_LOG": str(self.access_log)})
        (self.scratch / "backprop.conf").write_text(conf)
        # Run as root (CI), nginx would hand its workers to `nobody`, who cannot write the temp files here.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.scratch / "nginx.conf").write_text(MAIN_CONF.format(scratch=self.scratch, user=user))

    def kill(self, i: int) -> None:
        """Kill app process ``i`` as a crash would: SIGKILL, no clean shutdown."""
        self.apps[i].proc.kill()
        self.apps[i].proc.wait()

    def routes(self) -> dict[str, str]:
        """Route key -> the app address (host:port) that last answered it, from nginx's access log."""
        table: dict[str, str] = {}
        if self.access_log.exists():
            for line in self.access_log.read_text().splitlines():
                route = line.split(" route=", 1)[1].split(" ", 1)[0]
                # "upstream=A, B time=...": B answered after A failed.
                table[route] = line.split(" upstream=", 1)[1].split(" time=", 1)[0].split(",")[-1].strip()
        return table

    def upstream_of(self, route: str) -> str | None:
        return self.routes().get(route)

    def index_of(self, address: str | None) -> int | None:
        return next((i for i, a in enumerate(self.apps) if a.address == address), None)

    def stop(self) -> None:
        procs = [p for p in [self.proxy, *(a.proc for a in self.apps)] if p is not None]
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if self._own_scratch and self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self) -> Topology:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# -- the command line: make serve / make stop -------------------------------------------------------------

def _start(args: argparse.Namespace) -> int:
    scratch = Path(args.scratch)
    pid_file = scratch / "serve.pid"
    if pid_file.exists() and _alive(int(pid_file.read_text() or 0)):
        print(f"already serving (pid {pid_file.read_text().strip()}); `make stop` first", file=sys.stderr)
        return 1
    topo = Topology(args.n, port=args.port, listen_host=args.host, app_ports=[args.app_port + i for i in range(args.n)],
                    scratch=scratch)
    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"starting {args.n} app process{'es' if args.n > 1 else ''} on "
          f"{HOST}:{args.app_port}-{args.app_port + args.n - 1} "
          f"and nginx on {args.host}:{args.port}; files in {scratch}", flush=True)
    try:
        topo.start()
    except RuntimeError as e:
        print(f"could not start: {e}", file=sys.stderr)
        return 1
    pid_file.write_text(str(os.getpid()))
    shown = topo.url if args.host == HOST else f"http://<this machine>:{args.port} (listening on {args.host})"
    print(f"serving at {shown}  (Ctrl-C or `make stop` ends it)", flush=True)
    reported: set[int] = set()
    try:
        while not stop["now"]:
            for i, app in enumerate(topo.apps):
                if not app.alive and i not in reported:
                    reported.add(i)
                    print(f"app process {i} ({app.address}) exited with code {app.proc.returncode}; its browsers "
                          f"moved to the others. Log: {app.log}", file=sys.stderr, flush=True)
            if topo.proxy.poll() is not None:
                print(f"nginx exited; see {scratch / 'error.log'}", file=sys.stderr)
                break
            time.sleep(0.5)
    finally:
        topo.stop()
        pid_file.unlink(missing_ok=True)
        print("stopped nginx and every app process", flush=True)
    return 0


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop(args: argparse.Namespace) -> int:
    pid_file = Path(args.scratch) / "serve.pid"
    pid = int(pid_file.read_text() or 0) if pid_file.exists() else 0
    if not _alive(pid):
        print("nothing to stop")
        pid_file.unlink(missing_ok=True)
        return 0
    os.kill(pid, signal.SIGTERM)
    for _ in range(150):
        if not _alive(pid):
            print("stopped")
            return 0
        time.sleep(0.2)
    print(f"pid {pid} is still running after 30 s", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scratch", default=str(DEFAULT_SCRATCH), help="nginx's prefix, logs, temp files and the pid file")
    sub = ap.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start nginx and N app processes; stays in the foreground")
    start.add_argument("-n", type=int, default=2, help="app processes (default 2)")
    start.add_argument("--host", default=HOST,
                       help="nginx's address (default 127.0.0.1; 0.0.0.0 lets students on the network in)")
    start.add_argument("--port", type=int, default=8500, help="nginx's port (default 8500)")
    start.add_argument("--app-port", type=int, default=8601, help="first app process's port (default 8601)")
    sub.add_parser("stop", help="stop what `start` started")
    args = ap.parse_args(argv)
    if args.command == "start" and args.n < 1:
        ap.error("-n must be at least 1")
    return _start(args) if args.command == "start" else _stop(args)


if __name__ == "__main__":
    sys.exit(main())
