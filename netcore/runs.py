"""Training runs: one network trained step by step, and the twins the pages show.

A :class:`Run` owns its parameters, a capped :class:`History` of per-step
metrics and capped parameter snapshots for replay. :class:`Twins` steps runs
of different pairings in lockstep from identical initial weights on identical
data, so the only difference between them is the output pairing.

Memory is bounded however long a run goes: the history keeps at most
:data:`HISTORY_CAP` rows and the snapshots at most :data:`SNAPSHOT_CAP`
parameter sets. When either fills up, every other entry is dropped and the
recording stride doubles, so what is kept stays evenly spaced from step 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from netcore.activations import HIDDEN, SEED_HIDDEN
from netcore.datasets import Dataset
from netcore.network import Cache, Grads, Params, apply_update, backward, forward, init_params
from netcore.pairings import CANONICAL, PAIRINGS

Array = np.ndarray

HISTORY_CAP = 4096
"""Most history rows a run keeps (about 330 KB per run)."""

SNAPSHOT_CAP = 128
"""Most parameter snapshots a run keeps (at width 64, about 260 KB per run)."""

RECORD_CHUNK = 64
"""Most steps whose test scores one forward pass computes (their parameters stacked, see :meth:`Run.step`)."""

EXPLODE_FACTOR = 1e4
"""A loss this many times its step-0 value (and above 1e3) counts as diverged."""

COLUMNS = ("step", "train_loss", "test_loss", "train_acc", "test_acc",
           "norm_W1", "norm_W2", "norm_dW1", "norm_dW2", "mean_abs_dZ2")
"""History columns. A row at step ``s`` describes the parameters after ``s``
updates: their losses and accuracies, their norms, and the gradient that the
next update will apply."""


class History:
    """Per-step metrics in one float array with a doubling stride (see module docs)."""

    def __init__(self, cap: int = HISTORY_CAP) -> None:
        self.cap = cap
        self.stride = 1
        self._rows = np.empty((64, len(COLUMNS)))
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def record(self, row: tuple[float, ...]) -> None:
        if int(row[0]) % self.stride:
            return
        if self._n == len(self._rows):
            if self._n >= self.cap:
                keep = self._rows[: self._n][self._rows[: self._n, 0] % (2 * self.stride) == 0]
                self._n = len(keep)
                self._rows[: self._n] = keep
                self.stride *= 2
                if int(row[0]) % self.stride:
                    return
            else:
                grown = np.empty((min(2 * len(self._rows), self.cap), len(COLUMNS)))
                grown[: self._n] = self._rows[: self._n]
                self._rows = grown
        self._rows[self._n] = row
        self._n += 1

    def column(self, name: str) -> Array:
        """A read-only view of one column over the recorded rows."""
        view = self._rows[: self._n, COLUMNS.index(name)]
        view.flags.writeable = False
        return view

    def last(self) -> dict[str, float]:
        return dict(zip(COLUMNS, self._rows[self._n - 1].tolist()))

    def array(self) -> Array:
        """A copy of all rows, shape ``(len(self), len(COLUMNS))``."""
        return self._rows[: self._n].copy()

    def nbytes(self) -> int:
        return self._rows.nbytes


@dataclass(frozen=True)
class Divergence:
    """Why and when a run stopped. ``step`` is the update that broke it."""

    step: int
    reason: str
    advice: str


def _accuracy(A2: Array, Y: Array) -> Array:
    """Share of samples on the right side of the 0.5 threshold (used for every pairing), per set of a stack
    ``A2 (k, 1, m)``."""
    return np.count_nonzero((A2 >= 0.5) == (Y >= 0.5), axis=(-2, -1)) / Y.shape[1]


def _norms(rows: Array) -> Array:
    """The Euclidean norm of each row of ``rows (k, p)``."""
    return np.sqrt(np.sum(rows * rows, axis=-1))


def _flatten(p: Params) -> Array:
    return np.concatenate([a.ravel() for a in p.arrays()])


def _unflatten(theta: Array, width: int) -> Params:
    """The blocks of ``theta (..., 4n + 1)`` (views; leading axes stay leading)."""
    n, lead = width, theta.shape[:-1]
    return Params(W1=theta[..., : 2 * n].reshape(*lead, n, 2), b1=theta[..., 2 * n: 3 * n].reshape(*lead, n, 1),
                  W2=theta[..., 3 * n: 4 * n].reshape(*lead, 1, n), b2=theta[..., 4 * n:].reshape(*lead, 1, 1))


@dataclass(frozen=True, slots=True)
class _Stepped:
    """A state :meth:`Run.step` reached, held until :meth:`Run._record` writes its row and snapshot."""

    params: Params
    theta: Array              # the parameters flattened, as snapshots keep them
    A2: Array                 # ŷ on the training set
    grads: Grads              # the gradient the next update applies
    train_loss: float


class Run:
    """One network on one dataset with one pairing, trained by gradient descent.

    Parameters
    ----------
    params : initial :class:`Params` (copied).
    train, test : :class:`Dataset`; ``test`` may be empty (``m == 0``).
    pairing : key of :data:`~netcore.pairings.PAIRINGS`.
    lr : learning rate; may be changed between steps (the weights stay).
    hidden : key of :data:`~netcore.activations.HIDDEN`.
    batch_size : ``None`` for full batch (the seed), else mini-batches drawn
        without replacement from a generator seeded by ``seed``.
    """

    def __init__(self, params: Params, train: Dataset, test: Dataset, pairing: str, lr: float,
                 hidden: str = SEED_HIDDEN, batch_size: int | None = None, seed: int = 0) -> None:
        self.pairing = PAIRINGS[pairing]
        self.hidden = HIDDEN[hidden]
        self.train, self.test = train, test
        self.lr = float(lr)
        self.batch_size = batch_size if batch_size and batch_size < train.m else None
        self._batch_rng = np.random.default_rng([seed, 11])
        self.params = params.copy()
        self.step_count = 0
        self.diverged: Divergence | None = None
        self.history = History()
        self.snapshot_stride = 1
        self._snap_steps: list[int] = []
        self._snap_theta: list[Array] = []
        self._cache, self._grads = self._evaluate(self.params)
        self._initial_loss = self._loss(self._cache)
        self._record([_Stepped(self.params, _flatten(self.params), self._cache.A2, self._grads, self._initial_loss)])

    def __repr__(self) -> str:
        return (f"Run({self.pairing.name!r}, n={self.params.width}, lr={self.lr:g}, "
                f"step={self.step_count}{', diverged' if self.diverged else ''})")

    # -- one step -----------------------------------------------------------
    def _evaluate(self, params: Params) -> tuple[Cache, Grads]:
        cache = forward(params, self.train.X, self.pairing, self.hidden)
        return cache, backward(params, self.train.X, self.train.Y, cache, self.pairing, self.hidden)

    def _loss(self, cache: Cache) -> float:
        return self.pairing.loss(cache.A2, self.train.Y, cache.Z2)

    def _minibatch_grads(self) -> Grads:
        idx = self._batch_rng.choice(self.train.m, size=self.batch_size, replace=False)
        X, Y = self.train.X[:, idx], self.train.Y[:, idx]
        cache = forward(self.params, X, self.pairing, self.hidden)
        return backward(self.params, X, Y, cache, self.pairing, self.hidden)

    def step(self, k: int = 1, trail: list | None = None) -> int:
        """Advance up to ``k`` steps; stop early on divergence. Returns steps taken.

        Every step is recorded (history row and snapshot) as it would be alone, but the rows of up to
        :data:`RECORD_CHUNK` steps are computed at once, the test set scored from their stacked parameters
        (:meth:`_record`). ``trail``: a list that receives ``(params, scores)`` after each step taken,
        ``scores`` as :meth:`scores` gives them.
        """
        start = self.step_count
        pending: list[_Stepped] = []                         # stepped, not yet recorded
        while self.step_count - start < k and self.diverged is None:
            grads = self._grads if self.batch_size is None else self._minibatch_grads()
            with np.errstate(over="ignore", invalid="ignore"):
                new = apply_update(self.params, grads, self.lr)
                cache, new_grads = self._evaluate(new)
                loss = self._loss(cache)
            theta = _flatten(new)
            problem = self._check(theta, loss)
            if problem:
                self.diverged = Divergence(self.step_count + 1, *problem)
                break
            self.params, self._cache, self._grads = new, cache, new_grads
            self.step_count += 1
            pending.append(_Stepped(new, theta, cache.A2, new_grads, loss))
            if len(pending) == RECORD_CHUNK:
                self._record(pending, trail)
                pending = []
        self._record(pending, trail)
        return self.step_count - start

    def _check(self, theta: Array, loss: float) -> tuple[str, str] | None:
        """Why the step to parameters ``theta`` (flattened; training loss ``loss``) breaks the run, or None."""
        # The weights' sum is finite unless a weight is not (or the sum overflows): one check for all of them.
        # np.add.reduce is what ndarray.sum calls, without its Python wrapper (this runs every step).
        if not math.isfinite(np.add.reduce(theta)):
            problem = "the weights overflowed to infinity"
        elif not math.isfinite(loss):
            problem = "the loss became infinite"
        elif loss > max(EXPLODE_FACTOR * self._initial_loss, 1e3):
            problem = (f"the loss exploded from {self._initial_loss:.3g} to {loss:.3g} "
                       f"(over {EXPLODE_FACTOR:.0e} times its start): each step overshoots "
                       "the minimum by more than the last")
        else:
            return None
        return problem, (f"Lower the learning rate (now {self.lr:g}) and press Reset. "
                         "The plots show the last finite state.")

    # -- records --------------------------------------------------------------
    def _test_scores(self, stack: Params) -> tuple[Array, Array]:
        """Test loss and test accuracy ``(k,)`` of each of ``k`` stacked parameter sets (NaN: no test set), from
        one forward pass over all of them: ``forward`` broadcasts over the stack, each slice exactly its own
        pass, and each loss is its own slice's reduction."""
        k = stack.W1.shape[0]
        if not self.test.m:
            return np.full(k, np.nan), np.full(k, np.nan)
        tc = forward(stack, self.test.X, self.pairing, self.hidden)
        return self.pairing.loss(tc.A2, self.test.Y, tc.Z2), _accuracy(tc.A2, self.test.Y)

    def _scores(self) -> tuple[float, float, float, float]:
        """Train loss, test loss, train accuracy, test accuracy of the current parameters (NaN: no test set)."""
        c = self._cache
        test_loss, test_acc = self._test_scores(Params.stack([self.params]))
        return self._loss(c), float(test_loss[0]), float(_accuracy(c.A2, self.train.Y)), float(test_acc[0])

    def _rows(self, stepped: list[_Stepped]) -> Array:
        """The history rows (:data:`COLUMNS`) of the last ``k`` states stepped to, oldest first, ``(k, columns)``:
        each column computed for all of them at once, each row exactly what it would be alone."""
        k, n = len(stepped), self.params.width
        theta = np.stack([s.theta for s in stepped])
        rows = np.empty((k, len(COLUMNS)))
        rows[:, 0] = np.arange(self.step_count - k + 1, self.step_count + 1)
        rows[:, 1] = [s.train_loss for s in stepped]
        rows[:, 2], rows[:, 4] = self._test_scores(Params.stack([s.params for s in stepped]))
        rows[:, 3] = _accuracy(np.stack([s.A2 for s in stepped]), self.train.Y)
        stacked = _unflatten(theta, n)
        rows[:, 5], rows[:, 6] = _norms(stacked.W1.reshape(k, -1)), _norms(stacked.W2.reshape(k, -1))
        rows[:, 7] = _norms(np.stack([s.grads.dW1.ravel() for s in stepped]))
        rows[:, 8] = _norms(np.stack([s.grads.dW2.ravel() for s in stepped]))
        dZ2 = np.stack([s.grads.dZ2 for s in stepped])
        rows[:, 9] = np.sum(np.abs(dZ2), axis=(-2, -1)) / dZ2.shape[-1]
        return rows

    def _record(self, stepped: list[_Stepped], trail: list | None = None) -> None:
        """Record the last ``len(stepped)`` states stepped to, oldest first: each one's history row and
        snapshot (and its trail entry)."""
        if not stepped:
            return
        for s, row in zip(stepped, self._rows(stepped)):
            self.history.record(row)
            self._snapshot(int(row[0]), s.theta)
            if trail is not None:
                trail.append((s.params, tuple(row[1:5].tolist())))

    def scores(self) -> tuple[float, float, float, float]:
        """``(train_loss, test_loss, train_acc, test_acc)`` now: the history's last row when it is this step's
        (it is, until the history's stride grows), else computed the same way."""
        if len(self.history):
            row = self.history.last()
            if row["step"] == self.step_count:
                return row["train_loss"], row["test_loss"], row["train_acc"], row["test_acc"]
        return self._scores()

    def _snapshot(self, step: int, theta: Array) -> None:
        if step % self.snapshot_stride:
            return
        self._snap_steps.append(step)
        self._snap_theta.append(theta)
        if len(self._snap_steps) > SNAPSHOT_CAP:
            self.snapshot_stride *= 2
            keep = [i for i, s in enumerate(self._snap_steps) if s % self.snapshot_stride == 0]
            self._snap_steps = [self._snap_steps[i] for i in keep]
            self._snap_theta = [self._snap_theta[i] for i in keep]

    @property
    def snapshot_steps(self) -> tuple[int, ...]:
        """Steps at which parameters were recorded, ascending, step 0 always first."""
        return tuple(self._snap_steps)

    def snapshot(self, step: int) -> Params:
        """The parameters recorded at ``step`` (one of :attr:`snapshot_steps`)."""
        return _unflatten(self._snap_theta[self._snap_steps.index(step)], self.params.width).copy()

    @property
    def cache(self) -> Cache:
        """Forward pass of the current parameters on the training set."""
        return self._cache

    @property
    def grads(self) -> Grads:
        """Full-batch gradients of the current parameters on the training set."""
        return self._grads

    def nbytes(self) -> int:
        """Approximate memory held by this run's records and state."""
        snaps = sum(t.nbytes for t in self._snap_theta)
        caches = sum(getattr(obj, f.name).nbytes for obj in (self._cache, self._grads) for f in fields(obj))
        return self.history.nbytes() + snaps + caches + self.params.nbytes()


class Twins:
    """Runs of several pairings from identical weights on identical data, stepped together.

    ``runs`` maps pairing name to :class:`Run`, in the order given (by default
    MSE + linear, then CE + sigmoid). A run that diverges stops; the others go on.
    :attr:`schedule` records the learning rates the steps were taken with, so
    the same twins can be trained again bit for bit (a shared link does that).
    """

    def __init__(self, train: Dataset, test: Dataset, width: int, lr: float, hidden: str = SEED_HIDDEN,
                 seed: int = 0, pairings: tuple[str, ...] = CANONICAL, init_scale: float = 1.0,
                 batch_size: int | None = None) -> None:
        self.train, self.test = train, test
        self.width, self.hidden, self.seed = width, hidden, seed
        self.initial = init_params(width, np.random.default_rng(seed), scale=init_scale)
        self.runs: dict[str, Run] = {
            name: Run(self.initial, train, test, name, lr, hidden, batch_size, seed) for name in pairings
        }
        self.step_count = 0
        self._done: list[tuple[float, int]] = []       # (lr, steps) of the rates before the current one

    def __repr__(self) -> str:
        return f"Twins({', '.join(self.runs)}; n={self.width}, step={self.step_count})"

    def step(self, k: int = 1, trails: dict[str, list] | None = None) -> None:
        """Advance every live run ``k`` steps (a diverged run stays where it stopped).

        ``trails``: a list per run name, passed to :meth:`Run.step` as its ``trail``."""
        for name, run in self.runs.items():
            run.step(k, None if trails is None else trails[name])
        self.step_count += k

    def set_lr(self, lr: float) -> None:
        """Change the learning rate of every run, keeping the weights."""
        lr = float(lr)
        steps_at_current = self.step_count - sum(n for _, n in self._done)
        if lr != self.lr and steps_at_current:
            self._done.append((self.lr, steps_at_current))
        for run in self.runs.values():
            run.lr = lr

    @property
    def schedule(self) -> tuple[tuple[float, int], ...]:
        """``((lr, steps), ...)``: the learning rate of every step so far, in order, adjacent equal rates
        merged; the steps add up to :attr:`step_count`. Training fresh twins segment by segment gives these
        twins again, so the schedule (with the configuration) names their state."""
        current = self.step_count - sum(n for _, n in self._done)
        merged: list[tuple[float, int]] = []
        for lr, steps in (*self._done, (self.lr, current)):
            if steps and merged and merged[-1][0] == lr:
                merged[-1] = (lr, merged[-1][1] + steps)
            elif steps:
                merged.append((lr, steps))
        return tuple(merged)

    @property
    def lr(self) -> float:
        return next(iter(self.runs.values())).lr

    def nbytes(self) -> int:
        return sum(r.nbytes() for r in self.runs.values())
