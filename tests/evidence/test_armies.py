import itertools

import numpy as np
import pandas as pd
import pytest

from kriegsspiel.evidence import crossval
from kriegsspiel.evidence.armies import (
    army_keys,
    effect_keys,
    effect_levels,
    effect_matrix,
    nation,
)
from kriegsspiel.evidence.features import conditions, force_terms
from kriegsspiel.evidence.folds import assign_folds, battle_groups
from kriegsspiel.evidence.inputs import ARMY_COLUMNS, check_inputs
from kriegsspiel.evidence.model import WinnerModel, fit_logistic, outcomes


@pytest.mark.parametrize(
    ("army", "expected"),
    [
        ("US 3RD INF DIV(+)", "US"),
        ("FRENCH ARMY", "FR"),
        ("BR, FR & TURK ARMIES", "BR"),
        ("GER-AUS 5TH, 10TH & 14TH ARMIES", "GER"),
        ("sov 90th rifle div", "SOV"),
        (None, None),
    ],
)
def test_nation_is_the_first_word_with_aliases_merged(army, expected):
    assert nation(army) == expected


def test_keys_and_matrix_signs():
    assert army_keys(None, "WW2") == ()
    assert army_keys("US ARMY", None) == ("US",)
    att = [army_keys("US ARMY", "KOREA"), army_keys("GER ARMY", "WW2"), ()]
    dfn = [army_keys("NKOR ARMY", "KOREA"), army_keys("GER 6TH ARMY", "WW2"), ("US",)]
    levels = effect_levels(att, dfn)
    z = effect_matrix(att, dfn, levels)
    col = {k: j for j, k in enumerate(levels)}
    assert z[0, col["US"]] == 1 and z[0, col["US in KOREA"]] == 1
    assert z[0, col["NKOR"]] == -1 and z[0, col["NKOR in KOREA"]] == -1
    assert np.all(z[1] == 0)  # the same army on both sides cancels
    assert z[2, col["US"]] == -1 and z[2].sum() == -1
    # keys not among the levels (unseen in training) contribute nothing
    assert np.all(effect_matrix(att, dfn, ("JAP",)) == 0)


def test_names_are_optional_and_normalised(battles):
    clean, rejected = check_inputs(battles.drop(columns=list(ARMY_COLUMNS)).head(5))
    assert not rejected and clean[list(ARMY_COLUMNS)].isna().all().all()
    raw = battles.head(2).assign(att_army=["  us   3rd div ", ""], def_army="x" * 201)
    clean, rejected = check_inputs(raw)
    assert {(r.row, r.column) for r in rejected} == {(1, "def_army"), (2, "def_army")}
    clean, _ = check_inputs(raw.assign(def_army="GER ARMY"))
    assert clean["att_army"].iloc[0] == "US 3RD DIV" and pd.isna(clean["att_army"].iloc[1])
    assert effect_keys(clean)[0][1] == ()


def _winner_design(battles):
    clean, _ = check_inputs(battles)
    wina = outcomes(battles.loc[clean.index])["wina_fixed"].to_numpy()
    keep = np.isin(wina, (1.0, -1.0))
    clean = clean[keep]
    fixed = WinnerModel.design(force_terms(clean), conditions(clean))
    att, dfn = effect_keys(clean)
    z = effect_matrix(att, dfn, effect_levels(att, dfn))
    return fixed, z, (wina[keep] == 1.0).astype(float)


def test_army_effects_shrink_to_zero_as_the_penalty_grows(battles):
    fixed, z, won = _winner_design(battles)
    x = np.column_stack([fixed, z])
    sizes = []
    for penalty in (0.1, 1.0, 10.0, 100.0, 1e6):
        pen = np.r_[np.ones(fixed.shape[1]), np.full(z.shape[1], penalty)]
        w, _ = fit_logistic(x, won, pen)
        sizes.append(float(np.linalg.norm(w[fixed.shape[1] :])))
    assert all(a >= b for a, b in itertools.pairwise(sizes))
    assert sizes[0] > 1.0 and sizes[-1] < 1e-4
    # with the effects penalised away, the fixed part is the fit without army effects
    w_none, _ = fit_logistic(fixed, won, 1.0)
    np.testing.assert_allclose(w[: fixed.shape[1]], w_none, atol=1e-3)


def test_unseen_or_missing_army_has_no_effect(model, battles):
    w = model.winner
    assert w.effect("NO SUCH ARMY") == 0.0
    assert w.effect("US") != 0.0
    rows = battles.head(8)
    without, _ = model.predict(rows.drop(columns=list(ARMY_COLUMNS)))
    unseen, _ = model.predict(rows.assign(att_army="ZZ ARMY", def_army="QQ ARMY", war="NONE"))
    pd.testing.assert_frame_equal(without, unseen)
    named, _ = model.predict(rows)
    assert not np.allclose(named["p_attacker_wins"], without["p_attacker_wins"])
    # the casualty models do not read the names
    cas = [c for c in named.columns if "_cas_" in c]
    pd.testing.assert_frame_equal(named[cas], without[cas])


def test_cross_validation_never_trains_on_the_test_battles(monkeypatch, battles):
    seen: list[tuple[pd.Index, tuple[str, ...]]] = []
    real_fit = crossval.fit_clean

    def spy(clean, targets, groups):
        model = real_fit(clean, targets, groups)
        seen.append((clean.index, model.winner.effects))
        return model

    monkeypatch.setattr(crossval, "fit_clean", spy)
    crossval.cross_validate(battles, k=3, seed=5)
    clean, _ = check_inputs(battles)
    groups = pd.Series(battle_groups(battles.loc[clean.index]), index=clean.index)
    folds = pd.Series(assign_folds(groups.to_numpy(), 3, 5), index=clean.index)
    att, dfn = effect_keys(clean)
    keys = pd.Series([set(a) | set(d) for a, d in zip(att, dfn, strict=True)], index=clean.index)
    assert len(seen) == 3
    for f, (train_index, effects) in enumerate(seen):
        test_index = folds.index[folds == f]
        assert set(train_index) == set(folds.index[folds != f])
        assert not set(groups[train_index]) & set(groups[test_index])
        # every fitted army key was named in a training battle
        assert set(effects) <= set().union(*keys[train_index])
