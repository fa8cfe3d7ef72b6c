"""settings.config: the settings table, and which changes need new twins or a redraw."""

from dataclasses import fields, replace

import pytest

from settings.config import DEFAULT, FIELD_NAMES, REBUILDING, SETTINGS, Config, needs_redraw

OTHER = {"dataset": "moons", "n_points": 300, "noise": 0.3, "test_fraction": 0.3, "seed": 7, "view": "ce-sigmoid",
         "width": 9, "hidden": "tanh", "batch_size": 32, "contrast": True, "init_scale": 2.0}


def test_a_new_learning_rate_alone_is_light():
    assert not needs_redraw(DEFAULT, replace(DEFAULT, lr=0.1))
    assert not needs_redraw(DEFAULT, DEFAULT)                     # nothing changed: nothing to do


@pytest.mark.parametrize("name", [f for f in FIELD_NAMES if f != "lr"])
def test_any_other_change_needs_the_whole_app(name):
    changed = replace(DEFAULT, **{name: OTHER[name]})
    assert changed != DEFAULT
    assert needs_redraw(DEFAULT, changed)
    assert needs_redraw(DEFAULT, replace(changed, lr=0.1))   # with the rate too


def test_only_the_view_and_the_learning_rate_keep_the_twins():
    assert set(FIELD_NAMES) - set(REBUILDING) == {"view", "lr"}
    for name in FIELD_NAMES:
        changed = replace(DEFAULT, **{name: OTHER.get(name, 0.1)})
        assert (changed.rebuild_key() != DEFAULT.rebuild_key()) == (name in REBUILDING)


def test_every_field_is_declared_once_with_a_legal_default_and_a_distinct_url_name():
    assert tuple(f.name for f in fields(Config)) == FIELD_NAMES
    assert len({s.url for s in SETTINGS.values()}) == len(SETTINGS)
    for name, rule in SETTINGS.items():
        assert getattr(DEFAULT, name) == rule.default
        kinds = [bool(rule.choices), rule.bounds is not None, rule.flag]
        assert kinds.count(True) == 1, name
        if rule.choices:
            assert rule.default in rule.choices
        if rule.bounds:
            assert rule.bounds[0] <= rule.default <= rule.bounds[1]
