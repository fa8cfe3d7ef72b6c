"""Toy 2-D datasets, all inside one fixed box, and a deterministic split.

Every dataset lives in ``[-BOX, BOX]^2`` whatever its name or noise, so the
axes of every figure stay put when the user switches datasets. Labels are
0/1 floats in a ``(1, m)`` row, samples are columns of ``X (2, m)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray

BOX = 2.0
"""Half-width of the data box: every input lies in ``[-BOX, BOX]^2``."""

NAMES = ("xor", "circles", "moons", "spiral", "blobs", "linear")

LABELS = {
    "xor": "XOR (four quadrants)",
    "circles": "Circles (disc inside a ring)",
    "moons": "Two moons",
    "spiral": "Two spirals",
    "blobs": "Two Gaussian blobs",
    "linear": "Linearly separable",
}


@dataclass(frozen=True, eq=False)
class Dataset:
    """Inputs ``X (2, m)`` and labels ``Y (1, m)`` in {0, 1}."""

    X: Array
    Y: Array
    name: str = "custom"

    @property
    def m(self) -> int:
        return self.X.shape[1]

    def subset(self, idx: Array) -> Dataset:
        """The samples at column indices ``idx``."""
        return Dataset(self.X[:, idx], self.Y[:, idx], self.name)

    def class_counts(self) -> tuple[int, int]:
        ones = int(self.Y.sum())
        return self.m - ones, ones

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, m={self.m})"

    def __deepcopy__(self, memo: dict) -> Dataset:
        """Itself: frozen, and nothing writes its arrays, so every copy of a run (Play steps copies) shares it."""
        return self


def _xor(m: int, rng: np.random.Generator) -> tuple[Array, Array]:
    P = rng.uniform(-1.0, 1.0, size=(2, m))
    # Keep a small gap around both axes so the noiseless set is cleanly separable.
    P += np.sign(P) * 0.05
    return P, (P[0] * P[1] > 0).astype(float)


def _circles(m: int, rng: np.random.Generator) -> tuple[Array, Array]:
    y = (np.arange(m) % 2).astype(float)
    angle = rng.uniform(0.0, 2 * np.pi, m)
    radius = np.where(y == 1, rng.uniform(0.0, 0.45, m), rng.uniform(0.7, 1.0, m))
    return np.vstack([radius * np.cos(angle), radius * np.sin(angle)]), y


def _moons(m: int, rng: np.random.Generator) -> tuple[Array, Array]:
    y = (np.arange(m) % 2).astype(float)
    t = rng.uniform(0.0, np.pi, m)
    x0 = np.where(y == 0, np.cos(t), 1.0 - np.cos(t))
    x1 = np.where(y == 0, np.sin(t), 0.5 - np.sin(t))
    # sklearn's moons span x in [-1, 2], y in [-0.5, 1]: centre and fit to [-1, 1].
    return np.vstack([(x0 - 0.5) / 1.5, (x1 - 0.25) / 1.5 * 1.6]), y


def _spiral(m: int, rng: np.random.Generator) -> tuple[Array, Array]:
    y = (np.arange(m) % 2).astype(float)
    r = rng.uniform(0.05, 1.0, m)
    angle = 1.75 * 2 * np.pi * r + np.pi * y
    return np.vstack([r * np.cos(angle), r * np.sin(angle)]), y


def _blobs(m: int, rng: np.random.Generator) -> tuple[Array, Array]:
    y = (np.arange(m) % 2).astype(float)
    centre = np.where(y == 1, 0.45, -0.45)
    return centre + rng.normal(0.0, 0.22, size=(2, m)), y


def _linear(m: int, rng: np.random.Generator) -> tuple[Array, Array]:
    P = rng.uniform(-1.0, 1.0, size=(2, m))
    return P, (P[1] > 0.6 * P[0] - 0.1).astype(float)


_GENERATORS = {"xor": _xor, "circles": _circles, "moons": _moons,
               "spiral": _spiral, "blobs": _blobs, "linear": _linear}


def make_dataset(name: str, n_points: int, noise: float, rng: np.random.Generator) -> Dataset:
    """Generate ``n_points`` samples of a named dataset inside the data box.

    Parameters
    ----------
    name : one of :data:`NAMES`.
    n_points : int, ``m >= 2``.
    noise : float in [0, 1]. Gaussian jitter of the positions after labelling,
        with standard deviation ``0.25 * noise`` in unit coordinates, so high
        noise makes the classes overlap. Points are then clipped to the box.
    rng : numpy.random.Generator; the same state gives the same data.

    Returns
    -------
    Dataset with ``X (2, m)`` in ``[-BOX, BOX]^2`` and ``Y (1, m)`` in {0, 1}.
    """
    if name not in _GENERATORS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(NAMES)}")
    if n_points < 2:
        raise ValueError("a dataset needs at least 2 points")
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise must be in [0, 1], got {noise}")
    P, y = _GENERATORS[name](int(n_points), rng)
    P = P + rng.normal(0.0, 0.25 * noise, size=P.shape)
    X = np.clip(P * (0.9 * BOX), -BOX, BOX)
    return Dataset(X=X, Y=y.reshape(1, -1), name=name)


def train_test_split(data: Dataset, test_fraction: float, seed: int) -> tuple[Dataset, Dataset]:
    """Deterministic split: the same ``seed`` and fraction give the same columns.

    The test set gets ``round(test_fraction * m)`` samples, but each side keeps
    at least one sample whenever ``m >= 2`` and the fraction is above 0.
    """
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in [0, 1), got {test_fraction}")
    order = np.random.default_rng([seed, 7]).permutation(data.m)
    n_test = int(round(test_fraction * data.m))
    if test_fraction > 0:
        n_test = min(max(n_test, 1), data.m - 1)
    return data.subset(np.sort(order[n_test:])), data.subset(np.sort(order[:n_test]))


def grid(resolution: int) -> tuple[Array, Array, Array]:
    """A square grid over the data box.

    Returns
    -------
    xs, ys : ndarray (resolution,), the cell centres along each axis.
    G : ndarray (2, resolution**2), the grid points as columns, row-major in
        ``ys`` then ``xs`` so that ``A2.reshape(resolution, resolution)`` is a
        heatmap with ``ys`` down the rows.
    """
    xs = np.linspace(-BOX, BOX, resolution)
    gx, gy = np.meshgrid(xs, xs)
    return xs, xs.copy(), np.vstack([gx.ravel(), gy.ravel()])
