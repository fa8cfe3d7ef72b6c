"""Lecture mode: scenes, shareable links and presenter view, as the entry script calls them.

``dashboard.py`` calls, in order: :func:`read_link` (first run of a session
only: the URL's settings into the widgets' session state), :func:`page_setup`
(sidebar state and presenter CSS), :func:`sidebar_top` (presenter toggle and
scene menu), then after the twins are in sync :func:`after_sync` (pre-train a
link's or scene's step, show the link's notes and the scene's sentence), and
after the page has run :func:`publish` (the URL follows the view; "Copy link
to this view"). Parsing lives in :mod:`settings.links` and :mod:`settings.scenes`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

import streamlit as st

from lesson.text import escape_markdown
from netcore import Twins
from session.state import LabState
from settings import links as urlstate
from settings.config import Config
from settings.pages import DEFAULT_PAGE, PAGE_IDS
from settings.scenes import Scene, SceneBook, load_scenes
from ui.navigation import root_and_page, switch_to
from ui.state import lab

PRESENT_KEY = "present"           # the toggle; ui.render.current_style reads it too
SCENE_PICK_KEY = "scene"          # the sidebar's scene menu (a menu: it returns to empty after use)
_LINK_READ = "_lecture_link_read"
_PENDING = "_lecture_pending"
_NOTES = "_lecture_link_notes"
_ACTIVE = "_lecture_active_scene"
_SIDEBAR = "_lecture_sidebar_presenting"
_SHOW_LINK = "_lecture_show_link"
MAX_NOTES_SHOWN = 8
RECONNECT_TICK_S = 3600.0
"""The reconnect anchor's timer: long enough to cost nothing, short of the browser's 24.8-day limit."""

PRESENTER_CSS = """
<style>
/* Presenter view: read from the back row. Static rules only; no user content is ever inserted here. */
/* The first row starts just below Streamlit's header bar (3.75rem high, drawn over the page), not under it. */
[data-testid="stMain"] .block-container { padding-top: 4.25rem; padding-bottom: 1rem; max-width: 100%; }
[data-testid="stMain"] h1 { font-size: 3.1rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; line-height: 1.45; }
/* Metric values as large as their column allows: 3rem with two networks, smaller with three. */
[data-testid="stMain"] [data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: clamp(1.6rem, 24cqi, 3rem); line-height: 1.15; font-weight: 700; }
[data-testid="stMain"] [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.45rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.3rem; color: #222; }
[data-testid="stMain"] .stButton button { min-height: 3.2rem; border-width: 2px; }
[data-testid="stMain"] .stButton button p { font-size: 1.6rem; font-weight: 700; }
/* Banners (the scene, a link's notes, a divergence) stay compact, so the live view fits the screen below. */
[data-testid="stMain"] [data-testid="stAlertContainer"] { padding: .45rem .9rem; }
[data-testid="stMain"] [data-testid="stAlertContainer"] [data-testid="stMarkdownContainer"] p {
  font-size: 1.25rem; line-height: 1.3; }
/* Only Step, Play and Reset stay: every other control on any page is hidden. */
[data-testid="stMain"] [data-testid="stElementContainer"]:is(
  :has([data-testid="stButton"]), :has([data-testid="stDownloadButton"]), :has([data-testid="stSelectbox"]),
  :has([data-testid="stSlider"]), :has([data-testid="stCheckbox"]), :has([data-testid="stRadio"]),
  :has([data-testid="stNumberInput"]), :has([data-testid="stTextInput"]), :has([data-testid="stTextArea"]),
  :has([data-testid="stMultiSelect"]), :has([data-testid="stFileUploader"]), :has([data-testid="stButtonGroup"]),
  :has([data-testid="stPopover"])
):not(.st-key-step, .st-key-play, .st-key-reset) { display: none; }
</style>
"""


@dataclass
class _LinkNotes:
    notes: tuple[str, ...]
    twins: Twins | None = None


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY, False))


plain = escape_markdown   # untrusted text (notes, origins) on one inert line


# -- first run: the link -------------------------------------------------------------


def read_link(book: SceneBook | None = None) -> None:
    """On a session's first run, put the URL's settings into the widgets' state. Never raises."""
    if st.session_state.get(_LINK_READ):
        return
    st.session_state[_LINK_READ] = True
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    if not query:
        return
    book = book or load_scenes()
    link = urlstate.parse(query, book.ids(), PAGE_IDS)
    scene = book.get(link.scene)
    values = {**(scene.config.as_dict() if scene else {}), **link.values}
    for name, value in values.items():
        st.session_state[name] = value
    if link.present is not None:
        st.session_state[PRESENT_KEY] = link.present
    step = link.step if link.step is not None else (scene.step if scene else 0)
    if scene:
        st.session_state[_ACTIVE] = scene.id
    st.session_state[_PENDING] = (step, link.schedule, f"Opened from a link: the twins were trained to step {step}."
                                  if step else None)
    if link.notes:
        st.session_state[_NOTES] = _LinkNotes(link.notes)
    if link.page and link.page != DEFAULT_PAGE:
        switch_to(link.page)                         # reruns on that page; the settings above stay


# -- page set-up and the top of the sidebar ----------------------------------------------


def page_setup() -> None:
    """Collapse the sidebar when presenter view starts, open it when it ends; presenter CSS."""
    now = presenting()
    if st.session_state.get(_SIDEBAR) != now:
        # Only on a change, so a sidebar the user opened or closed by hand stays that way.
        st.set_page_config(initial_sidebar_state="collapsed" if now else "expanded")
        st.session_state[_SIDEBAR] = now
    if now:
        st.html(PRESENTER_CSS)


def open_scene(scene: Scene) -> None:
    """Set every control to the scene's values, build new twins, and pre-train on this run."""
    for name, value in scene.config.as_dict().items():
        st.session_state[name] = value
    state = lab()
    trained = f", trained to step {scene.step}" if scene.step else " at step 0"
    state.rebuild(scene.config, f"Scene “{scene.title}”: every control set, new twins{trained}.", custom=None)
    st.session_state[_PENDING] = (scene.step, (), None)
    st.session_state[_ACTIVE] = scene.id


def _scene_picked(book: SceneBook) -> None:
    scene = book.get(st.session_state.get(SCENE_PICK_KEY))
    st.session_state[SCENE_PICK_KEY] = None
    if scene:
        open_scene(scene)


def sidebar_top(book: SceneBook | None = None) -> None:
    """The presenter toggle and, outside presenter view, the scene menu and any scene-file problems."""
    sb = st.sidebar
    sb.toggle("Presenter view", key=PRESENT_KEY, persist_state="session",
              help="For a projector: bigger text and lines, only Step, Play and Reset. Also `?present=1`.")
    if presenting():
        return
    book = book or load_scenes()
    if book.scenes:
        sb.selectbox("Scene", book.ids(), index=None, key=SCENE_PICK_KEY, placeholder="Open a prepared scene…",
                     format_func=lambda i: book.get(i).title, on_change=_scene_picked, args=(book,),
                     help="Sets every control, builds new twins and trains them to the scene's step. "
                          "Scenes live in scenes.toml.")
    for problem in book.problems:
        sb.warning(plain(problem), icon=":material/warning:")
    sb.button("Copy link to this view", key="copy_link", icon=":material/link:", width="stretch",
              on_click=ask_for_link,
              help="A link that opens exactly this view: same data, same twins, same step.")


# -- after the twins are in sync ---------------------------------------------------


@st.cache_resource(max_entries=16, show_spinner=False)
def _pretrained(config_items: tuple, segments: tuple) -> tuple:
    """Twins of a config trained through ``segments``, shared read-only: callers deep-copy them.

    A link or scene opened by a whole class trains once. Holds no per-user
    data: only what the public config and step determine.
    """
    config = Config(**dict(config_items))
    state = LabState.build(config)
    for lr, steps in segments:
        state.twins.set_lr(lr)
        state.twins.step(steps)
    state.twins.set_lr(config.lr)
    return state.data, state.train, state.test, state.twins


def pretrain(state: LabState, step: int, schedule: tuple = ()) -> None:
    """Train fresh twins of ``state.config`` to ``step`` (following ``schedule``), bit for bit as live steps would."""
    segments = tuple(urlstate.plan(step, schedule, state.config.lr))
    if state.custom is None:
        cached = _pretrained(tuple(state.config.as_dict().items()), segments)
        state.data, state.train, state.test, state.twins = copy.deepcopy(cached)
    else:
        state.rebuild(state.config, "New twins for the pre-training.")
        for lr, steps in segments:
            state.twins.set_lr(lr)
            state.twins.step(steps)
        state.twins.set_lr(state.config.lr)
    state.playing = False


def adopt_twins(state: LabState, twins: Twins) -> None:
    """Put ``twins``, the same twins trained further (Play's frame on screen), in place of the session's;
    a link's notes follow them (they belong to these twins, not to new ones)."""
    notes = st.session_state.get(_NOTES)
    if notes is not None and notes.twins is state.twins:
        notes.twins = twins
    state.twins = twins


def ask_for_link() -> None:
    """Show "Link to this view" at the end of this run (as the sidebar's button does)."""
    st.session_state[_SHOW_LINK] = True


def link_asked() -> bool:
    return bool(st.session_state.get(_SHOW_LINK))


def scene_shown(state: LabState) -> bool:
    """Whether a scene's banner is up: its settings are still the ones in use."""
    return _active_scene(state, load_scenes()) is not None


def _active_scene(state: LabState, book: SceneBook) -> Scene | None:
    """The scene whose settings are in use; the view (both twins or one) may differ, it shows the same run."""
    scene = book.get(st.session_state.get(_ACTIVE))
    same = scene and replace(scene.config, view=state.config.view) == state.config
    return scene if same and state.custom is None else None


def _show_link_notes(state: LabState) -> None:
    held = st.session_state.get(_NOTES)
    if held is None:
        return
    if held.twins is None:
        held.twins = state.twins
    if held.twins is not state.twins:       # the user has moved on to new twins
        del st.session_state[_NOTES]
        return
    lines = [f"- {plain(n)}" for n in held.notes[:MAX_NOTES_SHOWN]]
    if len(held.notes) > MAX_NOTES_SHOWN:
        lines.append(f"- and {len(held.notes) - MAX_NOTES_SHOWN} more")
    st.warning("**Some settings in this link were ignored or corrected:**\n\n" + "\n".join(lines),
               icon=":material/link:")


def after_sync(state: LabState, book: SceneBook | None = None) -> None:
    """Pre-train what a link or scene asked for; show the link's notes and the scene's sentence."""
    pending = st.session_state.pop(_PENDING, None)
    if pending:
        step, schedule, notice = pending
        if step:
            with st.spinner(f"Training to step {step}…"):
                pretrain(state, step, schedule)
        if notice:
            state.notices.append(notice)
    _show_link_notes(state)
    scene = _active_scene(state, book or load_scenes())
    if scene:
        st.info(f"**Scene: {scene.title}.** {scene.watch}", icon=":material/movie:")


# -- after the page has run -----------------------------------------------------------


def current_params(state: LabState, book: SceneBook | None = None, step: int | None = None) -> dict[str, str]:
    """The query parameters of what this session shows now; ``step``: a later step of the same twins at
    their current rate (the frame Play shows), instead of theirs."""
    twins = state.twins
    step = twins.step_count if step is None else max(int(step), twins.step_count)
    schedule = urlstate.compact_schedule(twins.schedule, twins.lr, step)
    scene = _active_scene(state, book or load_scenes())
    return urlstate.encode(state.config, step, schedule, presenting(), scene.id if scene else None,
                           root_and_page()[1])


def link_url(params: dict[str, str]) -> str:
    """The full link: this app's root address and ``params`` (which name the page, if not the default)."""
    return f"{root_and_page()[0]}?{urlstate.query_string(params)}"


@st.dialog("Link to this view", width="large", icon=":material/link:")
def _link_dialog(url: str, notes: tuple[str, ...]) -> None:
    st.code(url, language=None, wrap_lines=True)
    for note in notes:
        st.caption(note)


def _write_address_bar(params: dict[str, str]) -> None:
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def follow_step(state: LabState) -> None:
    """Put the step (and schedule) into the address bar after a fragment run changed it: Step, Step × N.

    A whole-app run ends in :func:`publish`; a fragment run does not. Without this the address bar keeps
    the step of the last whole-app run, and a browser that reconnects, to the same server or to another
    process behind the proxy (``deploy/``), reopens at that older step. Streamlit's frontend adds one
    browser-history entry per change of the query string (it has no "replace" option), so this writes
    only when the query string changes, which a Step click always does, and not during Play, whose frames
    publish their own step.
    """
    if state.playing:
        return
    _write_address_bar(current_params(state))


def follow_play(state: LabState, step: int) -> None:
    """During Play, at every batch: the address bar holds the step on screen (Pause writes the exact one).

    One browser-history entry per batch, a few seconds apart; a reconnecting browser then reopens within a
    batch of where Play was.
    """
    _write_address_bar(current_params(state, step=step))


@st.fragment(run_every=RECONNECT_TICK_S)
def _reconnect_anchor() -> None:
    """Draws nothing; its timer is what matters (see :func:`keep_view_on_reconnect`)."""


def keep_view_on_reconnect() -> None:
    """Make a browser that reconnects rerun the whole app, so the view comes back from the address bar.

    Streamlit's frontend reruns on reconnecting only if a run was under way, the last run was a fragment
    run, or a fragment has a timer. After a whole-app run (opening the page, Reset, Pause, a page switch)
    and a new server process (the old one died), the page would stay drawn but dead: the new process
    does not know the Step fragment and drops its reruns. A fragment with a timer (an hour, drawing
    nothing) makes every reconnect a whole-app run, which rebuilds the view from the URL. Call on every
    whole-app run: the frontend forgets the timer at the start of each.
    """
    _reconnect_anchor()


def publish(state: LabState, book: SceneBook | None = None) -> None:
    """Keep the URL in step with the view; show the link when "Copy link to this view" was pressed.

    Whole-app runs end here; the Step fragment calls :func:`follow_step`, and Play's fragment reruns
    leave the address bar alone (Streamlit adds a browser-history entry per change). The dialog is built
    after the page has run, so its link pins the exact step.
    """
    params = current_params(state, book)
    _write_address_bar(params)
    if not st.session_state.pop(_SHOW_LINK, False) or presenting():
        return
    step = state.twins.step_count
    notes = [f"Opens the same data and the same twins at step {min(step, urlstate.MAX_PRETRAIN_STEPS)}, "
             "bit for bit, for anyone. The copy button is at the top right of the box."]
    if step > urlstate.MAX_PRETRAIN_STEPS:
        notes.append(f"A link trains at most {urlstate.MAX_PRETRAIN_STEPS} steps, so it opens at step "
                     f"{urlstate.MAX_PRETRAIN_STEPS}, not {step}.")
    if state.custom is not None:
        notes.append(f"This view trains on {plain(state.custom.origin)}. A link cannot carry data: it opens "
                     f"the generated “{state.config.dataset}” data instead.")
    _link_dialog(link_url(params), tuple(notes))


__all__ = ["PRESENT_KEY", "adopt_twins", "after_sync", "ask_for_link", "follow_play", "follow_step",
           "keep_view_on_reconnect", "link_asked", "link_url", "open_scene", "page_setup", "presenting", "pretrain",
           "publish", "read_link", "scene_shown", "sidebar_top"]
