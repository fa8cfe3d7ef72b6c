"""The Derivation page in AppTest: equations, one live sample in both twins, the gradient check."""

import numpy as np
import pytest

from lesson.factors import sample_pass
from lesson.latex import num
from lesson.tables import cell
from netcore import NAMES, gradient_check
from tests.helpers import app_on, figures, metric, non_finite_paths

SAMPLE = "deriv_sample"


def _app(dataset: str = "xor", steps: int = 0, **session):
    return app_on("derivation", dataset, steps, **session)


def _latex(at) -> list[str]:
    return [e.value for e in at.latex]


def _heading(at) -> str:
    return next(md.value for md in at.markdown if md.value.startswith("### Sample #"))


@pytest.mark.parametrize("steps", [0, 50])
@pytest.mark.parametrize("dataset", NAMES)
def test_renders_for_every_dataset_with_a_passing_gradient_check(dataset, steps):
    at = _app(dataset, steps)
    state = at.session_state["lab"]
    assert metric(at, "Step") == str(steps)
    (picker,) = figures(at)
    assert not non_finite_paths(picker)
    assert sum(len(t["customdata"]) for t in picker["data"][:2]) == state.train.m
    # the gradient-check table holds netcore.gradient_check's numbers
    (table,) = [d.value for d in at.table]
    for name, run in state.twins.runs.items():
        errors = gradient_check(run.params, state.train.X, state.train.Y, name, hidden=state.config.hidden)
        label = run.pairing.label
        assert table[f"{label} · relative error"].tolist() == [cell(e, 2) for e in errors.values()]
        assert (table[f"{label} · check"] == "✓ pass").all()
    assert _heading(at).startswith("### Sample #0:")


def test_picking_a_sample_shows_its_numbers_in_both_twins():
    at = _app("moons", 10)
    at.number_input(key=SAMPLE).set_value(17).run()
    assert not at.exception
    assert _heading(at).startswith("### Sample #17:")
    state = at.session_state["lab"]
    latex = " ".join(_latex(at))
    for name in ("mse-linear", "ce-sigmoid"):
        sp = sample_pass(state.twins.runs[name].params, state.train.X, state.train.Y, 17, name, "sigmoid")
        assert f"= {num(sp.cache.Z2[0, 0])}" in latex
        assert f"= {num(sp.factors.delta[0])}" in latex
    # the picker rings the chosen sample
    ring = figures(at)[0]["data"][2]
    assert list(ring["customdata"]) == [17]


def test_step_advances_the_twins_and_the_numbers_move():
    at = _app()
    before = _latex(at)
    at.button(key="step").click().run()
    assert metric(at, "Step") == "1"
    assert at.session_state["lab"].twins.step_count == 1
    after = _latex(at)
    assert after != before
    assert after[:12] == before[:12]                 # the equations themselves do not change


def test_sample_index_survives_a_smaller_dataset():
    at = _app()
    at.number_input(key=SAMPLE).set_value(150).run()
    at.slider(key="n_points").set_value(50).run()
    assert not at.exception
    assert at.session_state["lab"].train.m == 40
    assert _heading(at).startswith("### Sample #0:")


def test_overflowing_sample_gets_a_note_not_a_crash():
    at = _app("xor", 1, hidden="relu", init_scale=20.0, width=64)
    state = at.session_state["lab"]
    ce = state.twins.runs["ce-sigmoid"]
    wrong = np.flatnonzero((np.abs(ce.cache.Z2[0]) > 709) & ((ce.cache.Z2[0] > 0) != (state.train.Y[0] > 0)))
    assert wrong.size
    at.number_input(key=SAMPLE).set_value(int(wrong[0])).run()
    assert not at.exception
    assert any("float64" in w.value for w in at.warning)
    assert r"\infty" in " ".join(_latex(at))
    assert not non_finite_paths(figures(at)[0])


def test_contrast_run_is_gradient_checked_too():
    at = _app()
    at.checkbox(key="contrast").check().run()
    assert not at.exception
    (table,) = [d.value for d in at.table]
    assert (table["MSE + sigmoid (mismatched) · check"] == "✓ pass").all()


def test_a_converged_block_reads_zero_not_fail():
    # ReLU on circles: after 2000 steps the MSE twin's W1 gradient is ~1e-16, below what ε = 1e-6 resolves
    at = _app("circles", 2000, hidden="relu")
    (table,) = [d.value for d in at.table]
    checks = table["MSE + linear · check"].tolist()
    assert "✗ FAIL" not in checks and "≈ 0: too small to check" in checks
