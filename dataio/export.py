"""What the user can take away: the run's history as a tidy CSV, the weights as JSON, the data as CSV.

Pure functions of netcore objects (pandas, no Streamlit), so a test can parse
each download back and compare it with the state it came from. Floats are
written at full precision (``repr``), so nothing is lost on the way.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from netcore import COLUMNS, PAIRINGS, Dataset, Twins

HISTORY_COLUMNS = ("step", "pairing", "loss_name", *COLUMNS[1:])
"""One row per recorded step and pairing: the tidy (long) layout that pandas, R and spreadsheets pivot easily."""



def history_frame(twins: Twins) -> pd.DataFrame:
    """Every recorded history row of every run, stacked: columns :data:`HISTORY_COLUMNS`.

    ``pairing`` is the registry key (``netcore.PAIRINGS``); losses are each
    pairing's own loss (``loss_name``), so compare them within a pairing only.
    """
    parts = []
    for name, run in twins.runs.items():
        rows = pd.DataFrame(run.history.array(), columns=list(COLUMNS))
        rows["step"] = rows["step"].astype(np.int64)
        rows.insert(1, "pairing", name)
        rows.insert(2, "loss_name", PAIRINGS[name].loss_name)
        parts.append(rows)
    return pd.concat(parts, ignore_index=True)[list(HISTORY_COLUMNS)]


def history_csv(twins: Twins) -> bytes:
    """:func:`history_frame` as UTF-8 CSV (empty test metrics are empty cells)."""
    return history_frame(twins).to_csv(index=False).encode()


def _block(a: np.ndarray) -> dict:
    return {"shape": list(a.shape), "values": a.tolist()}


def weights_dict(twins: Twins) -> dict:
    """The current parameters of every run, each block with its shape, in the seed's notation.

    ``W1 (n, 2)``, ``b1 (n, 1)``, ``W2 (1, n)``, ``b2 (1, 1)``; ``values`` are nested row lists.
    """
    networks = {}
    for name, run in twins.runs.items():
        p = run.params
        networks[name] = {
            "label": run.pairing.label,
            "step": run.step_count,
            "diverged_at_step": run.diverged.step if run.diverged else None,
            "learning_rate": run.lr,
            "W1": _block(p.W1), "b1": _block(p.b1), "W2": _block(p.W2), "b2": _block(p.b2),
        }
    return {
        "format": "backprop-lab weights v1",
        "layout": "Z1 = W1 X + b1, A1 = g(Z1), Z2 = W2 A1 + b2; samples are columns of X (2, m)",
        "width": twins.width,
        "hidden_activation": twins.hidden,
        "seed": twins.seed,
        "step": twins.step_count,
        "networks": networks,
    }


def weights_json(twins: Twins) -> str:
    """:func:`weights_dict` as indented JSON (a non-finite weight would be written as null)."""
    def finite(node):
        if isinstance(node, float):
            return node if np.isfinite(node) else None
        if isinstance(node, list):
            return [finite(v) for v in node]
        if isinstance(node, dict):
            return {k: finite(v) for k, v in node.items()}
        return node
    return json.dumps(finite(weights_dict(twins)), indent=1, allow_nan=False)


def dataset_csv(data: Dataset) -> bytes:
    """The points as ``x1,x2,label`` CSV, labels 0/1: uploading it again gives the same dataset."""
    frame = pd.DataFrame({"x1": data.X[0], "x2": data.X[1], "label": data.Y[0].astype(int)})
    return frame.to_csv(index=False).encode()
