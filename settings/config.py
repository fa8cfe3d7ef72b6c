"""The lab's configuration: one typed object with defaults, choices and validation.

Like TensorFlow Playground's ``state.ts``: every control the sidebar offers is
a field here with its default and its legal values, and :func:`coerce` turns
any untrusted value (session state, a URL, a scene file) into a legal one,
saying what it changed. No Streamlit import: this is plain data.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

from netcore import HIDDEN, NAMES

LR_CHOICES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
VIEWS = {"both": "Both side by side", "mse-linear": "MSE + linear", "ce-sigmoid": "CE + sigmoid"}
BATCH_CHOICES = (0, 8, 16, 32, 64, 128)     # 0 means full batch, the seed's choice
WIDTH_RANGE = (1, 64)
POINTS_RANGE = (50, 1000)
SEED_RANGE = (0, 2**31 - 1)
TEST_FRACTION_RANGE = (0.0, 0.5)
INIT_SCALE_RANGE = (0.1, 20.0)


@dataclass(frozen=True)
class Config:
    """Everything that defines the twins, plus the view (which does not)."""

    dataset: str = "xor"
    n_points: int = 200
    noise: float = 0.1
    test_fraction: float = 0.2
    seed: int = 0
    view: str = "both"
    width: int = 4
    lr: float = 1.0
    hidden: str = "sigmoid"
    batch_size: int = 0
    contrast: bool = False
    init_scale: float = 1.0

    def rebuild_key(self) -> tuple:
        """The fields whose change means new twins (all but the view and the learning rate)."""
        return (self.dataset, self.n_points, self.noise, self.test_fraction, self.seed, self.width,
                self.hidden, self.batch_size, self.contrast, self.init_scale)

    def pairings(self) -> tuple[str, ...]:
        base = ("mse-linear", "ce-sigmoid")
        return base + ("mse-sigmoid",) if self.contrast else base

    def as_dict(self) -> dict:
        return asdict(self)


DEFAULT = Config()
FIELD_NAMES = tuple(f.name for f in fields(Config))

_CHOICES = {"dataset": NAMES, "view": tuple(VIEWS), "hidden": tuple(HIDDEN),
            "lr": LR_CHOICES, "batch_size": BATCH_CHOICES}
_RANGES = {"n_points": POINTS_RANGE, "noise": (0.0, 1.0), "test_fraction": TEST_FRACTION_RANGE,
           "seed": SEED_RANGE, "width": WIDTH_RANGE, "init_scale": INIT_SCALE_RANGE}
_INTS = {"n_points", "seed", "width", "batch_size"}


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


def coerce_field(name: str, value) -> tuple[object, str | None]:
    """Make one field's value legal. Returns ``(value, note)``; ``note`` says what changed, if anything.

    Choices must match (a learning rate snaps to the nearest offered value),
    numbers are clamped into range, anything unreadable falls back to the default.
    """
    default = getattr(DEFAULT, name)
    shown = repr(value) if not isinstance(value, str) else f"'{value[:40]}'"
    try:
        if name == "contrast":
            if isinstance(value, bool):
                return value, None
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True, None
            if text in ("0", "false", "no", "off"):
                return False, None
            raise ValueError
        if name == "lr":
            number = _number(value, integer=False)
            nearest = min(LR_CHOICES, key=lambda c: abs(math.log10(c) - math.log10(max(number, 1e-12))))
            if nearest != number:
                return nearest, f"{name}={shown} is not offered; using the nearest, {nearest:g}"
            return nearest, None
        if name in _CHOICES:
            choices = _CHOICES[name]
            if name == "batch_size":
                value = _number(value, integer=True)
            if value in choices:
                return value, None
            raise ValueError
        low, high = _RANGES[name]
        number = _number(value, integer=name in _INTS)
        clamped = min(max(number, low), high)
        if clamped != number:
            return clamped, f"{name}={shown} is out of range; clamped to {clamped:g} (allowed {low:g} to {high:g})"
        return clamped, None
    except (TypeError, ValueError, OverflowError):
        return default, f"{name}={shown} is not valid; using the default, {default}"


def coerce(values: dict) -> tuple[Config, list[str]]:
    """A legal :class:`Config` from untrusted ``values`` (unknown keys are reported and ignored)."""
    notes = []
    clean = {}
    for key, value in values.items():
        if key not in FIELD_NAMES:
            notes.append(f"'{str(key)[:40]}' is not a setting of this app; ignored")
            continue
        clean[key], note = coerce_field(key, value)
        if note:
            notes.append(note)
    return replace(DEFAULT, **clean), notes
