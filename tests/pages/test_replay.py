"""The Replay page in AppTest: the live view at a recorded step and the whole run animated, against netcore."""

import numpy as np
import pytest

from lesson.grids import FRAME_CAP
from netcore import grid, predict
from tests.helpers import new_app, open_page
from tests.support import live
from viz.live import GRID


def start(width: int = 4, steps: int = 0, **session):
    at = new_app()
    at.session_state["width"] = width
    for key, value in session.items():
        at.session_state[key] = value
    at.run()
    at.session_state["lab"].step(steps)
    open_page(at, "replay")
    assert not at.exception
    return at


def view(at) -> dict:
    return live.decode(next(e.proto for e in at.get("bidi_component") if e.proto.component_name == live.VIEW))


def assert_frames_are_the_snapshots(at, got: dict) -> None:
    """Each frame's grids: netcore's ŷ for each run's latest snapshot at or before the frame's step."""
    state = at.session_state["lab"]
    G = grid(GRID)[2]
    meta = got["meta"]
    for frame in live.frames(got):
        for j, run in enumerate(state.twins.runs.values()):
            shown = max(s for s in run.snapshot_steps if s <= frame["step"])
            assert frame["nets"][j]["run"] == shown
            want = predict(run.snapshot(shown), G, run.pairing, run.hidden).reshape(GRID, GRID)
            lo, hi = meta["nets"][j]["lo"], meta["nets"][j]["hi"]
            got_yhat = lo + frame["nets"][j]["q"] * (hi - lo) / 255
            assert np.abs(got_yhat - np.clip(want, lo, hi)).max() <= (hi - lo) / 510 + 1e-6


@pytest.mark.parametrize("width", [1, 64])
@pytest.mark.parametrize("steps", [0, 100])
def test_renders_after_steps_at_width(width, steps):
    at = start(width, steps)
    got = view(at)
    state = at.session_state["lab"]
    assert got["f_step"].tolist() == [steps] and got["meta"]["play"] is False and got["meta"]["stream"] is False
    assert len(got["meta"]["visible"]) == len(state.twins.runs)
    assert at.download_button(key="download_history") and at.download_button(key="download_weights")
    assert (len(at.info) > 0) == (steps == 0)                       # "nothing to replay yet"
    assert not at.get("plotly_chart")


def test_the_view_at_step_k_shows_the_params_recorded_at_k():
    at = start(steps=60)
    at.select_slider(key="replay_step").set_value(17).run()
    assert not at.exception
    got = view(at)
    assert got["f_step"].tolist() == [17]
    assert_frames_are_the_snapshots(at, got)
    state = at.session_state["lab"]                                   # the live run is not disturbed
    assert state.twins.step_count == 60 and state.twins.runs["ce-sigmoid"].step_count == 60


def test_the_animation_plays_every_recorded_step_once_in_the_browser():
    at = start(steps=40, lr=10.0)                                    # MSE + linear diverges on the way
    at.button(key="replay_animate").click().run()
    got = view(at)
    meta = got["meta"]
    assert meta["play"] and meta["final"] and not meta["stream"]     # plays once, asks the server for nothing
    state = at.session_state["lab"]
    recorded = sorted({s for r in state.twins.runs.values() for s in r.snapshot_steps})
    assert got["f_step"].tolist() == recorded and len(recorded) > FRAME_CAP
    assert_frames_are_the_snapshots(at, got)
    stopped = [r for r in state.twins.runs.values() if r.diverged]
    assert stopped                                                   # and that one stays on its last snapshot
