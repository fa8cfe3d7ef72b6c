"""Custom data replaces the generated data for the twins, says so, and can be taken back."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dataio.upload import dataset_table
from session.custom import UploadError, use_generated, use_table, use_upload
from session.state import LabState
from settings.config import DEFAULT

CSV = b"a,b,label\n" + b"".join(f"{x},{y},{'cat' if x > y else 'dog'}\n".encode()
                                for x, y in np.random.default_rng(0).uniform(-1, 1, (40, 2)))


def test_upload_makes_new_twins_on_the_file_and_back_restores_generated():
    state = LabState.build(DEFAULT)
    generated = state.data
    state.step(5)
    use_upload(state, CSV, "pets.csv")
    assert state.custom is not None and state.custom.origin == "upload 'pets.csv'"
    assert state.twins.step_count == 0 and state.data.m == 40
    assert state.train.m + state.test.m == 40
    np.testing.assert_array_equal(state.twins.runs["ce-sigmoid"].train.X, state.train.X)
    notice = state.take_notices()[-1]
    assert "uploaded file: 40 points" in notice and "previous twins (at step 5) were replaced" in notice
    assert "pets" not in notice                                  # the file name never goes through Markdown
    assert any("'cat' became class 0" in n for n in state.custom.notes)
    state.step(3)
    use_generated(state)
    assert state.custom is None and state.twins.step_count == 0
    np.testing.assert_array_equal(state.data.X, generated.X)


def test_custom_data_survives_a_config_change_that_rebuilds():
    state = LabState.build(DEFAULT)
    use_upload(state, CSV, "pets.csv")
    state.sync(replace(DEFAULT, width=7, test_fraction=0.5))
    assert state.custom is not None and state.data.m == 40 and state.test.m == 20 and state.twins.width == 7


def test_a_bad_upload_leaves_the_state_alone():
    state = LabState.build(DEFAULT)
    state.step(4)
    twins = state.twins
    with pytest.raises(UploadError):
        use_upload(state, b"x1,x2,label\n1,2,0\n", "one.csv")
    assert state.twins is twins and state.custom is None and state.twins.step_count == 4


def test_edited_table_trains_new_twins():
    state = LabState.build(DEFAULT)
    table = dataset_table(state.data)
    table.loc[0, "label"] = 1 - table.loc[0, "label"]
    table = pd.concat([table, pd.DataFrame({"x1": [1.5], "x2": [-1.5], "label": [1]})], ignore_index=True)
    use_table(state, table)
    assert state.custom.origin == "edited on the Data page" and state.data.m == DEFAULT.n_points + 1
    assert state.data.Y[0, 0] == table.loc[0, "label"] and tuple(state.data.X[:, -1]) == (1.5, -1.5)
