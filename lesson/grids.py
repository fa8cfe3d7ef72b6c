"""Arrays the Inside figures and the Replay page draw, computed from netcore state (NumPy, no Streamlit).

Every number here comes from netcore's forward pass on a grid over the box,
for the current parameters or for a recorded snapshot, so a figure never
shows anything the network did not compute.
"""

from __future__ import annotations

import numpy as np

from netcore import Params, Run, Twins, forward, grid

FRAME_CAP = 30
"""Most frames :func:`pick_frames` keeps by default; longer runs are subsampled evenly, first and last step kept."""


def unit_grid(k: int) -> int:
    """Cells per side of each hidden-unit map: 40 for up to 16 maps, 24 beyond (64 × 24² float32 ≈ 150 KB)."""
    return 40 if k <= 16 else 24


def grid_outputs(params: Params, run: Run, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``xs, ys (r,)``, ``A1 (n, r, r)`` and ``yhat (r, r)`` of ``params`` with ``run``'s pairing over the box."""
    xs, ys, G = grid(resolution)
    with np.errstate(over="ignore", invalid="ignore"):
        cache = forward(params, G, run.pairing, run.hidden)
    n = params.width
    return xs, ys, cache.A1.reshape(n, resolution, resolution), cache.A2.reshape(resolution, resolution)


def replay_steps(twins: Twins) -> tuple[int, ...]:
    """Every step at which some run recorded a snapshot (a diverged run stops recording early)."""
    return tuple(sorted({s for run in twins.runs.values() for s in run.snapshot_steps}))


def params_at(run: Run, step: int) -> tuple[int, Params]:
    """The latest snapshot of ``run`` at or before ``step``: ``(its step, its parameters)``."""
    steps = run.snapshot_steps
    k = max(s for s in steps if s <= step) if step >= steps[0] else steps[0]
    return k, run.snapshot(k)


def pick_frames(steps: tuple[int, ...], cap: int = FRAME_CAP) -> tuple[int, ...]:
    """At most ``cap`` of ``steps``, evenly spread, always the first and the last."""
    if len(steps) <= cap:
        return tuple(steps)
    idx = np.unique(np.linspace(0, len(steps) - 1, cap).round().astype(int))
    return tuple(steps[i] for i in idx)
