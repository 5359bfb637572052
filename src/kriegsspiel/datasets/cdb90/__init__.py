"""CDB90: the CAA Database of Battles (1990), 527 battles from 1600 to 1982, as a clean table.

:func:`load` reads the battle summary shipped with the package, repairs the codes the tidy
tables lost (see ``README.md`` next to this file), flags duplicate rows and adds a decoded
(``*_name``) column for every code. Units: strengths, casualties and final strengths in
personnel; tanks, artillery pieces and their losses in pieces; ``*_fly`` in close-air-support
sorties flown during the battle; durations in days; front widths (``wofa_km``, ``wofd_km``)
and advance (``kmda_fixed``) in km; ``year`` in calendar years (AD).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

__all__ = ["CODE_COLUMNS", "decode", "load", "load_codes"]

_SUMMARY = "cdb90_battle_summary.csv"
_PATCHED = "CDB90-patched.csv"

#: Code column of the summary -> name of its code list in ``enums/``.
CODE_COLUMNS: dict[str, str] = {
    "post1": "post",
    "post2": "post",
    "postype": "postype",
    "terra1": "terra1",
    "terra2": "terra2",
    "terra3": "terra3",
    "wx1": "wx1",
    "wx2": "wx2",
    "wx3": "wx3",
    "wx4": "wx4",
    "wx5": "wx5",
    "wina_fixed": "wina",
    "att_code": "codead",
    "def_code": "codead",
}

_TEXT_CODES = ("post1", "post2", "terra1", "terra2", "terra3", "wx1", "wx2", "wx3", "wx4", "wx5")


def _read_csv(name: str, **kwargs: object) -> pd.DataFrame:
    path = resources.files(__package__).joinpath(name)
    with path.open("rb") as fh:
        return pd.read_csv(fh, **kwargs)  # type: ignore[call-overload, no-any-return]


@cache
def load_codes(name: str) -> dict[str, str]:
    """Return the code list ``name`` (e.g. ``"post"``, ``"wx2"``) as ``{code: description}``."""
    table = _read_csv(f"enums/enum_{name}.csv", dtype=str, keep_default_na=False)
    return dict(zip(table["value"], table["description"], strict=True))


def decode(column: str, values: pd.Series) -> pd.Series:
    """Descriptions of the codes in ``values`` (a column named in :data:`CODE_COLUMNS`).

    Numeric codes (``wina_fixed``, ``postype``, ``*_code``) are matched as integers. A code
    missing from the list decodes to NA.
    """
    codes = load_codes(CODE_COLUMNS[column])
    keys = values.map(
        lambda v: None if pd.isna(v) else str(v) if isinstance(v, str) else str(int(v))
    )
    return keys.map(codes).astype("string")


def _position(series: pd.Series, i: int) -> pd.Series:
    """Character ``i`` of packed code strings; ``"0"`` (not available) becomes NA."""
    chars = series.astype("string").str[i]
    return chars.mask(chars == "0")


def _build() -> pd.DataFrame:
    summary = _read_csv(_SUMMARY)
    patched = _read_csv(_PATCHED, low_memory=False).set_index("ISQNO")
    wide = patched.loc[summary["isqno"]]
    # The summary lost the "O" (overcast) weather code; take every weather position from
    # the wide file, where WX1 packs wx1..wx5 into one five-character string.
    for i in range(5):
        summary[f"wx{i + 1}"] = _position(wide["WX1"], i).to_numpy()
    summary["post2"] = wide["POST2"].astype("string").mask(wide["POST2"].isin(["OO", "00"]))
    summary["post2"] = summary["post2"].to_numpy()
    # who fought: the attacker's and defender's army names (known before the battle)
    summary["att_army"] = wide["NAMA"].astype("string").str.strip().to_numpy()
    summary["def_army"] = wide["NAMD"].astype("string").str.strip().to_numpy()
    for col in _TEXT_CODES:
        summary[col] = summary[col].astype("string")
    summary["is_duplicate"] = summary["parent"].notna()
    summary["parent"] = summary["parent"].astype("Int64")
    for col in ("isqno", "crit", "postype", "is_hero"):
        summary[col] = summary[col].astype("int64")
    for col in ("wina_fixed", "att_code", "def_code"):
        summary[col] = summary[col].astype("Int64")
    for col in CODE_COLUMNS:
        summary[f"{col}_name"] = decode(col, summary[col])
    return summary


@cache
def _cached() -> pd.DataFrame:
    return _build()


def load() -> pd.DataFrame:
    """Return the 527 battles as a clean table (a fresh copy each call).

    Columns are those of ``cdb90_battle_summary.csv`` (see ``README.md``) plus ``post2`` (the
    defender's second posture), ``att_army`` and ``def_army`` (the attacker's and defender's
    army names, ``NAMA`` and ``NAMD`` of the wide file), ``is_duplicate`` (the row re-counts
    part of the battle named in ``parent``; drop these rows for statistics over battles) and
    ``<code>_name`` with the description of every code column. Outcome codes keep their sign:
    ``wina_fixed`` is 1 (attacker won), 0 (draw) or -1 (attacker lost); ``kmda_fixed`` is
    negative when the attacker was thrown back.
    """
    return _cached().copy()
