"""ui.startup: the first element of a served process no longer walks the whole stack for a REPL check, and
Streamlit's pollers of config and secrets files are stopped."""

import inspect
import time

from streamlit import delta_generator, env_util, runtime
from streamlit.watcher.polling_path_watcher import PollingPathWatcher

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


def test_streamlit_still_polls_the_config_files_whatever_the_file_watcher_setting():
    """If this fails, Streamlit no longer forces a poller on config.toml: re-read ui.startup's docstring."""
    from streamlit.web import bootstrap

    assert 'watcher_type="poll"' in inspect.getsource(bootstrap._install_config_watchers)


def _poller(tmp_path) -> tuple:
    """A Streamlit poller on a fresh config file: the file, the changes it reports, and the poller."""
    watched = tmp_path / "config.toml"
    watched.write_text("[server]\n")
    seen = []
    return watched, seen, PollingPathWatcher(str(watched), seen.append)


def test_the_pollers_are_found_and_stopped_and_a_changed_file_then_goes_unnoticed(tmp_path):
    watched, seen, watcher = _poller(tmp_path)
    assert watcher._active
    assert startup.stop_polling_watchers() >= 1
    assert not watcher._active
    time.sleep(0.3)                                   # the poll under way ends
    watched.write_text("[server]\nport = 1\n")
    time.sleep(0.6)                                   # three polling periods
    assert seen == []


def test_a_running_poller_notices_a_change_so_the_test_above_means_something(tmp_path):
    watched, seen, watcher = _poller(tmp_path)
    try:
        time.sleep(0.05)
        watched.write_text("[server]\nport = 1\n")
        deadline = time.monotonic() + 3
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen == [str(watched)]
    finally:
        watcher.close()
