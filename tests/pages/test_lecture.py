"""Lecture mode in AppTest: scenes, shareable links (round trip and fuzzing), presenter view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from settings.config import FIELD_NAMES
from settings.links import EXTRAS, MAX_PRETRAIN_STEPS, PARAMS
from settings.scenes import load_scenes
from tests.helpers import new_app, step_on_screen
from tests.settings.test_links import BAD

BOOK = load_scenes()
SIDEBAR_CONTROLS = ("dataset", "n_points", "noise", "test_fraction", "seed", "view", "width", "lr", "hidden",
                    "batch_size", "contrast")


def run(query: dict | None = None):
    at = new_app()
    if query:
        at.query_params = query
    at.run()
    assert not at.exception, at.exception
    return at


def weights(at) -> dict[str, tuple[np.ndarray, ...]]:
    return {n: r.params.arrays() for n, r in at.session_state["lab"].twins.runs.items()}


def assert_same_weights(a, b):
    wa, wb = weights(a), weights(b)
    assert list(wa) == list(wb)
    for name in wa:
        for x, y in zip(wa[name], wb[name]):
            assert np.array_equal(x, y), name          # bit for bit, not approximately


def link_of(at) -> str:
    """Press "Copy link to this view" and read the link from the dialog."""
    at.button(key="copy_link").click().run()
    codes = [c.value for c in at.code if "?dataset=" in c.value]
    assert len(codes) == 1
    return codes[0]


def query_of(link: str) -> dict:
    return {k: v if len(v) > 1 else v[0] for k, v in parse_qs(urlsplit(link).query, keep_blank_values=True).items()}


def warning_text(at) -> str:
    return "\n".join(w.value for w in at.warning)


def controls_match(at, config) -> None:
    for name in FIELD_NAMES:
        assert at.session_state[name] == getattr(config, name), name
    for key in SIDEBAR_CONTROLS:
        widget = at.sidebar.get("selectbox") + at.sidebar.get("slider") + at.sidebar.get("number_input") + \
            at.sidebar.get("radio") + at.sidebar.get("select_slider") + at.sidebar.get("checkbox")
        shown = [w for w in widget if w.key == key]
        assert len(shown) == 1 and shown[0].value == getattr(config, key), key


# -- scenes -------------------------------------------------------------------------


@pytest.mark.parametrize("scene", BOOK.scenes, ids=BOOK.ids())
def test_opening_a_scene_from_the_menu_sets_every_control_and_pretrains(scene):
    at = run()
    at.slider(key="width").set_value(7).run()           # something to overwrite
    at.button(key="step").click().run()
    at.selectbox(key="scene").select(scene.id).run()
    assert not at.exception
    controls_match(at, scene.config)
    assert step_on_screen(at) == str(scene.step)
    state = at.session_state["lab"]
    assert state.config == scene.config and state.twins.width == scene.config.width
    assert all(r.step_count == scene.step or r.diverged for r in state.twins.runs.values())
    assert any(scene.watch[:60] in i.value for i in at.info)             # the sentence on what to watch
    assert at.selectbox(key="scene").value is None                          # the menu is ready for the next one
    assert at.query_params["scene"] == scene.id and at.query_params["step"] == str(scene.step)


@pytest.mark.parametrize("scene", BOOK.scenes, ids=BOOK.ids())
def test_a_scene_link_without_pretraining_sets_the_controls_at_step_zero(scene):
    at = run({"scene": scene.id, "step": "0"})
    controls_match(at, scene.config)
    assert step_on_screen(at) == "0"
    assert not at.warning
    assert any(scene.title in i.value for i in at.info)


def test_a_scene_link_pretrains_like_the_menu_bit_for_bit():
    scene = BOOK.get("saturation")
    by_link = run({"scene": scene.id})
    by_menu = run()
    by_menu.selectbox(key="scene").select(scene.id).run()
    assert step_on_screen(by_link) == step_on_screen(by_menu) == str(scene.step)
    assert_same_weights(by_link, by_menu)


def test_the_scene_note_goes_once_a_control_changes():
    at = run({"scene": "xor-one-unit", "step": "0"})
    assert any("XOR with one hidden unit" in i.value for i in at.info)
    at.slider(key="width").set_value(2).run()
    assert not any("Scene:" in i.value for i in at.info)
    assert "scene" not in at.query_params


# -- shareable links -------------------------------------------------------------------


def test_the_link_follows_the_view_and_reproduces_the_same_weights():
    a = run()
    a.selectbox(key="dataset").set_value("moons").run()
    a.slider(key="width").set_value(6).run()
    a.number_input(key="seed").set_value(1234).run()
    a.checkbox(key="contrast").check().run()
    a.selectbox(key="step_count").set_value(100).run()
    a.button(key="step_many").click().run()
    a.select_slider(key="lr").set_value(0.3).run()             # a rate change mid-run, kept in the link
    a.button(key="step").click().run()
    a.button(key="step").click().run()
    link = link_of(a)
    assert "step=102" in link and "schedule=1.0:100" in link and "lr=0.3" in link
    assert dict(a.query_params) == query_of(link)                 # the address bar holds the same link
    b = run(query_of(link))
    assert not b.warning
    assert step_on_screen(b) == "102"
    assert_same_weights(a, b)
    assert b.session_state["lab"].config == a.session_state["lab"].config
    assert link_of(b) == link                                     # and it links back to itself


def test_mini_batch_runs_round_trip_too():
    a = run({"batch": "16", "dataset": "circles", "seed": "7"})
    a.button(key="step_many").click().run()
    b = run(query_of(link_of(a)))
    assert step_on_screen(b) == "10"
    assert_same_weights(a, b)


def test_a_link_beyond_the_limit_says_so_and_trains_to_the_limit():
    a = run({"step": str(MAX_PRETRAIN_STEPS)})
    a.button(key="step").click().run()
    link = link_of(a)
    assert any(f"opens at step {MAX_PRETRAIN_STEPS}, not {MAX_PRETRAIN_STEPS + 1}" in c.value for c in a.caption)
    b = run(query_of(link))
    assert step_on_screen(b) == str(MAX_PRETRAIN_STEPS)
    assert "more than a link may train" in warning_text(b)


def test_link_notes_stay_until_new_twins():
    at = run({"width": "0", "step": "3"})
    assert "width" in warning_text(at)
    at.button(key="step").click().run()
    assert "width" in warning_text(at)
    at.button(key="reset").click().run()
    assert not at.warning


FUZZ_TABLE = [qs for qs, _ in BAD] + ["points=5000&points=abc&dataset=&width=-1&step=1e400&present=yes please",
                                      "scene=saturation&scene=divergence&step=-1", "%ZZ=%ZZ", "a&b&c", "&&&=&="]


@pytest.mark.parametrize("qs", FUZZ_TABLE)
def test_bad_links_never_raise_and_always_name_what_was_ignored(qs):
    query = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(qs, keep_blank_values=True).items()}
    at = run(query)
    text = warning_text(at)
    assert "ignored or corrected" in text
    for key in query:
        if key in PARAMS or key in EXTRAS:
            assert key in text or "given" in text
    assert step_on_screen(at).isdigit()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(
    st.one_of(st.sampled_from(["points", "width", "lr", "step", "dataset", "seed", "schedule", "present"]),
              st.text(min_size=1, max_size=8)),
    st.lists(st.one_of(st.text(max_size=20), st.sampled_from(["-1", "1e999", "nan", "99999999999", ""])),
             min_size=1, max_size=3),
    min_size=1, max_size=5))
def test_generated_links_never_raise_and_show_the_note(query):
    query = {k: v if len(v) > 1 else v[0] for k, v in query.items()}
    from settings.links import parse

    expected = parse({k: [v] if isinstance(v, str) else v for k, v in query.items()}, BOOK.ids()).notes
    at = run(query)
    if expected:
        assert "ignored or corrected" in warning_text(at)
    else:
        assert not at.warning
    assert int(step_on_screen(at)) <= MAX_PRETRAIN_STEPS


# -- presenter view ------------------------------------------------------------------------


def test_presenter_view_from_the_url_keeps_only_step_play_reset():
    at = run({"present": "1", "width": "6"})
    assert at.toggle(key="present").value is True
    assert [w.key for w in at.sidebar.get("toggle")] == ["present"]
    assert not at.sidebar.get("selectbox") and not at.sidebar.get("slider")
    assert sorted(b.key for b in at.button) == ["play", "reset", "step"]
    assert [t.key for t in at.toggle] == ["present"] and not at.selectbox     # Log scale is the view's own
    assert step_on_screen(at) == "0"
    at.button(key="step").click().run()
    assert step_on_screen(at) == "1"
    assert at.query_params["present"] == "1"


def test_leaving_presenter_view_brings_every_control_back_unchanged():
    at = run()
    at.slider(key="width").set_value(6).run()
    at.selectbox(key="speed").set_value(10).run()
    at.toggle(key="present").set_value(True).run()
    assert not at.sidebar.get("slider")
    at.button(key="step").click().run()
    at.toggle(key="present").set_value(False).run()
    assert at.slider(key="width").value == 6 and at.selectbox(key="speed").value == 10
    assert step_on_screen(at) == "1" and at.session_state["lab"].twins.width == 6
    assert "present" not in at.query_params


def test_a_link_can_open_another_page_with_the_same_twins():
    at = run({"page": "inside", "width": "6", "step": "5"})
    assert any("Inside" in t.value for t in at.title)
    assert at.session_state["lab"].twins.step_count == 5 and at.session_state["lab"].twins.width == 6
    bad = run({"page": "../../etc/passwd"})
    assert "is not one of this app's pages" in warning_text(bad).replace("\\", "")
    assert any(t.value == "Train" for t in bad.title)
