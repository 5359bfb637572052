"""The parameter library: every value sourced, ranges consistent, the calibration reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from kriegsspiel.engine.library import load_library, parse_library
from kriegsspiel.engine.params import EngineParams
from kriegsspiel.errors import InputError
from kriegsspiel.laws import helmbold_rates


def test_every_value_names_a_defined_source_and_a_consistent_range() -> None:
    lib = load_library()
    rows = lib.rows()
    assert len(rows) > 150
    for path, p in rows:
        assert p.source in lib.sources, path
        assert p.status in ("S", "D", "E"), path
        if p.low is not None and p.high is not None:
            assert p.low <= p.value <= p.high, path


def test_qjm_posture_factors_are_the_published_ones() -> None:
    lib = load_library()
    # NPW posture table [D2][D5]: hasty 1.3/0.7, prepared 1.5/0.6, fortified 1.6/0.5
    assert lib.value("posture.defending.strength") == 1.3
    assert lib.value("posture.dug_in.vulnerability") == 0.6
    assert lib.value("posture.fortified.strength") == 1.6
    # NPW p. 228: swamp, mixed or open: tanks 0.3, mobility of tanks in the engine from [T14]
    assert lib.value("terrain.swamp_open.tanks") == 0.3
    assert 3.0 <= lib.value("weapons.t26.speed_marsh_kmh") <= 4.0


def test_the_casualty_law_is_the_cdb90_fit_in_reference_units() -> None:
    lib = load_library()
    p = EngineParams.from_library(lib)
    # the evidence model's formula: C_att = k * D**p * A**q men per day (strengths in men)
    k = 10 ** lib.value("calibration.attacker_log10_k")
    pa, qa = lib.value("calibration.attacker_p"), lib.value("calibration.attacker_q")
    attackers, defenders = 20_000.0, 5_000.0
    fit = k * defenders**pa * attackers**qa
    men = p.reference_men
    loss, _ = helmbold_rates(
        np.array([attackers / men]),
        np.array([defenders / men]),
        np.array([[p.attacker_k]]),
        np.zeros((1, 1)),
        p.attacker_law,
    )
    assert loss[0] == pytest.approx(fit, rel=1e-12)
    # Dupuy's verity: casualties barely grow with the enemy's strength
    assert p.attacker_law.px < 0.2 and p.defender_law.px < 0.2


def test_overrides_replace_values_and_unknown_paths_are_user_errors() -> None:
    lib = load_library()
    changed = lib.with_overrides({"posture.dug_in.vulnerability": 0.55, "weapons.t26.oli": 90})
    assert changed.value("posture.dug_in.vulnerability") == 0.55
    assert changed.value("weapons.t26.oli") == 90
    assert lib.value("posture.dug_in.vulnerability") == 0.6  # the original is untouched
    with pytest.raises(InputError):
        lib.param("posture.nowhere.strength")


def test_a_value_without_a_defined_source_is_rejected() -> None:
    text = '[sources]\nA = "x"\n[morale]\nsuppressed_loss = { value = 0.03, source = "B" }\n'
    with pytest.raises(InputError, match="source"):
        parse_library(text)
    text = '[sources]\nA = "x"\n[morale]\nx = { value = 5, source = "A", low = 6, high = 7 }\n'
    with pytest.raises(InputError, match="low <= value <= high"):
        parse_library(text)


def test_docs_parameters_md_is_the_library() -> None:
    from pathlib import Path

    from kriegsspiel.engine.library import markdown

    doc = Path(__file__).parents[2] / "docs" / "parameters.md"
    assert doc.read_text(encoding="utf-8") == markdown(load_library()), (
        "docs/parameters.md is stale: regenerate it with kriegsspiel.engine.library.markdown"
    )
