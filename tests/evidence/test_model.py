import numpy as np
import pandas as pd
import pytest
from scipy.special import logit

from kriegsspiel.evidence.features import SECOND_ORDER, conditions, force_terms, second_order
from kriegsspiel.evidence.inputs import FORBIDDEN_COLUMNS, INPUT_COLUMNS, check_inputs
from kriegsspiel.evidence.model import fit, fit_logistic


def test_inputs_and_forbidden_columns_are_disjoint():
    assert not set(INPUT_COLUMNS) & set(FORBIDDEN_COLUMNS)
    for name in ("cea", "surpa", "aeroa", "leada", "trnga", "morala", "logsa", "momnta"):
        assert name in FORBIDDEN_COLUMNS


def test_predictions_ignore_outcome_columns(model, battles):
    base, _ = model.predict(battles)
    rng = np.random.default_rng(np.random.SeedSequence(7))
    scrambled = battles.copy()
    for col in [c for c in FORBIDDEN_COLUMNS if c in battles.columns]:
        scrambled[col] = rng.permutation(scrambled[col].to_numpy())
    again, _ = model.predict(scrambled)
    pd.testing.assert_frame_equal(base, again)
    dropped, _ = model.predict(battles[[c for c in battles.columns if c in INPUT_COLUMNS]])
    pd.testing.assert_frame_equal(base, dropped)


def test_fit_ignores_advantage_judgements(battles):
    # the fit reads only inputs and targets: adding the judgements as columns changes nothing
    a = fit(battles)
    b = fit(battles.assign(cea=np.arange(len(battles)), surpa=1, morala=-1))
    assert np.array_equal(a.winner.coef, b.winner.coef)
    assert np.array_equal(a.defender.coef, b.defender.coef)


def test_intervals_are_ordered_and_capped_at_strength(model, battles):
    pred, rejected = model.predict(battles)
    assert len(pred) + len(rejected) == len(battles)
    assert pred["p_attacker_wins"].between(0, 1).all()
    for side in ("att", "def"):
        assert (pred[f"{side}_cas_q05"] <= pred[f"{side}_cas_median"]).all()
        assert (pred[f"{side}_cas_median"] <= pred[f"{side}_cas_q95"]).all()
        assert (pred[f"{side}_cas_q95"] <= battles.loc[pred.index, f"{side}_str"]).all()


def test_helmbold_part_matches_the_closed_form(model, battles):
    # C = k * E**p * O**q * T**r * 10**(second order in e, o, t) * 10**(conditions)
    clean, _ = check_inputs(battles.head(20))
    z = conditions(clean)
    f = force_terms(clean)
    n2 = len(SECOND_ORDER)
    for side, m in (("att", model.attacker), ("def", model.defender)):
        own, enemy = ("att_str", "def_str") if side == "att" else ("def_str", "att_str")
        p, q, r = m.exponents
        e = np.log10(clean[enemy] / 1e4)
        o = np.log10(clean[own] / 1e4)
        t = np.log10(clean["duration2_days"])
        c_ee, c_oo, c_eo, c_tt, c_te, c_to = m.coef[4 : 4 + n2]
        bend = (
            c_ee * e * e + c_oo * o * o + c_eo * e * o + c_tt * t * t + c_te * t * e + c_to * t * o
        )
        expected = (
            m.rate * clean[enemy] ** p * clean[own] ** q * clean["duration2_days"] ** r
        ) * 10 ** (bend + z.to_numpy() @ m.coef[4 + n2 :])
        got = 10 ** m.log10_median(f, z)
        np.testing.assert_allclose(got, expected, rtol=1e-9)


def test_second_order_terms_vanish_at_ten_thousand_for_one_day():
    forces = pd.DataFrame({"log_att": [4.0, 5.0], "log_def": [4.0, 3.0], "log_days": [0.0, 1.0]})
    for side in ("att", "def"):
        s = second_order(forces, side)
        assert np.all(s.iloc[0] == 0.0)
    # attacker 100,000 against 1,000 for 10 days: e = -1, o = 1, t = 1
    att = second_order(forces, "att").iloc[1]
    assert att.to_dict() == {"ee": 1.0, "oo": 1.0, "eo": -1.0, "tt": 1.0, "te": -1.0, "to": 1.0}


def test_casualty_fit_recovers_a_known_helmbold_law(battles):
    # noise-free casualties from known exponents and one multiplier: least squares is exact
    clean, _ = check_inputs(battles)
    synthetic = battles.loc[clean.index].copy()
    k, p, q, r = 0.02, 0.6, 0.5, 0.7
    fortified = (clean["post1"] == "FD").to_numpy()
    days = clean["duration2_days"]
    synthetic["att_cas"] = k * clean["def_str"] ** p * clean["att_str"] ** q * days**r
    # defender: a size factor bending the own-strength exponent, 10**(c_oo * o**2)
    c_oo = 0.3
    o = np.log10(clean["def_str"] / 1e4)
    synthetic["def_cas"] = (
        k * clean["att_str"] ** p * clean["def_str"] ** q * days**r * np.where(fortified, 0.5, 1)
    ) * 10 ** (c_oo * o**2)
    m = fit(synthetic)
    assert m.attacker.exponents == pytest.approx((p, q, r), abs=1e-8)
    assert m.defender.exponents == pytest.approx((p, q, r), abs=1e-8)
    n2 = len(SECOND_ORDER)
    np.testing.assert_allclose(m.attacker.coef[4 : 4 + n2], 0.0, atol=1e-8)
    expected = [c_oo if t.key == "oo" else 0.0 for t in SECOND_ORDER]
    np.testing.assert_allclose(m.defender.coef[4 : 4 + n2], expected, atol=1e-8)
    assert m.defender.rate == pytest.approx(k, rel=1e-6)
    i = m.defender.names.index("post_fortified")
    assert 10 ** m.defender.coef[i] == pytest.approx(0.5, rel=1e-6)
    assert m.defender.residual_sd == pytest.approx(0.0, abs=1e-8)


def test_logistic_intercept_only_is_the_log_odds():
    y = np.array([1.0, 1.0, 1.0, 0.0])
    w, cov = fit_logistic(np.ones((4, 1)), y, ridge=0.0)
    assert w[0] == pytest.approx(logit(0.75), abs=1e-5)
    # Fisher information n p (1 - p) = 4 * 0.75 * 0.25
    assert cov[0, 0] == pytest.approx(1 / 0.75, rel=1e-4)


def test_more_enemies_mean_more_own_casualties(model, battles):
    row = battles.iloc[[10]]
    more = row.assign(def_str=row["def_str"] * 2)
    a, _ = model.predict(row)
    b, _ = model.predict(more)
    assert model.attacker.exponents[0] > 0
    assert b["att_cas_median"].iloc[0] > a["att_cas_median"].iloc[0]
    assert b["p_attacker_wins"].iloc[0] < a["p_attacker_wins"].iloc[0]
