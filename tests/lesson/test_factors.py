"""lesson.factors: per-sample output factors, sample choice, δ curves, one sample's pass."""

import numpy as np
import pytest

from lesson.factors import (
    curve_range,
    delta_curves,
    gradient_norms,
    output_factors,
    picked_sample,
    sample_pass,
    select_samples,
)
from netcore import sigmoid
from tests.helpers import twins_fixture

twins = twins_fixture("moons", 120, 0.2, [3, 1], 0.25, 3, width=5, lr=1.0, seed=3, steps=30)


def test_canonical_pairings_give_y_hat_minus_y_and_mismatch_does_not(twins):
    Y = twins.train.Y
    lin, ce = twins.runs["mse-linear"], twins.runs["ce-sigmoid"]
    f_lin = output_factors("mse-linear", lin.cache.Z2, lin.cache.A2, Y)
    f_ce = output_factors("ce-sigmoid", ce.cache.Z2, ce.cache.A2, Y)
    f_mis = output_factors("mse-sigmoid", ce.cache.Z2, ce.cache.A2, Y)
    assert f_lin.gap() < 1e-15 and f_ce.gap() < 1e-14
    # The mismatched δ by hand: (ŷ − y) · ŷ(1 − ŷ), far from ŷ − y.
    yhat, y = ce.cache.A2[0], Y[0]
    np.testing.assert_allclose(f_mis.delta, (yhat - y) * yhat * (1 - yhat), rtol=1e-12)
    assert f_mis.gap() > 0.05
    # CE's first factor by hand, -y/ŷ + (1-y)/(1-ŷ), on an unsaturated network.
    np.testing.assert_allclose(f_ce.dloss_dout, -y / yhat + (1 - y) / (1 - yhat), rtol=1e-9)
    np.testing.assert_allclose(f_ce.dout_dz, yhat * (1 - yhat), rtol=1e-9)
    assert f_ce.n_overflow == 0 and f_ce.finite.all()


def test_overflowing_cross_entropy_factor_is_flagged_not_hidden():
    Z2 = np.array([[800.0, -800.0, 2.0, 30.0]])
    Y = np.array([[0.0, 1.0, 0.0, 1.0]])
    f = output_factors("ce-sigmoid", Z2, sigmoid(Z2), Y)
    assert np.isinf(f.dloss_dout[:2]).all()
    assert f.finite.tolist() == [False, False, True, True]
    assert f.n_overflow == 2
    assert 0 <= f.gap() < 1e-15                          # over the two finite samples only
    # the residual itself stays exact: the shortcut training uses
    np.testing.assert_array_equal(f.residual[:2], [1.0, -1.0])


def test_gap_is_nan_when_nothing_is_finite():
    Z2 = np.array([[900.0]])
    f = output_factors("ce-sigmoid", Z2, sigmoid(Z2), np.zeros((1, 1)))
    assert np.isnan(f.gap())


def test_select_samples_takes_the_worst_and_best_of_each_class():
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=float)
    yhat = np.array([0.9, 0.1, 0.5, 0.02, 0.3, 0.95, 0.1, 0.6])
    # class 0 errors: .9 .1 .5 .02 -> worst 0, 2; best 3. class 1: .7 .05 .9 .4 -> worst 6, 4; best 5
    assert select_samples(yhat, y) == [0, 2, 3, 6, 4, 5]
    assert select_samples(yhat, y, worst=1, best=0) == [0, 6]


def test_select_samples_with_one_class_and_tiny_classes():
    assert select_samples(np.array([0.2, 0.4]), np.array([1.0, 1.0])) == [0, 1]
    assert select_samples(np.array([np.nan, 0.1, 0.2]), np.array([0.0, 0.0, 0.0]), worst=1, best=0) == [0]


def test_delta_curves_mismatched_pairing_vanishes_at_both_ends():
    z = np.linspace(-30, 30, 601)
    curves = delta_curves(z)
    for y in (0, 1):
        d = curves["mse-sigmoid"][y]
        assert abs(d[0]) < 1e-10 and abs(d[-1]) < 1e-10
        assert np.abs(d).max() > 0.1                       # but not zero in the middle
        np.testing.assert_allclose(curves["mse-linear"][y], z - y, atol=1e-15)
    # CE keeps pushing a confidently wrong point with δ → ±1
    assert curves["ce-sigmoid"][0][-1] == pytest.approx(1.0) and curves["ce-sigmoid"][0][0] == pytest.approx(0.0)
    assert curves["ce-sigmoid"][1][0] == pytest.approx(-1.0) and curves["ce-sigmoid"][1][-1] == pytest.approx(0.0)
    # the mismatched δ peaks at 4/27 for y = 0 (at ŷ = 2/3)
    assert curves["mse-sigmoid"][0].max() == pytest.approx(4 / 27, rel=1e-3)


def test_curve_range_follows_the_samples_within_bounds():
    assert curve_range([np.array([0.5, -1.0])]) == 8.0
    assert curve_range([np.array([12.0]), np.array([-3.0])]) == 14.0
    assert curve_range([np.array([np.inf, 1e6])]) == 40.0
    assert curve_range([np.array([np.nan])]) == 8.0


def test_sample_pass_contributions_average_to_the_full_batch_gradient(twins):
    run = twins.runs["ce-sigmoid"]
    X, Y = twins.train.X, twins.train.Y
    passes = [sample_pass(run.params, X, Y, i, "ce-sigmoid", "sigmoid") for i in range(twins.train.m)]
    np.testing.assert_allclose(np.mean([p.grads.dW2 for p in passes], axis=0), run.grads.dW2, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(np.mean([p.grads.dW1 for p in passes], axis=0), run.grads.dW1, rtol=1e-10, atol=1e-15)
    p = passes[7]
    assert p.x.shape == (2, 1) and p.cache.Z1.shape == (5, 1) and p.grads.dW2.shape == (1, 5)
    # the sample's δ2 A1ᵀ by hand
    np.testing.assert_allclose(p.grads.dW2, p.factors.delta[0] * p.cache.A1.T, rtol=1e-12)
    assert p.factors.yhat[0] == pytest.approx(run.cache.A2[0, 7])


@pytest.mark.parametrize("points,expected", [
    ([{"customdata": [17], "x": 0.1}], 17),
    ([{"customdata": 4}], 4),
    ([{"x": 1.0}, {"customdata": [2.0]}], 2),
    ([{"customdata": [99]}], None),           # beyond m
    ([{"customdata": ["junk"]}], None),
    ([{"customdata": []}], None),
    ([], None),
])
def test_picked_sample_reads_customdata(points, expected):
    assert picked_sample(points, m=20) == expected


def test_gradient_norms_match_the_blocks(twins):
    grads = twins.runs["mse-linear"].grads
    norms = gradient_norms(grads)
    assert list(norms) == ["W1", "b1", "W2", "b2"]
    assert norms["W1"] == pytest.approx(np.sqrt((grads.dW1 ** 2).sum()))
    assert norms["b2"] == pytest.approx(abs(grads.db2[0, 0]))
