"""Bootstrap intervals, P(B beats A) and Sobol indices against closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from kriegsspiel.errors import InputError
from kriegsspiel.experiment.compare import bootstrap_difference, probability_b_beats_a
from kriegsspiel.experiment.sensitivity import sobol_design, sobol_indices


@pytest.mark.parametrize("paired", [False, True])
def test_bootstrap_interval_covers_the_true_difference(paired: bool) -> None:
    """About 95% of intervals contain the true difference of means (here 0.5)."""
    rng = np.random.default_rng(1)
    trials, n, delta, hits = 300, 80, 0.5, 0
    for k in range(trials):
        a = rng.exponential(1.0, n)
        b = (a if paired else rng.exponential(1.0, n)) + delta + rng.normal(0.0, 0.5, n)
        iv = bootstrap_difference(a, b, paired=paired, resamples=500, seed=k)
        hits += iv.low <= delta <= iv.high
    # binomial(300, 0.95): sd 1.3 %; the percentile bootstrap runs slightly narrow at n = 80
    assert 0.89 <= hits / trials <= 0.99


def test_median_difference_of_shifted_samples() -> None:
    rng = np.random.default_rng(2)
    a = rng.standard_normal(4000)
    iv = bootstrap_difference(a, a + 2.0, statistic="median", paired=True, resamples=300)
    assert iv.estimate == pytest.approx(2.0) and iv.low == pytest.approx(2.0)


def test_probability_of_superiority_independent_normals() -> None:
    """B ~ N(d, 1), A ~ N(0, 1) independent: P(B > A) = Phi(d / sqrt 2)."""
    rng = np.random.default_rng(3)
    d = 0.6
    a, b = rng.standard_normal(3000), d + rng.standard_normal(3000)
    iv = probability_b_beats_a(a, b, resamples=300)
    truth = norm.cdf(d / math.sqrt(2.0))
    assert iv.low <= truth <= iv.high and abs(iv.estimate - truth) < 0.03
    lower = probability_b_beats_a(a, b, lower_is_better=True, resamples=300)
    assert lower.estimate == pytest.approx(1.0 - iv.estimate)


def test_paired_probability_uses_pairs_and_ties_count_half() -> None:
    """Common random numbers: B = A + d + e, e ~ N(0, s): P(B > A) = Phi(d / s)."""
    rng = np.random.default_rng(4)
    a = rng.standard_normal(4000) * 10.0  # large common noise cancels in the pairs
    b = a + 0.3 + rng.normal(0.0, 1.0, a.size)
    iv = probability_b_beats_a(a, b, paired=True, resamples=300)
    assert iv.low <= norm.cdf(0.3) <= iv.high
    same = probability_b_beats_a(a, a, paired=True, resamples=100)
    assert (same.estimate, same.low, same.high) == (0.5, 0.5, 0.5)
    coin = np.array([0.0, 1.0, 1.0, 0.0])
    assert probability_b_beats_a(coin, coin[::-1], resamples=100).estimate == 0.5


def test_bad_samples_are_refused() -> None:
    with pytest.raises(InputError):
        bootstrap_difference([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(InputError):
        bootstrap_difference([1.0, 2.0], [1.0], paired=True)


def _ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_the_ishigami_function() -> None:
    a, b, pi = 7.0, 0.1, math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * 8 / 225
    var = v1 + v2 + v13
    s1 = np.array([v1, v2, 0.0]) / var
    st = np.array([v1 + v13, v2, v13]) / var
    ranges = dict.fromkeys(("x1", "x2", "x3"), (-pi, pi))
    design = sobol_design(ranges, 1024, seed=5)
    assert len(design.points) == 1024 * (3 + 2)
    x = design.frame()[list(ranges)].to_numpy()
    idx = sobol_indices(ranges, _ishigami(x), seed=5)
    assert np.all(np.abs(idx["S1"].to_numpy() - s1) < 0.05)
    assert np.all(np.abs(idx["ST"].to_numpy() - st) < 0.05)
    # the intervals are real intervals around the estimates
    assert np.all(idx["S1_low"] <= idx["S1"]) and np.all(idx["ST"] <= idx["ST_high"])


def test_sobol_indices_of_a_linear_model() -> None:
    """y = sum c_i x_i, x_i uniform on [0, w_i]: S1_i = ST_i = c_i^2 w_i^2 / sum_j c_j^2 w_j^2."""
    c, w = np.array([1.0, 2.0, 0.5]), np.array([1.0, 1.0, 4.0])
    ranges = {f"p{i}": (0.0, float(wi)) for i, wi in enumerate(w)}
    x = sobol_design(ranges, 512, seed=6).frame().to_numpy()
    idx = sobol_indices(ranges, x @ c, seed=6)
    share = c**2 * w**2 / np.sum(c**2 * w**2)
    assert np.allclose(idx["S1"], share, atol=0.04)
    assert np.allclose(idx["ST"], share, atol=0.04)


def test_sobol_needs_a_power_of_two() -> None:
    with pytest.raises(InputError, match="power of two"):
        sobol_design({"x": (0.0, 1.0)}, 100, seed=0)


def test_text_outcomes_become_indicator_metrics() -> None:
    import pandas as pd

    from kriegsspiel.experiment.compare import compare_frames, metric_table

    a = pd.DataFrame({"holder": ["soviet", "japanese", "", "japanese"], "dead": [1, 2, 3, 4]})
    b = pd.DataFrame({"holder": ["soviet", "soviet", "", "soviet"], "dead": [1, 2, 3, 5]})
    table = metric_table(a)
    assert set(table.columns) == {"dead", "holder=soviet", "holder=japanese", "holder=none"}
    assert np.all(table.filter(like="holder=").sum(axis=1) == 1.0)
    report = compare_frames(a, b, paired=True, resamples=200)
    assert report["holder=japanese"]["mean_a"] == 0.5 and report["holder=japanese"]["mean_b"] == 0.0
    assert report["holder=soviet"]["diff_mean"]["estimate"] == 0.5
    assert report["dead"]["p_b_beats_a"]["estimate"] == pytest.approx((3 * 0.5 + 1) / 4)
