"""Who fights: army names as keys of fitted combat-effectiveness effects (TNDM's CEV, fitted).

An army name such as ``US 3RD INF DIV(+)`` or ``GER 2ND & 3RD ARMIES`` names its nation by its
first word (CDB90's convention), after :data:`NATION_ALIASES` merges spellings of one nation.
Each side gets up to two keys: its nation (``US``) and its nation in the war
(``US in WORLD WAR II (ITALY 1944)``), so an army's effectiveness may differ from war to war.
The winner model adds ``sum(effect[key] for the attacker's keys) - sum(effect[key] for the
defender's keys)`` to the log-odds: one effectiveness per army, as the TNDM's combat
effectiveness value. A key not seen in training has effect 0, as has a side without a name.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["NATION_ALIASES", "army_keys", "effect_keys", "effect_levels", "effect_matrix", "nation"]

#: Spellings of one nation (or army family) in CDB90's army names -> the key used.
NATION_ALIASES: dict[str, str] = {
    "FRENCH": "FR",
    "BRIT": "BR",
    "ENG": "BR",
    "ITAL": "IT",
    "AUSTRIAN": "AUS",
    "RUSS": "RUS",
    "USSR": "SOV",
    "EGY": "EG",
    "TURK": "TK",
    "SCOTS": "SCOT",
    "GER-AUS": "GER",
    "AM": "US",
}

_FIRST_WORD = re.compile(r"[^\s,(&]+")

#: Keys of the attacker and of the defender, one tuple per battle.
Keys = list[tuple[str, ...]]


def nation(army: str | None) -> str | None:
    """The nation key of an army name (its first word, aliases merged); None without a name."""
    if army is None:
        return None
    match = _FIRST_WORD.search(army.upper())
    if match is None:
        return None
    word = match.group(0)
    return NATION_ALIASES.get(word, word)


def army_keys(army: str | None, war: str | None) -> tuple[str, ...]:
    """Effect keys of one side: ``()``, ``(nation,)`` or ``(nation, "nation in war")``."""
    n = nation(army)
    if n is None:
        return ()
    return (n,) if war is None else (n, f"{n} in {war.upper()}")


def effect_keys(clean: pd.DataFrame) -> tuple[Keys, Keys]:
    """The attacker's and the defender's keys of rows cleaned by ``check_inputs``."""

    def names(column: str) -> list[str | None]:
        return [v if isinstance(v, str) else None for v in clean[column].tolist()]

    wars = names("war")
    att = [army_keys(a, w) for a, w in zip(names("att_army"), wars, strict=True)]
    dfn = [army_keys(d, w) for d, w in zip(names("def_army"), wars, strict=True)]
    return att, dfn


def effect_levels(att: Keys, dfn: Keys) -> tuple[str, ...]:
    """Every key named by either side, sorted: the effects a fit estimates."""
    return tuple(sorted({k for keys in (*att, *dfn) for k in keys}))


def effect_matrix(att: Keys, dfn: Keys, levels: tuple[str, ...]) -> NDArray[np.float64]:
    """Rows x ``levels``: +1 for each attacker key, -1 for each defender key, unseen keys 0."""
    column = {key: j for j, key in enumerate(levels)}
    z = np.zeros((len(att), len(levels)))
    for i, (a, d) in enumerate(zip(att, dfn, strict=True)):
        for sign, keys in ((1.0, a), (-1.0, d)):
            for key in keys:
                j = column.get(key)
                if j is not None:
                    z[i, j] += sign
    return z
