"""Shareable links: the lab's whole configuration in the URL's query string, and back.

Like TensorFlow Playground's ``state.ts``: every setting has a short URL name
(:data:`PARAMS`), :func:`encode` writes a view as query parameters and
:func:`parse` reads untrusted ones back. Parsing never raises: a bad value is
clamped or replaced by the default (through :func:`settings.config.coerce_field`,
the same validation the sidebar uses), an unknown or unreadable parameter is
ignored, and every such change becomes a note the app shows to the user.

A link is bit-for-bit reproducible: the seed fixes the data, the split and the
initial weights, and ``step`` (with ``schedule`` when the learning rate was
changed during the run) fixes the updates. The app replays at most
:data:`MAX_PRETRAIN_STEPS` steps when it opens a link. No Streamlit import:
this is plain data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from settings.config import SETTINGS, Config, coerce_field

PARAMS = {rule.url: name for name, rule in SETTINGS.items()}
"""URL name -> :class:`~settings.config.Config` field. Every field has one, so a link carries the whole config."""

EXTRAS = ("step", "schedule", "present", "scene", "page")
"""URL names that are not config fields: the step to train to, the learning-rate schedule before the
current rate, presenter view, the scene the view was opened from, and the page to open."""

MAX_PRETRAIN_STEPS = 3000
"""Most steps a link or a scene trains before the page appears, so that opening any link stays a short
wait even at the largest settings (width 64, 1,000 points, three networks)."""

MAX_SCHEDULE_SEGMENTS = 16
"""Most learning-rate changes a link records; a longer schedule is ignored as a whole."""

_TEXT_SHOWN = 40
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def shown(text: object) -> str:
    """Untrusted text as it may appear in a note: one line, at most 40 characters, quoted."""
    text = " ".join(str(text).split())
    return f"'{text[:_TEXT_SHOWN]}…'" if len(text) > _TEXT_SHOWN else f"'{text}'"


@dataclass(frozen=True)
class Link:
    """What a query string asked for, made legal.

    ``values`` holds only the config fields the link gave (already valid);
    ``schedule`` is ``((lr, steps), ...)``, the segments trained before the
    current learning rate; ``step``, ``present`` and ``scene`` are ``None`` when absent.
    """

    values: dict = field(default_factory=dict)
    step: int | None = None
    schedule: tuple[tuple[float, int], ...] = ()
    present: bool | None = None
    scene: str | None = None
    page: str | None = None
    notes: tuple[str, ...] = ()


def _whole(text: str) -> int:
    """A whole number from ``text`` ('1e3' and '12.0' are fine); ValueError otherwise.

    A run of more than 15 digits reads as 10**15, far above any limit, without
    building the integer (``int()`` refuses strings over 4,300 digits).
    """
    text = text.strip()
    if text.isascii() and text.lstrip("+").isdigit():
        digits = text.lstrip("+").lstrip("0") or "0"
        return int(digits) if len(digits) <= 15 else 10**15
    number = float(text)
    if not math.isfinite(number) or number != int(number):
        raise ValueError(text)
    return int(number)


def _step(text: str, notes: list[str]) -> int:
    try:
        step = _whole(text)
    except (ValueError, OverflowError):
        notes.append(f"step={shown(text)} is not a whole number; ignored, starting at step 0")
        return 0
    if step < 0:
        notes.append(f"step={shown(text)} is negative; starting at step 0")
        return 0
    if step > MAX_PRETRAIN_STEPS:
        notes.append(f"step={shown(text)} is more than a link may train; trained to the limit, "
                     f"{MAX_PRETRAIN_STEPS} steps")
        return MAX_PRETRAIN_STEPS
    return step


def _schedule(text: str, notes: list[str]) -> tuple[tuple[float, int], ...]:
    """``'1.0:100,0.1:50'`` -> ``((1.0, 100), (0.1, 50))``; the whole schedule is ignored if any part is bad."""
    if not text.strip():
        return ()
    parts = text.split(",")
    try:
        if len(parts) > MAX_SCHEDULE_SEGMENTS:
            raise ValueError(f"more than {MAX_SCHEDULE_SEGMENTS} segments")
        segments = []
        for part in parts:
            lr_text, _, count_text = part.partition(":")
            lr, note = coerce_field("lr", lr_text)
            count = _whole(count_text)
            if note or count < 0:
                raise ValueError(part)
            segments.append((lr, count))
    except (ValueError, OverflowError):
        notes.append(f"schedule={shown(text)} is not a list of 'rate:steps' pairs with offered rates; "
                     "ignored, every step uses the learning rate lr")
        return ()
    return tuple(segments)


def _flag(key: str, text: str, notes: list[str]) -> bool | None:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    notes.append(f"{key}={shown(text)} is not 0 or 1; ignored")
    return None


def parse(query: Mapping[str, str | Sequence[str]], scene_ids: Sequence[str] = (),
          page_ids: Sequence[str] = ()) -> Link:
    """Read untrusted query parameters into a legal :class:`Link`. Never raises.

    ``query`` maps each key to its value or to the list of its values (as
    ``st.query_params.get_all`` gives them); of a repeated key only the last
    value counts, as in ``st.query_params[key]``, and a note says so.
    """
    notes: list[str] = []
    values: dict = {}
    step, schedule, present, scene, page = None, (), None, None, None
    for key, raw in query.items():
        key = str(key)
        given = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        if not given:
            continue
        text = given[-1]
        if key not in PARAMS and key not in EXTRAS:
            notes.append(f"{shown(key)} is not a setting of this app; ignored")
            continue
        if len(given) > 1:
            notes.append(f"{key} was given {len(given)} times; only the last, {shown(text)}, is used")
        if key in PARAMS:
            name = PARAMS[key]
            value, note = coerce_field(name, text)
            values[name] = value
            if note:
                # coerce_field speaks of the field ("n_points=..."); the user typed the URL name.
                notes.append(key + note[len(name):] if note.startswith(name + "=") else f"{key}: {note}")
        elif key == "step":
            step = _step(text, notes)
        elif key == "schedule":
            schedule = _schedule(text, notes)
        elif key == "present":
            present = _flag(key, text, notes)
        elif key == "page":
            if text in page_ids:
                page = text
            else:
                notes.append(f"page={shown(text)} is not one of this app's pages ({', '.join(page_ids)}); ignored")
        elif text in scene_ids:
            scene = text
        else:
            notes.append(f"scene={shown(text)} is not one of this app's scenes ({', '.join(scene_ids)}); ignored")
    one_line = tuple(" ".join(note.split()) for note in notes)
    return Link(values=values, step=step, schedule=schedule, present=present, scene=scene, page=page, notes=one_line)


def plan(step: int, schedule: Sequence[tuple[float, int]], lr: float) -> list[tuple[float, int]]:
    """The ``(lr, steps)`` segments that reach ``step``: the schedule, then ``lr`` for the rest.

    Cut at ``step`` (so a capped step trains the first ``step`` steps of the
    link's run) and at :data:`MAX_PRETRAIN_STEPS`; empty segments are dropped.
    """
    left = max(0, min(int(step), MAX_PRETRAIN_STEPS))
    out = []
    for seg_lr, count in (*schedule, (lr, left)):
        take = min(int(count), left)
        if take > 0:
            out.append((seg_lr, take))
            left -= take
    return out


def compact_schedule(done: Sequence[tuple[float, int]], lr: float, step: int) -> tuple[tuple[float, int], ...]:
    """The ``schedule`` a link needs: ``done`` segments, then ``lr`` up to ``step``, minus the final run at ``lr``.

    Adjacent segments with the same rate merge and empty ones drop, so a run
    that never changed its learning rate has an empty schedule.
    """
    merged: list[list] = []
    for seg_lr, count in (*done, (lr, int(step) - sum(int(n) for _, n in done))):
        if count <= 0:
            continue
        if merged and merged[-1][0] == seg_lr:
            merged[-1][1] += int(count)
        else:
            merged.append([seg_lr, int(count)])
    if merged and merged[-1][0] == lr:
        merged.pop()
    return tuple((seg_lr, count) for seg_lr, count in merged)


def _number(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)          # the shortest text that reads back as the very same float
    return str(value)


def encode(config: Config, step: int = 0, schedule: Sequence[tuple[float, int]] = (), present: bool = False,
           scene: str | None = None, page: str | None = None) -> dict[str, str]:
    """The query parameters of a view, in a fixed order; :func:`parse` reads them back exactly.

    Every config field is written, defaults included, so a link means the same
    thing even if the app's defaults change later.
    """
    params = {key: _number(getattr(config, name)) for key, name in PARAMS.items()}
    params["step"] = str(int(step))
    if schedule:
        params["schedule"] = ",".join(f"{lr!r}:{int(n)}" for lr, n in schedule)
    if present:
        params["present"] = "1"
    if scene:
        params["scene"] = scene
    if page:
        params["page"] = page
    return params


def query_string(params: Mapping[str, str]) -> str:
    return urlencode(params, safe=":,")


__all__ = ["EXTRAS", "Link", "MAX_PRETRAIN_STEPS", "PARAMS", "compact_schedule", "encode", "parse", "plan",
           "query_string", "shown"]
