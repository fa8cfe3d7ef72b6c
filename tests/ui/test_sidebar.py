"""ui.sidebar: which control changes can skip the whole-app rerun."""

from dataclasses import replace

import pytest

from settings.config import DEFAULT, FIELD_NAMES
from ui.sidebar import only_lr_changed


def test_a_new_learning_rate_alone_is_light():
    assert only_lr_changed(DEFAULT, replace(DEFAULT, lr=0.1))
    assert not only_lr_changed(DEFAULT, DEFAULT)                     # nothing changed: nothing to do


@pytest.mark.parametrize("name", [f for f in FIELD_NAMES if f != "lr"])
def test_any_other_change_needs_the_whole_app(name):
    other = {"dataset": "moons", "n_points": 300, "noise": 0.3, "test_fraction": 0.3, "seed": 7, "view": "ce-sigmoid",
             "width": 9, "hidden": "tanh", "batch_size": 32, "contrast": True, "init_scale": 2.0}
    changed = replace(DEFAULT, **{name: other[name]})
    assert changed != DEFAULT
    assert not only_lr_changed(DEFAULT, changed)
    assert not only_lr_changed(DEFAULT, replace(changed, lr=0.1))   # with the rate too
