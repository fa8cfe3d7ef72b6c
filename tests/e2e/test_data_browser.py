"""Inside, Data and Replay in a real browser: a CSV through the real uploader changes what the twins learn;
the animation plays client-side; every page's figures have the PNG button. Screenshots for a human to check."""

import numpy as np
import pytest

from tests.e2e.conftest import (
    CANVAS_SIGNATURE,
    DRAWN,
    SHOTS,
    assert_clean,
    assert_no_overlaps,
    load,
    shot,
    step_value,
    wait_idle,
    wait_view_step,
)

pytestmark = pytest.mark.browser


def ring_csv(path):
    """A ring around a disc, in centimetres (so the app must rescale it), labels as words."""
    rng = np.random.default_rng(0)
    t = rng.uniform(0, 2 * np.pi, 160)
    r = np.where(np.arange(160) % 2, rng.uniform(0, 20, 160), rng.uniform(35, 50, 160))
    rows = [f"{100 + r_ * np.cos(a):.3f},{60 + r_ * np.sin(a):.3f},{'inner' if r_ < 30 else 'outer'}"
            for a, r_ in zip(t, r)]
    path.write_text("width_cm,height_cm,label\n" + "\n".join(rows) + "\n")
    return path


def tall_shot(pg, name: str, height: int, docs: bool = False) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its own container, so grow the viewport."""
    pg.set_viewport_size({"width": 1600, "height": height})
    pg.wait_for_timeout(1500)
    shot(pg, name, docs=docs)
    pg.set_viewport_size({"width": 1600, "height": 1000})


def go_to(pg, title: str) -> None:
    """Switch page inside the same session (a fresh URL would start a fresh session)."""
    pg.locator("[data-testid=stSidebarNav] a").filter(has_text=title).first.click()
    pg.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    pg.wait_for_function(DRAWN, timeout=60_000)
    wait_idle(pg)
    pg.wait_for_timeout(800)


def train_steps(pg, target: int) -> None:
    pg.get_by_role("button", name="Step × 10").click()
    wait_view_step(pg, target)
    wait_idle(pg)
    pg.wait_for_timeout(800)


def test_upload_through_the_real_uploader_changes_the_boundary(page, server, tmp_path):
    load(page, server)
    train_steps(page, 10)
    generated = page.evaluate(CANVAS_SIGNATURE)

    go_to(page, "Data")
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(ring_csv(tmp_path / "ring.csv")))
    page.get_by_text("now training on your uploaded file").wait_for(timeout=30_000)
    wait_idle(page)
    page.wait_for_timeout(1200)
    assert page.get_by_text("Your data: 160 points").count() or page.locator("text=Your data").count()
    assert page.get_by_text("'inner' became class 0", exact=False).count() == 1
    assert page.get_by_text("each axis on its own", exact=False).count() == 1
    assert_clean(page)
    assert_no_overlaps(page)
    tall_shot(page, "data-after-upload", 2300, docs=True)

    go_to(page, "Train")
    assert step_value(page) == 0                                    # new twins, said on the Data page
    train_steps(page, 10)
    assert page.evaluate(CANVAS_SIGNATURE) != generated             # other points, and the boundary learnt from them
    assert "Training on your own points (upload 'ring.csv')" in page.locator(".bpl-note").text_content()
    assert_clean(page)

    go_to(page, "Data")
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": "notes.csv", "mimeType": "text/csv", "buffer": b"Dear professor, my data is attached.\n"}])
    page.get_by_text("That file was not used").wait_for(timeout=30_000)
    assert page.get_by_text("looks like text, not a CSV table", exact=False).count() == 1
    assert_clean(page)
    shot(page, "data-bad-upload")


def test_inside_page_after_training(page, server):
    load(page, server)
    page.get_by_role("combobox", name="N", exact=True).click()
    page.get_by_role("option", name="N = 100", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Step × 100").click()
    wait_view_step(page, 100)
    wait_idle(page)
    go_to(page, "Inside the network")
    page.wait_for_timeout(1500)
    assert page.locator(".js-plotly-plot").count() == 4             # network, output, units, dynamics
    assert page.locator(".modebar-btn[data-title='Download plot as a PNG'], "
                        ".modebar-btn[data-title='Download plot as a png']").count() >= 4
    assert_clean(page)
    tall_shot(page, "inside-the-network", 2500, docs=True)


def test_replay_animation_plays_in_the_browser(page, server):
    load(page, server)
    train_steps(page, 10)
    train_steps(page, 20)
    go_to(page, "Replay")
    page.wait_for_timeout(1000)
    assert_clean(page)
    tall_shot(page, "replay", 1300, docs=True)
    assert step_value(page) == 20
    page.get_by_role("button", name="Animate the run").click()
    page.wait_for_function("() => document.querySelector('.bpl-live').dataset.step !== '20'", timeout=10_000)
    wait_view_step(page, 20)                                          # the last recorded step
    frames = int(page.locator(".bpl-live").get_attribute("data-frames"))
    page.wait_for_timeout(1500)
    assert step_value(page) == 20 and int(page.locator(".bpl-live").get_attribute("data-frames")) == frames
    assert frames >= 21                                              # it showed every recorded step, then stopped
    assert_clean(page)
    print(f"screenshots in {SHOTS}")


def test_inside_page_at_width_64_shows_all_units_on_request(page, server):
    load(page, server)
    go_to(page, "Inside the network")
    page.locator(".st-key-width input[type=range]").press("End")          # the sidebar's width slider to 64
    wait_idle(page)
    page.wait_for_timeout(1000)
    notes = page.evaluate("() => document.querySelectorAll('.js-plotly-plot')[0].layout.annotations"
                          ".map(a => a.text)")
    assert "hidden layer: 64 units, σ" in notes, notes
    page.get_by_role("button", name="Show all 64 units").click()
    wait_idle(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot')[2].data"
                           ".filter(t => t.type === 'heatmap').length === 64", timeout=30_000)
    assert_clean(page)
    tall_shot(page, "inside-width-64", 4200)
