"""The Replay page in AppTest: timeline at a recorded step, the animation's frames, the downloads."""

import numpy as np
import pytest

from lesson.grids import ANIMATION_GRID, FRAME_CAP
from netcore import grid, predict
from session.state import GRID_RESOLUTION
from tests.helpers import figures, new_app, open_page, traces


def start(width: int = 4, steps: int = 0):
    at = new_app()
    at.session_state["width"] = width
    at.run()
    at.session_state["lab"].step(steps)
    open_page(at, "replay")
    assert not at.exception
    return at


def timeline(at):
    return next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("Replay · step"))


def animation(at):
    return next(f for f in figures(at) if f.get("frames"))


@pytest.mark.parametrize("width", [1, 64])
@pytest.mark.parametrize("steps", [0, 100])
def test_renders_after_steps_at_width(width, steps):
    at = start(width, steps)
    state = at.session_state["lab"]
    last = max(r.snapshot_steps[-1] for r in state.twins.runs.values())
    assert timeline(at)["layout"]["title"]["text"] == f"Replay · step {last}"
    frames = animation(at)["frames"]
    assert 1 <= len(frames) <= FRAME_CAP and frames[0]["name"] == "0"
    assert at.download_button(key="download_history") and at.download_button(key="download_weights")
    assert (len(at.info) > 0) == (steps == 0)                       # "nothing to replay yet"


def test_timeline_at_step_k_shows_the_params_recorded_at_k():
    at = start(steps=60)
    at.select_slider(key="replay_step").set_value(17).run()
    assert not at.exception
    fig = timeline(at)
    assert fig["layout"]["title"]["text"] == "Replay · step 17"
    state = at.session_state["lab"]
    G = grid(GRID_RESOLUTION)[2]
    for trace, (name, run) in zip(traces(fig, "contour"), state.twins.runs.items()):
        expected = predict(run.snapshot(17), G, name).reshape(GRID_RESOLUTION, -1)
        lo, hi = (-0.5, 1.5) if name == "mse-linear" else (0.0, 1.0)
        np.testing.assert_allclose(trace["z"], np.clip(expected, lo, hi), atol=1e-6)
    # the live run is not disturbed
    assert state.twins.step_count == 60 and state.twins.runs["ce-sigmoid"].step_count == 60


def test_animation_frame_at_step_k_shows_the_params_recorded_at_k():
    at = start(steps=40)
    fig = animation(at)
    state = at.session_state["lab"]
    G = grid(ANIMATION_GRID)[2]
    frame = next(f for f in fig["frames"] if f["name"] != "0")
    k = int(frame["name"])
    run = state.twins.runs["ce-sigmoid"]
    expected = predict(run.snapshot(k), G, "ce-sigmoid").reshape(ANIMATION_GRID, -1)
    np.testing.assert_allclose(frame["data"][1]["z"], expected, atol=1e-6)
    assert frame["data"][1]["z"].dtype == np.float32
