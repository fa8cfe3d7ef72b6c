"""Three app processes behind nginx (deploy/), in Chromium: links, an upload, downloads, and a process lost.

Every request of one browser (page, static files, websocket, upload, media) must reach one process, or
the upload and the downloads fail: Streamlit keeps them with the session. When that process dies, the
browser reconnects through nginx to another one and comes back at its own page and step.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.serve import Topology
from tests.e2e.conftest import assert_clean, load, new_page, step_value, wait_idle, wait_view_step
from tests.e2e.test_data_browser import go_to, ring_csv
from tests.support.proxy import require_nginx, routes_and_upstreams

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def proxied(browser):
    require_nginx()
    with Topology(3) as topo:
        yield topo


def route_of(pg) -> str:
    return next(c["value"] for c in pg.context.cookies() if c["name"] == "backprop_route")


def one_process(topo: Topology, pg) -> str:
    """The one app process that has answered this browser so far (fails if there were several)."""
    upstreams = routes_and_upstreams(topo)[route_of(pg)]
    assert len(upstreams) == 1, upstreams
    return next(iter(upstreams))


def test_a_scene_link_and_a_deep_link_through_the_proxy(browser, proxied):
    pg = new_page(browser)
    load(pg, f"{proxied.url}/?scene=xor-four-units")
    pg.get_by_text("Scene: 1 · XOR with four hidden units.").wait_for()
    assert step_value(pg) == 1000
    assert_clean(pg)
    one_process(proxied, pg)
    pg.context.close()

    pg = new_page(browser)
    load(pg, f"{proxied.url}/?dataset=moons&width=6&step=17&page=inside")
    pg.locator("h1").filter(has_text="Inside the network").wait_for()
    assert step_value(pg) == 17
    assert "step=17" in pg.url and "page=inside" in pg.url and "width=6" in pg.url
    assert_clean(pg)
    one_process(proxied, pg)
    pg.context.close()


def click_step(pg, expected: int) -> None:
    pg.get_by_role("button", name="Step", exact=True).click()
    wait_view_step(pg, expected)
    wait_idle(pg)


def test_a_lost_process_then_an_upload_and_downloads_on_the_next(browser, proxied, tmp_path):
    pg = new_page(browser)
    load(pg, proxied.url)
    for k in (1, 2, 3):
        click_step(pg, k)
    pg.wait_for_function("() => location.search.includes('step=3')")     # the address bar holds the step
    first = one_process(proxied, pg)

    route = route_of(pg)
    proxied.kill(proxied.index_of(first))
    # The frontend notices, checks health through nginx, which answers from another process, and reruns
    # the app there from its address bar: Step then goes on from 3, not from 0.
    wait_for_new_process(proxied, route, first, pg)
    # Streamlit may drop the first Step after the move; the view then asks again. One press goes on from 3 to 4.
    click_step(pg, 4)
    assert step_value(pg) == 4 and "step=4" in pg.url
    now = proxied.upstream_of(route)
    assert now != first

    go_to(pg, "Data")
    pg.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(ring_csv(tmp_path / "ring.csv")))
    pg.get_by_text("now training on your uploaded file").wait_for(timeout=30_000)
    wait_idle(pg)
    with pg.expect_download() as got:
        pg.get_by_role("button", name="Download these points (CSV)").click()
    csv = Path(got.value.path()).read_text().splitlines()
    assert len(csv) == 1 + 160                                  # a header and the 160 uploaded points

    go_to(pg, "Replay")
    with pg.expect_download() as got:
        pg.get_by_role("button", name="Current weights (JSON)").click()
    assert '"W1"' in Path(got.value.path()).read_text()
    assert_clean(pg)
    # Everything since the failover, upload and downloads included, reached the one new process.
    upstreams = routes_and_upstreams(proxied)[route]
    assert upstreams == {first, now}
    assert proxied.upstream_of(route) == now
    pg.context.close()


def wait_for_new_process(topo: Topology, route: str, dead: str, pg, timeout_ms: int = 60_000) -> None:
    """Until nginx has answered this browser from a process other than ``dead`` (its health check), and
    the page has reconnected and finished the run that rebuilds it."""
    waited = 0
    while topo.upstream_of(route) in (None, dead):
        assert waited < timeout_ms, "the browser never came back through another process"
        pg.wait_for_timeout(250)
        waited += 250
    # A Step sent before the new process has rebuilt the page is dropped (it asks for a fragment rerun the new
    # process does not know yet), so wait for the rebuilding run to end: its status shows only Stop.
    wait_idle(pg, timeout_ms / 1000)
