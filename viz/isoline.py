"""The line where a gridded field crosses a level (marching squares), computed in NumPy.

The decision boundary ŷ = 0.5 is traced once, on the server, and sent as
plain polylines: a few hundred points. A contour trace would make the browser
trace it anew on every redraw, from a second copy of the whole grid.

Crossings are linearly interpolated along cell edges, as Plotly's contour
does; a saddle cell (two opposite corners above the level) is split by the
mean of its four corners.
"""

from __future__ import annotations

import numpy as np

# The four edges of a cell, in the order the chain walks them: bottom, right, top, left.
_BOTTOM, _RIGHT, _TOP, _LEFT = range(4)


def _edge_ids(rows: int, cols: int) -> np.ndarray:
    """``ids[e, i, j]``: the id of edge ``e`` of cell (i, j); horizontal edges first, then vertical ones."""
    i, j = np.meshgrid(np.arange(rows - 1), np.arange(cols - 1), indexing="ij")
    n_h = rows * (cols - 1)
    return np.stack([i * (cols - 1) + j,                 # bottom: horizontal edge (i, j)
                     n_h + i * cols + j + 1,             # right: vertical edge (i, j+1)
                     (i + 1) * (cols - 1) + j,           # top: horizontal edge (i+1, j)
                     n_h + i * cols + j])                # left: vertical edge (i, j)


def _crossings(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, above: np.ndarray, level: float) -> np.ndarray:
    """``points[edge_id] = (x, y)`` where the level crosses that edge (NaN where it does not)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        th = (level - z[:, :-1]) / (z[:, 1:] - z[:, :-1])            # along horizontal edges
        tv = (level - z[:-1, :]) / (z[1:, :] - z[:-1, :])            # along vertical edges
    h = np.stack(np.broadcast_arrays(xs[:-1] + th * np.diff(xs), ys[:, None]), axis=-1)
    v = np.stack(np.broadcast_arrays(xs[None, :], ys[:-1, None] + tv * np.diff(ys)[:, None]), axis=-1)
    h[above[:, :-1] == above[:, 1:]] = np.nan
    v[above[:-1, :] == above[1:, :]] = np.nan
    return np.concatenate([h.reshape(-1, 2), v.reshape(-1, 2)])


def _segments(z: np.ndarray, above: np.ndarray, level: float) -> np.ndarray:
    """``(k, 2)`` pairs of edge ids, one pair per piece of line inside a cell."""
    rows, cols = z.shape
    ids = _edge_ids(rows, cols)
    bl, br, tr, tl = above[:-1, :-1], above[:-1, 1:], above[1:, 1:], above[1:, :-1]
    crossed = np.stack([bl != br, br != tr, tr != tl, tl != bl])          # bottom, right, top, left
    count = crossed.sum(axis=0)
    # Cells crossed twice hold one segment between their two crossed edges.
    two = count == 2
    order = np.argsort(~crossed[:, two], axis=0, kind="stable")[:2]      # the two crossed edges, in order
    simple = np.take_along_axis(ids[:, two], order, axis=0).T
    # Saddle cells hold two segments. When the centre sides with the bottom-left and top-right corners,
    # they stay joined and the line cuts off the other two corners; otherwise it cuts off these two.
    four = count == 4
    centre = (z[:-1, :-1] + z[:-1, 1:] + z[1:, 1:] + z[1:, :-1])[four] / 4 >= level
    joined = centre == bl[four]
    e = ids[:, four]
    first = np.where(joined, [e[_BOTTOM], e[_RIGHT]], [e[_LEFT], e[_BOTTOM]])
    second = np.where(joined, [e[_TOP], e[_LEFT]], [e[_RIGHT], e[_TOP]])
    return np.concatenate([simple, first.T, second.T]).astype(np.int64)


def _chains(segments: np.ndarray) -> list[list[int]]:
    """Join segments that share an edge into chains of edge ids (a closed loop repeats its first id)."""
    touching: dict[int, list[int]] = {}
    for k, (a, b) in enumerate(segments.tolist()):
        touching.setdefault(a, []).append(k)
        touching.setdefault(b, []).append(k)
    used = np.zeros(len(segments), dtype=bool)

    def follow(edge: int, k: int) -> list[int]:
        chain = [edge]
        while True:
            used[k] = True
            a, b = segments[k]
            edge = int(b if a == edge else a)
            chain.append(edge)
            nxt = [s for s in touching[edge] if not used[s]]
            if not nxt:
                return chain
            k = nxt[0]

    chains = []
    # Open chains start at an edge only one segment touches (the grid's border); loops anywhere.
    for edge, segs in touching.items():
        if len(segs) == 1 and not used[segs[0]]:
            chains.append(follow(edge, segs[0]))
    for k in np.flatnonzero(~used).tolist():
        if not used[k]:
            chains.append(follow(int(segments[k, 0]), k))
    return chains


def level_lines(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, level: float = 0.5) -> list[tuple[np.ndarray, ...]]:
    """The curves where ``z`` crosses ``level``: one ``(x, y)`` pair of float32 arrays per separate piece.

    ``z (len(ys), len(xs))`` has its rows along ``ys`` (a heatmap's layout) and
    must be finite. A closed piece ends where it starts. A field that never
    crosses the level gives no pieces. Separate pieces are separate arrays,
    not one array with NaN gaps, so no figure ever carries a NaN.
    """
    z = np.asarray(z, dtype=np.float64)
    above = z >= level
    segments = _segments(z, above, level)
    if not len(segments):
        return []
    points = _crossings(np.asarray(xs, np.float64), np.asarray(ys, np.float64), z, above, level).astype(np.float32)
    return [(points[chain, 0], points[chain, 1]) for chain in _chains(segments)]
