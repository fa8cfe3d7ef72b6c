"""The Data page in AppTest: preview, test fraction, a real upload through the uploader, edits, download."""

import numpy as np
import pytest

from dataio.upload import parse_csv
from tests.helpers import app_on, figures, traces

RING = b"x1,x2,label\n" + b"".join(
    f"{np.cos(t) * r:.4f},{np.sin(t) * r:.4f},{int(r < 1)}\n".encode()
    for t, r in zip(np.linspace(0, 40, 120), np.tile([0.5, 1.6], 60)))


def start(width: int = 4, steps: int = 0):
    return app_on("data", steps=steps, width=width)


def preview(at):
    return next(f for f in figures(at) if "points" in f["layout"]["title"]["text"])


@pytest.mark.parametrize("width", [1, 64])
@pytest.mark.parametrize("steps", [0, 100])
def test_renders_after_steps_at_width(width, steps):
    at = start(width, steps)
    state = at.session_state["lab"]
    fig = preview(at)
    shown = sum(len(t["x"]) for t in traces(fig))
    assert shown == state.data.m == 200
    train0 = traces(fig)[0]
    np.testing.assert_allclose(train0["x"], state.train.X[0, state.train.Y[0] == 0].astype(np.float32))
    assert [m.value for m in at.metric if m.label == "Test points"] == [str(state.test.m)]
    assert at.file_uploader and at.data_editor and at.download_button(key="download_data")


def test_test_fraction_here_moves_the_sidebar_setting():
    at = start()
    at.slider(key="data_test_fraction").set_value(0.4).run()
    assert not at.exception
    assert at.session_state["test_fraction"] == 0.4 and at.slider(key="test_fraction").value == 0.4
    assert at.session_state["lab"].test.m == 80
    at.slider(key="test_fraction").set_value(0.1).run()          # and the other way round
    assert at.slider(key="data_test_fraction").value == 0.1


def test_upload_trains_the_twins_on_the_new_data_until_switched_back():
    at = start(steps=30)
    at.file_uploader[0].set_value(("ring.csv", RING, "text/csv")).run()
    assert not at.exception
    state = at.session_state["lab"]
    expected = parse_csv(RING).data
    assert state.custom is not None and state.data.m == 120 and state.twins.step_count == 0
    np.testing.assert_array_equal(state.data.X, expected.X)
    assert any("New twins at step 0" in i.value and "uploaded file" in i.value for i in at.info)
    assert any("Labels: 0 is class 0" in t.value for t in at.text)
    # the twins train on it: their training inputs are the uploaded points, and the loss moves
    before = state.twins.runs["ce-sigmoid"].history.last()["train_loss"]
    state.step(50)
    run = state.twins.runs["ce-sigmoid"]
    assert run.train.m + state.test.m == 120
    assert set(map(tuple, run.train.X.T)) <= set(map(tuple, expected.X.T))
    assert run.history.last()["train_loss"] < before
    at.run()
    assert preview(at)["layout"]["title"]["text"] == "Your data: 120 points"
    # the sidebar's settings keep the custom data; the button brings the generated data back
    at.slider(key="width").set_value(6).run()
    assert at.session_state["lab"].custom is not None and at.session_state["lab"].twins.width == 6
    at.button(key="back_to_generated").click().run()
    assert at.session_state["lab"].custom is None and at.session_state["lab"].data.m == 200
    assert not at.exception


def test_a_bad_upload_shows_its_message_as_text_and_keeps_the_twins():
    at = start(steps=5)
    twins = at.session_state["lab"].twins
    at.file_uploader[0].set_value(("bad.csv", b"x1,x2,label\n1,[evil](http://x),0\n2,3,1\n", "text/csv")).run()
    assert not at.exception
    assert at.session_state["lab"].twins is twins
    message = at.error[0].value
    assert "That file was not used" in message and "not a number" in message
    assert "\\[evil\\]\\(http\\:\\/\\/x\\)" in message                # shown literally, never as a link


def test_apply_without_edits_changes_nothing():
    at = start(steps=3)
    twins = at.session_state["lab"].twins
    at.button(key="apply_edits").click().run()
    assert at.session_state["lab"].twins is twins
    assert any("Nothing was edited" in i.value for i in at.info)
