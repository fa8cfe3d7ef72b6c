"""Downloads hold what they claim: parse them back and compare with netcore's state."""

import io
import json

import numpy as np
import pandas as pd

from dataio.export import HISTORY_COLUMNS, dataset_csv, history_csv, weights_json
from netcore import COLUMNS, PAIRINGS, make_dataset
from tests.helpers import twins_fixture

twins = twins_fixture("circles", 120, 0.1, 2, 0.25, 0, width=5, lr=0.5, seed=3, steps=37,
                      pairings=tuple(PAIRINGS))


def test_history_csv_is_tidy_and_equals_each_runs_history(twins):
    frame = pd.read_csv(io.BytesIO(history_csv(twins)))
    assert tuple(frame.columns) == HISTORY_COLUMNS
    assert len(frame) == 3 * 38                       # steps 0..37 for three pairings
    for name, run in twins.runs.items():
        rows = frame[frame["pairing"] == name]
        np.testing.assert_array_equal(rows["step"].to_numpy(), np.arange(38))
        for col in COLUMNS[1:]:
            np.testing.assert_array_equal(rows[col].to_numpy(), run.history.column(col))
    assert set(frame.loc[frame.pairing == "ce-sigmoid", "loss_name"]) == {"cross-entropy"}
    assert set(frame.loc[frame.pairing == "mse-sigmoid", "loss_name"]) == {"half-MSE"}


def test_weights_json_has_shapes_and_exact_values(twins):
    doc = json.loads(weights_json(twins))
    assert doc["width"] == 5 and doc["step"] == 37 and doc["hidden_activation"] == "sigmoid"
    assert list(doc["networks"]) == ["mse-linear", "ce-sigmoid", "mse-sigmoid"]
    for name, run in twins.runs.items():
        net = doc["networks"][name]
        assert net["step"] == 37 and net["label"] == run.pairing.label
        for block, expected in zip(("W1", "b1", "W2", "b2"), run.params.arrays()):
            assert net[block]["shape"] == list(expected.shape)
            np.testing.assert_array_equal(np.array(net[block]["values"]), expected)   # bit-exact
    assert doc["networks"]["ce-sigmoid"]["W1"]["shape"] == [5, 2]


def test_weights_json_writes_a_non_finite_weight_as_null(twins):
    doc_text = weights_json(twins)
    run = twins.runs["mse-linear"]
    saved = run.params.b2.copy()
    try:
        run.params.b2[0, 0] = np.inf
        doc = json.loads(weights_json(twins))
        assert doc["networks"]["mse-linear"]["b2"]["values"] == [[None]]
    finally:
        run.params.b2[...] = saved
    assert weights_json(twins) == doc_text


def test_dataset_csv_round_trips_bit_exactly():
    data = make_dataset("spiral", 90, 0.3, np.random.default_rng(8))
    frame = pd.read_csv(io.BytesIO(dataset_csv(data)))
    assert list(frame.columns) == ["x1", "x2", "label"]
    np.testing.assert_array_equal(frame[["x1", "x2"]].to_numpy().T, data.X)
    np.testing.assert_array_equal(frame["label"].to_numpy(), data.Y[0])
