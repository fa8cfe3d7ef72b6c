"""The lab's configuration: one table of settings, each with its default, legal values and URL name.

Like TensorFlow Playground's ``state.ts``: every control the sidebar offers is
a field of :class:`Config`, declared once with :func:`setting`. The
declaration is the whole contract of a setting: its default, its legal
values, its name in a link, and what changing it does (new twins, or only a
redraw, or neither). The sidebar, the links (``settings.links``) and
:meth:`Config.rebuild_key` all read :data:`SETTINGS`; :func:`coerce` turns any
untrusted value (session state, a URL, a scene file) into a legal one and
says what it changed. Adding a setting means one line here, plus its widget.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace

from netcore import CANONICAL, HIDDEN, MISMATCHED, NAMES, PAIRINGS, SEED_HIDDEN

LR_CHOICES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
VIEWS = {"both": "Both side by side", **{name: PAIRINGS[name].label for name in CANONICAL}}
"""The view: both twins, or one of them (the mismatched network, when on, shows with both)."""
BATCH_CHOICES = (0, 8, 16, 32, 64, 128)     # 0 means full batch, the seed's choice
WIDTH_RANGE = (1, 64)
POINTS_RANGE = (50, 1000)
NOISE_RANGE = (0.0, 1.0)
SEED_RANGE = (0, 2**31 - 1)
TEST_FRACTION_RANGE = (0.0, 0.5)
INIT_SCALE_RANGE = (0.1, 20.0)


@dataclass(frozen=True)
class Setting:
    """What one :class:`Config` field accepts and what changing it does.

    Exactly one of ``choices``, ``bounds`` or ``flag`` says what is legal:
    a value from ``choices`` (a learning rate, ``log_snap``, snaps to the
    nearest offered one on a log scale), a number clamped into ``bounds``
    (whole numbers when ``integer``), or a yes/no. ``rebuilds``: a change
    means new twins at step 0. ``redraws``: a change alters what the pages
    draw even with the same twins.
    """

    url: str
    default: object
    choices: tuple = ()
    bounds: tuple[float, float] | None = None
    integer: bool = False
    flag: bool = False
    log_snap: bool = False
    rebuilds: bool = True
    redraws: bool = True


def setting(url: str, default: object, **rules) -> object:
    """A :class:`Config` field declared with its :class:`Setting`."""
    return field(default=default, metadata={"setting": Setting(url, default, **rules)})


@dataclass(frozen=True)
class Config:
    """Everything that defines the twins, plus the view (which does not)."""

    dataset: str = setting("dataset", "xor", choices=NAMES)
    n_points: int = setting("points", 200, bounds=POINTS_RANGE, integer=True)
    noise: float = setting("noise", 0.1, bounds=NOISE_RANGE)
    test_fraction: float = setting("test", 0.2, bounds=TEST_FRACTION_RANGE)
    seed: int = setting("seed", 0, bounds=SEED_RANGE, integer=True)
    view: str = setting("view", "both", choices=tuple(VIEWS), rebuilds=False)
    width: int = setting("width", 4, bounds=WIDTH_RANGE, integer=True)
    lr: float = setting("lr", 1.0, choices=LR_CHOICES, log_snap=True, rebuilds=False, redraws=False)
    hidden: str = setting("activation", SEED_HIDDEN, choices=tuple(HIDDEN))
    batch_size: int = setting("batch", 0, choices=BATCH_CHOICES, integer=True)
    contrast: bool = setting("contrast", False, flag=True)
    init_scale: float = setting("init", 1.0, bounds=INIT_SCALE_RANGE)

    def rebuild_key(self) -> tuple:
        """The values of the settings whose change means new twins."""
        return tuple(getattr(self, name) for name in REBUILDING)

    def pairings(self) -> tuple[str, ...]:
        """The pairings trained: the two twins, and the mismatched contrast when it is on."""
        return CANONICAL + MISMATCHED if self.contrast else CANONICAL

    def as_dict(self) -> dict:
        return asdict(self)


SETTINGS: dict[str, Setting] = {f.name: f.metadata["setting"] for f in fields(Config)}
"""Field name -> its :class:`Setting`, in the order of :class:`Config`."""
FIELD_NAMES = tuple(SETTINGS)
REBUILDING = tuple(name for name, s in SETTINGS.items() if s.rebuilds)
DEFAULT = Config()


def needs_redraw(old: Config, new: Config) -> bool:
    """True when going from ``old`` to ``new`` changes the twins or what the pages draw.

    False when nothing changed, or only settings the pages do not draw (the
    learning rate: the twins keep their weights and take it on the next step).
    """
    return any(SETTINGS[name].redraws and getattr(old, name) != getattr(new, name) for name in FIELD_NAMES)


def _number(value, integer: bool) -> float | int:
    if isinstance(value, bool):
        raise ValueError("a yes/no is not a number")
    if isinstance(value, str):
        value = value.strip()
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    if integer:
        if number != int(number):
            raise ValueError("not a whole number")
        return int(number)
    return number


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("not a yes/no")


def coerce_field(name: str, value) -> tuple[object, str | None]:
    """Make one field's value legal. Returns ``(value, note)``; ``note`` says what changed, if anything.

    Choices must match (a learning rate snaps to the nearest offered value),
    numbers are clamped into range, anything unreadable falls back to the default.
    """
    rule = SETTINGS[name]
    shown = repr(value) if not isinstance(value, str) else f"'{value[:40]}'"
    try:
        if rule.flag:
            return _flag(value), None
        if rule.log_snap:
            number = _number(value, integer=False)
            nearest = min(rule.choices, key=lambda c: abs(math.log10(c) - math.log10(max(number, 1e-12))))
            if nearest != number:
                return nearest, f"{name}={shown} is not offered; using the nearest, {nearest:g}"
            return nearest, None
        if rule.choices:
            if rule.integer:
                value = _number(value, integer=True)
            if value in rule.choices:
                return value, None
            raise ValueError("not one of the choices")
        low, high = rule.bounds
        number = _number(value, rule.integer)
        clamped = min(max(number, low), high)
        if clamped != number:
            return clamped, f"{name}={shown} is out of range; clamped to {clamped:g} (allowed {low:g} to {high:g})"
        return clamped, None
    except (TypeError, ValueError, OverflowError):
        return rule.default, f"{name}={shown} is not valid; using the default, {rule.default}"


def coerce(values: dict) -> tuple[Config, list[str]]:
    """A legal :class:`Config` from untrusted ``values`` (unknown keys are reported and ignored)."""
    notes = []
    clean = {}
    for key, value in values.items():
        if key not in SETTINGS:
            notes.append(f"'{str(key)[:40]}' is not a setting of this app; ignored")
            continue
        clean[key], note = coerce_field(key, value)
        if note:
            notes.append(note)
    return replace(DEFAULT, **clean), notes
