"""Training dynamics: the lines are the history's columns; gradient norms on a log axis."""

import numpy as np

from netcore import Twins, make_dataset, train_test_split
from viz.dynamics import dynamics_figure
from viz.theme import STANDARD


def test_lines_carry_the_history_and_the_gradient_panel_is_log():
    data = make_dataset("xor", 80, 0.1, np.random.default_rng(0))
    twins = Twins(*train_test_split(data, 0.2, 0), width=3, lr=1.0)
    twins.step(25)
    cols = ("step", "norm_W1", "norm_W2", "norm_dW1", "norm_dW2", "mean_abs_dZ2")
    series = {n: {c: r.history.column(c) for c in cols} for n, r in twins.runs.items()}
    fig = dynamics_figure(series, {"mse-linear": "MSE + linear", "ce-sigmoid": "CE + sigmoid"}, STANDARD)
    assert len(fig.data) == 2 * 5
    for name, run in twins.runs.items():
        label = "MSE + linear" if name == "mse-linear" else "CE + sigmoid"
        for col in ("norm_W1", "norm_dW2", "mean_abs_dZ2"):
            trace = next(t for t in fig.data if t.legendgroup == name and t.meta == col)
            assert trace.name == label
            np.testing.assert_allclose(trace.y, run.history.column(col).astype(np.float32))
            np.testing.assert_array_equal(trace.x, np.arange(26))
    assert fig.layout.yaxis2.type == "log" and fig.layout.yaxis.type == "linear"
    assert [t.showlegend for t in fig.data].count(True) == 2           # one legend entry per pairing
    # the last point by hand: for CE + sigmoid, dZ2 = A2 - Y on the training set
    ce = twins.runs["ce-sigmoid"]
    last = next(t for t in fig.data if t.legendgroup == "ce-sigmoid" and t.meta == "mean_abs_dZ2").y[-1]
    assert np.isclose(last, np.abs(ce.cache.A2 - ce.train.Y).mean(), rtol=1e-6)


def test_non_positive_gradient_norms_become_gaps_on_the_log_axis():
    series = {"ce-sigmoid": {"step": np.arange(3.0), "norm_W1": np.ones(3), "norm_W2": np.ones(3),
                             "norm_dW1": np.array([1.0, 0.0, np.inf]), "norm_dW2": np.ones(3),
                             "mean_abs_dZ2": np.ones(3)}}
    fig = dynamics_figure(series, {"ce-sigmoid": "CE"}, STANDARD)
    y = next(t for t in fig.data if t.meta == "norm_dW1").y
    assert y[0] == 1 and np.isnan(y[1]) and np.isnan(y[2])


def test_a_single_recorded_step_is_drawn_as_markers():
    one = {"step": np.zeros(1), **{c: np.ones(1) for c in ("norm_W1", "norm_W2", "norm_dW1", "norm_dW2",
                                                           "mean_abs_dZ2")}}
    fig = dynamics_figure({"ce-sigmoid": one}, {"ce-sigmoid": "CE"}, STANDARD)
    assert {t.mode for t in fig.data} == {"markers"}
