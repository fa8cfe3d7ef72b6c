"""Every figure the app assembles without validation is valid Plotly, and encodes as the validated one would.

``viz.spec.assemble`` skips Plotly's property checks to keep reruns cheap. Here
each page runs in AppTest with ``assemble`` wrapped: every spec is also built
through a validating ``go.Figure`` (which raises on a misspelt property or a
bad value) and both figures must give the same JSON.
"""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from tests.helpers import app_on
from viz import spec


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """Wrap ``spec.assemble`` with the validating check; returns the titles of the figures checked."""
    fast = spec.assemble
    seen: list[str] = []

    def assemble(data, layout, frames=None):
        fig = fast(data, layout, frames)
        strict = go.Figure(dict(data=data, layout=layout, frames=frames or []))   # raises on an invalid spec
        assert json.loads(pio.to_json(fig, validate=False)) == json.loads(pio.to_json(strict, validate=False))
        seen.append(str(layout.get("title", {}).get("text", "")))
        return fig

    monkeypatch.setattr(spec, "assemble", assemble)
    return seen


@pytest.mark.parametrize("page, expected", [
    ("output_gradients", 6), ("derivation", 1), ("inside", 4), ("data", 1)])
@pytest.mark.parametrize("present", [False, True])
def test_every_assembled_figure_validates(checked, page, expected, present):
    at = app_on(page, steps=30, present=present)
    assert not at.exception
    assert len(checked) >= expected, checked


def test_assemble_skips_the_checks_that_validated_makes():
    x = np.arange(3, dtype=np.float32)
    fig = spec.assemble([dict(type="scatter", x=x, y=x)], dict(title=dict(text="t")))
    assert fig.data[0].x.dtype == np.float32                          # sent as float32 bdata
    typo = spec.assemble([dict(type="scatter", x=x, y=x, colour="red")], {})   # accepted unchecked...
    with pytest.raises(ValueError, match="colour"):
        spec.validated(typo)                                          # ...and caught by validation


@pytest.mark.parametrize("rows, cols, h, v, widths, shared", [
    (1, 1, 0.035, 0.32, None, False), (1, 4, 0.035, 0.32, None, False), (2, 4, 0.035, 0.17, None, False),
    (4, 4, 0.035, 0.095, None, False), (8, 8, 0.02, 0.0575, None, False), (3, 1, 0.2, 0.09, None, True),
    (1, 2, 0.12, 0.3, (0.8, 0.2), False), (1, 2, 0.04, 0.3, (1.0, 1.0), False)])
def test_subplot_grid_matches_make_subplots(rows, cols, h, v, widths, shared):
    titles = [f"t{k}" for k in range(rows * cols - (1 if rows * cols > 2 else 0))]    # a last cell may be untitled
    ref = make_subplots(rows=rows, cols=cols, horizontal_spacing=h, vertical_spacing=v, subplot_titles=titles,
                        column_widths=list(widths) if widths else None, shared_xaxes=shared).to_dict()["layout"]
    got = spec.subplot_grid(rows, cols, h, v, titles, column_widths=widths, shared_xaxes=shared)
    spec.validated(spec.assemble([], got))          # every domain inside [0, 1], as Plotly demands
    assert set(got) == {k for k in ref if k != "template"}
    for key, axis in got.items():
        if key == "annotations":
            continue
        assert {k: v for k, v in axis.items() if k != "domain"} == {k: v for k, v in ref[key].items() if k != "domain"}
        np.testing.assert_allclose(axis["domain"], ref[key]["domain"], atol=1e-12)
    for g, w in zip(got["annotations"], ref["annotations"], strict=True):
        assert {k: v for k, v in g.items() if k not in "xy"} == {k: v for k, v in w.items() if k not in "xy"}
        assert (g["x"], g["y"]) == (pytest.approx(w["x"], abs=1e-12), pytest.approx(w["y"], abs=1e-12))
