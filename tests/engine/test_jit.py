"""The engine's numba compilation falls back to no disk cache where none can be written."""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import pytest

from kriegsspiel.engine import jit


def _add(a: float, b: float) -> float:
    return a + b


def _refuse_cache(real: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("cache"):
            raise RuntimeError("cannot cache function '_add': no locator available for file")
        return real(*args, **kwargs)

    return wrapper


def test_njit_compiles_without_a_cache_when_numba_cannot_write_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(numba, "njit", _refuse_cache(numba.njit))
    add = jit.njit(_add)
    assert add(2.0, 3.5) == 5.5


def test_vectorize_compiles_without_a_cache_when_numba_cannot_write_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(numba, "vectorize", _refuse_cache(numba.vectorize))
    add = jit.vectorize("float64(float64, float64)", _add)
    np.testing.assert_array_equal(add(np.array([1.0, 2.0]), 0.5), [1.5, 2.5])
