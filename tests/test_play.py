"""Play over the real protocol and across sessions: Pause adopts the frame shown, batches are shared read-only.

The websocket test sends what the live view's JavaScript sends (``setTriggerValue('more' | 'pause', ...)``)
with the test-support client, so it runs without a browser; the oracle is a ``LabState`` stepped directly.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

import numpy as np

from playback.batches import batch_frames
from session.state import LabState
from settings.config import DEFAULT, Config
from tests.helpers import live_view, new_app, shown_step
from tests.support import live
from tests.support import streamlit_ws as ws
from ui import liveview


def oracle(config: Config, steps: int) -> LabState:
    state = LabState.build(config)
    for _ in range(steps):
        state.step(1)
    return state


def query_step(s: ws.Session) -> int:
    return int(parse_qs(s.query)["step"][0])


def page_hash(s: ws.Session, name: str) -> str:
    return next(h for h, path in s.pages if path == name)


def test_pause_adopts_the_frame_on_screen_and_every_page_then_shows_that_step():
    server = ws.Server(ws.APP, ws.ROOT)

    async def scenario():
        s = ws.Session(server.url, 60)
        try:
            await s.open()
            await s.rerun(trigger=s.find("button", "Play"))
            first = live.decode(s.view)
            seq, steps = first["meta"]["seq"], first["f_step"].tolist()
            head, rest = batch_frames(1, first=True), batch_frames(1)              # 45 frames, then 90 a batch
            assert first["meta"]["play"] and steps == list(range(head + 1))
            # the view, 20 frames in, asks for more: the next batch follows on
            await s.rerun(event=s.trigger("more", {"seq": seq, "after": steps[-1], "shown": 20}))
            more = live.decode(s.view)
            assert more["meta"]["cont"] and not more["meta"]["base"]
            assert more["f_step"].tolist() == list(range(head + 1, head + rest + 1))
            assert query_step(s) == 20                               # the address bar follows Play at each batch
            # Pause on frame 57, inside the second batch: the session takes that frame's state
            await s.rerun(event=s.trigger("pause", {"seq": seq, "step": 57, "then": None}))
            assert s.step() == "57" and not live.decode(s.view)["meta"]["play"]
            assert query_step(s) == 57
            await s.rerun(page_hash=page_hash(s, "output_gradients"))
            assert s.metrics["Step"] == "57" and not s.exceptions
            await s.rerun(page_hash=page_hash(s, "replay"))
            replay = live.decode(s.view)
            want = oracle(DEFAULT, 57)
            for k, run in enumerate(want.twins.runs.values()):        # the history is live stepping's, row for row
                n, start = replay["h_n"][k], replay["h_n"][:k].sum()
                np.testing.assert_array_equal(replay["h_step"][start:start + n], run.history.column("step"))
                np.testing.assert_allclose(replay["h_loss"][2 * start:2 * start + n],
                                           run.history.column("train_loss"), rtol=1e-6)
            assert replay["f_step"].tolist() == [57]
        finally:
            await s.close()

    async def switching_pages_while_playing_stops_on_the_last_frame_reported():
        s = ws.Session(server.url, 60)
        try:
            await s.open("width=5&seed=3")
            await s.rerun(trigger=s.find("button", "Play"))
            seq, last = live.decode(s.view)["meta"]["seq"], batch_frames(1, first=True)
            await s.rerun(event=s.trigger("more", {"seq": seq, "after": last, "shown": 33}))
            await s.rerun(page_hash=page_hash(s, "output_gradients"))
            assert s.metrics["Step"] == "33"
            bad = ws.Session(server.url, 60)                     # a crafted report can only pick a real frame
            await bad.open()
            await bad.rerun(trigger=bad.find("button", "Play"))
            bseq = live.decode(bad.view)["meta"]["seq"]
            await bad.rerun(event=bad.trigger("pause", {"seq": bseq, "step": 10**12, "then": "step"}))
            assert bad.step() == str(batch_frames(1, first=True) + 1) and not bad.exceptions   # last frame, Step
            await bad.close()
        finally:
            await s.close()

    try:
        asyncio.run(scenario())
        asyncio.run(switching_pages_while_playing_stops_on_the_last_frame_reported())
    finally:
        server.stop()


def test_a_step_asked_for_again_is_taken_once():
    """The view sends Step with the step it showed (``at``) and asks again when no answer comes: a repeat of a
    request already taken must not step twice, and every answer shows the session's own step."""
    server = ws.Server(ws.APP, ws.ROOT)

    async def scenario():
        s = ws.Session(server.url, 60)
        try:
            await s.open()
            seq = live.decode(s.view)["meta"]["seq"]
            await s.rerun(event=s.trigger("step", {"seq": seq, "at": 0}))
            assert s.step() == "1" and query_step(s) == 1
            await s.rerun(event=s.trigger("step", {"seq": seq, "at": 0}))      # the same request again
            assert s.step() == "1" and query_step(s) == 1
            await s.rerun(event=s.trigger("step", {"seq": seq, "at": 1}))
            await s.rerun(event=s.trigger("step", {"seq": seq, "at": 1}))
            await s.rerun(event=s.trigger("step", {"seq": seq, "at": 10**12}))  # from a step never shown
            assert s.step() == "2" and query_step(s) == 2 and not s.exceptions
            view = live.decode(s.view)
            want = oracle(DEFAULT, 2).twins.runs.values()
            assert view["meta"]["next"] and view["f_step"].tolist() == [2, 3]
            for k, run in enumerate(want):                                     # the frame shown is netcore's step 2
                np.testing.assert_allclose(view["f_score"].reshape(2, -1, 4)[0, k, 0], run.scores()[0], rtol=1e-6)
        finally:
            await s.close()

    try:
        asyncio.run(scenario())
    finally:
        server.stop()

def test_sessions_on_one_link_share_each_batch_and_keep_their_own_state():
    a, b = new_app(), new_app()
    for at in (a, b):
        at.query_params["scene"] = "xor-four-units"
        at.query_params["step"] = "120"
        at.run()
    a.button(key="play").click().run()
    b.button(key="play").click().run()
    pa, pb = a.session_state[liveview._PLAYBACK], b.session_state[liveview._PLAYBACK]
    assert pa.batches[0] is pb.batches[0]                        # one batch, computed once, shared read-only
    assert pa.origin is not pb.origin and pa.origin is a.session_state["lab"].twins
    end = pa.batches[0].end
    before = end.runs["ce-sigmoid"].params.W1.copy()
    a.button(key="step").click().run()                           # a settles and steps its own copy
    assert a.session_state["lab"].twins is not end and shown_step(a) == 121
    np.testing.assert_array_equal(end.runs["ce-sigmoid"].params.W1, before)
    assert shown_step(b) == 120 and live_view(b)["meta"]["play"]  # b still plays from where it was
