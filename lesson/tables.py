"""Tables for the ŷ − y pages: pandas DataFrames built from netcore's numbers, and their display styles.

The DataFrames hold the raw float64 values (what tests check). The
``styled_*`` functions turn them into what the page shows: text rounded to
significant digits ("overflow" for ``inf``, since Streamlit would print a
raw float or "None"), with pass/fail and comparison colours. No Streamlit
here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from lesson.factors import OutputFactors
from netcore.gradcheck import BLOCKS
from viz.gradients import sig

FACTOR_COLUMNS = ("y", "z2", "ŷ", "∂L/∂ŷ", "∂ŷ/∂z2", "∂L/∂ŷ × ∂ŷ/∂z2", "ŷ − y")
"""Columns of the chain-rule table: the label, the output, the two factors, their product, the residual."""
PRODUCT, RESIDUAL = FACTOR_COLUMNS[5], FACTOR_COLUMNS[6]

GRADCHECK_TOLERANCE = 1e-6
"""Relative error under which a block passes. Central differences with ε = 1e-6 reach about 1e-8
on these smooth networks; a wrong backward pass is off by order 1."""

ZERO_GRADIENT = 1e-8
"""Gradient norm below which central differences (ε = 1e-6, float64) resolve only noise, about 1e-10 per entry."""

PASS_COLOUR = "background-color: #d4f0dc; color: #0b5d1e"
FAIL_COLOUR = "background-color: #f9d4d4; color: #8a1010"
ZERO_COLOUR = "background-color: #eeeeee; color: #333333"
VERDICTS = {"pass": ("✓ pass", PASS_COLOUR), "zero": ("≈ 0: too small to check", ZERO_COLOUR),
            "FAIL": ("✗ FAIL", FAIL_COLOUR)}
SHAPES = {"W1": "n×2", "b1": "n×1", "W2": "1×n", "b2": "1×1"}


def factor_table(f: OutputFactors, samples: list[int]) -> pd.DataFrame:
    """One row per chosen sample (index ``sample #``), the columns of :data:`FACTOR_COLUMNS`."""
    idx = np.asarray(samples, dtype=np.intp)
    values = (f.y, f.z2, f.yhat, f.dloss_dout, f.dout_dz, f.delta, f.residual)
    df = pd.DataFrame({name: col[idx] for name, col in zip(FACTOR_COLUMNS, values)},
                      index=pd.Index(idx, name="sample #"))
    df["y"] = df["y"].astype(int)
    return df


def cell(x: float, digits: int = 4, nan: str = "n/a") -> str:
    """A table cell: significant digits, "overflow" for ``±inf``, ``nan`` for NaN."""
    if isinstance(x, (int, np.integer)):
        return str(x)
    return nan if math.isnan(x) else sig(x, digits)


def _as_text(df: pd.DataFrame, digits: int, nan: str = "n/a") -> pd.DataFrame:
    """Every numeric cell as its rounded text: Streamlit would show a raw float (or "None" for nan) otherwise."""
    out = df.copy()
    for col in df.columns:
        if pd.api.types.is_numeric_dtype(df[col]):
            out[col] = [cell(v, digits, nan) for v in df[col].tolist()]
    return out


def factor_markdown(df: pd.DataFrame) -> str:
    """The factor table as a Markdown table: text to 4 significant digits; product and ŷ − y bold and tinted.

    A NaN here is always ``inf × 0`` from an overflowing ∂L/∂ŷ, so it reads "overflow" too.
    Markdown rather than a pandas ``Styler`` in ``st.table``: Markdown is far
    cheaper to build than the Styler's HTML, and the Output gradients page
    draws three tables on every rerun, for every student (``bench/load.py``).
    Every cell is a number formatted here or a fixed column name: no user text.
    """
    text = _as_text(df, 4, nan="overflow")
    compare = {PRODUCT, RESIDUAL}
    head = [str(df.index.name), *(f":blue-background[**{c}**]" if c in compare else c for c in df.columns)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for i, row in zip(df.index, text.itertuples(index=False)):
        cells = [f"#{i}", *(f":blue-background[**{v}**]" if c in compare else str(v) for c, v in zip(df.columns, row))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def gradcheck_table(errors: dict[str, dict[str, float]], width: int, tolerance: float = GRADCHECK_TOLERANCE,
                    norms: dict[str, dict[str, float]] | None = None) -> pd.DataFrame:
    """Rows ``W1, b1, W2, b2`` with their shapes at ``width`` hidden units; per twin its relative error and verdict.

    ``errors`` maps a twin's label to ``netcore.gradient_check``'s result; a
    block passes below ``tolerance``. ``norms`` (same keys) holds the analytic
    gradients' norms: a block whose gradient is below :data:`ZERO_GRADIENT`
    sits at a stationary point, where both gradients are rounding noise and
    their relative error says nothing; its verdict is "zero" instead of a
    false FAIL. A non-finite error fails.
    """
    data: dict[str, list] = {"shape": [SHAPES[b].replace("n", str(width)) for b in BLOCKS]}
    for label, errs in errors.items():
        rel = [errs[b] for b in BLOCKS]
        size = [norms[label][b] if norms else math.inf for b in BLOCKS]
        data[f"{label} · relative error"] = rel
        data[f"{label} · check"] = [
            "pass" if math.isfinite(e) and e < tolerance else "zero" if g < ZERO_GRADIENT else "FAIL"
            for e, g in zip(rel, size)]
    return pd.DataFrame(data, index=pd.Index(list(BLOCKS), name="block"))


def styled_gradcheck(df: pd.DataFrame) -> Styler:
    """Relative errors as text to 2 significant digits; verdicts with a symbol and a colour (green, grey, red)."""
    check_cols = [c for c in df.columns if c.endswith("check")]
    text = _as_text(df, 2)
    for col in check_cols:
        text[col] = [VERDICTS[v][0] for v in df[col]]
    colours = {text_: colour for text_, colour in VERDICTS.values()}
    return text.style.map(colours.get, subset=check_cols)
