import csv
import dataclasses
import io
import math
import re
from pathlib import Path

import numpy as np
import pytest

from kriegsspiel.evidence.army_effects_doc import (
    CSV_COLUMNS,
    army_effects_csv,
    army_effects_markdown,
    md_cell,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _unescape(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell.strip())


def _csv_rows(text: str) -> dict[str, tuple[int, float, float]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and tuple(rows[0]) == CSV_COLUMNS
    table = {r["key"]: (int(r["battles"]), float(r["effect"]), float(r["se"])) for r in rows}
    assert len(table) == len(rows)  # no key twice
    for r in rows:
        assert r["key"] == (f"{r['nation']} in {r['war']}" if r["war"] else r["nation"])
    return table


def _md_rows(text: str) -> dict[str, tuple[int, float, float]]:
    """Key -> (battles, effect, s.e.) from the table rows of ``army_effects_markdown``."""
    table, count = {}, 0
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("| nation |"):
            continue
        cells = _UNESCAPED_PIPE.split(line)[1:-1]
        assert len(cells) == 6, line
        nation, war = _unescape(cells[0]), _unescape(cells[1])
        key = nation if war == "(all wars)" else f"{nation} in {war}"
        table[key] = (int(cells[2]), float(cells[3]), float(cells[4]))
        assert float(cells[5]) == pytest.approx(math.exp(float(cells[3])), abs=0.03)
        count += 1
    assert len(table) == count  # no key twice
    return table


def _expected(w) -> dict[str, tuple[int, float, float]]:
    first = len(w.names)
    return {
        key: (n, w.effect(key), float(np.sqrt(w.cov[first + j, first + j])))
        for j, (key, n) in enumerate(zip(w.effects, w.effect_battles, strict=True))
    }


def _assert_same(got, expected, tol: float) -> None:
    assert set(got) == set(expected)
    for key, (n, u, se) in expected.items():
        assert got[key][0] == n, key
        assert got[key][1] == pytest.approx(u, abs=tol), key
        assert got[key][2] == pytest.approx(se, abs=tol), key


def test_csv_lists_every_key_with_the_models_values(model):
    w = model.winner
    got = _csv_rows(army_effects_csv(w))
    assert list(got) == sorted(got, key=lambda k: (k.partition(" in ")[0], k.partition(" in ")[2]))
    _assert_same(got, _expected(w), tol=0.0)


def test_markdown_lists_every_key_with_the_models_values(model):
    _assert_same(_md_rows(army_effects_markdown(model.winner)), _expected(model.winner), 0.005)


def test_names_with_markup_stay_plain_text_in_one_cell(model):
    w = model.winner
    odd = ("A|B", "A|B in WAR | OF *STARS* & <B>", "C_D in [X](y) \\ `Z`")
    w = dataclasses.replace(w, effects=odd + w.effects[len(odd) :])
    _assert_same(_md_rows(army_effects_markdown(w)), _expected(w), 0.005)
    _assert_same(_csv_rows(army_effects_csv(w)), _expected(w), 0.0)
    assert md_cell("a|b") == "a\\|b" and "<" not in md_cell("<b>").replace("\\<", "")


def test_committed_docs_are_in_step_with_the_model(model):
    # regenerate with `kriegsspiel validate all --out docs` when this fails
    expected = _expected(model.winner)
    _assert_same(_csv_rows((DOCS / "army-effects.csv").read_text(encoding="utf-8")), expected, 1e-9)
    _assert_same(_md_rows((DOCS / "army-effects.md").read_text(encoding="utf-8")), expected, 0.005)
    assert "(army-effects.md)" in (DOCS / "evidence-model.md").read_text(encoding="utf-8")
