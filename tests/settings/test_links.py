"""Links: encode -> parse is exact, bad query strings never raise and are always reported."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netcore import HIDDEN, NAMES
from settings.config import BATCH_CHOICES, DEFAULT, FIELD_NAMES, LR_CHOICES, VIEWS, Config, coerce
from settings.links import (
    EXTRAS,
    MAX_PRETRAIN_STEPS,
    MAX_SCHEDULE_SEGMENTS,
    PARAMS,
    compact_schedule,
    encode,
    parse,
    plan,
    query_string,
    shown,
)

configs = st.builds(
    Config,
    dataset=st.sampled_from(NAMES), n_points=st.integers(50, 1000), noise=st.floats(0, 1),
    test_fraction=st.floats(0, 0.5), seed=st.integers(0, 2**31 - 1), view=st.sampled_from(tuple(VIEWS)),
    width=st.integers(1, 64), lr=st.sampled_from(LR_CHOICES), hidden=st.sampled_from(tuple(HIDDEN)),
    batch_size=st.sampled_from(BATCH_CHOICES), contrast=st.booleans(), init_scale=st.floats(0.1, 20.0))
schedules = st.lists(st.tuples(st.sampled_from(LR_CHOICES), st.integers(0, 500)), max_size=MAX_SCHEDULE_SEGMENTS)


def from_query_string(qs: str) -> dict[str, list[str]]:
    """As the browser hands a query string to Streamlit: blank values kept, repeated keys as lists."""
    return parse_qs(qs, keep_blank_values=True)


def test_every_config_field_has_a_url_name():
    assert sorted(PARAMS.values()) == sorted(FIELD_NAMES)
    assert not set(PARAMS) & set(EXTRAS)


@settings(max_examples=300, deadline=None)
@given(configs, st.integers(0, MAX_PRETRAIN_STEPS), schedules, st.booleans())
def test_encode_then_parse_gives_back_exactly_the_same_view(config, step, schedule, present):
    qs = query_string(encode(config, step, schedule, present, "a-scene", "inside"))
    link = parse(from_query_string(qs), scene_ids=("a-scene",), page_ids=("inside", "data"))
    assert link.notes == ()
    assert Config(**link.values) == config          # floats bit for bit: repr round-trips
    assert link.step == step and bool(link.present) is present and link.scene == "a-scene" and link.page == "inside"
    assert link.schedule == tuple(schedule)


def test_a_link_lists_every_field_even_at_its_default():
    params = encode(DEFAULT)
    assert list(params) == [*PARAMS, "step"]
    assert params["contrast"] == "0" and params["lr"] == "1.0" and params["step"] == "0"
    assert query_string(encode(DEFAULT, 5, ((0.3, 2), (1.0, 3)))).endswith("&step=5&schedule=0.3:2,1.0:3")


BAD = [
    # (query string, text every note list must contain)
    ("points=5000", "points='5000' is out of range; clamped to 1000 (allowed 50 to 1000)"),
    ("points=abc", "points='abc' is not valid; using the default, 200"),
    ("points=1e999", "points='1e999' is not valid"),
    ("points=nan", "points='nan' is not valid"),
    ("points=12.5", "points='12.5' is not valid"),
    ("points=", "points='' is not valid"),
    ("noise=-3", "noise='-3' is out of range; clamped to 0"),
    ("seed=99999999999999999999999999", "seed='99999999999999999999999999' is out of range"),
    ("seed=-1", "seed='-1' is out of range; clamped to 0"),
    ("width=0", "width='0' is out of range; clamped to 1"),
    ("width=1000000", "width='1000000' is out of range; clamped to 64"),
    ("width=4&width=8", "width was given 2 times; only the last, '8', is used"),
    ("dataset=mnist", "dataset='mnist' is not valid; using the default, xor"),
    ("dataset=<script>alert(1)</script>", "dataset='<script>alert(1)</script>' is not valid"),
    ("view=all", "view='all' is not valid"),
    ("activation=softmax", "activation='softmax' is not valid"),
    ("lr=0.2", "lr='0.2' is not offered; using the nearest, 0.3"),
    ("lr=-1", "lr='-1' is not offered; using the nearest, 0.001"),
    ("lr=inf", "lr='inf' is not valid"),
    ("batch=7", "batch='7' is not valid"),
    ("contrast=maybe", "contrast='maybe' is not valid"),
    ("init=100", "init='100' is out of range; clamped to 20"),
    ("step=-5", "step='-5' is negative; starting at step 0"),
    ("step=ten", "step='ten' is not a whole number; ignored"),
    ("step=1.5", "step='1.5' is not a whole number"),
    ("step=1e12", f"step='1e12' is more than a link may train; trained to the limit, {MAX_PRETRAIN_STEPS} steps"),
    ("step=" + "9" * 5000, "is more than a link may train"),
    ("step=1&step=2&step=3", "step was given 3 times"),
    ("schedule=fast", "schedule='fast' is not a list of 'rate:steps' pairs"),
    ("schedule=0.2:10", "schedule='0.2:10' is not a list"),
    ("schedule=1.0:-4", "schedule='1.0:-4' is not a list"),
    ("schedule=" + ",".join(["1.0:1"] * 17), "is not a list of 'rate:steps' pairs"),
    ("present=2", "present='2' is not 0 or 1; ignored"),
    ("scene=nope", "scene='nope' is not one of this app's scenes (a-scene); ignored"),
    ("page=../secrets", "page='../secrets' is not one of this app's pages (data); ignored"),
    ("foo=1", "'foo' is not a setting of this app; ignored"),
    ("=1", "'' is not a setting of this app; ignored"),
    ("Points=100", "'Points' is not a setting of this app"),
    ("x" * 300 + "=1", "'" + "x" * 40 + "…' is not a setting"),
    ("dataset=%00%FF%FE", "is not valid"),
    ("width=%EF%BC%94%EF%BC%94%EF%BC%94", "width='４４４' is out of range"),   # full-width digits are digits
]


@pytest.mark.parametrize("qs,expected", BAD)
def test_bad_query_strings_are_clamped_or_ignored_and_named(qs, expected):
    link = parse(from_query_string(qs), scene_ids=("a-scene",), page_ids=("data",))
    assert any(expected in note for note in link.notes), link.notes
    config, notes = coerce(link.values)
    assert notes == []                                  # whatever was kept is legal
    assert 0 <= (link.step or 0) <= MAX_PRETRAIN_STEPS


keys = st.one_of(st.sampled_from([*PARAMS, *EXTRAS]), st.text(max_size=12))
values = st.one_of(st.text(max_size=30), st.integers().map(str), st.floats().map(repr),
                   st.sampled_from(["", "1e309", "-0", "nan", "xor", "0.3", "1.0:5,0.1:x", "true"]))


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(keys, st.lists(values, min_size=1, max_size=3), max_size=8))
def test_parse_never_raises_and_reports_every_unknown_or_repeated_key(query):
    link = parse(query, scene_ids=("a-scene",))
    config, notes = coerce(link.values)
    assert notes == []
    assert link.step is None or 0 <= link.step <= MAX_PRETRAIN_STEPS
    assert all(isinstance(lr, float) and n >= 0 for lr, n in link.schedule)
    for key, given_values in query.items():
        if key not in PARAMS and key not in EXTRAS:
            assert any(note.startswith(shown(key)) for note in link.notes)
        elif len(given_values) > 1:
            assert any(note.startswith(f"{key} was given {len(given_values)} times") for note in link.notes)
    assert all("\n" not in note for note in link.notes)              # one line each, for the list the app shows


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**6), schedules, st.sampled_from(LR_CHOICES))
def test_plan_reaches_the_step_capped_and_follows_the_schedule(step, schedule, lr):
    segments = plan(step, schedule, lr)
    assert sum(n for _, n in segments) == min(step, MAX_PRETRAIN_STEPS)
    assert all(n > 0 for _, n in segments)
    # the segments are the schedule's, in order, then the current rate
    expanded = [r for r, n in (*schedule, (lr, 10**7)) for _ in range(min(n, 3001))][: min(step, 3000)]
    assert [r for r, n in segments for _ in range(n)] == expanded


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LR_CHOICES), st.integers(0, 200)), max_size=6),
       st.sampled_from(LR_CHOICES), st.integers(0, 300))
def test_compact_schedule_replays_the_same_rates(done, lr, extra):
    step = sum(n for _, n in done) + extra
    schedule = compact_schedule(done, lr, step)
    replay = [r for r, n in plan(step, schedule, lr) for _ in range(n)] if step <= MAX_PRETRAIN_STEPS else None
    if replay is not None:
        assert replay == [r for r, n in (*done, (lr, extra)) for _ in range(n)]
    assert not schedule or schedule[-1][0] != lr
    assert all(a[0] != b[0] for a, b in zip(schedule, schedule[1:]))


def test_a_run_that_never_changed_its_rate_has_no_schedule():
    assert compact_schedule([], 1.0, 500) == ()
    assert compact_schedule([(1.0, 100)], 1.0, 500) == ()
    assert compact_schedule([(1.0, 100), (0.3, 0)], 0.1, 150) == ((1.0, 100),)


def test_urlencode_of_our_params_is_what_parse_qs_reads():
    params = encode(Config(noise=0.15000000000000002), 7, ((3.0, 2),))
    assert from_query_string(urlencode(params)) == from_query_string(query_string(params))
    assert parse(from_query_string(query_string(params))).values["noise"] == 0.15000000000000002
