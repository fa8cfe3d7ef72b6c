"""ui.sidebar: a session's first run draws the page and leaves the sidebar's widgets to the next run, losing nothing."""

import json

from settings.config import DEFAULT
from tests.helpers import ROOT, new_app
from tests.support import live

WIDGET_KINDS = ("slider", "select_slider", "selectbox", "number_input", "radio", "checkbox", "toggle", "button")


def sidebar_keys(at) -> set[str]:
    return {w.key for kind in WIDGET_KINDS for w in at.sidebar.get(kind) if w.key}


def keys_data(at) -> dict:
    (keys,) = [e.proto for e in at.get("bidi_component") if e.proto.component_name == live.KEYS]
    return json.loads(keys.json)


def test_the_first_run_draws_the_view_and_asks_for_the_run_that_draws_the_sidebar():
    at = new_app(first_run=True).run()
    assert not at.exception
    assert sidebar_keys(at) == set()                              # the nav only
    assert any(e.proto.component_name == live.VIEW for e in at.get("bidi_component"))
    assert keys_data(at) == {"sidebar": True, "view": True}      # the Train page waits for the view's first frame
    assert at.session_state["lab"].config == DEFAULT
    at.run()                                                      # what the keys' "ready" trigger asks for
    assert not at.exception
    drawn = sidebar_keys(at)
    assert {"present", "copy_link", "dataset", "n_points", "seed", "view", "width", "lr", "contrast"} <= drawn
    assert keys_data(at) == {"sidebar": False, "view": True}
    at.run()
    assert sidebar_keys(at) == drawn


def test_a_first_run_on_a_page_without_the_view_asks_at_once():
    at = new_app(first_run=True).switch_page(str(ROOT / "pages" / "data.py")).run()
    assert not at.exception
    assert keys_data(at) == {"sidebar": True, "view": False}
    assert sidebar_keys(at) == set()


def test_a_links_settings_rule_the_first_run_and_are_in_the_widgets_on_the_second():
    at = new_app(first_run=True)
    at.query_params.update({"width": "7", "lr": "3", "dataset": "circles"})
    at.run()
    assert not at.exception
    config = at.session_state["lab"].config
    assert (config.width, config.lr, config.dataset) == (7, 3.0, "circles")
    at.run()
    assert at.sidebar.slider(key="width").value == 7
    assert at.sidebar.select_slider(key="lr").value == 3.0
    assert at.sidebar.selectbox(key="dataset").value == "circles"
    assert at.session_state["lab"].config == config


def test_later_runs_draw_the_sidebar_from_the_start():
    at = new_app().run()
    assert keys_data(at)["sidebar"] is False and "width" in sidebar_keys(at)
