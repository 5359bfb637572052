import numpy as np
import pandas as pd
import pytest

from kriegsspiel.evidence import baselines


def test_attacker_wins_uses_training_share():
    p = baselines.attacker_wins(np.array([1.0, 1.0, 0.0, 1.0]), 3)
    assert np.allclose(p, 0.75)


def test_larger_side_wins_on_a_tiny_table():
    train = pd.DataFrame({"att_str": [10, 10, 5, 5, 7], "def_str": [5, 5, 10, 10, 7]})
    won = np.array([1.0, 0.0, 0.0, 0.0, 1.0])  # larger side won 3 of the 4 unequal battles
    test = pd.DataFrame({"att_str": [9, 1, 4], "def_str": [3, 2, 4]})
    p = baselines.larger_side_wins(train, won, test)
    assert np.allclose(p, [0.75, 0.25, 0.5])


def test_constant_fraction_is_training_median_share():
    cas = np.array([10.0, 30.0, 50.0])
    strength = np.array([100.0, 100.0, 100.0])  # shares 0.1, 0.3, 0.5 -> median 0.3
    assert np.allclose(baselines.constant_fraction(cas, strength, np.array([1000.0])), [300.0])


def test_raw_logistic_learns_a_separating_code(battles):
    from kriegsspiel.evidence.inputs import check_inputs

    clean, _ = check_inputs(battles.head(120))
    won = (clean["post1"] != "FD").to_numpy(dtype=float)  # attackers fail against forts
    p = baselines.raw_logistic(clean, won, clean)
    assert 0 < won.mean() < 1
    assert np.all((p > 0.5) == (won == 1))
    assert p == pytest.approx(baselines.raw_logistic(clean, won, clean))
