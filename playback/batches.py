"""Play's frames: the twins stepped ahead, cut into frames, in batches. NumPy and netcore only.

A *frame* is the twins after ``speed`` more steps: its step, each run's own
step (a diverged run stays on its last finite state), its scores and its ŷ
over a grid. A *batch* is :func:`batch_frames` frames computed in one go from
the state it starts from, which it never changes: it steps a copy and keeps
the copy's end state, so the next batch starts from there. What a batch holds
depends only on that start state, hence on the configuration, the data and
the learning rates it was trained with (:func:`batch_key`), so the app shares
each batch read-only among every session that reaches the same state.

Nothing here evaluates what netcore does not: the parameters come from
``Twins.step`` and the grids from ``netcore.predict`` on the whole batch's
parameters at once (``forward`` broadcasts over a leading axis of stacked
parameters). A session adopts a frame's state by replaying the steps from the
batch's start (:meth:`Playback.state_at`): the same updates in the same order,
so the history, snapshots and step count are those live stepping gives.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field, replace

import numpy as np

from netcore import Dataset, Params, Twins, grid, predict

FRAME_RATE = 30
"""Frames per second the view plays."""

BATCH_FRAMES = 90
"""Most frames per batch: three seconds of Play. The view asks for the next one while it still holds more
than 1.5 s (``ui/liveview.py``), so the server has at least that long to answer. Each batch costs a rerun
of the view's fragment on top of its frames (Streamlit's run, the message, the event loop), so at one step
a frame 90 frames instead of 45 take a tenth off Play's server CPU (README, Play)."""

BATCH_STEPS = 450
"""Most steps of each run per batch, down to :data:`MIN_BATCH_FRAMES` frames: at many steps a frame the
steps, not the rerun, are the cost, and Play's first frames wait for the first batch (90 frames at 50
steps a frame would take the server over a second, most of the view's buffer)."""

MIN_BATCH_FRAMES = 45


def batch_frames(speed: int, first: bool = False) -> int:
    """Frames per batch at ``speed`` steps a frame: 90 up to 5 steps a frame, 45 from 10. The ``first`` batch of
    a Play has 45 at any speed: Play starts as soon as they are computed, and the view asks for the next at once."""
    if first:
        return MIN_BATCH_FRAMES
    return max(MIN_BATCH_FRAMES, min(BATCH_FRAMES, BATCH_STEPS // max(1, int(speed))))

PREDICT_CELLS = 131_072
"""Most hidden activations (frames x width x grid cells) one batched ``predict`` call holds: 512 KB of
float32, so the sigmoid's passes over them stay in a core's L2 cache. Bigger calls were several times
slower per cell here, on memory traffic (bench/load.py, server CPU per second of Play)."""


@dataclass(frozen=True, eq=False)
class Frames:
    """Consecutive frames of the twins: arrays over ``f`` frames and the ``k`` runs in ``names`` order.

    Attributes
    ----------
    names : the runs' pairing names.
    steps : ndarray (f,) int, the twins' step at each frame.
    run_steps : ndarray (f, k) int, each run's own step (lower once it has diverged).
    scores : ndarray (f, k, 4), train loss, test loss, train accuracy, test accuracy (NaN: no test set).
    grids : ndarray (f, k, r, r) float32, ŷ over ``netcore.grid(r)``, rows along ``ys``; None once encoded.
    """

    names: tuple[str, ...]
    steps: np.ndarray
    run_steps: np.ndarray
    scores: np.ndarray
    grids: np.ndarray | None

    def __len__(self) -> int:
        return len(self.steps)


@dataclass(frozen=True, eq=False)
class Batch:
    """Frames from ``start_step`` (excluded) every ``speed`` steps, and the twins at the last of them.

    ``end`` is private to the batch and never changes: whoever continues from it copies it first.
    ``stopped`` is set when a run diverged during the batch: its last frame is the first to show the
    divergence (every frame is finite), and no batch follows.
    """

    start_step: int
    speed: int
    frames: Frames
    end: Twins
    stopped: bool
    payload: dict = field(default_factory=dict)     # the frames' encoding for the view (ui/liveview.py)

    @property
    def last_step(self) -> int:
        return int(self.frames.steps[-1])

    def nbytes(self) -> int:
        """Approximate memory held: the end state with its data, the frames and their encoding."""
        data = sum(d.X.nbytes + d.Y.nbytes for d in (self.end.train, self.end.test))
        arrays = [self.frames.steps, self.frames.run_steps, self.frames.scores, *self.payload.values()]
        if self.frames.grids is not None:
            arrays.append(self.frames.grids)
        return self.end.nbytes() + data + sum(getattr(a, "nbytes", 0) for a in arrays)


def grid_stack(stack: list[Params], twins: Twins, name: str, resolution: int) -> np.ndarray:
    """``yhat (f, r, r)`` float32 of run ``name``'s network for each of ``f`` parameter sets, over ``grid(r)``.

    ``netcore.predict`` in float32, which NumPy computes much faster (its float32 ``exp`` is vectorised),
    and within 2e-7 of float64, far below what the view can show (a quantisation step is 4e-3).
    """
    run = twins.runs[name]
    _, _, G = grid(resolution)
    G = G.astype(np.float32)
    width = stack[0].W1.shape[0]
    chunk = max(1, PREDICT_CELLS // (width * G.shape[1]))
    out = np.empty((len(stack), resolution * resolution), dtype=np.float32)
    for start in range(0, len(stack), chunk):
        part = stack[start:start + chunk]
        stacked = Params(*(np.stack(arrays).astype(np.float32) for arrays in zip(*(p.arrays() for p in part))))
        with np.errstate(over="ignore", invalid="ignore"):
            out[start:start + len(part)] = predict(stacked, G, run.pairing, run.hidden)[:, 0, :]
    return out.reshape(len(stack), resolution, resolution)


def _frames(names: tuple[str, ...], steps: list[int], run_steps: list[list[int]], scores: list,
            params: dict[str, list[Params]], twins: Twins, resolution: int) -> Frames:
    grids = np.stack([grid_stack(params[n], twins, n, resolution) for n in names], axis=1)
    return Frames(names, np.array(steps, dtype=np.int64), np.array(run_steps, dtype=np.int64),
                  np.array(scores, dtype=np.float64), grids)


def frames_now(twins: Twins, resolution: int) -> Frames:
    """One frame: the twins as they are."""
    names = tuple(twins.runs)
    runs = [twins.runs[n] for n in names]
    return _frames(names, [twins.step_count], [[r.step_count for r in runs]], [[r.scores() for r in runs]],
                   {n: [twins.runs[n].params] for n in names}, twins, resolution)


def frames_at(twins: Twins, steps: tuple[int, ...], resolution: int) -> Frames:
    """Frames of a recorded run at ``steps``: each run's latest snapshot at or before the step (a run that
    stopped shows its last one), with the scores its history holds for that snapshot (NaN if thinned out)."""
    names = tuple(twins.runs)
    run_steps, scores, params = [], [], {n: [] for n in names}
    for step in steps:
        row_steps, row_scores = [], []
        for name in names:
            run = twins.runs[name]
            shown = max((s for s in run.snapshot_steps if s <= step), default=run.snapshot_steps[0])
            params[name].append(run.snapshot(shown))
            rows = run.history.column("step")
            at = int(np.searchsorted(rows, shown))
            found = at < len(rows) and rows[at] == shown
            row_scores.append([run.history.column(c)[at] if found else np.nan
                               for c in ("train_loss", "test_loss", "train_acc", "test_acc")])
            row_steps.append(shown)
        run_steps.append(row_steps)
        scores.append(row_scores)
    return _frames(names, list(steps), run_steps, scores, params, twins, resolution)


def run_batch(start: Twins, speed: int, count: int, resolution: int) -> Batch:
    """``count`` frames of ``speed`` steps each from a copy of ``start`` (which is left as it is).

    Stops early, after the frame where a run first diverges. The twins take all the batch's steps in one
    call, so each run scores its test set for many steps at once (``Run.step``); its trail gives each
    frame's parameters and scores. If a run diverges before the last frame, the batch is taken again from
    ``start`` up to that frame, so the other runs end there too.
    """
    twins = copy.deepcopy(start)
    names = tuple(twins.runs)
    runs = [twins.runs[n] for n in names]
    before = [r.diverged for r in runs]
    trails = {n: [] for n in names}
    twins.step(speed * count, trails)
    broke = [-(-(r.diverged.step - start.step_count) // speed) for r, b in zip(runs, before)
             if r.diverged is not None and b is None]           # the frame each newly diverged run broke in
    if broke and min(broke) < count:
        return run_batch(start, speed, min(broke), resolution)
    steps, run_steps, scores, params = [], [], [], {n: [] for n in names}
    for i in range(1, count + 1):
        steps.append(start.step_count + i * speed)
        row_steps, row_scores = [], []
        for n, r in zip(names, runs):
            trail = trails[n]
            taken = min(i * speed, len(trail))
            p, score = trail[taken - 1] if taken else (r.params, r.scores())   # no step taken: as it started
            row_steps.append(r.step_count - len(trail) + taken)
            row_scores.append(score)
            params[n].append(p)                             # Run.step makes new arrays: no copy needed
        run_steps.append(row_steps)
        scores.append(row_scores)
    frames = _frames(names, steps, run_steps, scores, params, twins, resolution)
    return Batch(start.step_count, speed, frames, twins, bool(broke))


def twins_at(start: Twins, step: int) -> Twins:
    """A copy of ``start`` stepped on to ``step`` (at least ``start.step_count``), as live steps would."""
    twins = copy.deepcopy(start)
    twins.step(step - start.step_count)
    return twins


def data_fingerprint(train: Dataset, test: Dataset) -> str:
    """A digest of the points and labels: identifies uploaded or edited data in a batch key."""
    h = hashlib.sha256()
    for d in (train, test):
        for a in (d.X, d.Y):
            h.update(str(a.shape).encode())
            h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:24]


def batch_key(config_items: tuple, data: str | None, segments: tuple[tuple[float, int], ...], speed: int,
              count: int, resolution: int) -> tuple:
    """What a batch depends on: the configuration (the view aside), the data when it is not generated from
    the configuration, the ``(lr, steps)`` segments that led to the start state, and the frames asked for."""
    return (tuple(sorted((k, v) for k, v in config_items if k != "view")), data, tuple(segments), int(speed),
            int(count), int(resolution))


def extend_segments(segments: tuple[tuple[float, int], ...], lr: float, steps: int) -> tuple[tuple[float, int], ...]:
    """``segments`` followed by ``steps`` more at ``lr``, merged with the last one when its rate is the same."""
    if steps <= 0:
        return tuple(segments)
    if segments and segments[-1][0] == lr:
        return (*segments[:-1], (lr, segments[-1][1] + steps))
    return (*segments, (lr, steps))


@dataclass
class Playback:
    """One session's Play: the batches sent to its view, oldest first, and what it reported showing.

    ``anchor`` is the state the first kept batch starts from: the session's own twins when Play
    began (left untouched while it plays), or a shared batch's end. ``segments`` leads to the end of
    the last batch. ``shown`` is the latest step the view said was on screen.
    """

    anchor: Twins
    segments: tuple[tuple[float, int], ...]
    speed: int
    seq: int
    batches: list[Batch] = field(default_factory=list)
    shown: int = -1

    def __post_init__(self) -> None:
        self.origin = self.anchor              # the session's own twins: the only state it may keep as is
        if self.shown < 0:
            self.shown = self.anchor.step_count

    @property
    def last_step(self) -> int:
        return self.batches[-1].last_step if self.batches else self.anchor.step_count

    @property
    def last_state(self) -> Twins:
        """The state the next batch starts from (never to be changed in place)."""
        return self.batches[-1].end if self.batches else self.anchor

    @property
    def finished(self) -> bool:
        """A run diverged in the last batch: nothing follows it."""
        return bool(self.batches) and self.batches[-1].stopped

    def add(self, batch: Batch) -> None:
        if batch.start_step != self.last_step:
            raise ValueError(f"batch starts at {batch.start_step}, Play is at {self.last_step}")
        self.batches.append(batch)
        self.segments = extend_segments(self.segments, self.anchor.lr, batch.last_step - batch.start_step)

    def frame_steps(self) -> list[int]:
        """Every step the view may show: the anchor and each kept batch's frames."""
        return [self.anchor.step_count] + [int(s) for b in self.batches for s in b.frames.steps]

    def nearest(self, step: int) -> int:
        """The latest frame at or before ``step`` (the first one if none): a report is never trusted blindly."""
        known = self.frame_steps()
        earlier = [s for s in known if s <= step]
        return max(earlier) if earlier else known[0]

    def report(self, step: int) -> None:
        """The view shows ``step``: batches wholly behind it are dropped, the anchor moves up."""
        self.shown = self.nearest(step)
        while len(self.batches) > 1 and self.batches[0].last_step <= self.shown:
            self.anchor = self.batches.pop(0).end

    def state_at(self, step: int) -> Twins:
        """The twins at frame ``step`` (or the nearest frame before it): the session's own twins when Play has
        not moved from them, else a new copy (of a batch's end, or replayed from the start of the batch
        holding ``step``). Shared states are never handed out."""
        step = self.nearest(step)
        start = self.anchor
        for batch in self.batches:
            if step <= batch.start_step:
                break
            if step == batch.last_step:
                return copy.deepcopy(batch.end)
            if step < batch.last_step:
                return twins_at(start, step)
            start = batch.end
        return start if start is self.origin else copy.deepcopy(start)


def without_grids(batch: Batch, payload: dict) -> Batch:
    """``batch`` holding ``payload`` (its frames' encoding) instead of the float grids."""
    return replace(batch, frames=replace(batch.frames, grids=None), payload=payload)
