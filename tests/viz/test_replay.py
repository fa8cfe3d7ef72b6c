"""Replay: the frame at step k shows the parameters recorded at step k; the animation stays small."""

import json

import numpy as np
import plotly.io as pio
import pytest

from lesson.grids import (
    ANIMATION_BYTES_CAP,
    ANIMATION_GRID,
    FRAME_CAP,
    params_at,
    pick_frames,
    replay_grids,
    replay_steps,
)
from netcore import BOX, PAIRINGS, Twins, grid, make_dataset, train_step, train_test_split
from viz import spec
from viz.replay import ANIMATION_POINTS, animation_figure, thin_points, timeline_figure
from viz.theme import STANDARD


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def by_hand(p, G, linear):
    """The seed's forward pass written out: sigmoid hidden layer, linear or sigmoid output."""
    z2 = p.W2 @ sigmoid(p.W1 @ G + p.b1) + p.b2
    return z2 if linear else sigmoid(z2)


def make_twins(steps, width=3, m=80, pairings=("mse-linear", "ce-sigmoid")):
    data = make_dataset("moons", m, 0.1, np.random.default_rng(5))
    train, test = train_test_split(data, 0.2, 0)
    twins = Twins(train, test, width=width, lr=0.5, seed=2, pairings=pairings)
    twins.step(steps)
    return twins


def figure_args(twins):
    names = list(twins.runs)
    return names, {n: PAIRINGS[n].label for n in names}, (twins.train.X, twins.train.Y), (twins.test.X, twins.test.Y)


def test_snapshot_at_k_is_k_independent_gradient_steps():
    twins = make_twins(60)
    run = twins.runs["ce-sigmoid"]
    p = twins.initial.copy()
    for k in range(1, 61):
        p = train_step(p, twins.train.X, twins.train.Y, "ce-sigmoid", 0.5)
        if k in (7, 33, 60):
            shown, snap = params_at(run, k)
            assert shown == k
            for a, b in zip(snap.arrays(), p.arrays()):
                np.testing.assert_allclose(a, b, rtol=1e-12)


def test_animation_frame_at_step_k_shows_the_params_recorded_at_k():
    twins = make_twins(50)
    steps = pick_frames(replay_steps(twins))
    frames = replay_grids(twins, steps, ANIMATION_GRID)
    xs, ys, G = grid(ANIMATION_GRID)
    names, labels, train, test = figure_args(twins)
    fig = animation_figure(xs, ys, names, labels, frames, train, test, BOX, STANDARD)
    assert len(spec.validated(fig).frames) == len(steps)        # frames and all: valid Plotly
    assert [f.name for f in fig.frames] == [str(s) for s in steps]
    for k in (0, 17, 50):
        frame = next(f for f in fig.frames if f.name == str(k))
        assert frame.layout.title.text == f"Animation · step {k}"
        for trace, name in zip(frame.data, names):
            expected = by_hand(twins.runs[name].snapshot(k), G, name == "mse-linear").reshape(ANIMATION_GRID, -1)
            lo, hi = (-0.5, 1.5) if name == "mse-linear" else (0, 1)
            np.testing.assert_allclose(trace.z, np.clip(expected, lo, hi), atol=1e-6)
            assert trace.z.dtype == np.float32
    # the frames replace exactly the surface traces, which sit in the panels in the order of names
    surfaces = list(fig.frames[0].traces)
    assert [fig.data[i].type for i in surfaces] == ["contour", "contour"]
    assert [fig.data[i].xaxis for i in surfaces] == ["x", "x2"]


def test_animation_has_play_pause_and_a_slider_over_every_frame():
    twins = make_twins(200)
    steps = pick_frames(replay_steps(twins))
    assert len(steps) == FRAME_CAP and steps[0] == 0 and steps[-1] == 200
    xs, ys, _ = grid(ANIMATION_GRID)
    names, labels, train, test = figure_args(twins)
    fig = animation_figure(xs, ys, names, labels, replay_grids(twins, steps, ANIMATION_GRID), train, test, BOX,
                           STANDARD)
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["▶ Play", "❚❚ Pause"]
    assert buttons[0].method == "animate" and buttons[0].args[0] is None
    assert buttons[0].args[1]["frame"]["redraw"] is True and list(buttons[1].args[0]) == [None]
    slider = fig.layout.sliders[0]
    assert [list(s.args[0]) for s in slider.steps] == [[str(s)] for s in steps]


def test_timeline_shows_each_twin_at_the_step_and_says_when_one_stopped():
    twins = make_twins(40)
    xs, ys, G = grid(30)
    names, labels, train, test = figure_args(twins)
    grids = {n: by_hand(twins.runs[n].snapshot(40), G, n == "mse-linear").reshape(30, 30) for n in names}
    fig = timeline_figure(xs, ys, names, labels, grids, {"mse-linear": 40, "ce-sigmoid": 12}, train, test, BOX,
                          STANDARD, 40)
    contours = [t for t in fig.data if t.type == "contour"]
    assert len(contours) == 2 and fig.layout.title.text == "Replay · step 40"
    np.testing.assert_allclose(contours[1].z, np.clip(grids["ce-sigmoid"], 0, 1), atol=1e-6)
    assert [a.text for a in fig.layout.annotations] == ["MSE + linear", "CE + sigmoid (stopped at step 12)"]


def test_thin_points_keeps_both_classes_and_the_cap():
    X = np.arange(2 * 1000, dtype=float).reshape(2, 1000)
    Y = (np.arange(1000) % 2).reshape(1, -1).astype(float)
    Xs, Ys = thin_points(X, Y, 100)
    assert Xs.shape[1] == 100 and Ys.sum() == 50
    Y[0, :] = 0
    Y[0, 500] = 1
    Xs, Ys = thin_points(X, Y, 100)
    assert Ys.sum() == 1 and Xs.shape[1] <= 101


@pytest.mark.parametrize("pairings,budget", [(("mse-linear", "ce-sigmoid"), 0.7), (("mse-linear", "ce-sigmoid",
                                                                                       "mse-sigmoid"), 1.0)])
def test_animation_payload_stays_under_the_cap(pairings, budget, capsys):
    """Worst case: 5,000 points and a full set of frames (the width does not change the payload).
    Measured as Streamlit sends it."""
    twins = make_twins(3 * FRAME_CAP, width=8, m=5000, pairings=pairings)
    steps = pick_frames(replay_steps(twins))
    assert len(steps) == FRAME_CAP
    xs, ys, _ = grid(ANIMATION_GRID)
    names, labels, train, test = figure_args(twins)
    fig = animation_figure(xs, ys, names, labels, replay_grids(twins, steps, ANIMATION_GRID), train, test, BOX,
                           STANDARD)
    size = len(pio.to_json(fig, validate=False))            # what st.plotly_chart puts on the wire
    with capsys.disabled():
        print(f"\nanimation payload, {len(pairings)} runs, {len(steps)} frames, 5000 points: {size / 1000:.0f} KB")
    assert size < budget * ANIMATION_BYTES_CAP
    spec = json.loads(pio.to_json(fig, validate=False))
    shown = sum(len(t["x"]["bdata"]) for t in spec["data"] if t["type"] == "scatter") // 4 * 3 // 4
    assert shown <= 2 * len(pairings) * ANIMATION_POINTS * 1.01 + 50
