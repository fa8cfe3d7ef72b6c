"""The CSV parser: every bad file gets its own message, good files give the right dataset."""

import tomllib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataio.export import dataset_csv
from dataio.upload import (
    MARGIN,
    MAX_ROWS,
    MAX_UPLOAD_MB,
    UploadError,
    dataset_table,
    parse_csv,
    table_to_dataset,
)
from lesson.text import escape_markdown
from netcore import BOX, make_dataset
from tests.helpers import ROOT


def error_of(raw: bytes) -> str:
    with pytest.raises(UploadError) as info:
        parse_csv(raw, "points.csv")
    return str(info.value)


# -- every bad input, each with its message ------------------------------------------------------
def test_empty_file():
    assert "empty" in error_of(b"")
    assert "empty" in error_of(b"  \n\n \r\n")


def test_header_only():
    assert "header line but no data rows" in error_of(b"x1,x2,label\n")
    assert "header line but no data rows" in error_of(b"x1,x2,label\n\n\n")


def test_non_numeric_cell_names_line_and_column():
    msg = error_of(b"a,b,label\n1,2,0\n3,abc,1\n")
    assert "Line 3, column 'b'" in msg and "'abc'" in msg and "not a number" in msg


def test_empty_feature_cell():
    assert "Line 2, column 'x2' is empty" in error_of(b"x1,x2,label\n1,,0\n2,3,1\n")


@pytest.mark.parametrize("bad", [b"nan", b"NaN", b"inf", b"-Infinity", b"1e999"])
def test_nan_or_inf(bad):
    msg = error_of(b"x1,x2,label\n1,2,0\n" + bad + b",3,1\n")
    assert "Line 3, column 'x1'" in msg and "finite number" in msg


def test_nan_label():
    assert "not NaN or infinity" in error_of(b"x1,x2,label\n1,2,0\n2,3,nan\n")


def test_single_class():
    msg = error_of(b"x1,x2,label\n1,2,1\n2,3,1\n4,5,1\n")
    assert "same label, 1" in msg and "two classes" in msg


def test_more_than_two_labels():
    msg = error_of(b"x1,x2,label\n1,2,0\n2,3,1\n4,5,2\n")
    assert "3 different values (0, 1, 2)" in msg and "two classes only" in msg


@pytest.mark.parametrize("raw,count", [(b"x1,x2\n1,2\n3,4\n", 2), (b"a,b,c,d\n1,2,3,0\n4,5,6,1\n", 4),
                                       (b"a,b,c,d,e\n1,2,3,4,0\n", 5)])
def test_wrong_number_of_columns(raw, count):
    msg = error_of(raw)
    assert f"The file has {count} columns" in msg and "exactly three" in msg


def test_pandas_index_column_gets_a_hint():
    assert "row number saved by pandas" in error_of(b",x1,x2,label\n0,1,2,0\n1,3,4,1\n")


def test_ragged_rows():
    msg = error_of(b"x1,x2,label\n1,2,0\n3,4,1,7\n")
    assert "Line 3 has 4 cells but the first line has 3" in msg


def test_more_than_max_rows_is_sampled_with_a_note():
    rng = np.random.default_rng(0)
    n = MAX_ROWS + 2500
    X = rng.normal(size=(n, 2))
    y = (np.arange(n) == 17).astype(int)       # one lonely class-1 row must survive the sampling
    csv = pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "label": y}).to_csv(index=False).encode()
    parsed = parse_csv(csv)
    assert parsed.data.m == MAX_ROWS and parsed.rows_in_file == n
    assert parsed.data.class_counts() == (MAX_ROWS - 1, 1)
    assert any(f"{n:,} rows" in note and "picked at random" in note for note in parsed.notes)
    again = parse_csv(csv)
    np.testing.assert_array_equal(again.data.X, parsed.data.X)       # the same rows every time


def test_over_the_upload_limit():
    big = b"x1,x2,label\n" + b"0.123456789,0.123456789,1\n" * (MAX_UPLOAD_MB * 1024 * 1024 // 26 + 10)
    msg = error_of(big)
    assert f"the limit is {MAX_UPLOAD_MB} MB" in msg


def test_upload_limit_matches_the_server_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
    assert config["browser"]["gatherUsageStats"] is False


def test_text_that_is_not_csv():
    msg = error_of(b"Dear professor,\nhere is my homework. It has commas, too, and more, and more.\nThanks\n")
    assert "CSV" in msg
    assert "no commas" in error_of(b"Just a sentence without separators\nand another line\n")
    assert "looks like text, not a CSV table of numbers" in error_of(b"Dear professor, my data is attached.\n")


@pytest.mark.parametrize("raw,what", [
    (b"PK\x03\x04\x14\x00\x06\x00rest-of-an-xlsx", "Excel workbook"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF document"),
])
def test_known_binary_formats(raw, what):
    msg = error_of(raw)
    assert what in msg and "CSV" in msg


def test_binary_junk():
    junk = np.random.default_rng(3).integers(0, 256, 4000, dtype=np.uint8).tobytes()
    assert "not text" in error_of(junk)
    assert "not text" in error_of(b"1,2,0\n\x00\x01\x02,3,1\n")


# -- good files -------------------------------------------------------------------------
def test_zero_one_labels_map_directly_and_points_inside_the_box_stay():
    parsed = parse_csv(b"x1,x2,label\n0.5,-1.5,0\n1.0,2.0,1\n-2,0,1\n")
    np.testing.assert_array_equal(parsed.data.X, [[0.5, 1.0, -2.0], [-1.5, 2.0, 0.0]])
    np.testing.assert_array_equal(parsed.data.Y, [[0, 1, 1]])
    assert parsed.label_map == (("0", 0), ("1", 1))
    assert any("used as they are" in n for n in parsed.notes)


def test_minus_one_one_labels():
    parsed = parse_csv(b"a,b,y\n0,0,-1\n1,1,1\n1,0,-1.0\n")
    np.testing.assert_array_equal(parsed.data.Y, [[0, 1, 0]])
    assert any("−1 became class 0" in n for n in parsed.notes)


@pytest.mark.parametrize("labels,expected", [((b"dog", b"cat", b"dog"), [1, 0, 1]), ((b"5", b"2", b"2"), [1, 0, 0]),
                                             ((b"yes", b"no", b"no"), [1, 0, 0])])
def test_other_labels_map_in_sorted_order(labels, expected):
    rows = b"".join(f"{i},{i * 2},".encode() + lab + b"\n" for i, lab in enumerate(labels))
    parsed = parse_csv(b"x1,x2,label\n" + rows)
    np.testing.assert_array_equal(parsed.data.Y[0], expected)
    low, high = sorted({lab.decode() for lab in labels}, key=lambda v: (float(v) if v.isdigit() else v))
    assert parsed.label_map == ((low, 0), (high, 1))
    assert any("in sorted order" in n and (f"'{low}' became class 0" in n or f" {low} became class 0" in n)
               for n in parsed.notes)


def test_features_are_rescaled_into_the_box_per_axis():
    parsed = parse_csv(b"height,weight,label\n150,50,0\n170,90,1\n190,70,1\n")
    edge = MARGIN * BOX
    np.testing.assert_allclose(parsed.data.X, [[-edge, 0, edge], [-edge, edge, 0]])
    assert any("rescaled into the app's box" in n for n in parsed.notes)
    assert any("x1 ('height') was rescaled from [150, 190]" in n for n in parsed.notes)


def test_huge_values_rescale_without_overflow():
    parsed = parse_csv(b"x1,x2,label\n-1e308,1,0\n1e308,2,1\n")
    assert np.isfinite(parsed.data.X).all()
    np.testing.assert_allclose(parsed.data.X[0], [-MARGIN * BOX, MARGIN * BOX])


def test_no_header_label_column_by_name_semicolons_and_decimal_commas():
    assert parse_csv(b"1,2,0\n3,4,1\n").columns == ("column 1", "column 2", "column 3")
    parsed = parse_csv(b"label;a;b\n0;0,5;1,5\n1;-0,5;0,25\n")
    assert parsed.columns == ("a", "b", "label")
    np.testing.assert_allclose(parsed.data.X, [[0.5, -0.5], [1.5, 0.25]])
    np.testing.assert_array_equal(parsed.data.Y, [[0, 1]])


def test_bom_crlf_blank_lines_and_trailing_commas():
    parsed = parse_csv(b"\xef\xbb\xbfx1,x2,label,\r\n1,2,0,\r\n\r\n0,1,1,\r\n")
    assert parsed.columns == ("x1", "x2", "label") and parsed.data.m == 2


def test_downloaded_dataset_uploads_back_unchanged():
    data = make_dataset("moons", 120, 0.2, np.random.default_rng(4))
    back = parse_csv(dataset_csv(data)).data
    np.testing.assert_array_equal(back.X, data.X)
    np.testing.assert_array_equal(back.Y, data.Y)


# -- fuzzing: never anything but UploadError, and a success is always a usable dataset ----------------
def check(raw: bytes) -> None:
    try:
        parsed = parse_csv(raw, "fuzz.csv")
    except UploadError as e:
        assert str(e)
        return
    d = parsed.data
    assert d.X.shape == (2, d.m) and d.Y.shape == (1, d.m) and 2 <= d.m <= MAX_ROWS
    assert np.isfinite(d.X).all() and np.abs(d.X).max() <= BOX
    assert set(np.unique(d.Y)) == {0.0, 1.0}


CELLS = st.one_of(
    st.sampled_from(["", " ", "0", "1", "-1", "2", "nan", "inf", "1e999", "-1e308", "1,5", "x1", "label", '"',
                     '"a,b"', "abc", "é", "\t", ";", "0.5", "1e-320", "True"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**30, 10**30).map(str),
    st.text(max_size=6),
)


@st.composite
def tables(draw):
    width = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(CELLS, min_size=width, max_size=width), max_size=12))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(sep.join(r) for r in rows).encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])),
                                                           errors="replace")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_fuzz_bytes(raw):
    check(raw)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_fuzz_tables(raw):
    check(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_text(text):
    check(text.encode("utf-8"))


# -- the editor's table ------------------------------------------------------------------------------
def test_table_round_trip_and_fixes():
    data = make_dataset("xor", 50, 0.0, np.random.default_rng(1))
    table = dataset_table(data)
    assert list(table.columns) == ["x1", "x2", "label"] and table["label"].dtype.kind == "i"
    back, notes = table_to_dataset(table)
    np.testing.assert_array_equal(back.X, data.X)
    np.testing.assert_array_equal(back.Y, data.Y)
    assert notes == ()
    edited = pd.concat([table, pd.DataFrame({"x1": [9.0, None], "x2": [0.0, 1.0], "label": [1, 0]})],
                       ignore_index=True)
    edited.loc[0, "label"] = 1 - edited.loc[0, "label"]
    back, notes = table_to_dataset(edited)
    assert back.m == 51 and back.X[0, 50] == BOX and back.Y[0, 0] == 1 - data.Y[0, 0]
    assert any("left out" in n for n in notes) and any("moved to its edge" in n for n in notes)


def test_table_errors():
    with pytest.raises(UploadError, match="both classes"):
        table_to_dataset(pd.DataFrame({"x1": [0.0, 1.0], "x2": [0.0, 1.0], "label": [1, 1]}))
    with pytest.raises(UploadError, match="0 or 1"):
        table_to_dataset(pd.DataFrame({"x1": [0.0, 1.0], "x2": [0.0, 1.0], "label": [0, 2]}))


def test_escape_markdown_neutralises_links_and_directives():
    text = "[click](http://x) **bold** :red[hi] $x$ <b>"
    out = escape_markdown(text)
    assert "\\[click\\]\\(http\\:\\/\\/x\\)" in out and "\\*\\*bold\\*\\*" in out
    assert "\\:red\\[hi\\]" in out and "\\$x\\$" in out and "\\<b\\>" in out
    assert escape_markdown("a\nb") == "a b"
