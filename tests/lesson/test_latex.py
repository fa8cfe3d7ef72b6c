"""lesson.latex: rounded numbers, shaped matrices, and one sample's numbers in the seed's equations."""

import numpy as np
import pytest

from lesson.factors import sample_pass
from lesson.latex import (
    backward_equations,
    ce_derivation,
    forward_equations,
    matrix,
    num,
    sample_backward,
    sample_forward,
)
from netcore import CE_SIGMOID, MSE_LINEAR, MSE_SIGMOID, PAIRINGS, SEED_HIDDEN, Params
from tests.helpers import twins_fixture


@pytest.mark.parametrize("x,text", [
    (0.123456789, "0.1235"),
    (-2.5e-16, r"-2.5\times10^{-16}"),
    (1e-16, "10^{-16}"),
    (-1e20, "-10^{20}"),
    (123456.0, r"1.235\times10^{5}"),
    (0.0, "0"),
    (1.0, "1"),
    (float("inf"), r"\infty"),
    (float("-inf"), r"-\infty"),
    (float("nan"), r"\text{n/a}"),
])
def test_num_uses_significant_digits(x, text):
    assert num(x) == text


def test_matrix_has_its_shape_and_cuts_long_vectors():
    tex = matrix(np.array([[1.0], [2.0]]))
    assert tex == r"\underset{2\times1}{\begin{bmatrix} 1 \\ 2 \end{bmatrix}}"
    long = matrix(np.arange(64, dtype=float).reshape(64, 1))
    assert r"\vdots" in long and r"\underset{64\times1}" in long
    assert long.count(r"\\") == 6                    # 6 rows shown, then the ⋮ row
    row = matrix(np.arange(10, dtype=float).reshape(1, 10))
    assert r"\cdots" in row and "9" not in row.split(r"\cdots")[1].split("end")[0]
    assert matrix(np.array([[0.5]])) == "0.5"


def test_equations_follow_the_seed_and_the_hidden_activation():
    fwd = " ".join(forward_equations("sigmoid"))
    assert r"\underset{n\times2}{W^{[1]}}" in fwd and r"\underset{1\times n}{W^{[2]}}" in fwd
    bwd = backward_equations("relu")
    assert [eq.split(" =")[0] for eq in bwd] == [
        r"\underset{1\times m}{dZ^{[2]}}", r"\underset{1\times n}{dW^{[2]}}", r"\underset{1\times1}{db^{[2]}}",
        r"\underset{n\times m}{dZ^{[1]}}", r"\underset{n\times2}{dW^{[1]}}", r"\underset{n\times1}{db^{[1]}}"]
    assert r"\mathbf{1}[Z^{[1]}>0]" in bwd[3]
    assert r"\texttt{np.sum}" in bwd[2] and r"\texttt{keepdims=True}" in bwd[5]
    assert r"\sigma(Z^{[1]})\,(1-\sigma(Z^{[1]}))" in backward_equations("sigmoid")[3]


twins = twins_fixture("blobs", 60, 0.1, [2, 1], 0.2, 2, width=3, lr=1.0, seed=2, steps=5)


def test_sample_lines_carry_netcores_numbers(twins):
    X, Y = twins.train.X, twins.train.Y
    for name in ("mse-linear", "ce-sigmoid"):
        sp = sample_pass(twins.runs[name].params, X, Y, 4, name, "sigmoid")
        fwd, bwd = sample_forward(sp, "sigmoid"), sample_backward(sp, "sigmoid")
        assert num(sp.cache.Z2[0, 0]) in fwd[3] and num(sp.cache.A2[0, 0]) in fwd[4]
        assert r"\textcolor" in fwd[4] and r"\textcolor" not in fwd[3]      # only the output differs
        assert num(sp.factors.delta[0]) in bwd[2] and num(sp.factors.residual[0]) in bwd[2]
        assert num(sp.grads.dW1[2, 1]) in bwd[5]
    lin = sample_pass(twins.runs["mse-linear"].params, X, Y, 4, "mse-linear", "sigmoid")
    assert sample_backward(lin, "sigmoid")[1].endswith("= 1}")            # ∂ŷ/∂z2 = 1, said once


def test_ce_derivation_cancels_in_numbers(twins):
    sp = sample_pass(twins.runs["ce-sigmoid"].params, twins.train.X, twins.train.Y, 0, "ce-sigmoid", "sigmoid")
    lines, notes = ce_derivation(sp)
    f = sp.factors
    assert len(lines) == 5 and not notes
    assert lines[1].endswith(num(f.dloss_dout[0]))
    assert lines[2].endswith(num(f.dout_dz[0]))
    assert lines[3].endswith(num(f.delta[0]))
    assert num(f.residual[0]) in lines[4]


def test_ce_derivation_explains_an_overflowing_factor():
    # one hidden unit, a huge output weight: z2 ≈ 900 for a class-0 sample
    params = Params(W1=np.zeros((1, 2)), b1=np.zeros((1, 1)), W2=np.array([[1800.0]]), b2=np.zeros((1, 1)))
    sp = sample_pass(params, np.zeros((2, 1)), np.zeros((1, 1)), 0, "ce-sigmoid", "sigmoid")
    lines, notes = ce_derivation(sp)
    assert sp.factors.z2[0] == pytest.approx(900.0)
    assert r"\infty" in lines[1]
    assert notes and "float64" in notes[0] and "ŷ − y" in notes[0]
    assert lines[4].startswith(r"\hat y - y = 1 - 0 = 1")


def test_ce_derivation_of_a_saturated_right_sample_avoids_zero_over_zero():
    params = Params(W1=np.zeros((1, 2)), b1=np.zeros((1, 1)), W2=np.array([[1800.0]]), b2=np.zeros((1, 1)))
    sp = sample_pass(params, np.zeros((2, 1)), np.ones((1, 1)), 0, "ce-sigmoid", "sigmoid")   # y = 1, z = 900
    lines, notes = ce_derivation(sp)
    assert lines[1].endswith("= -1") and r"\frac{0}{0}" not in lines[1]
    assert notes and "0/0" in notes[0] and "logit" in notes[0]
    assert lines[3].endswith("= 0")


def test_each_pairing_writes_its_own_factors(twins):
    """The mismatched pairing keeps MSE's ∂L/∂ŷ = ŷ − y and the sigmoid's slope; it borrows nothing from CE."""
    X, Y = twins.train.X, twins.train.Y
    for name, pairing in PAIRINGS.items():
        sp = sample_pass(twins.runs[CE_SIGMOID].params, X, Y, 4, name, SEED_HIDDEN)
        dl, dz = sample_backward(sp, SEED_HIDDEN)[:2]
        assert pairing.dloss_dout_latex + " = " + num(sp.factors.dloss_dout[0]) in dl or name == MSE_LINEAR
        assert (r"\frac{\hat y - y}" in dl) == (name == CE_SIGMOID)
        assert (r"\hat y(1-\hat y)" in dz) == (pairing.output_symbol != "")
    mismatched = sample_pass(twins.runs[CE_SIGMOID].params, X, Y, 4, MSE_SIGMOID, SEED_HIDDEN)
    assert sample_forward(mismatched, SEED_HIDDEN)[4].startswith(r"\textcolor{#B4005A}{\hat y = \sigma(z^{[2]})")
