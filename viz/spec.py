"""Plotly figures from plain specs, without Plotly's per-property validation.

Every builder in ``viz/`` writes its figure as one dict of trace specs and one
layout dict. ``go.Figure(spec)`` would check each property against Plotly's
schema as it copies it in: about 8 ms for a decision-boundary panel, more than
the network's forward pass, the grid predictions and the JSON encoding
together. The Train page rebuilds three figures on
every Step, for every student, so :func:`assemble` skips that check.

The check is not lost. These specs come from code, never from users, so
tests/viz/test_specs.py runs every builder and re-reads its output through a
fully validating ``go.Figure``: a misspelt property or an out-of-range value
fails there, and the validated figure must encode to the same JSON as the
one the app sends.
"""

from __future__ import annotations

import plotly.graph_objects as go


def assemble(data: list[dict], layout: dict) -> go.Figure:
    """A figure holding ``data`` and ``layout`` as given, unchecked (NumPy arrays keep their dtype)."""
    return go.Figure(dict(data=data, layout=layout), _validate=False)


def validated(fig: go.Figure) -> go.Figure:
    """``fig`` read back through Plotly's validation; raises ``ValueError`` on anything Plotly would reject."""
    return go.Figure(fig.to_dict())
