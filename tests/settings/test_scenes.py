"""The scene file: it loads cleanly, every scene sets every control, and every `watch` sentence is true.

The claims are checked with the same objects the app builds
(:meth:`ui.state.LabState.build`, then the scene's number of steps), and
measured with netcore: accuracies, losses, deltas and the boundary on the grid.
"""

from __future__ import annotations

import os
import tomllib

import numpy as np
import pytest

from netcore import PAIRINGS, predict
from session.state import LabState
from settings.config import FIELD_NAMES
from settings.links import MAX_PRETRAIN_STEPS
from settings.scenes import SCENES_PATH, load_scenes, parse_scenes

BOOK = load_scenes()


def trained(scene_id: str, steps: int | None = None) -> LabState:
    scene = BOOK.get(scene_id)
    state = LabState.build(scene.config)
    state.twins.step(scene.step if steps is None else steps)
    return state


def acc(state: LabState, name: str) -> float:
    return state.twins.runs[name].history.last()["train_acc"]


# -- the file ---------------------------------------------------------------------


def test_the_scene_file_loads_without_problems():
    assert BOOK.problems == ()
    assert len(BOOK.scenes) >= 6
    assert len(set(BOOK.ids())) == len(BOOK.ids())


def test_every_scene_states_every_control_a_title_and_what_to_watch():
    raw = tomllib.loads(SCENES_PATH.read_text(encoding="utf-8"))["scene"]
    assert [t["id"] for t in raw] == list(BOOK.ids())
    for table, scene in zip(raw, BOOK.scenes):
        assert set(FIELD_NAMES) <= set(table), f"{scene.id} leaves out {set(FIELD_NAMES) - set(table)}"
        assert scene.title and scene.watch.endswith(".")
        assert 0 <= scene.step <= MAX_PRETRAIN_STEPS
        assert scene.config.as_dict() == {f: table[f] for f in FIELD_NAMES}


def test_the_six_stories_of_the_issue_are_there():
    datasets = {s.id: s.config.dataset for s in BOOK.scenes}
    widths = {s.id: s.config.width for s in BOOK.scenes}
    assert datasets["xor-one-unit"] == datasets["xor-four-units"] == "xor"
    assert (widths["xor-one-unit"], widths["xor-four-units"]) == (1, 4)
    assert datasets["blobs-same-boundary"] == "blobs"
    assert datasets["circles-different-yhat"] == "circles"
    assert BOOK.get("saturation").config.contrast and BOOK.get("saturation").config.init_scale >= 8
    assert BOOK.get("divergence").config.lr >= 3
    assert widths["spiral-two-units"] < widths["spiral-sixteen-units"]


# -- the claims -------------------------------------------------------------------


def test_xor_one_unit_stays_near_three_in_four_and_four_units_solve_it():
    narrow, wide = trained("xor-one-unit"), trained("xor-four-units")
    for name in ("mse-linear", "ce-sigmoid"):
        assert acc(narrow, name) <= 0.76          # one unit: one line, at most 3 quadrants of 4
        assert acc(wide, name) > 0.95
    # "however long it trains": twice the steps does not help
    longer = trained("xor-one-unit", 2 * BOOK.get("xor-one-unit").step)
    assert max(acc(longer, n) for n in longer.twins.runs) <= 0.76


def test_blobs_both_pairings_draw_the_same_boundary():
    state = trained("blobs-same-boundary")
    assert acc(state, "mse-linear") == acc(state, "ce-sigmoid") == 1.0
    a = state.grid_predictions("mse-linear")[2] >= 0.5
    b = state.grid_predictions("ce-sigmoid")[2] >= 0.5
    assert np.mean(a == b) > 0.95


def test_circles_same_delta_but_the_linear_yhat_leaves_zero_one():
    state = trained("circles-different-yhat")
    for name in ("mse-linear", "ce-sigmoid"):
        assert acc(state, name) > 0.95
        run = state.twins.runs[name]
        c = run.cache
        # both backpropagate exactly yhat - y at the output (shown through the chain rule, not assumed)
        np.testing.assert_allclose(run.pairing.delta(c.Z2, c.A2, state.train.Y), c.A2 - state.train.Y, atol=1e-12)
    linear = state.grid_predictions("mse-linear")[2]
    sigmoid = state.grid_predictions("ce-sigmoid")[2]
    assert linear.min() < -0.2 and linear.max() > 1.05
    assert 0 < sigmoid.min() and sigmoid.max() < 1
    on_points = predict(state.twins.runs["mse-linear"].params, state.train.X, PAIRINGS["mse-linear"],
                        state.twins.runs["mse-linear"].hidden)
    assert np.mean((on_points < 0) | (on_points > 1)) > 0.25


def test_saturation_mse_sigmoid_stalls_while_ce_sigmoid_learns():
    start = trained("saturation", 0)
    A2, Y = start.twins.runs["mse-sigmoid"].cache.A2, start.train.Y
    assert np.mean(np.minimum(A2, 1 - A2) < 0.01) > 0.8       # almost every output is 0 or 1
    assert 0.45 <= np.mean(np.abs(A2 - Y) > 0.9) <= 0.55     # half confidently wrong
    assert acc(trained("saturation", 20), "ce-sigmoid") > 0.95  # right in a few steps
    state = trained("saturation")
    stalled = state.twins.runs["mse-sigmoid"].history
    assert acc(state, "mse-sigmoid") <= 0.55 and acc(state, "ce-sigmoid") == 1.0
    loss = stalled.column("train_loss")
    assert loss[-1] > 0.99 * loss[0]                          # the loss has hardly moved
    dz2 = {n: r.history.column("mean_abs_dZ2")[0] for n, r in state.twins.runs.items()}
    assert dz2["mse-sigmoid"] < 1e-3 < 0.3 < dz2["ce-sigmoid"]  # (yhat - y) * yhat(1 - yhat) ~ 0 vs yhat - y


def test_divergence_mse_linear_blows_up_and_ce_sigmoid_solves_xor():
    state = trained("divergence")
    d = state.twins.runs["mse-linear"].diverged
    assert d is not None and d.step <= 20
    assert "learning rate" in d.advice and d.reason
    assert state.twins.runs["ce-sigmoid"].diverged is None and acc(state, "ce-sigmoid") > 0.95
    ce = state.twins.runs["ce-sigmoid"]
    assert np.abs(ce.cache.A2 - state.train.Y).max() < 1           # |yhat - y| < 1 with a sigmoid
    # and the advice works: at learning rate 1 the MSE twin trains
    calm = LabState.build(BOOK.get("divergence").config.__class__(**{**BOOK.get("divergence").config.as_dict(),
                                                                     "lr": 1.0}))
    calm.twins.step(BOOK.get("divergence").step)
    assert calm.twins.runs["mse-linear"].diverged is None


def test_spiral_width_two_fails_and_sixteen_fits():
    narrow, wide = trained("spiral-two-units"), trained("spiral-sixteen-units")
    assert max(acc(narrow, n) for n in narrow.twins.runs) < 2 / 3
    assert acc(wide, "ce-sigmoid") > 0.95
    assert acc(wide, "mse-linear") < 0.75
    assert wide.twins.runs["mse-linear"].diverged is None


# -- bad files give clear messages -------------------------------------------------

GOOD = """
[[scene]]
id = "ok"
title = "fine"
watch = "Fine."
width = 3
"""


@pytest.mark.parametrize("text,expected", [
    ("[[scene]\nid = 'x'", "is not valid TOML (Expected ']]' at the end of an array declaration (at line 1, column 8)"),
    ("title = 'no scenes'", "has no [[scene]] tables"),
    ("scene = 3", "has no [[scene]] tables"),
    ("[[scene]]\nid='a'\ntitle='t'\nwatch='w.'\nwidth=0", "width=0 is out of range; clamped to 1"),
    ("[[scene]]\nid='a'\ntitle='t'\nwatch='w.'\nwidht=4", "'widht' is not a setting of this app"),
    ("[[scene]]\nid='a'\ntitle='t'\nwatch='w.'\ndataset='mnist'", "dataset='mnist' is not valid"),
    ("[[scene]]\nid='a'\ntitle='t'\nwatch='w.'\nlr=0.2", "lr=0.2 is not offered"),
    ("[[scene]]\nid='a'\ntitle='t'\nwatch='w.'\nstep=99999", "'step' must be a whole number from 0 to 3000"),
    ("[[scene]]\nid='a'\ntitle='t'\nwatch='w.'\nstep=true", "'step' must be a whole number"),
    ("[[scene]]\nid='A B'\ntitle='t'\nwatch='w.'", "'id' must be 1 to 40 lowercase letters"),
    ("[[scene]]\nid='a'\nwatch='w.'", "'title' must be a non-empty text"),
    ("[[scene]]\nid='a'\ntitle='t'\nwatch=''", "'watch' must be a non-empty text"),
    ("[[scene]]\nid='a'\ntitle='t'\nwatch='w.'\nwidth=[4]", "width=[4] is not valid"),
    ("[[scene]]\nid='a'\ntitle='t'\nwatch='w.'\ncontrast='maybe'", "contrast='maybe' is not valid"),
])
def test_bad_scene_files_give_a_clear_message_and_never_raise(text, expected):
    book = parse_scenes(text)
    assert book.scenes == ()
    assert len(book.problems) == 1 and expected in book.problems[0], book.problems


def test_a_bad_scene_is_left_out_and_the_good_ones_stay():
    book = parse_scenes(GOOD + "\n[[scene]]\nid='ok'\ntitle='again'\nwatch='Dup.'\n" + GOOD.replace('"ok"', '"b"'))
    assert book.ids() == ("ok", "b")
    assert book.get("ok").config.width == 3
    assert book.problems == ("scenes.toml, scene 2 ('ok'): the id is used by an earlier scene. "
                             "This scene is left out.",)


def test_load_scenes_rereads_an_edited_file_and_reports_a_missing_one(tmp_path):
    path = tmp_path / "scenes.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_scenes(path).ids() == ("ok",)
    path.write_text(GOOD.replace('"ok"', '"new"'), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert load_scenes(path).ids() == ("new",)
    assert "was not found" in load_scenes(tmp_path / "nope.toml").problems[0]
    path.write_bytes(b"\xff\xfe junk")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2 * 10**9))
    assert "could not be read" in load_scenes(path).problems[0]
