"""ui.startup: the first element of a served process no longer walks the whole stack for a REPL check."""

import inspect

from streamlit import delta_generator, env_util, runtime

from ui import startup


def test_streamlit_still_checks_for_a_repl_on_the_first_element_behind_the_flag_startup_sets():
    """If this fails, Streamlit changed what ui.startup works around: re-read its docstring."""
    assert isinstance(delta_generator._use_warning_has_been_displayed, bool)
    assert "env_util.is_repl()" in inspect.getsource(delta_generator._maybe_print_use_warning)


def test_under_a_server_the_repl_check_is_skipped(monkeypatch):
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(runtime, "exists", lambda: True)

    def walks_the_stack():
        raise AssertionError("is_repl ran")

    monkeypatch.setattr(env_util, "is_repl", walks_the_stack)
    assert startup.skip_direct_execution_warning() is True
    delta_generator._maybe_print_use_warning()           # the first element's check: nothing left to do


def test_without_a_server_the_warning_is_left_alone(monkeypatch):
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(runtime, "exists", lambda: False)
    assert startup.skip_direct_execution_warning() is False
    assert delta_generator._use_warning_has_been_displayed is False
