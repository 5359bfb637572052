import numpy as np
import pytest

from kriegsspiel.evidence.metrics import (
    accuracy,
    brier,
    interval_coverage,
    median_abs_log10_error,
)


def test_accuracy_by_hand():
    # hits: 0.9 & won, 0.2 & lost; misses: 0.6 & lost, 0.5 (a tie is a miss)
    assert accuracy([0.9, 0.2, 0.6, 0.5], [1, 0, 0, 1]) == pytest.approx(0.5)


def test_brier_by_hand():
    # (0.1^2 + 0.2^2 + 0.6^2 + 0.5^2) / 4 = (0.01 + 0.04 + 0.36 + 0.25) / 4
    assert brier([0.9, 0.2, 0.6, 0.5], [1, 0, 0, 1]) == pytest.approx(0.165)
    assert brier([0.5] * 3, [1, 0, 1]) == pytest.approx(0.25)


def test_median_abs_log10_error_by_hand():
    # errors: factor 10 over (1), factor 2 under (0.30103), exact (0)
    assert median_abs_log10_error([1000, 50, 7], [100, 100, 7]) == pytest.approx(np.log10(2))


def test_interval_coverage_by_hand():
    assert interval_coverage([0, 0, 5], [10, 1, 6], [5, 2, 5]) == pytest.approx(2 / 3)
