"""Putting the user's own data in front of the twins, and taking it away again.

Each function changes one :class:`~ui.state.LabState` and says so in its
notices: new data always means new twins at step 0, so the twins that were
there are never replaced silently. Plain functions (no widgets), so the Data
page's callbacks stay one line and tests can call them directly.

Notice texts never quote the user's file: they go through Markdown. What the
file said (its name, columns, labels) is in ``CustomData.notes``, shown as
text only.
"""

from __future__ import annotations

import pandas as pd

from dataio.upload import ParsedUpload, UploadError, parse_csv, table_to_dataset
from session.state import CustomData, LabState

__all__ = ["UploadError", "use_generated", "use_table", "use_upload"]


def _replaced(state: LabState) -> str:
    step = state.twins.step_count
    return f" The previous twins (at step {step}) were replaced." if step else ""


def use_upload(state: LabState, raw: bytes, filename: str) -> ParsedUpload:
    """Parse ``raw`` and, if it is usable, train new twins on it. Raises :class:`UploadError` otherwise
    (and then the state is untouched)."""
    parsed = parse_csv(raw, filename, seed=state.config.seed)
    note = _replaced(state)
    counts = parsed.data.class_counts()
    state.rebuild(state.config, f"New twins at step 0, now training on your uploaded file: {parsed.data.m} points "
                                f"({counts[0]} of class 0, {counts[1]} of class 1).{note}",
                  custom=CustomData(parsed.data, origin=f"upload '{filename}'", notes=parsed.notes))
    return parsed


def use_table(state: LabState, table: pd.DataFrame) -> tuple[str, ...]:
    """Train new twins on an edited ``x1, x2, label`` table; returns the notes on what was fixed.
    Raises :class:`UploadError` if the table cannot be used (the state is then untouched)."""
    data, notes = table_to_dataset(table)
    note = _replaced(state)
    state.rebuild(state.config, f"New twins at step 0, now training on the edited points ({data.m} points).{note}",
                  custom=CustomData(data, origin="edited on the Data page", notes=notes))
    return notes


def use_generated(state: LabState) -> None:
    """Back to the sidebar's generated dataset, with new twins."""
    if state.custom is None:
        return
    note = _replaced(state)
    state.rebuild(state.config, f"New twins at step 0, back on the generated '{state.config.dataset}' data.{note}",
                  custom=None)
