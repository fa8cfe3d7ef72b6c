"""The live view: the twins' boundaries and loss curves on one canvas, played at display rate.

A custom component (``st.components.v2``, inline HTML, CSS and JavaScript in
``ui/live_view.js``, no build step) draws what it is sent: each frame's ŷ
grids, ŷ = 0.5 line, scores and step, computed by netcore (``playback.batches``)
and encoded by ``viz.live``. The protocol between this module and the view:

- every run sends one ``bytes`` object (``viz.live.pack``): JSON metadata and
  flat binary arrays (``viz.live`` lists them). ``meta.base`` says whether the
  points, colour table and loss history are included;
- idle (``meta.play`` false): the session's state, and after it (``meta.next``)
  the frame one more step gives, computed on a copy of the twins. Step × N and
  Reset are ordinary buttons: their rerun sends the new frames;
- Play: the Play button's callback computes a batch (1.5 s of frames; later ones up to 3 s, ``batch_frames``)
  and the view plays the frames at ``meta.fps`` from its buffer. While it
  still holds more than ``meta.low`` frames it triggers ``more`` with the
  step it shows and the last step it has; the callback computes (or takes
  from the shared store) the next batch and reruns only the fragment, which
  sends the new frames (``meta.cont``, no base). So the animation never waits
  for the server unless the server is over a second late;
- Step is caught by the view before Streamlit sees the click, and triggers
  ``step``: the server steps the session's twins and only the view reruns,
  sending the new state and the step after it. The view does not wait for that
  answer: it shows at once the next frame it already holds, which is the state
  the server's step reaches (the same update on a copy of the same twins), and
  the answer then draws the same picture (``data-ahead`` on the view marks the
  wait). It drops that frame as soon as anything in the sidebar is touched,
  since a new learning rate changes the step without rerunning the view; then
  the click waits for the server. The request names the step it starts from
  (``at``), so the view can ask again when no answer comes (Streamlit may drop
  a trigger after a reconnect) without the server stepping twice. Without the
  view (e.g. a test client) the button works as any button;
- Pause (the button, P or PageUp; Step during Play too) is caught the same
  way: the view stops on the frame on screen and triggers ``pause`` with that
  step. The callback gives the session exactly
  that frame's state (``Playback.state_at``) and reruns the app, so every page
  then shows that step. A divergence ends the last batch (``meta.final``); the
  view stops on its last frame and pauses there the same way;
- ``sync``: a view that lost its start asks for everything again.

Batches are computed once per state and shared read-only by every session
that reaches it (:func:`_shared`); each session keeps only its
:class:`~playback.batches.Playback`. Anything else that changes or reads the
twins while they play (another page, the sidebar, a button pressed with no
view to catch it) first calls :func:`settle`, which stops Play on the last
frame the view reported.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import streamlit as st

from netcore import BOX, PAIRINGS, Twins
from playback.batches import (
    FRAME_RATE,
    Batch,
    Playback,
    batch_frames,
    batch_key,
    data_fingerprint,
    frames_at,
    frames_now,
    run_batch,
    without_grids,
)
from playback.store import SharedStore
from session.state import LabState
from ui import lecture
from ui.state import lab
from viz.live import GRID, base_arrays, deflate, frame_arrays, merge_frames, nets_meta, pack, style_meta
from viz.theme import style_for

LIVE_KEY = "live"
REPLAY_KEY = "replay_view"
KEYS_KEY = "keys"
LOW_WATER = int(1.5 * FRAME_RATE)
"""The view asks for the next batch while it still holds more than this many frames (1.5 s)."""

SHARED_ENTRIES = 256
SHARED_BYTES = 96 * 2**20
"""Bounds of the batches shared between sessions. A batch at the default size holds about 0.5 MB (its
end state and its frames' encoding), so this keeps about three minutes of one Play, or a minute each of
three different ones; at the largest size (width 64, 1,000 points, three networks) about 20 batches."""

_PLAYBACK = "_live_playback"
_SEQ = "_live_seq"
_SEND = "_live_send"
_HERE = Path(__file__).resolve().parent

HTML = """
<div class="bpl-live" data-frames="0">
  <div class="bpl-head">
    <span class="bpl-big">Step <span data-testid="live-step" class="bpl-num">0</span></span>
    <span class="bpl-status"></span><span class="bpl-note"></span>
    <span class="bpl-keys">Keys: → Space PgDn step · P PgUp play/pause · L log scale</span>
    <button type="button" class="bpl-log" aria-pressed="false"
      title="The loss chart on a log scale (key L). Only the drawing changes; this tab remembers it.">Log scale</button>
    <button type="button" class="bpl-png" title="Download this picture as PNG">PNG</button>
  </div>
  <canvas role="img" aria-label="Decision boundaries of each network and their loss curves"></canvas>
  <p class="bpl-sr" data-testid="live-text" aria-live="polite"></p>
</div>
"""

CSS = """
.bpl-live { color: #111; line-height: 1.3; }
.bpl-head { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 1em; margin-bottom: .2em; }
.bpl-big { font-weight: 700; font-size: 1.3em; }
.bpl-num { font-variant-numeric: tabular-nums; }
.bpl-status, .bpl-note { color: #333; }
.bpl-keys { color: #555; font-size: .85em; margin-left: auto; }
.bpl-png, .bpl-log { font: inherit; font-size: .85em; padding: .1em .6em; border: 1px solid #bbb;
  border-radius: .4em; background: #fff; color: #111; cursor: pointer; }
.bpl-log[aria-pressed=true] { background: #222; border-color: #222; color: #fff; }
.bpl-log[aria-pressed=true]::before { content: "✓ "; }
.bpl-present .bpl-log, .bpl-nokeys .bpl-log { margin-left: auto; }
.bpl-live canvas { display: block; }
.bpl-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.bpl-present .bpl-keys, .bpl-present .bpl-png { display: none; }
.bpl-present .bpl-big { font-size: 2em; }
.bpl-nokeys .bpl-keys { display: none; }
"""


def _script(name: str) -> str:
    """A JavaScript file without indentation and comments (``//`` at a line's start, or after two spaces):
    it is sent again with every rerun. The files keep no ``//`` inside a string."""
    lines = (re.sub(r" {2,}// .*$", "", line).strip() for line in (_HERE / name).read_text("utf-8").splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


_VIEW = st.components.v2.component("backprop_lab_live", html=HTML, css=CSS, js=_script("live_view.js"),
                                   isolate_styles=False)
# The keys' element takes no room (and no gap between its neighbours) wherever it is mounted.
_KEYS = st.components.v2.component("backprop_lab_keys", js=_script("live_keys.js"),
                                   css=f".st-key-{KEYS_KEY} {{ display: none; }}", isolate_styles=False)


@st.cache_resource(show_spinner=False)
def _shared() -> SharedStore:
    """Batches by :func:`playback.batches.batch_key`, for every session of this process.

    A batch holds what its key determines: generated data (the configuration
    fixes it) or, for uploaded and edited points, data whose fingerprint is in
    the key, so only a session holding those very points can reach it. Each
    is read-only: sessions copy a batch's end state before changing it.
    """
    return SharedStore(SHARED_ENTRIES, SHARED_BYTES, Batch.nbytes)


def _compute(start: Twins, speed: int, count: int) -> Batch:
    batch = run_batch(start, speed, count, GRID)
    f = batch.frames
    return without_grids(batch, deflate(frame_arrays(f.names, f.steps, f.run_steps, f.scores, f.grids, BOX)))


def _key(state: LabState, pb: Playback, count: int) -> tuple:
    data = None if state.custom is None else data_fingerprint(state.train, state.test)
    return batch_key(tuple(state.config.as_dict().items()), data, pb.segments, pb.speed, count, GRID)


def _extend(state: LabState, pb: Playback) -> None:
    """Add the batch that follows what ``pb`` has, from the shared store (computed there if new)."""
    start, count = pb.last_state, batch_frames(pb.speed, first=not pb.batches)
    pb.add(_shared().get(_key(state, pb, count), lambda: _compute(start, pb.speed, count)))


def playback(state: LabState) -> Playback | None:
    """This session's Play, if its twins are playing."""
    pb = st.session_state.get(_PLAYBACK)
    return pb if state.playing and pb is not None and pb.origin is state.twins else None


def start(state: LabState, speed: int) -> None:
    """Play from the current state: the first batch now, the view asks for the rest."""
    if all(run.diverged for run in state.twins.runs.values()):
        return
    seq = st.session_state.get(_SEQ, 0) + 1
    st.session_state[_SEQ] = seq
    pb = Playback(anchor=state.twins, segments=state.twins.schedule, speed=speed, seq=seq)
    _extend(state, pb)
    st.session_state[_PLAYBACK] = pb
    st.session_state[_SEND] = ("start", 0)
    state.playing = True


def _adopt(state: LabState, pb: Playback, step: int) -> None:
    twins = pb.state_at(step)
    if twins is not state.twins:
        lecture.adopt_twins(state, twins)


def settle(state: LabState) -> None:
    """Stop Play on the last frame the view reported, and make that frame's state the session's.

    For whatever changes or reads the twins while they play without the view
    saying what it shows: another page, the sidebar, a button the view did
    not catch (e.g. a client without the view).
    """
    pb = playback(state)
    st.session_state.pop(_PLAYBACK, None)
    if not state.playing:
        return
    state.playing = False
    if pb is not None:
        _adopt(state, pb, pb.shown)


def _event(name: str) -> dict | None:
    """The value the view sent with trigger ``name``, if it is a dict (anything else is ignored)."""
    value = (st.session_state.get(LIVE_KEY) or {}).get(name)
    return value if isinstance(value, dict) else None


def _whole(value, default: int) -> int:
    return int(value) if isinstance(value, int | float) and np.isfinite(value) and abs(value) < 2**53 else default


def _on_more() -> None:
    state, event = lab(), _event("more")
    pb = playback(state)
    if pb is None or event is None or event.get("seq") != pb.seq:
        return
    pb.report(_whole(event.get("shown"), pb.shown))
    after = _whole(event.get("after"), pb.last_step)
    if after >= pb.last_step and not pb.finished:
        _extend(state, pb)
    st.session_state[_SEND] = ("more", after)
    lecture.follow_play(state, pb.shown)


def _on_pause() -> None:
    state, event = lab(), _event("pause")
    pb = playback(state)
    if pb is None or event is None or event.get("seq") != pb.seq:
        return
    st.session_state.pop(_PLAYBACK, None)
    state.playing = False
    _adopt(state, pb, _whole(event.get("step"), pb.shown))
    then = event.get("then")
    if then == "step":
        state.step(1)
    elif then == "many":
        state.step(st.session_state.get("step_count", 10))
    elif then == "link":
        lecture.ask_for_link()
    st.rerun(scope="app")             # every part of the page (and the address bar) at the frame shown


def _on_step() -> None:
    """Step, caught by the view: one step from the step it showed (``at``), and only the view reruns (unless a
    run diverged: then the page). A request from a step the session has already left (the view asked again,
    not having heard back) takes no step: the rerun shows where the session is."""
    state, event = lab(), _event("step") or {}
    settle(state)
    if _whole(event.get("at"), state.twins.step_count) != state.twins.step_count:
        return
    diverged = sum(r.diverged is not None for r in state.twins.runs.values())
    state.step(1)
    if sum(r.diverged is not None for r in state.twins.runs.values()) > diverged:
        st.rerun(scope="app")              # the red box above the view says why


def _on_sync() -> None:
    st.session_state.pop(_SEND, None)     # the next draw sends everything


def _now(twins: Twins, ahead: bool = False) -> dict[str, np.ndarray]:
    """The twins' frame; with ``ahead``, then the frame one more step gives (from a copy: ``twins`` stay)."""
    parts = [frames_now(twins, GRID)] + ([run_batch(twins, 1, 1, GRID).frames] if ahead else [])
    return merge_frames([frame_arrays(f.names, f.steps, f.run_steps, f.scores, f.grids, BOX) for f in parts])


def _meta(state: LabState, names: tuple[str, ...], shown: tuple[str, ...], present: bool, note: str) -> dict:
    return {
        "v": 1, "base": True, "stream": True, "speed": 1, "final": False, "next": False,
        "nets": nets_meta(names, {n: PAIRINGS[n].label for n in names}),
        "visible": [names.index(n) for n in shown], "box": BOX, "r": GRID, "fps": FRAME_RATE,
        "low": LOW_WATER, "present": bool(present), "style": style_meta(style_for(present)),
        "note": " ".join([note] + ([f"Training on your own points ({state.custom.origin})."] if state.custom else [])),
    }


def _base(state: LabState, twins: Twins) -> dict[str, np.ndarray]:
    history = [{c: run.history.column(c) for c in ("step", "train_loss", "test_loss")} for run in twins.runs.values()]
    return base_arrays((state.train.X, state.train.Y), (state.test.X, state.test.Y), history)


def show(state: LabState, present: bool = False, note: str = "") -> None:
    """Draw the live view of ``state`` (playing or not). ``note``: one line of plain text for its header.

    The loss chart's scale is the view's own (its Log scale button and the L key): a display choice
    that redraws the same numbers in the browser, with no rerun.
    """
    send, after = st.session_state.pop(_SEND, None) or (None, 0)
    pb = playback(state)
    names = tuple(state.twins.runs)
    meta = _meta(state, names, state.visible(), present, note)
    origin = state.twins
    if pb is None:
        frames, play, cont, meta["next"] = _now(state.twins, ahead=True), False, False, True
    elif send == "more":
        fresh = [b.payload for b in pb.batches if b.start_step >= after] or [pb.batches[-1].payload]
        frames, play, cont, meta["base"] = merge_frames(fresh), True, True, False
    else:                      # Play's start, or any other rerun while playing: from the anchor on
        origin = pb.anchor
        frames = merge_frames([_now(pb.anchor), *(b.payload for b in pb.batches)])
        play, cont = True, send != "start"
    meta.update(seq=pb.seq if pb else st.session_state.get(_SEQ, 0), play=play, cont=cont,
                final=bool(pb and pb.finished), speed=pb.speed if pb else 1)
    arrays = deflate(frames) if play else dict(frames)     # one frame is small: no inflating to wait for
    if meta["base"]:
        arrays.update(_base(state, origin))
    _VIEW(key=LIVE_KEY, data=pack(meta, arrays), on_more_change=_on_more, on_pause_change=_on_pause,
          on_step_change=_on_step, on_sync_change=_on_sync)


def replay(state: LabState, steps: tuple[int, ...], animate: bool, present: bool = False) -> None:
    """The recorded run in the same view: every run at ``steps``; ``animate`` plays them once, in the browser."""
    f = frames_at(state.twins, steps, GRID)
    meta = _meta(state, f.names, f.names, present, "")
    meta.update(stream=False, play=animate, cont=False, final=True, seq=0, status="Playing the recorded run")
    arrays = deflate(frame_arrays(f.names, f.steps, f.run_steps, f.scores, f.grids, BOX))
    arrays.update(_base(state, state.twins))
    _VIEW(key=REPLAY_KEY, data=pack(meta, arrays))


def keys(sidebar_later: bool = False, view: bool = False) -> None:
    """Keyboard and clicker: →, Space and PageDown press Step; P and PageUp press Play/Pause; L presses the
    view's Log scale. Mounted once per run, first (``dashboard.py``): its listeners are the document's, and a
    page without those buttons ignores the keys. Being first, it also has the browser load the component code
    the live view shares while the rest of the page is still being sent.

    With ``sidebar_later`` (a session's first run, :func:`ui.sidebar.comes_later`) it asks for the next run as
    soon as the page is painted: when the live view shows its first frame if the page has one (``view``),
    else on the next frame; in any case within 3 s. That whole-app run draws the sidebar's widgets.
    """
    _KEYS(key=KEYS_KEY, height=0, data={"sidebar": sidebar_later, "view": view}, on_ready_change=_sidebar_asked)


def _sidebar_asked() -> None:
    """The ``ready`` trigger's whole-app rerun is what draws the sidebar's widgets: nothing to do here."""
