"""Once-per-process set-up for a fresh server, and the two Streamlit costs it works around.

The first (checked on Streamlit 1.67): the first element a process sends
calls ``delta_generator._maybe_print_use_warning``, which asks
``env_util.is_repl()`` whether the app runs in a Python REPL. That check
walks ``inspect.stack()``, and every frame of it searches the modules loaded
so far; with numpy and plotly loaded that is a noticeable share of the first
page a new server draws (README, Cold start), for a warning that can never
apply under ``streamlit run``. When the runtime exists, the warning's flag is
set as if it had been shown already. ``tests/ui/test_startup.py`` fails if a
Streamlit upgrade renames the flag or drops the check.

The second: whatever ``server.fileWatcherType`` says, the server polls its
``config.toml`` files (the project's and ``~/.streamlit/``'s, whether they
exist or not) and any secrets file five times a second, each poll a thread
waking up. On the 2-core VM of the README's figures that was most of what an
idle server with one tab open costs (README, Play). The app stops those
pollers: a changed ``config.toml`` or secrets file takes effect when the
server restarts, as a changed script already does (``fileWatcherType =
"none"``). ``tests/ui/test_startup.py`` fails if Streamlit stops installing
them or changes how they stop.
"""

from __future__ import annotations

import gc

from streamlit import delta_generator, runtime
from streamlit.watcher.polling_path_watcher import PollingPathWatcher


def skip_direct_execution_warning() -> bool:
    """Under a server, mark the "run it with streamlit run" warning as shown (True); elsewhere change nothing."""
    if runtime.exists() and hasattr(delta_generator, "_use_warning_has_been_displayed"):
        delta_generator._use_warning_has_been_displayed = True
        return True
    return False


def stop_polling_watchers() -> int:
    """Stop every file poller Streamlit has started in this process (config and secrets); returns how many.

    Run before :func:`freeze_startup_objects`: the search only sees objects the collector still tracks.
    Each poller ends after its current 0.2 s wait.
    """
    watchers = [o for o in gc.get_referrers(PollingPathWatcher) if isinstance(o, PollingPathWatcher)]
    for watcher in watchers:
        watcher.close()
    return len(watchers)


def freeze_startup_objects() -> None:
    """Move everything imported so far out of the garbage collector's reach.

    numpy, pandas, plotly and Streamlit leave hundreds of thousands of
    long-lived objects; without this, every rerun's GC passes walk them all.
    No collection first: it would walk them all once more during the first
    page's run, to free the few dozen unreachable objects import leaves.
    """
    gc.freeze()
