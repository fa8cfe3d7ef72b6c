"""History series as the figures and the live view send them: thinned evenly, the last point kept.

No Plotly here: the Train page's live view uses these without loading Plotly.
"""

from __future__ import annotations

import numpy as np

MAX_POINTS = 400
"""Longest line sent to the browser; longer histories are thinned evenly (last point kept)."""


def thin(n: int, max_points: int = MAX_POINTS) -> np.ndarray:
    """Indices of at most ``max_points`` evenly spaced rows out of ``n``, always ending at ``n - 1``."""
    if n <= max_points:
        return np.arange(n)
    idx = np.linspace(0, n - 1, max_points).round().astype(np.intp)
    return np.unique(idx)
