"""Reading a student's CSV into a :class:`~netcore.Dataset`, and checking an edited table.

:func:`parse_csv` is the one door for uploaded bytes. It either returns a
:class:`ParsedUpload` (the dataset plus plain-text notes saying what was done
to the file: which columns were used, how labels were mapped, how features
were rescaled) or raises :class:`UploadError`, and nothing else, with a
message a student can act on. :func:`table_to_dataset` does the same for the
Data page's table editor. No Streamlit here: pandas and NumPy only.

Notes and messages may quote the file's own text (column names, cells, the
file name). They are plain text: a page must show them as text only, e.g.
through :func:`lesson.text.escape_markdown` before any element that renders Markdown.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netcore import BOX, Dataset

MAX_UPLOAD_MB = 2
"""Largest upload in megabytes. Equal to ``server.maxUploadSize`` in ``.streamlit/config.toml``
(a test checks), so the browser refuses bigger files before they reach the server."""

MAX_ROWS = 5000
"""Most points the app trains on. Bigger files are sampled down to this many rows, with a note."""

MARGIN = 0.9
"""Rescaled features span ``[-MARGIN * BOX, MARGIN * BOX]``, so no point sits on the edge of a plot."""

LABEL_NAMES = ("label", "y", "class", "target")
"""Header names that mark the label column (any case); without one, the last column is the label."""

_NAN_WORDS = {"nan", "-nan", "+nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook or a zip archive",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word file",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
}
_FORMAT_HINT = ("A CSV for this app is plain text with three columns: two numbers (x1, x2) and a label, "
                "for example:\nx1,x2,label\n0.5,-1.2,0\n1.1,0.3,1")


class UploadError(ValueError):
    """The file (or the edited table) cannot be used; ``str(error)`` says why and what to do.

    This is the only exception :func:`parse_csv` and :func:`table_to_dataset`
    raise for bad input. The message may quote the file's text: show it as text only.
    """


@dataclass(frozen=True)
class ParsedUpload:
    """What :func:`parse_csv` read.

    data : Dataset with ``X (2, m)`` inside ``[-BOX, BOX]^2`` and ``Y (1, m)`` in {0, 1}.
    notes : plain-text sentences for the page (may quote the file's text).
    columns : the file's names for x1, x2 and the label (``"column 1"`` … without a header).
    label_map : ``(value as written in the file, class 0 or 1)`` for both labels.
    rows_in_file : data rows before any sampling.
    """

    data: Dataset
    notes: tuple[str, ...]
    columns: tuple[str, str, str]
    label_map: tuple[tuple[str, int], tuple[str, int]]
    rows_in_file: int


def _quote(cell: str, limit: int = 30) -> str:
    cell = cell.strip()
    return f"'{cell[:limit]}…'" if len(cell) > limit else f"'{cell}'"


def _fmt(x: float) -> str:
    return f"{x:.3g}"


# -- bytes to text ------------------------------------------------------------------
def _decode(raw: bytes) -> str:
    for signature, what in _SIGNATURES.items():
        if raw.startswith(signature):
            raise UploadError(f"This file is {what}, not a CSV text file. In Excel or Google Sheets use "
                              "'Save as' / 'Download' and choose CSV, then upload that file.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        text = None
        if b"\x00" not in raw:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")   # a spreadsheet's 'ANSI' export
    if text is None or _looks_binary(text):
        raise UploadError("This file is not text: it looks like binary data (an image, a program or a "
                          "spreadsheet file). " + _FORMAT_HINT)
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or ch in "\x7f\ufffd")
    return "\x00" in sample or control > max(2, len(sample) // 100)


def _delimiter(first_line: str) -> str | None:
    """The separator of the first line: one giving three columns (``;`` first, for decimal commas),
    else the most frequent one, else None."""
    counts = {sep: first_line.count(sep) for sep in (";", "\t", ",")}
    for sep, n in counts.items():
        if n == 2:
            return sep
    sep, n = max(counts.items(), key=lambda kv: kv[1])
    return sep if n else None


def _read_table(text: str) -> tuple[pd.DataFrame, str]:
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    sep = _delimiter(first)
    if sep is None:
        raise UploadError("This does not look like a CSV table: the first line has no commas (nor semicolons "
                          "or tabs) to separate columns. " + _FORMAT_HINT)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False,
                         skip_blank_lines=False, quotechar='"', engine="c")
    except pd.errors.EmptyDataError as e:
        raise UploadError("The file is empty: it has no rows.") from e
    except (pd.errors.ParserError, ValueError, OverflowError) as e:
        raise UploadError(_parser_message(str(e))) from e
    return df.fillna(""), sep


def _parser_message(detail: str) -> str:
    ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail)
    if ragged:
        want, line, saw = ragged.groups()
        return (f"Line {line} has {saw} cells but the first line has {want}. Every line needs the same "
                f"columns: x1, x2, label. This can also mean the file is not a CSV table.")
    if "EOF inside string" in detail:
        return "A quotation mark (\") is opened in the file and never closed, so the table cannot be read."
    return "This file could not be read as a CSV table. " + _FORMAT_HINT


# -- table to numbers ------------------------------------------------------------------
def _is_number(cell: str) -> bool:
    try:
        float(cell.strip())
    except ValueError:
        return False
    return bool(cell.strip())


def _has_header(rows: pd.DataFrame) -> bool:
    first = [_is_number(c) for c in rows.iloc[0]]
    if len(rows) == 1:
        return first.count(False) >= 2
    second = [_is_number(c) for c in rows.iloc[1]]
    return not any(first) or any(not a and b for a, b in zip(first, second))


def _numeric(cells: pd.Series, decimal_comma: bool) -> np.ndarray:
    text = cells.str.strip()
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)


def _bad_cell(cells: pd.Series, values: np.ndarray, name: str, what: str) -> UploadError | None:
    """The first cell that is empty, not a number, or not finite, as a message; None if all are fine."""
    bad = ~np.isfinite(values)
    if not bad.any():
        return None
    i = int(np.argmax(bad))
    line, cell = int(cells.index[i]) + 1, cells.iloc[i]
    where = f"Line {line}, column '{name}'"
    if not cell.strip():
        return UploadError(f"{where} is empty. Fill it in or delete the row.")
    if cell.strip().lower() in _NAN_WORDS or np.isinf(values[i]):
        return UploadError(f"{where} holds {_quote(cell)}: every value must be a finite number "
                           "(no NaN, no infinity). Fix or delete that row.")
    return UploadError(f"{where} holds {_quote(cell)}, which is not a number. {what}")


def _labels(cells: pd.Series, name: str) -> tuple[np.ndarray, tuple[tuple[str, int], tuple[str, int]], str]:
    text = cells.str.strip()
    empty = text == ""
    if empty.any():
        line = int(cells.index[int(np.argmax(empty.to_numpy()))]) + 1
        raise UploadError(f"Line {line}, column '{name}' (the label) is empty. Every row needs a label.")
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    nan_word = text.str.lower().isin(_NAN_WORDS).to_numpy()
    if nan_word.any():
        i = int(np.argmax(nan_word))
        raise UploadError(f"Line {int(cells.index[i]) + 1}, column '{name}' (the label) holds "
                          f"{_quote(cells.iloc[i])}: a label must be a class, not NaN or infinity.")
    numeric = not np.isnan(numbers).any()
    if numeric:
        distinct = np.unique(numbers)
        shown = [_fmt(v) for v in distinct]
    else:
        distinct = np.array(sorted(set(text)), dtype=object)
        shown = [_quote(v, 20) for v in distinct]
    if len(distinct) == 1:
        raise UploadError(f"Every row has the same label, {shown[0]}: the network needs examples of two "
                          "classes to draw a boundary between them.")
    if len(distinct) > 2:
        listed = ", ".join(shown[:5]) + (", …" if len(distinct) > 5 else "")
        raise UploadError(f"The label column '{name}' has {len(distinct)} different values ({listed}); this app "
                          "separates two classes only. Keep the rows of two labels and upload again.")
    low, high = distinct
    values = numbers if numeric else text.to_numpy(dtype=object)
    Y = (values == high).astype(float)
    if numeric and (low, high) == (0.0, 1.0):
        note = "Labels: 0 is class 0 (orange), 1 is class 1 (blue), as in the file."
    elif numeric and (low, high) == (-1.0, 1.0):
        note = "Labels: −1 became class 0 (orange) and 1 is class 1 (blue)."
    else:
        note = (f"Labels: {shown[0]} became class 0 (orange) and {shown[1]} class 1 (blue), "
                "in sorted order.")
    return Y, ((shown[0].strip("'"), 0), (shown[1].strip("'"), 1)), note


def _sample(Y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``MAX_ROWS`` row indices, ascending, with both classes kept."""
    idx = np.sort(rng.choice(Y.size, size=MAX_ROWS, replace=False))
    for cls in (0.0, 1.0):
        if not (Y[idx] == cls).any():
            idx[rng.integers(MAX_ROWS)] = rng.choice(np.flatnonzero(Y == cls))
            idx = np.sort(idx)
    return idx


def _rescale(X: np.ndarray, names: tuple[str, str]) -> tuple[np.ndarray, list[str]]:
    """``X (2, m)`` into the box: unchanged if already inside, else each axis mapped onto
    ``[-MARGIN * BOX, MARGIN * BOX]`` (a constant axis to 0)."""
    if np.abs(X).max() <= BOX:
        return X, [f"Your points already lie inside the box [−{BOX:g}, {BOX:g}]², so they are used as they are."]
    notes = []
    out = np.empty_like(X)
    for k, name in enumerate(names):
        # Divide by the largest magnitude first: max − min of huge values would overflow.
        scale = np.abs(X[k]).max()
        unit = X[k] / scale if scale > 0 else X[k]
        lo, hi = unit.min(), unit.max()
        if hi > lo:
            out[k] = (2 * (unit - lo) / (hi - lo) - 1) * MARGIN * BOX
            notes.append(f"x{k + 1} ('{name}') was rescaled from [{_fmt(X[k].min())}, {_fmt(X[k].max())}] "
                         f"to [−{MARGIN * BOX:g}, {MARGIN * BOX:g}].")
        else:
            out[k] = 0.0
            notes.append(f"x{k + 1} ('{name}') has the same value in every row, so it was set to 0.")
    notes.insert(0, f"Features were rescaled into the app's box [−{BOX:g}, {BOX:g}]², each axis on its own, "
                    "so every dataset is drawn on the same axes.")
    return np.clip(out, -BOX, BOX), notes


def parse_csv(raw: bytes, filename: str = "upload.csv", seed: int = 0) -> ParsedUpload:
    """Read an uploaded CSV: two numeric feature columns and one label column.

    Parameters
    ----------
    raw : the file's bytes.
    filename : shown in the notes only.
    seed : picks the rows kept when the file has more than :data:`MAX_ROWS`.

    Returns
    -------
    ParsedUpload, whose ``data`` has ``X (2, m)`` inside ``[-BOX, BOX]^2`` and ``Y (1, m)`` in {0, 1}.

    Raises
    ------
    UploadError, and only UploadError, for: a file over :data:`MAX_UPLOAD_MB`, an empty file, a
    header without rows, binary data or text that is not a table, rows of different lengths, other
    than three columns, an empty, non-numeric, NaN or infinite feature cell, an empty or NaN label,
    one label only, or more than two labels.
    """
    if len(raw) > MAX_UPLOAD_MB * 1024 * 1024:
        raise UploadError(f"The file is {len(raw) / 1024 / 1024:.1f} MB; the limit is {MAX_UPLOAD_MB} MB. "
                          f"The app uses at most {MAX_ROWS:,} rows anyway: upload a smaller sample.")
    if not raw.strip():
        raise UploadError("The file is empty: it has no rows.")
    text = _decode(raw)
    if not text.strip():
        raise UploadError("The file is empty: it has no rows.")
    df, sep = _read_table(text)
    df = df[~df.apply(lambda col: col.str.strip() == "").all(axis=1)]          # blank lines
    if df.empty:
        raise UploadError("The file is empty: its lines hold no values.")
    notes = []
    empty_cols = [c for c in df.columns if (df[c].str.strip() == "").all()]
    if empty_cols and df.shape[1] - len(empty_cols) == 3:
        df = df.drop(columns=empty_cols)                                          # e.g. a trailing comma
    if df.shape[1] != 3 and not df.apply(lambda col: col.map(_is_number)).to_numpy().any():
        raise UploadError("This looks like text, not a CSV table of numbers: no cell holds a number. " + _FORMAT_HINT)
    if df.shape[1] != 3:
        hint = ""
        if df.shape[1] == 4 and df.iloc[0, 0].strip() in ("", "Unnamed: 0", "index"):
            hint = " The first column looks like a row number saved by pandas or a spreadsheet: delete it."
        raise UploadError(f"The file has {df.shape[1]} column{'s' if df.shape[1] != 1 else ''}; the app needs "
                          f"exactly three: two numbers (x1, x2) and a label.{hint}")
    if _has_header(df):
        names = [c.strip() or f"column {i + 1}" for i, c in enumerate(df.iloc[0])]
        df = df.iloc[1:]
    else:
        names = [f"column {i + 1}" for i in range(3)]
    if df.empty:
        raise UploadError("The file has a header line but no data rows under it.")
    lowered = [n.lower() for n in names]
    label_col = next((i for i, n in enumerate(lowered) if n in LABEL_NAMES), 2)
    feat_cols = [i for i in range(3) if i != label_col]
    columns = (names[feat_cols[0]], names[feat_cols[1]], names[label_col])

    feats = []
    for k in feat_cols:
        values = _numeric(df.iloc[:, k], decimal_comma=sep == ";")
        problem = _bad_cell(df.iloc[:, k], values, names[k], "Both feature columns must hold numbers only.")
        if problem:
            raise problem
        feats.append(values)
    X = np.vstack(feats)
    Y, label_map, label_note = _labels(df.iloc[:, label_col], names[label_col])

    rows = X.shape[1]
    notes.append(f"Read {rows:,} rows from '{filename}': x1 = '{columns[0]}', x2 = '{columns[1]}', "
                 f"label = '{columns[2]}'.")
    if rows > MAX_ROWS:
        keep = _sample(Y, np.random.default_rng([seed, 5]))
        X, Y = X[:, keep], Y[keep]
        notes.append(f"The file has {rows:,} rows; the app trains on at most {MAX_ROWS:,}, so it kept "
                     f"{MAX_ROWS:,} rows picked at random (the same ones every time).")
    notes.append(label_note)
    X, scale_notes = _rescale(X, columns[:2])
    notes += scale_notes
    data = Dataset(X=X, Y=Y.reshape(1, -1), name="upload")
    return ParsedUpload(data=data, notes=tuple(notes), columns=columns, label_map=label_map, rows_in_file=rows)


# -- the Data page's editable table ----------------------------------------------------------
TABLE_COLUMNS = ("x1", "x2", "label")


def dataset_table(data: Dataset) -> pd.DataFrame:
    """The points as a table ``x1, x2, label`` (label an int, 0 or 1), one row per sample."""
    return pd.DataFrame({"x1": data.X[0], "x2": data.X[1], "label": data.Y[0].astype(int)})


def table_to_dataset(table: pd.DataFrame) -> tuple[Dataset, tuple[str, ...]]:
    """A :class:`Dataset` from an edited ``x1, x2, label`` table, with notes on what was fixed.

    Rows with an empty cell are dropped; coordinates outside the box are
    clipped to it; labels must be 0 or 1. Raises :class:`UploadError` when
    fewer than two points remain, only one class remains, a label is not 0/1,
    or there are more than :data:`MAX_ROWS` rows.
    """
    if list(table.columns[:3]) != list(TABLE_COLUMNS):
        raise UploadError("The table must have the columns x1, x2, label.")
    values = table.loc[:, list(TABLE_COLUMNS)].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    notes = []
    complete = np.isfinite(values).all(axis=1)
    if not complete.all():
        notes.append(f"{int((~complete).sum())} row(s) with an empty cell were left out.")
    values = values[complete]
    if len(values) > MAX_ROWS:
        raise UploadError(f"The table has {len(values):,} points; the app trains on at most {MAX_ROWS:,}.")
    labels = values[:, 2]
    if not np.isin(labels, (0.0, 1.0)).all():
        raise UploadError("Every label must be 0 or 1.")
    if len(values) < 2 or len(np.unique(labels)) < 2:
        raise UploadError("The table needs points of both classes (labels 0 and 1) to train on.")
    X = values[:, :2].T.copy()
    outside = np.abs(X).max(axis=0) > BOX
    if outside.any():
        notes.append(f"{int(outside.sum())} point(s) outside the box [−{BOX:g}, {BOX:g}]² were moved to its edge.")
        X = np.clip(X, -BOX, BOX)
    return Dataset(X=X, Y=labels.reshape(1, -1).copy(), name="edited"), tuple(notes)
