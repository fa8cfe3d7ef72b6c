"""The arrays behind the Inside and Replay figures."""

import numpy as np

from lesson.grids import grid_outputs, params_at, pick_frames, replay_steps, unit_grid
from netcore import CE_SIGMOID, Twins, forward, grid, make_dataset, train_step, train_test_split


def test_pick_frames_is_even_and_keeps_both_ends():
    steps = tuple(range(0, 1000, 8))
    picked = pick_frames(steps, 10)
    assert len(picked) == 10 and picked[0] == 0 and picked[-1] == 992
    assert set(picked) <= set(steps)
    assert pick_frames((0, 1, 2), 10) == (0, 1, 2)


def test_params_at_falls_back_to_the_last_snapshot_of_a_stopped_run():
    data = make_dataset("xor", 60, 0.0, np.random.default_rng(0))
    twins = Twins(*train_test_split(data, 0.2, 0), width=3, lr=10.0, seed=1)
    twins.step(200)
    lin = twins.runs["mse-linear"]
    assert lin.diverged is not None                       # lr 10 blows up the linear output
    last = lin.snapshot_steps[-1]
    assert replay_steps(twins)[-1] == 200 > last
    shown, p = params_at(lin, 200)
    assert shown == last
    np.testing.assert_array_equal(p.W1, lin.snapshot(last).W1)


def test_snapshot_at_k_is_k_independent_gradient_steps():
    data = make_dataset("moons", 80, 0.1, np.random.default_rng(5))
    twins = Twins(*train_test_split(data, 0.2, 0), width=3, lr=0.5, seed=2)
    twins.step(60)
    run = twins.runs[CE_SIGMOID]
    p = twins.initial.copy()
    for k in range(1, 61):
        p = train_step(p, twins.train.X, twins.train.Y, CE_SIGMOID, 0.5)
        if k in (7, 33, 60):
            shown, snap = params_at(run, k)
            assert shown == k
            for a, b in zip(snap.arrays(), p.arrays()):
                np.testing.assert_allclose(a, b, rtol=1e-12)


def test_grid_outputs_is_the_forward_pass_on_the_grid():
    data = make_dataset("circles", 40, 0.0, np.random.default_rng(0))
    twins = Twins(*train_test_split(data, 0.0, 0), width=5, lr=1.0)
    run = twins.runs[CE_SIGMOID]
    xs, ys, A1, yhat = grid_outputs(run.params, run, 9)
    cache = forward(run.params, grid(9)[2], "ce-sigmoid")
    np.testing.assert_array_equal(A1[2].ravel(), cache.A1[2])
    np.testing.assert_array_equal(yhat.ravel(), cache.A2[0])
    assert A1.shape == (5, 9, 9) and xs.shape == (9,)
    assert unit_grid(16) > unit_grid(17)
