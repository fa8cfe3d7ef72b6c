"""Headless Chromium and a real app server for the browser tests and the browser benchmarks.

Debian's Chromium (``/usr/bin/chromium``) driven by Playwright; the flags keep it from reaching
out to the network, which this machine refuses. ``start_server`` runs ``streamlit run`` on a
loopback port and returns once the health check answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.streamlit_ws import ROOT, wait_healthy

CHROMIUM = os.environ.get("BACKPROP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


def start_server(script: Path, port: int, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    """``streamlit run`` on 127.0.0.1:port; returns once the health check answers."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, 60, proc=proc)
    except RuntimeError:
        proc.kill()
        raise
    return proc
