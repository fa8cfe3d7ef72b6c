"""The line where a gridded field crosses a level (marching squares), computed in NumPy.

The decision boundary ŷ = 0.5 is traced once, on the server, and sent as
plain polylines: a few hundred points. A contour trace would make the browser
trace it anew on every redraw, from a second copy of the whole grid.

Crossings are linearly interpolated along cell edges, as Plotly's contour
does; a saddle cell (two opposite corners above the level) is split by the
mean of its four corners.

Two forms of the same line: :func:`level_lines` joins the pieces into
polylines (for Plotly traces), and :func:`level_segments` gives the loose
segments, one per piece of line inside a cell, for a whole stack of fields at
once. A canvas draws segments as they are, so the live view needs no joining,
and the joining (a Python loop) is most of what tracing one field costs.
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


def _side_table() -> tuple[np.ndarray, np.ndarray]:
    """For each of the 16 corner cases (bits: bottom-left, bottom-right, top-right, top-left above the
    level), the two crossed sides in the order :func:`_cell_segments` gives them; -1 for 0, 4 or saddles."""
    first, second = np.full(16, -1), np.full(16, -1)
    for code in range(16):
        bl, br, tr, tl = ((code >> k) & 1 for k in range(4))
        sides = [s for s, crossed in enumerate((bl != br, br != tr, tr != tl, tl != bl)) if crossed]
        if len(sides) == 2:
            first[code], second[code] = sides
    return first, second


_FIRST, _SECOND = _side_table()
_SADDLE_BL = 0b0101          # bottom-left and top-right above; 0b1010 is the other saddle
# Each side's two corners, as (row, column) offsets from the cell's bottom-left corner: start, then end.
_FROM = np.array([[0, 0], [0, 1], [1, 0], [0, 0]])
_TO = np.array([[0, 1], [1, 1], [1, 1], [1, 0]])


def level_segments(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, level: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """The pieces of line where each field of a stack crosses ``level``, unjoined, in one vectorised pass.

    Parameters
    ----------
    xs, ys : ndarray (c,), (r,), the grid coordinates (``netcore.grid``).
    z : ndarray (f, r, c), a stack of ``f`` finite fields, rows along ``ys``; float32 fields stay float32
        until the few values at crossed cells are read (in float64, as if the whole stack had been converted).

    Returns
    -------
    segments : ndarray (k, 4) float64, ``x0, y0, x1, y1`` of each segment, grouped by field in order.
    counts : ndarray (f,) int64, how many of the segments belong to each field.

    A cell's corner case picks its crossed sides from a 16-entry table, and
    only the crossed sides are interpolated, the same way and with the same
    saddle rule as :func:`level_lines`: the segments of one field are exactly
    the consecutive vertex pairs of its polylines (tests/viz/test_isoline.py).
    """
    z = np.asarray(z)
    if z.dtype != np.float64 and not (z.dtype == np.float32 and np.float32(level) == level):
        z = z.astype(np.float64)            # a comparison in float32 would move a level it cannot hold
    f, r, c = z.shape
    above = (z >= level).view(np.uint8)
    code = above[:, :-1, :-1] | above[:, :-1, 1:] << 1 | above[:, 1:, 1:] << 2 | above[:, 1:, :-1] << 3
    cell = np.flatnonzero((code != 0) & (code != 15))       # cells the line crosses, field by field
    case = code.reshape(-1)[cell]
    k, i, j = cell // ((r - 1) * (c - 1)), cell // (c - 1) % (r - 1), cell % (c - 1)
    flat = z.reshape(-1)

    def at(kk: np.ndarray, ii: np.ndarray, jj: np.ndarray) -> np.ndarray:
        return flat[(kk * r + ii) * c + jj].astype(np.float64)

    simple = _FIRST[case] >= 0
    saddle = ~simple
    # A saddle's centre decides which pair of corners its two segments cut off.
    ks, is_, js = k[saddle], i[saddle], j[saddle]
    centre = (at(ks, is_, js) + at(ks, is_, js + 1) + at(ks, is_ + 1, js + 1) + at(ks, is_ + 1, js)) / 4 >= level
    joined = centre == (case[saddle] == _SADDLE_BL)
    owner = np.concatenate([k[simple], ks, ks])
    row, col = np.concatenate([i[simple], is_, is_]), np.concatenate([j[simple], js, js])
    side_a = np.concatenate([_FIRST[case[simple]], np.where(joined, _BOTTOM, _LEFT), np.where(joined, _TOP, _RIGHT)])
    side_b = np.concatenate([_SECOND[case[simple]], np.where(joined, _RIGHT, _BOTTOM), np.where(joined, _LEFT, _TOP)])
    order = np.argsort(owner, kind="stable")
    owner, row, col, side_a, side_b = owner[order], row[order], col[order], side_a[order], side_b[order]
    xs, ys = np.asarray(xs, np.float64), np.asarray(ys, np.float64)

    def crossing(side: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i0, j0 = row + _FROM[side, 0], col + _FROM[side, 1]
        i1, j1 = row + _TO[side, 0], col + _TO[side, 1]
        za = at(owner, i0, j0)
        t = (level - za) / (at(owner, i1, j1) - za)
        return xs[j0] + t * (xs[j1] - xs[j0]), ys[i0] + t * (ys[i1] - ys[i0])

    (xa, ya), (xb, yb) = crossing(side_a), crossing(side_b)
    return np.stack([xa, ya, xb, yb], axis=1), np.bincount(owner, minlength=f)
