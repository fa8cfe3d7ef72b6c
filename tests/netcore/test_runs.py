import numpy as np
import pytest

from netcore import (
    COLUMNS,
    HISTORY_CAP,
    SNAPSHOT_CAP,
    History,
    Run,
    Twins,
    init_params,
    make_dataset,
    train_step,
    train_test_split,
)


@pytest.fixture
def data():
    d = make_dataset("xor", 200, 0.1, np.random.default_rng(0))
    return train_test_split(d, 0.2, seed=0)


def test_run_follows_train_step_exactly(data):
    train, test = data
    p0 = init_params(4, np.random.default_rng(0))
    run = Run(p0, train, test, "ce-sigmoid", 0.3)
    run.step(25)
    p = p0
    for _ in range(25):
        p = train_step(p, train.X, train.Y, "ce-sigmoid", 0.3)
    np.testing.assert_array_equal(run.params.W1, p.W1)
    np.testing.assert_array_equal(run.params.b2, p.b2)
    assert run.step_count == 25
    h = run.history
    assert len(h) == 26 and list(h.column("step")[:3]) == [0, 1, 2]
    assert h.last()["train_acc"] >= 0.5


def test_twins_start_identical_and_differ_only_by_pairing(data):
    t = Twins(*data, width=4, lr=0.3, seed=3)
    a, b = t.runs.values()
    np.testing.assert_array_equal(a.params.W1, b.params.W1)
    t.step(10)
    assert t.step_count == 10 and a.step_count == b.step_count == 10
    assert not np.array_equal(a.params.W1, b.params.W1)


def test_same_seed_same_run_bit_for_bit(data):
    x, y = Twins(*data, width=6, lr=1.0, seed=7), Twins(*data, width=6, lr=1.0, seed=7)
    x.step(300)
    y.step(300)
    for name in x.runs:
        np.testing.assert_array_equal(x.runs[name].params.W1, y.runs[name].params.W1)
        np.testing.assert_array_equal(x.runs[name].history.array(), y.runs[name].history.array())


def test_divergence_is_flagged_not_nan(data):
    t = Twins(*data, width=4, lr=10.0, seed=0)
    t.step(500)
    mse = t.runs["mse-linear"]
    assert mse.diverged is not None
    assert 1 <= mse.diverged.step <= 500
    assert "learning rate" in mse.diverged.advice
    assert mse.params.is_finite()
    assert np.isfinite(mse.history.array()[:, :3]).all()
    assert mse.step_count == mse.diverged.step - 1   # stopped at the last finite state
    taken = mse.step(5)
    assert taken == 0


def test_lr_change_keeps_weights(data):
    t = Twins(*data, width=4, lr=0.3, seed=0)
    t.step(5)
    before = t.runs["ce-sigmoid"].params.W1.copy()
    t.set_lr(1.0)
    np.testing.assert_array_equal(t.runs["ce-sigmoid"].params.W1, before)
    assert t.lr == 1.0
    t.step(1)
    assert t.step_count == 6


def test_schedule_records_each_rate_and_replays_the_run_bit_for_bit(data):
    live = Twins(*data, width=4, lr=0.3, seed=0)
    live.step(5)
    live.set_lr(0.3)              # the same rate again: no new segment
    live.set_lr(1.0)
    live.set_lr(3.0)              # changed twice before a step: only the rate that trained counts
    live.step(7)
    live.set_lr(0.1)
    assert live.schedule == ((0.3, 5), (3.0, 7))
    live.step(2)
    assert live.schedule == ((0.3, 5), (3.0, 7), (0.1, 2))
    assert sum(n for _, n in live.schedule) == live.step_count == 14
    live.set_lr(3.0)
    live.set_lr(0.1)                  # back to the same rate before any step: one segment, not two
    live.step(1)
    assert live.schedule == ((0.3, 5), (3.0, 7), (0.1, 3))

    again = Twins(*data, width=4, lr=0.3, seed=0)
    for lr, steps in live.schedule:
        again.set_lr(lr)
        again.step(steps)
    assert again.schedule == live.schedule
    for name, run in live.runs.items():
        for a, b in zip(run.params.arrays(), again.runs[name].params.arrays()):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(run.history.array(), again.runs[name].history.array())


def test_history_and_snapshots_stay_bounded(data):
    run = Run(init_params(64, np.random.default_rng(0)), *data, "ce-sigmoid", 0.1)
    run.step(20_000)
    assert len(run.history) <= HISTORY_CAP
    assert len(run.snapshot_steps) <= SNAPSHOT_CAP
    steps = run.history.column("step")
    assert steps[0] == 0 and np.all(np.diff(steps) > 0)
    assert len(set(np.diff(steps))) == 1      # evenly spaced after thinning
    assert run.snapshot_steps[0] == 0
    assert run.nbytes() < 1_500_000
    assert run.history.array().shape[1] == len(COLUMNS)


def test_snapshot_at_step_k_holds_the_parameters_of_step_k(data):
    train, test = data
    p0 = init_params(3, np.random.default_rng(2))
    run = Run(p0, train, test, "mse-linear", 0.3)
    run.step(300)
    k = run.snapshot_steps[len(run.snapshot_steps) // 2]
    p = p0
    for _ in range(k):
        p = train_step(p, train.X, train.Y, "mse-linear", 0.3)
    np.testing.assert_array_equal(run.snapshot(k).W2, p.W2)


def test_minibatch_runs_are_deterministic(data):
    mk = lambda: Run(init_params(4, np.random.default_rng(0)), *data, "ce-sigmoid", 0.3, batch_size=16, seed=4)  # noqa: E731
    a, b = mk(), mk()
    a.step(20)
    b.step(20)
    np.testing.assert_array_equal(a.params.W1, b.params.W1)


def test_contrast_pairing_can_run_beside_the_twins(data):
    t = Twins(*data, width=4, lr=0.3, seed=0, pairings=("mse-linear", "ce-sigmoid", "mse-sigmoid"))
    t.step(3)
    assert list(t.runs) == ["mse-linear", "ce-sigmoid", "mse-sigmoid"]


def test_scores_are_the_histories_and_still_right_once_it_skips_steps(data):
    train, test = data
    p0 = init_params(4, np.random.default_rng(1))
    full = Run(p0, train, test, "mse-linear", 0.5)                       # the oracle records every step
    thinned = Run(p0, train, test, "mse-linear", 0.5)
    thinned.history = History(cap=8)                      # full at 64 rows: from then on, every other step
    for _ in range(69):
        full.step()
        thinned.step()
        want = full.history.last()
        assert thinned.scores() == (want["train_loss"], want["test_loss"], want["train_acc"], want["test_acc"])
    assert thinned.history.stride > 1 and thinned.history.last()["step"] != 69   # computed, not read
    no_test = Run(p0, train, train_test_split(train, 0.0, 0)[1], "ce-sigmoid", 0.5)
    assert np.isnan(no_test.scores()[1]) and np.isnan(no_test.scores()[3])


def test_a_deep_copy_shares_only_the_frozen_data_and_table_entries_and_trains_bit_for_bit_on_its_own(data):
    import copy
    train, test = data
    twins = Twins(train, test, width=4, lr=0.5, batch_size=32)     # mini-batches: the RNG state must be copied
    twins.step(7)
    kept = copy.deepcopy(twins)
    for name, run in twins.runs.items():
        twin = kept.runs[name]
        assert twin.train is run.train and twin.test is run.test and kept.train is twins.train
        assert twin.pairing is run.pairing and twin.hidden is run.hidden
        assert twin.params.W1 is not run.params.W1 and twin.history is not run.history
        assert twin._batch_rng is not run._batch_rng
    twins.step(5)                                   # the original moves on; the copy stays at step 7
    assert kept.step_count == 7 and all(r.step_count == 7 for r in kept.runs.values())
    kept.step(5)
    for name, run in twins.runs.items():
        np.testing.assert_array_equal(kept.runs[name].params.W1, run.params.W1)
        np.testing.assert_array_equal(kept.runs[name].history.array(), run.history.array())
