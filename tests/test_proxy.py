"""Beyond one process: the address bar holds the step, and nginx in front of several app processes keeps
each tab on one process and brings the tabs of a dead process back to their own view on another.

Real parts throughout: ``streamlit run dashboard.py`` (directly, and through ``deploy/app.sh`` behind
nginx from ``deploy/serve.py``), and the websocket client of ``tests/support/streamlit_ws.py`` acting as
browser tabs: it keeps cookies and reconnects the way Streamlit's frontend does. Uploads, downloads and
links through the proxy in a real browser: ``tests/e2e/test_proxy_browser.py``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from deploy.serve import Topology
from tests.support.proxy import require_nginx, routes_and_upstreams, ws_url
from tests.support.streamlit_ws import APP, ROOT, Server, Session

TIMEOUT = 120          # seconds a run may take on a loaded machine before it counts as lost; not a goal


def query_step(s: Session) -> int:
    return int(parse_qs(s.query)["step"][0])


async def click(s: Session, label: str = "Step") -> None:
    button = s.find("button", label)
    assert button is not None, f"no {label!r} button"
    await s.rerun(trigger=button)


# -- one process: the address bar follows every step ---------------------------------------------------


@pytest.fixture(scope="module")
def server():
    srv = Server(APP, ROOT)
    yield srv
    srv.stop()


def test_step_in_the_fragment_writes_the_step_into_the_address_bar(server):
    async def go():
        s = Session(server.url, TIMEOUT)
        await s.open()
        assert query_step(s) == 0 and not s.last_run_fragment
        for k in (1, 2, 3):
            await click(s)
            assert s.last_run_fragment                      # Step reran only its fragment ...
            assert s.step() == str(k) and query_step(s) == k    # ... and the address bar followed
        await click(s, "Step × 10")
        assert s.last_run_fragment and query_step(s) == 13
        await click(s, "Reset")                             # new twins at step 0, in the address bar too
        assert s.step() == "0" and query_step(s) == 0
        await s.close()

    asyncio.run(go())


def test_every_whole_app_run_leaves_a_fragment_timer_so_a_reconnect_reruns(server):
    async def go():
        s = Session(server.url, TIMEOUT)
        await s.open()
        assert s.timed_fragments                            # opening the page: a whole-app run
        hashes = [h for h, _ in s.pages]
        await s.rerun(page_hash=hashes[1])                  # a page switch: another whole-app run
        assert not s.last_run_fragment and s.timed_fragments
        await s.close()

    asyncio.run(go())


# -- several processes behind nginx ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def topo():
    require_nginx()
    with Topology(2) as t:
        yield t


def test_the_proxy_and_every_app_process_bind_loopback_only(topo):
    """What the tests start listens on 127.0.0.1 only (tests/test_security.py checks the other servers)."""
    assert f"listen 127.0.0.1:{topo.port};" in (topo.scratch / "backprop.conf").read_text()
    for app in topo.apps:
        args = (Path("/proc") / str(app.proc.pid) / "cmdline").read_bytes().split(b"\0")
        assert args[args.index(b"--server.address") + 1] == b"127.0.0.1" and app.address.startswith("127.0.0.1:")


async def open_tabs(topo: Topology, steps: list[int]) -> list[Session]:
    tabs = []
    for k in steps:
        s = Session(ws_url(topo), TIMEOUT, cookies={})
        await s.open()
        for _ in range(k):
            await click(s)
        tabs.append(s)
    return tabs


def test_a_dead_process_s_tabs_come_back_at_their_own_view_and_the_others_notice_nothing(topo):
    async def go():
        # Tabs at different steps; every third one then moves to another page (a whole-app run last).
        steps = [0, 1, 2, 3, 4, 5, 6, 7]
        tabs = await open_tabs(topo, steps)
        pages = [h for h, _ in tabs[0].pages]
        for i, s in enumerate(tabs):
            if i % 3 == 2:
                await s.rerun(page_hash=pages[1])
        where = [topo.index_of(topo.upstream_of(s.cookies["backprop_route"])) for s in tabs]
        while len(set(where)) < 2:                          # make sure both processes serve someone
            more = await open_tabs(topo, [len(tabs)])
            tabs += more
            steps.append(len(steps))
            where.append(topo.index_of(topo.upstream_of(more[0].cookies["backprop_route"])))
        # Before any failure, every request of a tab reached one process.
        routes = routes_and_upstreams(topo)
        assert all(len(routes[s.cookies["backprop_route"]]) == 1 for s in tabs)

        victim = where[0]
        shown = [(s.page_hash, s.query) for s in tabs]
        topo.kill(victim)
        moved = [i for i, w in enumerate(where) if w == victim]
        stayed = [i for i, w in enumerate(where) if w != victim]
        await asyncio.wait_for(asyncio.gather(*(tabs[i].closed.wait() for i in moved)), TIMEOUT)
        for i in moved:
            s = tabs[i]
            assert await s.reconnect()                      # the frontend asks for a whole-app run ...
            await s.rerun()                                 # ... with its page and its address bar
            assert (s.page_hash, query_step(s)) == (shown[i][0], steps[i])
            if "Step" in s.metrics:
                assert s.metrics["Step"] == str(steps[i])   # the same step, rebuilt on the other process
            assert topo.upstream_of(s.cookies["backprop_route"]) == topo.apps[1 - victim].address
        for i in stayed:
            assert not tabs[i].closed.is_set()              # the survivor's tabs kept their sockets
        for i, s in enumerate(tabs):                        # and everyone carries on from their own step
            await click(s)
            assert query_step(s) == steps[i] + 1
            if "Step" in s.metrics:
                assert s.metrics["Step"] == str(steps[i] + 1)
            assert not s.exceptions
            await s.close()

    asyncio.run(go())
