"""From clean pre-battle inputs to the named terms of the evidence model.

Two kinds of terms. The *force terms* are logarithms of strengths and duration, the exponents
of a Helmbold-form attrition law. The *conditions* are the TNDM-style multipliers: weapon
ratios, defender posture, terrain, weather, season, era, front widths and how the strengths
were counted. Every condition is 0 in the reference battle (hasty defence, rolling mixed
terrain, dry sunny temperate summer, 1900, equal fronts, initial strengths), so its coefficient
is a multiplier relative to that battle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["CONDITIONS", "SECOND_ORDER", "Term", "conditions", "force_terms", "second_order"]


@dataclass(frozen=True)
class Term:
    """A model term: a short key and the label printed in the docs."""

    key: str
    label: str


CONDITIONS: tuple[Term, ...] = (
    Term("tank_ratio", "tanks, ln((1+att)/(1+def))"),
    Term("arty_ratio", "artillery pieces, ln((1+att)/(1+def))"),
    Term("air_ratio", "air sorties, ln((1+att)/(1+def))"),
    Term("post_prepared", "defender posture: prepared defence (PD)"),
    Term("post_fortified", "defender posture: fortified defence (FD)"),
    Term("post_delay", "defender posture: delay or withdrawal (DL, WD)"),
    Term("post_mixed", "defender posture: several postures (postype 1, 2, 9)"),
    Term("terrain_rugged", "terrain: rugged (G)"),
    Term("terrain_flat", "terrain: flat (F)"),
    Term("cover_bare", "vegetation: bare (B)"),
    Term("cover_wooded", "vegetation: heavily wooded (W)"),
    Term("cover_desert", "vegetation: desert (D)"),
    Term("wx_wet", "ground: wet (W)"),
    Term("wx_heavy", "precipitation: heavy (H)"),
    Term("wx_light", "precipitation: light (L)"),
    Term("wx_cold", "temperature: cold (C)"),
    Term("wx_hot", "temperature: hot (H)"),
    Term("season_winter", "season: winter (W)"),
    Term("season_spring", "season: spring ($)"),
    Term("season_fall", "season: fall (F)"),
    Term("climate_other", "climate: desert or tropical (D, E)"),
    Term("era", "year, centuries after 1900"),
    Term("era2", "year, (centuries after 1900) squared"),
    Term("front_ratio", "front widths, ln(attacker's / defender's)"),
    Term("att_engaged", "attacker strength counted as average or total engaged"),
    Term("def_engaged", "defender strength counted as average or total engaged"),
)


#: Second-order terms of the casualty law in ``e = log10(enemy / 10**4)``,
#: ``o = log10(own / 10**4)`` and ``t = log10(days)``: they bend the Helmbold exponents with size
#: and duration (TNDM's size factor and daily fatigue) and vanish at 10,000 against 10,000 for
#: one day, where ``k``, ``p``, ``q``, ``r`` are the plain Helmbold law.
SECOND_ORDER: tuple[Term, ...] = (
    Term("ee", "e squared (enemy size)"),
    Term("oo", "o squared (own size)"),
    Term("eo", "e times o"),
    Term("tt", "t squared (duration)"),
    Term("te", "t times e"),
    Term("to", "t times o"),
)

#: Strength (personnel) at which the second-order terms vanish.
SIZE_CENTRE = 1.0e4


def _ratio(att: pd.Series, dfn: pd.Series) -> np.ndarray:
    """``ln((1 + att) / (1 + def))``, 0 when either side's count is not reported."""
    a = att.to_numpy(dtype=float)
    d = dfn.to_numpy(dtype=float)
    known = np.isfinite(a) & np.isfinite(d)
    return np.where(
        known, np.log1p(np.where(known, a, 0.0)) - np.log1p(np.where(known, d, 0.0)), 0.0
    )


def _is(column: pd.Series, *codes: str) -> np.ndarray:
    return column.isin(codes).to_numpy(dtype=float)


def conditions(clean: pd.DataFrame) -> pd.DataFrame:
    """The condition terms (columns in :data:`CONDITIONS` order) of clean input rows."""
    era = (clean["year"].to_numpy(dtype=float) - 1900.0) / 100.0
    wofa = clean["wofa_km"].to_numpy(dtype=float)
    wofd = clean["wofd_km"].to_numpy(dtype=float)
    fronts = np.isfinite(wofa) & np.isfinite(wofd)
    postype = pd.to_numeric(clean["postype"]).to_numpy()
    values = {
        "tank_ratio": _ratio(clean["att_tank"], clean["def_tank"]),
        "arty_ratio": _ratio(clean["att_arty"], clean["def_arty"]),
        "air_ratio": _ratio(clean["att_fly"], clean["def_fly"]),
        "post_prepared": _is(clean["post1"], "PD"),
        "post_fortified": _is(clean["post1"], "FD"),
        "post_delay": _is(clean["post1"], "DL", "WD"),
        "post_mixed": (postype != 0).astype(float),
        "terrain_rugged": _is(clean["terra1"], "G"),
        "terrain_flat": _is(clean["terra1"], "F"),
        "cover_bare": _is(clean["terra2"], "B"),
        "cover_wooded": _is(clean["terra2"], "W"),
        "cover_desert": _is(clean["terra2"], "D"),
        "wx_wet": _is(clean["wx1"], "W"),
        "wx_heavy": _is(clean["wx2"], "H"),
        "wx_light": _is(clean["wx2"], "L"),
        "wx_cold": _is(clean["wx3"], "C"),
        "wx_hot": _is(clean["wx3"], "H"),
        "season_winter": _is(clean["wx4"], "W"),
        "season_spring": _is(clean["wx4"], "$"),
        "season_fall": _is(clean["wx4"], "F"),
        "climate_other": _is(clean["wx5"], "D", "E"),
        "era": era,
        "era2": era**2,
        "front_ratio": np.where(fronts, np.log(np.where(fronts, wofa / wofd, 1.0)), 0.0),
        "att_engaged": _is(clean["att_code"], "2", "3"),
        "def_engaged": _is(clean["def_code"], "2", "3"),
    }
    return pd.DataFrame(values, index=clean.index)[[t.key for t in CONDITIONS]]


def force_terms(clean: pd.DataFrame) -> pd.DataFrame:
    """``log10`` of the attacker's and defender's strengths and of the duration in days."""
    return pd.DataFrame(
        {
            "log_att": np.log10(clean["att_str"].to_numpy(dtype=float)),
            "log_def": np.log10(clean["def_str"].to_numpy(dtype=float)),
            "log_days": np.log10(clean["duration2_days"].to_numpy(dtype=float)),
        },
        index=clean.index,
    )


def second_order(forces: pd.DataFrame, side: str) -> pd.DataFrame:
    """The :data:`SECOND_ORDER` terms of ``side`` ("att" or "def") from :func:`force_terms`."""
    own, enemy = ("log_att", "log_def") if side == "att" else ("log_def", "log_att")
    centre = np.log10(SIZE_CENTRE)
    e = forces[enemy].to_numpy(dtype=float) - centre
    o = forces[own].to_numpy(dtype=float) - centre
    t = forces["log_days"].to_numpy(dtype=float)
    values = {"ee": e * e, "oo": o * o, "eo": e * o, "tt": t * t, "te": t * e, "to": t * o}
    return pd.DataFrame(values, index=forces.index)[[term.key for term in SECOND_ORDER]]
