"""What the live view draws, as flat binary arrays: pure functions from netcore's numbers, no Streamlit.

The live view (``ui/liveview.py``) is a canvas that draws what it is sent and
computes nothing: no network, no interpolation, no colour maths. This module
turns frames (``playback.batches.Frames``) and the data into the arrays it needs:

- each network's ŷ over the grid, quantised to ``uint8`` over its fixed colour
  range (``q = round((clip(ŷ, lo, hi) - lo) / (hi - lo) * 255)``; ``lo, hi``
  are stated in the view's metadata), and a 256-entry colour table sampled
  from :data:`viz.theme.PROBABILITY_SCALE`, so a cell's colour is ``LUT[q]``;
- the ŷ = 0.5 line as loose segments (:func:`viz.isoline.level_segments` on
  the unquantised grid), each end quantised to ``uint16`` over the box;
- each frame's step, each run's own step, and its losses and accuracies;
- the points and the loss history the loss chart starts from.

Every array is flat (1-D); shapes are implied by the counts in the metadata.
At the default size (two networks, :data:`GRID` cells a side) a frame is about
6 KB before compression and 1 to 3 KB after, so 30 frames a second stay well
under 250 KB/s (bench/load.py measures it).

:func:`pack` puts the metadata and the arrays into one ``bytes`` object, which
Streamlit hands to the view untouched; the grids and the line are compressed
(:func:`deflate`), once per batch, and the browser inflates them natively. (A dict of arrays would reach the view
as Arrow tables, but Streamlit inspects such a dict with pandas: importing it
costs the first page dearly in time and memory, and the Train page otherwise
never needs it.)
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass

import numpy as np

from netcore import PAIRINGS
from viz.isoline import level_segments
from viz.series import thin
from viz.theme import CLASS_COLORS, PAIRING_COLORS, PROBABILITY_SCALE, Style, colour_range

GRID = 48
"""Cells a side of each frame's ŷ grid: 2,304 bytes a network per frame. 64 would take 4,096 and,
with the line, push two networks at 30 frames a second past 250 KB/s."""

LEVELS = 255
"""Largest quantised ŷ (uint8): one quantisation step is ``(hi - lo) / 255``."""

SPAN = 65535
"""Largest quantised coordinate (uint16): ``round((v + box) / (2 box) * 65535)``."""

HISTORY_POINTS = 400
"""Most points per loss series the view starts from (thinned evenly, last point kept)."""


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)


def colour_table(scale: list = PROBABILITY_SCALE, size: int = LEVELS + 1) -> np.ndarray:
    """``(size, 3) uint8``: the colour scale at ``k / (size - 1)``, interpolated in RGB as Plotly does."""
    stops = np.array([s for s, _ in scale])
    rgb = np.stack([_rgb(c) for _, c in scale])
    at = np.linspace(0.0, 1.0, size)
    return np.round(np.stack([np.interp(at, stops, rgb[:, k]) for k in range(3)], axis=1)).astype(np.uint8)


def quantise(yhat: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """ŷ to ``uint8`` over ``[lo, hi]`` (clipped; NaN reads as the 0.5 threshold's level).

    Computed in ŷ's own precision (float32 for the live view's grids), exact to well under a level."""
    z = np.nan_to_num(np.asarray(yhat, dtype=np.result_type(yhat, np.float32)), nan=0.5, posinf=hi, neginf=lo)
    np.clip(z, lo, hi, out=z)
    z -= lo
    z *= LEVELS / (hi - lo)
    return np.rint(z, out=z).astype(np.uint8)


def dequantise(q: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """The ŷ a quantised value stands for: within half a step, ``(hi - lo) / 510``, of the clipped ŷ."""
    return lo + np.asarray(q, dtype=np.float64) * ((hi - lo) / LEVELS)


def to_span(v: np.ndarray, box: float) -> np.ndarray:
    """Coordinates in ``[-box, box]`` to ``uint16``."""
    return np.round((np.clip(v, -box, box) + box) * (SPAN / (2 * box))).astype(np.uint16)


def from_span(u: np.ndarray, box: float) -> np.ndarray:
    return np.asarray(u, dtype=np.float64) * (2 * box / SPAN) - box


def frame_arrays(names: tuple[str, ...], steps: np.ndarray, run_steps: np.ndarray, scores: np.ndarray,
                 grids: np.ndarray, box: float) -> dict[str, np.ndarray]:
    """The arrays of ``f`` frames of ``k`` networks (``grids (f, k, r, r)`` on ``netcore.grid(r)``).

    Returns flat arrays: ``f_step (f,) int32``, ``f_run (f·k,) int32`` (each run's own step),
    ``f_score (f·k·4,) float32`` (train loss, test loss, train accuracy, test accuracy), ``f_q (f·k·r·r,)
    uint8`` (ŷ, rows along y from the bottom), ``f_seg (4·s,) uint16`` (``x0, y0, x1, y1`` of every
    segment of the 0.5 line, frame by frame, network by network) and ``f_nseg (f·k,) int32``.
    """
    f, k, r, _ = grids.shape
    xs = np.linspace(-box, box, r)
    q = np.empty(grids.shape, dtype=np.uint8)
    lines = grids if np.isfinite(grids).all() else grids.copy()
    for j, name in enumerate(names):
        lo, hi = colour_range(PAIRINGS[name].linear_output)
        q[:, j] = quantise(grids[:, j], lo, hi)
        if lines is not grids:
            lines[:, j] = np.nan_to_num(grids[:, j], nan=0.5, posinf=hi, neginf=lo)
    segments, counts = level_segments(xs, xs, lines.reshape(f * k, r, r), 0.5)
    return {
        "f_step": np.asarray(steps, dtype=np.int32),
        "f_run": np.asarray(run_steps, dtype=np.int32).ravel(),
        "f_score": np.asarray(scores, dtype=np.float32).ravel(),
        "f_q": q.ravel(),
        "f_seg": to_span(segments, box).ravel(),
        "f_nseg": counts.astype(np.int32),
    }


def base_arrays(train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray],
                history: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The arrays that change only with the data or a new start: points, colour table, loss history.

    ``train``, ``test``: ``(X (2, m), Y (1, m))``. ``history``: per network, ``step``, ``train_loss`` and
    ``test_loss`` columns. Returns ``lut (256·3,) uint8``, ``p_x``, ``p_y (m,) float32``, ``p_kind (m,) uint8``
    (bit 0 the class, bit 1 set for a test point), ``h_n (k,) int32`` (points per series), ``h_step`` and
    ``h_loss`` (train then test, per network) float32 (a non-finite loss is NaN: a gap).
    """
    X = np.concatenate([train[0], test[0]], axis=1)
    kind = np.concatenate([train[1][0] >= 0.5, test[1][0] >= 0.5]).astype(np.uint8)
    kind[train[0].shape[1]:] |= 2
    n, h_step, h_loss = [], [], []
    for cols in history:
        idx = thin(len(cols["step"]), HISTORY_POINTS)
        n.append(len(idx))
        h_step.append(cols["step"][idx])
        for split in ("train_loss", "test_loss"):
            h_loss.append(cols[split][idx])
    h_loss_arr = np.concatenate(h_loss).astype(np.float32) if h_loss else np.zeros(0, np.float32)
    h_loss_arr[~np.isfinite(h_loss_arr)] = np.nan
    return {
        "lut": colour_table().ravel(),
        "p_x": X[0].astype(np.float32), "p_y": X[1].astype(np.float32), "p_kind": kind,
        "h_n": np.array(n, dtype=np.int32),
        "h_step": np.concatenate(h_step).astype(np.float32) if h_step else np.zeros(0, np.float32),
        "h_loss": h_loss_arr,
    }


def nets_meta(names: tuple[str, ...], labels: dict[str, str]) -> list[dict]:
    """What the view states about each network: its label, colour range (and whether it is clipped),
    line colour and loss."""
    out = []
    for name in names:
        linear = PAIRINGS[name].linear_output
        lo, hi = colour_range(linear)
        out.append({"label": labels[name], "lo": lo, "hi": hi, "clipped": linear,
                    "colour": PAIRING_COLORS[name], "loss": PAIRINGS[name].loss_name})
    return out


def style_meta(style: Style) -> dict:
    """Sizes and class colours the view draws with (larger in presenter view)."""
    return {"font": style.font, "title": style.title, "line": style.line, "marker": style.marker,
            "contour": style.contour, "classes": list(CLASS_COLORS)}


def merge_frames(parts: list[dict]) -> dict:
    """Several :func:`frame_arrays` results, one after the other, as one (compressed ones are inflated)."""
    if len(parts) == 1:
        return parts[0]

    def plain(a):
        return a.array() if isinstance(a, Deflated) else a

    return {key: np.concatenate([plain(p[key]) for p in parts]) for key in parts[0]}


MAGIC = b"BPL1"
_CODES = {np.dtype(np.uint8): "u1", np.dtype(np.uint16): "u2", np.dtype(np.int32): "i4", np.dtype(np.float32): "f4"}
DEFLATED = ("f_q", "f_seg")
"""The arrays worth compressing: ŷ grids shrink 3 to 15 times (smooth fields), the line's ends about twice."""
BY_FRAME = ("f_q",)
"""Compressed arrays stored frame to frame (:func:`deflate`): from one frame to the next most cells keep their
level or move by one, so a batch of grids halves again in size mid-training, and zlib gets through it faster."""


@dataclass(frozen=True)
class Deflated:
    """A flat array stored zlib-compressed (RFC 1950, what the browser's ``DecompressionStream('deflate')`` reads).

    With ``delta`` > 0 each element after the first ``delta`` is stored as its difference from the element
    ``delta`` before it (wrapping, in the array's unsigned type): a running sum with that stride gives the
    array back (:meth:`array`; the view does the same)."""

    data: bytes
    dtype: np.dtype
    size: int
    delta: int = 0

    @property
    def nbytes(self) -> int:
        return len(self.data)

    def array(self) -> np.ndarray:
        """The flat array it stores."""
        a = np.frombuffer(zlib.decompress(self.data), dtype=self.dtype.newbyteorder("<"), count=self.size)
        if not self.delta:
            return a
        return np.cumsum(a.reshape(-1, self.delta), axis=0, dtype=a.dtype).ravel()


def deflate(arrays: dict[str, np.ndarray], names: tuple[str, ...] = DEFLATED) -> dict:
    """``arrays`` with those in ``names`` compressed at zlib's fastest level (it runs once per batch), those in
    :data:`BY_FRAME` as differences from the frame before (``f_step`` counts the frames). An array that
    would not shrink stays as it is."""
    out = dict(arrays)
    frames = len(arrays["f_step"]) if "f_step" in arrays else 0
    for name in names:
        if name in out and isinstance(out[name], np.ndarray):
            a = np.ascontiguousarray(out[name]).ravel()
            by_frame = name in BY_FRAME and frames > 1 and a.size % frames == 0 and a.dtype.kind == "u"
            delta = a.size // frames if by_frame else 0
            if delta:
                rows = a.reshape(frames, delta)
                a = np.concatenate([rows[:1], rows[1:] - rows[:-1]]).ravel()        # unsigned: wraps
            data = zlib.compress(a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes(), 1)
            if len(data) < a.nbytes:            # the view takes an array no smaller than its size as stored plain
                out[name] = Deflated(data, a.dtype, int(a.size), delta)
    return out


def _align(n: int) -> int:
    return -(-n // 8) * 8


def pack(meta: dict, arrays: dict) -> bytes:
    """``meta`` and flat ``arrays`` (NumPy arrays or :class:`Deflated`) as one buffer for the view.

    Layout: ``b"BPL1"``, the header's length (uint32 little-endian), the
    header (UTF-8 JSON: ``{"meta": meta, "arrays": [[name, code, offset,
    length, stored, delta], ...]}`` with codes ``u1 u2 i4 f4``, offsets from the
    buffer's start, ``length`` in elements and ``stored`` in bytes, fewer than
    ``length`` times the item size when the array is zlib-compressed, and
    ``delta`` the stride of its running sum, 0 for none: :class:`Deflated`), zero
    padding, then each array's little-endian bytes at an offset that is a
    multiple of 8, so the view reads each one as a typed-array view.
    """
    flat = []
    for name, a in arrays.items():
        if isinstance(a, Deflated):
            flat.append((name, a.dtype, a.size, a.delta, a.data))
        else:
            a = np.ascontiguousarray(a).ravel()
            flat.append((name, a.dtype, a.size, 0, a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()))
    relative, at = [], 0
    for *_, raw in flat:
        relative.append(at)
        at += _align(len(raw))
    start = 0
    while True:                 # the header states offsets that depend on its own length: settle them
        table = [[name, _CODES[np.dtype(dtype)], start + r, int(size), len(raw), int(delta)]
                 for (name, dtype, size, delta, raw), r in zip(flat, relative)]
        head = json.dumps({"meta": meta, "arrays": table}, separators=(",", ":")).encode()
        if _align(8 + len(head)) == start:
            break
        start = _align(8 + len(head))
    parts = [MAGIC, np.array(len(head), dtype="<u4").tobytes(), head, bytes(start - 8 - len(head))]
    for *_, raw in flat:
        parts += [raw, bytes(_align(len(raw)) - len(raw))]
    return b"".join(parts)
