"""Scenes: named, prepared views for a lecture, kept in ``scenes.toml`` at the repo root.

A scene sets every control (the :class:`~settings.config.Config` fields), says in
one sentence what to watch, and may pre-train to a step. A lecturer adds a
scene by adding a ``[[scene]]`` table to the file; no code changes. Values go
through :func:`settings.config.coerce`, the sidebar's own validation, and a scene
with any problem is left out with a message that names the scene and the
value, so a typo never crashes the app or passes silently. No Streamlit import.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from settings.config import Config, coerce
from settings.links import MAX_PRETRAIN_STEPS

SCENES_PATH = Path(__file__).resolve().parents[1] / "scenes.toml"
META_KEYS = ("id", "title", "watch", "step")
"""Keys of a scene that are not config fields."""
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
"""Scene ids appear in links (``?scene=xor-one-unit``): lowercase letters, digits and dashes."""


@dataclass(frozen=True)
class Scene:
    id: str
    title: str
    watch: str
    config: Config
    step: int = 0

    def __repr__(self) -> str:
        return f"Scene({self.id!r}, step={self.step})"


@dataclass(frozen=True)
class SceneBook:
    """The scenes that loaded, in file order, and one message per problem found."""

    scenes: tuple[Scene, ...] = ()
    problems: tuple[str, ...] = ()

    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.scenes)

    def get(self, scene_id: str | None) -> Scene | None:
        return next((s for s in self.scenes if s.id == scene_id), None)


def _text(table: dict, key: str, problems: list[str]) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"'{key}' must be a non-empty text")
        return ""
    return " ".join(value.split())


def _scene(table: object, seen: set[str]) -> tuple[Scene | None, str, list[str]]:
    """One ``[[scene]]`` table -> ``(scene or None, its name for messages, problems)``."""
    if not isinstance(table, dict):
        return None, "?", ["is not a table of settings"]
    problems: list[str] = []
    scene_id = table.get("id")
    name = f"'{scene_id}'" if isinstance(scene_id, str) else "without an id"
    if not isinstance(scene_id, str) or not ID_PATTERN.fullmatch(scene_id):
        problems.append("'id' must be 1 to 40 lowercase letters, digits or dashes, starting with a letter or digit")
    elif scene_id in seen:
        problems.append("the id is used by an earlier scene")
    title, watch = _text(table, "title", problems), _text(table, "watch", problems)
    step = table.get("step", 0)
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= MAX_PRETRAIN_STEPS:
        problems.append(f"'step' must be a whole number from 0 to {MAX_PRETRAIN_STEPS}, not {step!r}")
    config, notes = coerce({k: v for k, v in table.items() if k not in META_KEYS})
    problems += notes
    if problems:
        return None, name, problems
    seen.add(scene_id)
    return Scene(scene_id, title, watch, config, step), name, []


def parse_scenes(text: str, source: str = "scenes.toml") -> SceneBook:
    """Scenes from the TOML ``text``; never raises. ``source`` names the file in messages."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return SceneBook(problems=(f"{source} is not valid TOML ({err}); no scenes loaded.",))
    tables = doc.get("scene")
    if not isinstance(tables, list):
        return SceneBook(problems=(f"{source} has no [[scene]] tables; no scenes loaded.",))
    scenes, problems, seen = [], [], set()
    for number, table in enumerate(tables, start=1):
        scene, name, found = _scene(table, seen)
        if scene:
            scenes.append(scene)
        else:
            problems.append(f"{source}, scene {number} ({name}): " + "; ".join(found) + ". This scene is left out.")
    return SceneBook(tuple(scenes), tuple(problems))


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> SceneBook:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return SceneBook(problems=(f"{Path(path).name} could not be read ({err.__class__.__name__}); "
                                   "no scenes loaded.",))
    return parse_scenes(text, Path(path).name)


def load_scenes(path: Path = SCENES_PATH) -> SceneBook:
    """The scene book, re-read whenever the file changes (a lecturer may edit it while the app runs).

    The cache holds immutable scenes only: nothing a session could change.
    """
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return SceneBook(problems=(f"{path.name} was not found; no scenes loaded.",))
    return _load(str(path), mtime)


__all__ = ["SCENES_PATH", "Scene", "SceneBook", "load_scenes", "parse_scenes"]
