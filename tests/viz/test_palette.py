"""The palette survives colour-vision deficiencies and a projector; presenter figures are readable.

Colour-blindness is simulated with Machado, Oliveira & Fernandes (2009) at
full severity (deuteranopia, protanopia, tritanopia) and, for deuteranopia,
also with Viénot, Brettel & Mollon (1999). Distances are CIEDE2000 in CIELAB
(D65); the implementation is checked against Sharma, Wu & Dalal (2005).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from viz.boundary import decision_boundary
from viz.theme import CLASS_COLORS, PAIRING_COLORS, PRESENTER, PROBABILITY_SCALE, STANDARD, projector

SIMULATIONS = {
    "normal vision": np.eye(3),
    "deuteranopia (Machado)": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                                        [-0.011820, 0.042940, 0.968881]]),
    "deuteranopia (Viénot)": np.array([[0.29275, 0.70725, 0.0], [0.29275, 0.70725, 0.0], [-0.02234, 0.02234, 1.0]]),
    "protanopia (Machado)": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                                      [-0.003882, -0.048116, 1.051998]]),
    "tritanopia (Machado)": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                                      [0.004733, 0.691367, 0.303900]]),
}


def linear_rgb(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                    [0.0193339, 0.1191920, 0.9503041]]) @ np.clip(rgb_linear, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2) -> float:
    L1, a1, b1 = lab1
    L2, a2, b2 = lab2
    C = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    G = 0.5 * (1 - math.sqrt(C**7 / (C**7 + 25**7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1p, C2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if C1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if C2p else 0.0
    dLp, dCp = L2 - L1, C2p - C1p
    dh = h2p - h1p if abs(h2p - h1p) <= 180 else h2p - h1p - 360 * math.copysign(1, h2p - h1p)
    dh = 0.0 if C1p * C2p == 0 else dh
    dHp = 2 * math.sqrt(C1p * C2p) * math.sin(math.radians(dh / 2))
    Lbp, Cbp = (L1 + L2) / 2, (C1p + C2p) / 2
    if C1p * C2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    else:
        hbp = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    T = (1 - 0.17 * math.cos(math.radians(hbp - 30)) + 0.24 * math.cos(math.radians(2 * hbp))
         + 0.32 * math.cos(math.radians(3 * hbp + 6)) - 0.20 * math.cos(math.radians(4 * hbp - 63)))
    SL = 1 + 0.015 * (Lbp - 50) ** 2 / math.sqrt(20 + (Lbp - 50) ** 2)
    SC, SH = 1 + 0.045 * Cbp, 1 + 0.015 * Cbp * T
    RT = (-2 * math.sqrt(Cbp**7 / (Cbp**7 + 25**7))
          * math.sin(math.radians(60 * math.exp(-(((hbp - 275) / 25) ** 2)))))
    return math.sqrt((dLp / SL) ** 2 + (dCp / SC) ** 2 + (dHp / SH) ** 2 + RT * (dCp / SC) * (dHp / SH))


def seen(hex_colour: str, matrix: np.ndarray) -> np.ndarray:
    return lab(matrix @ linear_rgb(hex_colour))


def distance(a: str, b: str, matrix: np.ndarray) -> float:
    return ciede2000(seen(a, matrix), seen(b, matrix))


def contrast_on_white(hex_colour: str) -> float:
    luminance = float(linear_rgb(hex_colour) @ [0.2126, 0.7152, 0.0722])
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize("lab1,lab2,expected", [
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 0, 0), (50, -1, 2), 2.3669),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373),
])
def test_ciede2000_matches_sharma_2005(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_simulations_keep_grey_grey_and_confuse_red_with_green():
    for matrix in SIMULATIONS.values():
        np.testing.assert_allclose(matrix @ np.ones(3), np.ones(3), atol=2e-3)   # white stays white
    deut = SIMULATIONS["deuteranopia (Machado)"]
    assert distance("#FF0000", "#00A000", np.eye(3)) > 60
    assert distance("#D05050", "#808000", deut) < distance("#D05050", "#808000", np.eye(3)) / 2


@pytest.mark.parametrize("name", SIMULATIONS)
def test_the_two_classes_stay_far_apart(name):
    m = SIMULATIONS[name]
    assert distance(*CLASS_COLORS, m) > 40
    lo, hi = PROBABILITY_SCALE[0][1], PROBABILITY_SCALE[-1][1]
    assert distance(lo, hi, m) > 40                     # the heatmap's two ends: class 0 vs class 1
    for end in (lo, hi):                                 # and both ends stand out from its white middle
        assert distance(end, PROBABILITY_SCALE[2][1], m) > 30


@pytest.mark.parametrize("name", SIMULATIONS)
def test_the_three_pairings_stay_distinguishable(name):
    m = SIMULATIONS[name]
    for a, b in itertools.combinations(PAIRING_COLORS.values(), 2):
        assert distance(a, b, m) > 20, (name, a, b)
    # the twins are compared on every page: they get the widest margin
    assert distance(PAIRING_COLORS["mse-linear"], PAIRING_COLORS["ce-sigmoid"], m) > 28


def test_lines_on_white_meet_the_non_text_contrast_minimum():
    # WCAG 2.1, 1.4.11: graphical objects need 3:1 against their background
    for colour in PAIRING_COLORS.values():
        assert contrast_on_white(colour) >= 3.0, colour


def test_presenter_style_is_bigger_and_thicker_everywhere():
    assert PRESENTER.font >= 20 and PRESENTER.title >= 26
    assert PRESENTER.line >= 2 * STANDARD.line and PRESENTER.contour >= 5
    assert PRESENTER.marker >= 1.5 * STANDARD.marker


def test_projector_sets_fonts_and_outlines_markers():
    xs = ys = np.linspace(-2, 2, 8)
    X = np.array([[0.1, -0.5, 0.3, 0.9], [0.2, 0.4, -0.8, 0.0]])
    Y = np.array([[0.0, 1.0, 0.0, 1.0]])
    fig = decision_boundary(xs, ys, np.full((8, 8), 0.3), (X, Y), (X, Y), "t", 2.0, False, PRESENTER)
    projector(fig, PRESENTER)
    assert fig.layout.xaxis.tickfont.size == PRESENTER.font - 2 and fig.layout.yaxis.title.font.size == PRESENTER.font
    assert fig.layout.title.font.size == PRESENTER.title
    markers = [t for t in fig.data if t.type == "scatter"]
    filled = [t for t in markers if "train" in t.name]
    hollow = [t for t in markers if "test" in t.name]
    assert len(filled) == len(hollow) == 2
    for t in filled:
        assert t.marker.line.color == "#111111" and t.marker.line.width >= 1.5
    for t, colour in zip(hollow, CLASS_COLORS):
        assert t.marker.symbol == "circle" and t.marker.color == "white"
        assert t.marker.line.color == colour and t.marker.line.width >= 3
