"""What one browser session owns: its configuration, its data and its twins (no Streamlit).

``ui.state.lab()`` creates one :class:`LabState` per browser session inside
``st.session_state``; nothing mutable lives at module level, so two sessions
never share a network. :meth:`LabState.sync` compares the configuration the
sidebar's widgets hold with the one the twins were built for and either
rebuilds the twins or only changes the learning rate, which keeps the weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from netcore import Dataset, Twins, grid, make_dataset, predict, train_test_split
from settings.config import REBUILDING, Config

GRID_RESOLUTION = 64
"""Cells per side of the boundary heatmaps: 4,096 predictions, about a millisecond at width 64."""

MAX_STEPS_PER_CLICK = 1000

SESSION_CAP_BYTES = 32 * 2**20
"""Most memory one session's :class:`LabState` holds (:meth:`LabState.nbytes`), however long it trains.

History and snapshots are capped by netcore (``HISTORY_CAP``, ``SNAPSHOT_CAP``: under 0.6 MB per
network). What grows with the settings is the forward pass kept for the next step, ``Z1, A1, dZ1 (n, m)``:
at the worst (an upload of 5,000 points, width 64, three networks) about 23 MB in all. Default settings
hold about 0.25 MB. An upload's bytes (at most ``server.maxUploadSize``) come on top.
tests/test_memory.py checks both ends."""


@dataclass
class CustomData:
    """A dataset that replaces the generated one: an upload or an edit on the Data page."""

    data: Dataset
    origin: str            # e.g. "upload 'points.csv'" or "edited on the Data page"
    notes: tuple[str, ...] = ()


@dataclass
class LabState:
    """Everything one browser session owns."""

    config: Config
    data: Dataset
    train: Dataset
    test: Dataset
    twins: Twins
    custom: CustomData | None = None
    notices: list[str] = field(default_factory=list)
    playing: bool = False

    # -- building ----------------------------------------------------------
    @classmethod
    def build(cls, config: Config, custom: CustomData | None = None) -> LabState:
        data = custom.data if custom else make_dataset(
            config.dataset, config.n_points, config.noise, np.random.default_rng([config.seed, 1]))
        train, test = train_test_split(data, config.test_fraction, config.seed)
        twins = Twins(train, test, config.width, config.lr, config.hidden, seed=config.seed,
                      pairings=config.pairings(), init_scale=config.init_scale,
                      batch_size=config.batch_size or None)
        return cls(config=config, data=data, train=train, test=test, twins=twins, custom=custom)

    def rebuild(self, config: Config, reason: str, custom: CustomData | None | bool = False) -> None:
        """New twins for ``config``; ``custom=False`` keeps the current custom data."""
        fresh = LabState.build(config, self.custom if custom is False else custom)
        self.config, self.data, self.train, self.test = fresh.config, fresh.data, fresh.train, fresh.test
        self.twins, self.custom = fresh.twins, fresh.custom
        self.playing = False
        self.notices.append(reason)

    def sync(self, config: Config) -> None:
        """Bring the twins in line with the widgets' ``config``.

        With custom data in use, touching a control of the *generated* data
        (dataset, points, noise) means the user wants generated data again.
        """
        if config.rebuild_key() != self.config.rebuild_key():
            reason = _describe_change(self.config, config)
            back_to_generated = self.custom is not None and _generator(config) != _generator(self.config)
            if back_to_generated:
                # the origin may quote a file name, and notices render as Markdown: don't quote it
                reason += " Back on generated data: your own points are no longer used."
            self.rebuild(config, reason, custom=None if back_to_generated else False)
        elif config != self.config:
            if config.lr != self.config.lr:
                self.twins.set_lr(config.lr)
            self.config = config

    # -- training ------------------------------------------------------------
    def step(self, k: int = 1) -> None:
        self.twins.step(max(0, min(int(k), MAX_STEPS_PER_CLICK)))

    def reset(self) -> None:
        self.rebuild(self.config, "Reset: new twins from the same initial weights, at step 0.")

    def take_notices(self) -> list[str]:
        out, self.notices = self.notices, []
        return out

    # -- derived views -----------------------------------------------------------
    def visible(self) -> tuple[str, ...]:
        """Pairing names the current view shows."""
        names = tuple(self.twins.runs)
        return names if self.config.view == "both" else (self.config.view,)

    def grid_predictions(self, name: str, resolution: int = GRID_RESOLUTION) -> tuple[np.ndarray, ...]:
        """``xs, ys, yhat (r, r)`` of one run's current network over the data box."""
        run = self.twins.runs[name]
        xs, ys, G = grid(resolution)
        with np.errstate(over="ignore", invalid="ignore"):
            yhat = predict(run.params, G, run.pairing, run.hidden)
        return xs, ys, yhat.reshape(resolution, resolution)

    def nbytes(self) -> int:
        """Approximate bytes this session holds: records, caches and data (see :data:`SESSION_CAP_BYTES`)."""
        return self.twins.nbytes() + self.data.X.nbytes * 3


def _generator(config: Config) -> tuple:
    return config.dataset, config.n_points, config.noise


def _describe_change(old: Config, new: Config) -> str:
    changed = [f"{f} {getattr(old, f)} → {getattr(new, f)}" for f in REBUILDING if getattr(old, f) != getattr(new, f)]
    return "New twins at step 0 (" + ", ".join(changed) + ")."
