"""playback.batches and playback.store: frames are real states, adopting one equals live stepping, batches are shared.

The oracle for every state is a fresh ``LabState`` stepped one call at a time, as Step does.
"""

from __future__ import annotations

import copy
import threading
import time

import numpy as np
import pytest

from netcore import COLUMNS, Twins, grid, predict
from playback.batches import Playback, batch_key, extend_segments, frames_now, run_batch, twins_at
from playback.store import SharedStore
from session.state import LabState
from settings.config import DEFAULT, Config


def stepped(config: Config, steps: int) -> Twins:
    state = LabState.build(config)
    for _ in range(steps):
        state.step(1)
    return state.twins


def assert_same_twins(got: Twins, want: Twins) -> None:
    """Step count, and every run's step, parameters, history (every column) and snapshots, value for value."""
    assert got.step_count == want.step_count and list(got.runs) == list(want.runs)
    for name, run in want.runs.items():
        mine = got.runs[name]
        assert mine.step_count == run.step_count and mine.diverged == run.diverged
        for a, b in zip(mine.params.arrays(), run.params.arrays()):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(mine.history.array(), run.history.array())
        assert mine.history.stride == run.history.stride and len(mine.history) == len(run.history)
        assert mine.snapshot_steps == run.snapshot_steps
        for s in run.snapshot_steps:
            for a, b in zip(mine.snapshot(s).arrays(), run.snapshot(s).arrays()):
                np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(mine.cache.A2, run.cache.A2)
        np.testing.assert_array_equal(mine.grads.dW1, run.grads.dW1)


@pytest.mark.parametrize("config,speed", [(DEFAULT, 1), (Config(width=7, hidden="tanh", batch_size=16), 3),
                                          (Config(contrast=True, dataset="moons"), 5)])
def test_each_frame_is_the_state_live_steps_reach(config, speed):
    start = stepped(config, 4)
    kept = copy.deepcopy(start)
    batch = run_batch(start, speed, 12, 24)
    assert_same_twins(start, kept)                                     # the start state is left as it was
    f = batch.frames
    assert f.steps.tolist() == [4 + speed * (k + 1) for k in range(12)]
    assert_same_twins(batch.end, stepped(config, 4 + 12 * speed))
    _, _, G = grid(24)
    for k in (0, 5, 11):
        want = stepped(config, int(f.steps[k]))
        for j, run in enumerate(want.runs.values()):
            yhat = predict(run.params, G, run.pairing, run.hidden).reshape(24, 24)
            np.testing.assert_allclose(f.grids[k, j], yhat, rtol=0, atol=1e-6)          # float32
            last = run.history.last()
            np.testing.assert_array_equal(f.scores[k, j], [last[c] for c in COLUMNS[1:5]])
            assert f.run_steps[k, j] == run.step_count


def frames_one_at_a_time(start: Twins, speed: int, count: int) -> tuple[list, list, list, Twins]:
    """Frames as Play first computed them: a copy of the twins stepped ``speed`` steps at a time and each run's
    ``Run.scores()`` read after every frame, stopping after the frame where a run first diverges."""
    twins = copy.deepcopy(start)
    steps, run_steps, scores = [], [], []
    for _ in range(count):
        before = [r.diverged for r in twins.runs.values()]
        twins.step(speed)
        steps.append(twins.step_count)
        run_steps.append([r.step_count for r in twins.runs.values()])
        scores.append([r.scores() for r in twins.runs.values()])
        if any(r.diverged is not None and b is None for r, b in zip(twins.runs.values(), before)):
            break
    return steps, run_steps, scores, twins


@pytest.mark.parametrize("config,speed,count,batches", [
    (DEFAULT, 1, 45, 2),                               # a test set
    (Config(test_fraction=0.0), 1, 45, 1),             # none: NaN test scores
    (Config(lr=3.0, width=2), 3, 45, 2),               # one diverges inside a frame; the next batch goes on
    (Config(lr=10.0, contrast=True), 1, 45, 2),        # one diverges at once, two go on
    (Config(batch_size=16), 2, 45, 1),                 # mini-batches
    (DEFAULT, 50, 90, 1),                              # past HISTORY_CAP: the history thins out within the batch
])
def test_every_frame_holds_exactly_the_scores_run_scores_gives_after_stepping_to_it(config, speed, count, batches):
    start = LabState.build(config).twins
    for _ in range(batches):
        batch = run_batch(start, speed, count, 8)
        steps, run_steps, scores, want = frames_one_at_a_time(start, speed, count)
        assert batch.frames.steps.tolist() == steps and batch.frames.run_steps.tolist() == run_steps
        np.testing.assert_array_equal(batch.frames.scores, np.array(scores))      # NaN where NaN, else equal
        assert batch.stopped == (len(steps) < count or any(
            r.diverged is not None and r.diverged.step > start.step_count for r in want.runs.values()))
        assert_same_twins(batch.end, want)
        start = batch.end
    if config.test_fraction == 0.0:
        assert np.isnan(batch.frames.scores[:, :, 1::2]).all()


def test_adopting_a_frame_gives_the_history_snapshots_and_step_of_live_stepping():
    config = Config(width=5)
    origin = stepped(config, 3)
    pb = Playback(anchor=origin, segments=((1.0, 3),), speed=2, seq=1)
    for _ in range(3):
        pb.add(run_batch(pb.last_state, 2, 30, 16))                    # frames 5, 7, ..., 183
    assert pb.segments == ((1.0, 183),)
    for step in (3, 5, 61, 63, 65, 123, 183):
        got = pb.state_at(step)
        assert_same_twins(got, stepped(config, step))
        assert (got is origin) == (step == 3)                          # shared states are never handed out
        assert all(got is not b.end for b in pb.batches)
    assert pb.state_at(64).step_count == 63                            # between frames: the frame before
    assert pb.state_at(10**9).step_count == 183 and pb.state_at(-5) is origin
    pb.report(70)                                                       # the view is in the third batch
    assert pb.shown == 69 and len(pb.batches) == 2 and pb.anchor.step_count == 63
    assert_same_twins(pb.state_at(101), stepped(config, 101))
    with pytest.raises(ValueError):
        pb.add(run_batch(origin, 2, 3, 16))                            # batches must follow on


def test_a_batch_stops_on_the_first_frame_that_shows_a_divergence():
    config = Config(lr=10.0)
    batch = run_batch(stepped(config, 0), 1, 200, 16)
    assert batch.stopped and len(batch.frames) < 200
    last = batch.frames
    diverged = [j for j, r in enumerate(batch.end.runs.values()) if r.diverged]
    assert diverged and all(last.run_steps[-1, j] < last.steps[-1] for j in diverged)
    assert all(last.run_steps[:-1, j].tolist() == last.steps[:-1].tolist() for j in diverged)
    assert np.isfinite(last.grids).all()


def test_one_frame_now_and_replay_from_a_copy():
    twins = stepped(DEFAULT, 6)
    f = frames_now(twins, 16)
    assert f.steps.tolist() == [6] and f.grids.shape == (1, 2, 16, 16)
    again = twins_at(twins, 9)
    assert twins.step_count == 6 and again.step_count == 9
    assert_same_twins(again, stepped(DEFAULT, 9))


def test_batch_keys_name_what_a_batch_depends_on():
    items = tuple(DEFAULT.as_dict().items())
    key = batch_key(items, None, ((1.0, 10),), 1, 30, 48)
    assert key == batch_key(tuple(reversed(items)), None, ((1.0, 10),), 1, 30, 48)      # order does not matter
    other_view = tuple((k, "ce-sigmoid" if k == "view" else v) for k, v in items)
    assert key == batch_key(other_view, None, ((1.0, 10),), 1, 30, 48)                 # the view does not
    assert key != batch_key(items, "abc", ((1.0, 10),), 1, 30, 48)                      # the data does
    assert key != batch_key(items, None, ((0.3, 4), (1.0, 6)), 1, 30, 48)              # the rates do
    assert extend_segments(((0.3, 4),), 0.3, 5) == ((0.3, 9),)
    assert extend_segments(((0.3, 4),), 1.0, 5) == ((0.3, 4), (1.0, 5))


def test_the_shared_store_computes_each_key_once_and_stays_bounded():
    store = SharedStore(max_entries=3, max_bytes=100, size=len)
    calls = []

    def slow(key):
        def compute():
            calls.append(key)
            time.sleep(0.05)
            return "x" * 30
        return compute

    got = []
    threads = [threading.Thread(target=lambda: got.append(store.get("a", slow("a")))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == ["a"] and len(got) == 8 and all(v is got[0] for v in got)
    for key in "bcd":
        store.get(key, slow(key))
    assert len(store) == 3 and store.bytes == 90 and "a" not in store._items      # least recently used went
    store.get("e", lambda: "y" * 80)
    assert store.bytes <= 100 and list(store._items) == ["e"]
    store.get("f", lambda: "z" * 500)                                 # too big to keep: computed, not kept
    assert "f" not in store._items and store.computed == 6

    def fails():
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        store.get("g", fails)
    assert store.get("g", lambda: "ok") == "ok"                      # a failure is not remembered


def test_a_batch_is_three_seconds_at_few_steps_a_frame_and_never_more_than_450_steps_beyond_1_5_s():
    """Few steps a frame: the fragment rerun is the cost, so batches are long. Many: the steps are, and Play's
    first frames wait for the first batch, so that one is always 45 frames (1.5 s, the view's low-water mark),
    and so are the others from 10 steps a frame."""
    from playback.batches import BATCH_STEPS, FRAME_RATE, batch_frames
    from ui.controls import SPEEDS
    from ui.liveview import LOW_WATER

    assert {s: batch_frames(s) for s in SPEEDS} == {1: 90, 2: 90, 5: 90, 10: 45, 25: 45, 50: 45}
    assert {batch_frames(s, first=True) for s in SPEEDS} == {45}                 # Play starts on 1.5 s
    for speed in SPEEDS:
        frames = batch_frames(speed)
        assert frames >= LOW_WATER == 1.5 * FRAME_RATE            # never asked for again before it is all sent
        assert frames * speed <= BATCH_STEPS or frames == LOW_WATER
