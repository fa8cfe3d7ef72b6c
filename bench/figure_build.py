"""What a rerun pays to build and encode each figure: unchecked specs against Plotly's validated path.

Every figure builder in ``viz/`` assembles one plain spec without Plotly's
per-property validation (``viz.spec.assemble``). For each builder, at the sizes
the pages use, this times in one run:

- **app**: the builder, then what ``st.plotly_chart`` does with the figure
  (``to_dict`` and ``plotly.io.to_json``);
- **validated**: the same spec read through a validating ``go.Figure``, then the same encoding:
  what building each figure through Plotly's checked objects costs.

Prints milliseconds per figure (best of 5) and the ratio. Run: ``.venv/bin/python bench/figure_build.py``
"""

from __future__ import annotations

import gc
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from netcore import BOX, CE_SIGMOID, grid  # noqa: E402
from session.state import LabState  # noqa: E402
from settings.config import DEFAULT  # noqa: E402
from viz.boundary import decision_boundary  # noqa: E402
from viz.dynamics import dynamics_figure  # noqa: E402
from viz.network import network_diagram  # noqa: E402
from viz.theme import STANDARD  # noqa: E402
from viz.units import unit_maps  # noqa: E402


def best_ms(fn, repeat: int = 5, number: int = 3) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return 1e3 * min(times)


def marshal(fig: go.Figure) -> str:
    """What st.plotly_chart does with a figure before it is sent."""
    fig.to_dict()
    return pio.to_json(fig, validate=False)


def builders() -> dict[str, callable]:
    small = LabState.build(DEFAULT)
    small.step(200)
    wide = LabState.build(replace(DEFAULT, width=64))
    wide.step(200)
    ce = small.twins.runs[CE_SIGMOID]
    xs, ys, yhat = small.grid_predictions(CE_SIGMOID)
    dyn = {n: {c: r.history.column(c) for c in ("step", "norm_W1", "norm_W2", "norm_dW1", "norm_dW2", "mean_abs_dZ2")}
           for n, r in small.twins.runs.items()}
    labels = {n: n for n in small.twins.runs}
    gx, gy, G = grid(40)
    wide_run = wide.twins.runs[CE_SIGMOID]
    A1 = (1 / (1 + np.exp(-(wide_run.params.W1 @ G + wide_run.params.b1)))).reshape(64, 40, 40)

    def units(k):
        return lambda: unit_maps(gx, gy, A1[:k], list(range(k)), wide_run.params.W1, wide_run.params.b1, BOX, STANDARD)

    return {
        "output map (Inside)": lambda: decision_boundary(
            xs, ys, yhat, (small.train.X, small.train.Y), (small.test.X, small.test.Y), "t", BOX, False, STANDARD),
        "hidden-unit maps, 4 units (Inside)": units(4),
        "hidden-unit maps, 64 units (Inside)": units(64),
        "training dynamics (Inside)": lambda: dynamics_figure(dyn, labels, STANDARD),
        "network diagram, width 4 (Inside)": lambda: network_diagram(ce.params, STANDARD, "t"),
        "network diagram, width 64 (Inside)": lambda: network_diagram(wide_run.params, STANDARD, "t"),
    }


def main() -> None:
    table = builders()
    gc.collect()
    gc.freeze()          # as dashboard.py does at start-up: collections then skip the imported modules
    print(f"{'figure':<40}{'app ms':>9}{'validated ms':>14}{'ratio':>8}")
    for name, build in table.items():
        app = best_ms(lambda b=build: marshal(b()))
        validated = best_ms(lambda b=build: marshal(go.Figure(b().to_dict())))
        print(f"{name:<40}{app:9.1f}{validated:14.1f}{validated / app:7.1f}x")


if __name__ == "__main__":
    main()
