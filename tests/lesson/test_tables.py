"""lesson.tables: the chain-rule factor table and the gradient-check table hold netcore's numbers."""

import numpy as np
import pytest

from lesson.factors import output_factors
from lesson.tables import (
    FACTOR_COLUMNS,
    PRODUCT,
    RESIDUAL,
    factor_markdown,
    factor_table,
    gradcheck_table,
    styled_gradcheck,
)
from netcore import PAIRINGS, gradient_check, sigmoid
from tests.helpers import twins_fixture

twins = twins_fixture("circles", 100, 0.1, [5, 1], 0.2, 5, width=3, lr=1.0, seed=5, steps=20)


def _factors(twins, name, network):
    run = twins.runs[network]
    return output_factors(name, run.cache.Z2, run.cache.A2, twins.train.Y)


@pytest.mark.parametrize("name", ["mse-linear", "ce-sigmoid"])
def test_product_column_equals_residual_for_canonical_pairings(twins, name):
    df = factor_table(_factors(twins, name, name), [0, 5, 9, 40])
    assert tuple(df.columns) == FACTOR_COLUMNS
    assert df.index.tolist() == [0, 5, 9, 40]
    np.testing.assert_allclose(df[PRODUCT], df[RESIDUAL], rtol=0, atol=1e-15)
    # and the product is the product of the two factor columns
    np.testing.assert_allclose(df[PRODUCT], df["∂L/∂ŷ"] * df["∂ŷ/∂z2"], rtol=1e-15)


def test_mismatched_product_keeps_the_sigmoid_factor(twins):
    df = factor_table(_factors(twins, "mse-sigmoid", "ce-sigmoid"), list(range(10)))
    yhat = df["ŷ"].to_numpy()
    np.testing.assert_allclose(df[PRODUCT], df[RESIDUAL] * yhat * (1 - yhat), rtol=1e-12)
    assert (np.abs(df[PRODUCT]) < np.abs(df[RESIDUAL])).all()


def test_table_values_are_the_networks_values(twins):
    run = twins.runs["ce-sigmoid"]
    df = factor_table(_factors(twins, "ce-sigmoid", "ce-sigmoid"), [3])
    assert df.loc[3, "z2"] == run.cache.Z2[0, 3]
    assert df.loc[3, "ŷ"] == run.cache.A2[0, 3]
    assert df.loc[3, "y"] == int(twins.train.Y[0, 3])
    p = PAIRINGS["ce-sigmoid"]
    assert df.loc[3, "∂L/∂ŷ"] == p.dloss_dout(run.cache.A2, twins.train.Y, run.cache.Z2)[0, 3]


def test_factor_markdown_rounds_names_overflow_and_tints_the_comparison():
    Z2 = np.array([[800.0, 0.123456789]])
    f = output_factors("ce-sigmoid", Z2, sigmoid(Z2), np.array([[0.0, 1.0]]))
    md = factor_markdown(factor_table(f, [0, 1]))
    head, rule, first, second = md.splitlines()
    assert head.count("|") == rule.count("|") == first.count("|") == 9      # index + 7 columns
    assert "overflow" in first                      # ∂L/∂ŷ = inf for the saturated sample
    assert "0.1235" in second and "0.123456789" not in md
    assert "nan" not in md.lower()
    assert first.startswith("| #0 | 0 |") and second.startswith("| #1 | 1 |")
    # the product and ŷ − y, and only they, are bold on a tint
    assert head.count(":blue-background[**") == 2 and second.count(":blue-background[**") == 2


def test_gradcheck_table_passes_and_fails_at_the_tolerance():
    errors = {"A": {"W1": 3e-9, "b1": 2e-6, "W2": float("nan"), "b2": 0.0}}
    df = gradcheck_table(errors, width=7, tolerance=1e-6)
    assert df.index.tolist() == ["W1", "b1", "W2", "b2"]
    assert df["shape"].tolist() == ["7×2", "7×1", "1×7", "1×1"]
    assert df["A · check"].tolist() == ["pass", "FAIL", "FAIL", "pass"]
    assert df.loc["W1", "A · relative error"] == 3e-9
    html = styled_gradcheck(df).to_html()
    assert "✓ pass" in html and "✗ FAIL" in html
    assert "#d4f0dc" in html and "#f9d4d4" in html
    assert "3 × 10⁻⁹" in html


def test_gradcheck_table_on_a_real_network(twins):
    errors = {PAIRINGS[n].label: gradient_check(r.params, twins.train.X, twins.train.Y, n)
              for n, r in twins.runs.items()}
    df = gradcheck_table(errors, width=3)
    assert (df.filter(like="check") == "pass").all().all()
    assert df.loc["b2", "CE + sigmoid · relative error"] == errors["CE + sigmoid"]["b2"]


def test_gradcheck_a_vanishing_gradient_is_not_a_false_fail():
    # a converged block: both gradients are rounding noise (1e-16 vs 1e-12), relative error about 1
    errors = {"A": {"W1": 0.99996, "b1": 0.5, "W2": 5e-5, "b2": 3e-9}}
    norms = {"A": {"W1": 9.6e-17, "b1": 0.2, "W2": 1e-12, "b2": 0.3}}
    df = gradcheck_table(errors, width=4, tolerance=1e-6, norms=norms)
    assert df["A · check"].tolist() == ["zero", "FAIL", "zero", "pass"]
    html = styled_gradcheck(df).to_html()
    assert "≈ 0: too small to check" in html and "#eeeeee" in html and "✗ FAIL" in html
