"""LabState: rebuilds, learning-rate changes and custom data."""

from dataclasses import replace

import numpy as np

from netcore import make_dataset
from session.state import CustomData, LabState
from settings.config import DEFAULT


def _custom():
    return CustomData(make_dataset("blobs", 60, 0.0, np.random.default_rng(3)), origin="upload 'mine.csv'")


def test_width_change_keeps_custom_data_and_dataset_change_drops_it():
    state = LabState.build(DEFAULT, custom=_custom())
    assert state.data.m == 60
    state.sync(replace(DEFAULT, width=7))
    assert state.custom is not None and state.data.m == 60 and state.twins.width == 7
    state.take_notices()
    state.sync(replace(DEFAULT, width=7, dataset="moons"))
    assert state.custom is None and state.data.name == "moons" and state.data.m == DEFAULT.n_points
    (notice,) = state.take_notices()
    assert "Back on generated data" in notice and "mine.csv" not in notice   # user text never in Markdown


def test_learning_rate_change_keeps_weights_and_step():
    state = LabState.build(DEFAULT)
    state.step(3)
    w = state.twins.runs["mse-linear"].params.W1.copy()
    state.sync(replace(DEFAULT, lr=0.1))
    np.testing.assert_array_equal(state.twins.runs["mse-linear"].params.W1, w)
    assert state.twins.step_count == 3 and state.twins.lr == 0.1 and not state.take_notices()


def test_step_is_capped_per_click():
    state = LabState.build(DEFAULT)
    state.step(10**9)
    assert state.twins.step_count == 1000
