"""The proxy topology of ``deploy/`` for tests: nginx in front of N app processes, and its requirement.

Without nginx these tests skip with a one-line reason; where the suite must be complete
(``BACKPROP_REQUIRE_BROWSER=1`` or ``CI`` set, as ``.ci/run`` does) a missing nginx fails them.
"""

from __future__ import annotations

import os

import pytest

from deploy.serve import Topology, find_nginx


def require_nginx() -> str:
    nginx = find_nginx()
    if nginx is None:
        reason = "no nginx (Debian: apt-get install nginx; or set BACKPROP_NGINX)"
        if os.environ.get("BACKPROP_REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
            pytest.fail(f"proxy tests are required here but there is {reason}")
        pytest.skip(f"proxy tests skipped: {reason}")
    return nginx


def ws_url(topo: Topology) -> str:
    return topo.url.replace("http://", "ws://", 1) + "/_stcore/stream"


def routes_and_upstreams(topo: Topology) -> dict[str, set[str]]:
    """Route key -> every app address nginx sent its requests to (``A, B`` when A failed first: B counts)."""
    seen: dict[str, set[str]] = {}
    for line in topo.access_log.read_text().splitlines():
        route = line.split(" route=", 1)[1].split(" ", 1)[0]
        upstream = line.split(" upstream=", 1)[1].split(" time=", 1)[0].split(",")[-1].strip()
        seen.setdefault(route, set()).add(upstream)
    return seen
