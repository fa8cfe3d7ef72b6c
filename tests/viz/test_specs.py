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

from tests.helpers import app_on
from viz import spec


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """Wrap ``spec.assemble`` with the validating check; returns the titles of the figures checked."""
    fast = spec.assemble
    seen: list[str] = []

    def assemble(data, layout):
        fig = fast(data, layout)
        strict = go.Figure(dict(data=data, layout=layout))          # raises ValueError on an invalid spec
        assert json.loads(pio.to_json(fig, validate=False)) == json.loads(pio.to_json(strict, validate=False))
        seen.append(str(layout.get("title", {}).get("text", "")))
        return fig

    monkeypatch.setattr(spec, "assemble", assemble)
    return seen


@pytest.mark.parametrize("page, expected", [
    ("train", 3), ("output_gradients", 6), ("derivation", 1), ("inside", 1)])
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
