"""The Output gradients page in AppTest: it renders for every dataset, and shows netcore's numbers."""

import numpy as np
import pytest

from lesson.factors import output_factors, select_samples
from lesson.tables import PRODUCT, RESIDUAL, cell
from netcore import NAMES, PAIRINGS
from tests.helpers import app_on, figures, markdown_tables, metric, non_finite_paths
from viz.gradients import identity_badge

PANELS = ("MSE + linear", "CE + sigmoid", "MSE + sigmoid")


def _app(dataset: str = "xor", steps: int = 0, **session):
    return app_on("output_gradients", dataset, steps, **session)


def _factors(at):
    state = at.session_state["lab"]
    Y = state.train.Y
    lin, ce = state.twins.runs["mse-linear"], state.twins.runs["ce-sigmoid"]
    return {"MSE + linear": output_factors("mse-linear", lin.cache.Z2, lin.cache.A2, Y),
            "CE + sigmoid": output_factors("ce-sigmoid", ce.cache.Z2, ce.cache.A2, Y),
            "MSE + sigmoid": output_factors("mse-sigmoid", ce.cache.Z2, ce.cache.A2, Y)}


def _panels(at):
    figs = figures(at)
    return {label: f for f in figs for label in PANELS
            if f["layout"].get("title", {}).get("text", "").startswith(label + " ·")}


@pytest.mark.parametrize("steps", [0, 50])
@pytest.mark.parametrize("dataset", NAMES)
def test_renders_for_every_dataset_with_netcores_badges_and_tables(dataset, steps):
    at = _app(dataset, steps)
    assert metric(at, "Step") == str(steps)
    figs = figures(at)
    assert len(figs) == 6
    for fig in figs:
        assert not non_finite_paths(fig)
    factors = _factors(at)
    panels = _panels(at)
    assert set(panels) == set(PANELS)
    for label, fig in panels.items():
        f = factors[label]
        assert fig["layout"]["annotations"][0]["text"] == identity_badge(f.gap(), f.n_overflow)
        drawn = sum(len(t["x"]) for t in fig["data"][1:])
        assert drawn == f.m
    # canonical pairings sit on the line to rounding, the mismatched one does not
    assert factors["MSE + linear"].gap() < 1e-12 and factors["CE + sigmoid"].gap() < 1e-12
    assert factors["MSE + sigmoid"].gap() > 1e-3
    _check_tables(at, factors)


def _check_tables(at, factors):
    """Each table shows, to 4 significant digits, the numbers netcore computes for the chosen samples."""
    state = at.session_state["lab"]
    Y = state.train.Y
    networks = {"MSE + linear": ("mse-linear", "mse-linear"), "CE + sigmoid": ("ce-sigmoid", "ce-sigmoid"),
                "MSE + sigmoid": ("mse-sigmoid", "ce-sigmoid")}
    samples = select_samples(factors["CE + sigmoid"].yhat, factors["CE + sigmoid"].y)
    tables = markdown_tables(at)
    assert len(tables) == 3
    for table, label in zip(tables, PANELS):
        pairing, twin = networks[label]
        cache = state.twins.runs[twin].cache
        delta = PAIRINGS[pairing].delta(cache.Z2, cache.A2, Y)[0]
        assert table.index.tolist() == samples
        assert table["ŷ"].tolist() == [cell(cache.A2[0, i], 4) for i in samples]
        assert table[PRODUCT].tolist() == [cell(delta[i], 4, nan="overflow") for i in samples]
        assert table[RESIDUAL].tolist() == [cell(cache.A2[0, i] - Y[0, i], 4) for i in samples]
        assert table["y"].tolist() == [str(int(Y[0, i])) for i in samples]


def test_bars_and_history_are_the_twins_gradients():
    at = _app("moons", 20)
    state = at.session_state["lab"]
    bars = next(f for f in figures(at) if f["layout"]["title"]["text"] == "Output-layer gradients at this step")
    dW2 = [t for t in bars["data"] if t["type"] == "bar" and len(t["x"]) == state.twins.width]
    np.testing.assert_allclose(dW2[0]["y"], state.twins.runs["mse-linear"].grads.dW2[0])
    np.testing.assert_allclose(dW2[1]["y"], state.twins.runs["ce-sigmoid"].grads.dW2[0])
    run = state.twins.runs["ce-sigmoid"]
    # the seed's 1/m · dZ2 A1ᵀ by hand, with dZ2 = ŷ − y
    by_hand = (run.cache.A2 - state.train.Y) @ run.cache.A1.T / state.train.m
    np.testing.assert_allclose(dW2[1]["y"], by_hand[0], rtol=1e-12)
    history = next(f for f in figures(at) if f["layout"]["title"]["text"] == "mean |dZ2| over the run")
    np.testing.assert_allclose(history["data"][1]["y"], run.history.column("mean_abs_dZ2"), rtol=1e-6)


def test_mismatch_toggle_and_chosen_samples():
    at = _app()
    at.toggle(key="og_mismatch").set_value(False).run()
    assert set(_panels(at)) == {"MSE + linear", "CE + sigmoid"}
    at.toggle(key="og_choose").set_value(True).run()
    ms = at.multiselect[0]
    ms.set_value([3, 11]).run()
    assert not at.exception
    assert [t.index.tolist() for t in markdown_tables(at)] == [[3, 11]] * 3


def test_saturated_cross_entropy_never_puts_inf_in_a_figure():
    # ReLU, huge initial weights: after one step the CE twin is confidently wrong with |z2| > 709,
    # where ∂L/∂ŷ = 1 + e^|z2| overflows float64.
    at = _app("xor", 1, hidden="relu", init_scale=20.0, width=64)
    f = _factors(at)["CE + sigmoid"]
    assert f.n_overflow > 0
    for fig in figures(at):
        assert not non_finite_paths(fig)
    assert f"{f.n_overflow} samples overflow" in _panels(at)["CE + sigmoid"]["layout"]["annotations"][0]["text"]
    assert any("overflow float64" in c.value for c in at.caption)
    # the worst-classified samples are the saturated ones: their overflowing factor reads "overflow"
    ce_table = markdown_tables(at)[1]
    overflowed = ~f.finite[ce_table.index.to_numpy()]
    assert overflowed.any()
    assert ((ce_table["∂L/∂ŷ"] == "overflow").to_numpy() == overflowed).all()
    assert (ce_table[RESIDUAL][overflowed].isin(["1", "−1"])).all()     # ŷ − y itself stays exact
    _check_tables(at, _factors(at))


def test_contrast_run_leaves_the_page_intact():
    at = _app()
    at.checkbox(key="contrast").check().run()
    assert not at.exception
    assert set(_panels(at)) == set(PANELS) and len(markdown_tables(at)) == 3
