"""Read the live view's data as the browser receives it: its metadata and its binary arrays.

The component element (``BidiComponent``) carries ``bytes``: ``b"BPL1"``, a uint32 header length, a JSON
header ``{"meta": ..., "arrays": [[name, code, offset, length, stored bytes, delta], ...]}``, then the arrays,
some zlib-compressed, some of those stored as differences ``delta`` elements apart (``viz.live.pack``).
This reads it as the view's JavaScript does, independently of the packer. Shared by the AppTests, the
websocket client and the benchmarks.
"""

from __future__ import annotations

import json
import zlib

import numpy as np

VIEW = "backprop_lab_live"
"""The live view's component name (``ui/liveview.py``)."""
KEYS = "backprop_lab_keys"
"""The keys' component name (``ui/liveview.py``): it also asks for the run that draws the sidebar."""


TYPES = {"u1": "<u1", "u2": "<u2", "i4": "<i4", "f4": "<f4"}


def decode(proto, only: tuple[str, ...] | None = None) -> dict:
    """``{"meta": dict, <array name>: ndarray, ...}`` from a ``BidiComponent`` proto (``only`` these arrays)."""
    raw = proto.bytes
    assert raw[:4] == b"BPL1", "the live view's data is not a BPL1 buffer"
    size = int.from_bytes(raw[4:8], "little")
    head = json.loads(raw[8:8 + size].decode("utf-8"))
    out = {"meta": head["meta"]}
    for name, code, offset, length, stored, delta in head["arrays"]:
        if only is None or name in only:
            assert offset % 8 == 0 and offset + stored <= len(raw)
            data = raw[offset:offset + stored]
            if stored < length * int(TYPES[code][-1]):                    # zlib-compressed
                data = zlib.decompress(data)
            a = np.frombuffer(data, dtype=TYPES[code], count=length)
            if delta:                                                     # a running sum, wrapping like the view's
                assert code[0] == "u" and length % delta == 0
                a = np.add.accumulate(a.reshape(-1, delta), axis=0, dtype=a.dtype).ravel()
            out[name] = a
    return out


def frames(view: dict) -> list[dict]:
    """Each frame of decoded view data: ``step``, and per network ``run`` (its own step), ``score``
    (train loss, test loss, train accuracy, test accuracy), ``q (r, r) uint8`` (rows from the bottom) and
    ``seg (s, 4) uint16``."""
    meta = view["meta"]
    k, r = len(meta["nets"]), meta["r"]
    q = view["f_q"].reshape(-1, k, r, r)
    scores = view["f_score"].reshape(-1, k, 4)
    runs = view["f_run"].reshape(-1, k)
    ends = np.concatenate([[0], np.cumsum(view["f_nseg"])])
    seg = view["f_seg"].reshape(-1, 4)
    out = []
    for f, step in enumerate(view["f_step"]):
        nets = [{"run": int(runs[f, j]), "score": scores[f, j], "q": q[f, j],
                 "seg": seg[ends[f * k + j]:ends[f * k + j + 1]]} for j in range(k)]
        out.append({"step": int(step), "nets": nets})
    return out
